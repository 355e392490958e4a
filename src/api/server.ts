import { waitForAsyncAction } from './async-actions.js';
import type { WaitForAsyncActionOptions } from './async-actions.js';
import { updateCustomersInBulkChunked, updateCustomersMetadataInBulkChunked } from './bulk.js';
import type { ChunkedOptions } from './bulk.js';
import { csvMultipart } from './csv-upload.js';
import type { CsvSource } from './csv-upload.js';
import { createHttp, path } from './http.js';
import type { Http, RequestOptions, TransportOptions } from './http.js';
import { iterateCustomerActivity, iterateCustomers } from './pagination.js';
import type { IterateCustomerActivityParams, IterateCustomersParams } from './pagination.js';
import { VERSION, isBrowser } from './environment.js';
import type {
  AsyncAction,
  AsyncActionCreated,
  ConsentsList,
  ConsentsUpdate,
  Customer,
  CustomerActivitiesList,
  CustomerActivity,
  CustomerActivityList,
  CustomerPermanentDeletion,
  CustomerSegmentsList,
  CustomersCreateRequestBody,
  CustomersList,
  CustomersMetadataUpdateInBulkRequestBody,
  CustomersUpdateInBulkItem,
  CustomersUpdateRequestBody,
  ListCustomerActivitiesParams,
  ListCustomerActivityParams,
  ListCustomersParams,
} from './types.js';

export interface ServerSideOptions extends TransportOptions {
  /** `X-App-Id`. */
  applicationId: string;
  /** `X-App-Token`. */
  secretKey: string;
  /** `X-Voucherify-API-Version`, e.g. `v2018-08-01`; without it the project's setting applies. */
  apiVersion?: string;
  /** Without it, constructing the client in a web page throws: server keys must not reach a browser. */
  dangerouslySetSecretKeyInBrowser?: boolean;
}

export interface ImportCsvOptions extends RequestOptions {
  /** The name the file is sent under. Default: the File's name, else `customers.csv`. */
  filename?: string;
}

/**
 * Voucherify's Customers API with server keys. Method names are the official SDKs' (the seed's). Every `customerId`
 * is a Voucherify id (`cust_…`) or your `source_id`; it is URL-encoded. List limits (`page` 1..99, `limit` 1..100,
 * 100 records per bulk call) are left to the API, which answers 400; the helpers stay within them.
 */
export interface CustomersServerApi {
  /** `POST /v1/customers`: creates, or updates the customer with this `id`/`source_id` (upsert). */
  createCustomer(body: CustomersCreateRequestBody, options?: RequestOptions): Promise<Customer>;
  /** `GET /v1/customers/{customerId}`. */
  getCustomer(customerId: string, options?: RequestOptions): Promise<Customer>;
  /** `PUT /v1/customers/{customerId}`: changes only the fields sent. */
  updateCustomer(customerId: string, body: CustomersUpdateRequestBody, options?: RequestOptions): Promise<Customer>;
  /** `DELETE /v1/customers/{customerId}`. */
  deleteCustomer(customerId: string, options?: RequestOptions): Promise<void>;
  /** `POST /v1/customers/{customerId}/permanent-deletion`: forgets the customer and all their data (GDPR). */
  customerPermanentlyDeletion(customerId: string, options?: RequestOptions): Promise<CustomerPermanentDeletion>;
  /** `GET /v1/customers`: one page. */
  listCustomers(params?: ListCustomersParams, options?: RequestOptions): Promise<CustomersList>;
  /** `GET /v1/customers/{customerId}/activities` (deprecated by Voucherify; the seed's operation). */
  listCustomerActivities(
    customerId: string,
    params?: ListCustomerActivitiesParams,
    options?: RequestOptions,
  ): Promise<CustomerActivitiesList>;
  /** `GET /v1/customers/{customerId}/activity` (the current feed, paged by `starting_after_id`). */
  listCustomerActivity(
    customerId: string,
    params?: ListCustomerActivityParams,
    options?: RequestOptions,
  ): Promise<CustomerActivityList>;
  /** `GET /v1/customers/{customerId}/segments`; for an unknown id, the segments such a customer would be in. */
  listCustomerSegments(customerId: string, options?: RequestOptions): Promise<CustomerSegmentsList>;
  /** `POST /v1/customers/importCSV`: uploads a CSV (streamed when given a stream) and starts an import job. */
  importCustomersUsingCsv(file: CsvSource, options?: ImportCsvOptions): Promise<AsyncActionCreated>;
  /** `POST /v1/customers/bulk/async`: upserts by `source_id`; sent as given (the API refuses more than 100). */
  updateCustomersInBulk(items: CustomersUpdateInBulkItem[], options?: RequestOptions): Promise<AsyncActionCreated>;
  /** `POST /v1/customers/metadata/async`: the same metadata for every `source_id` (upserts missing ones). */
  updateCustomersMetadataInBulk(
    body: CustomersMetadataUpdateInBulkRequestBody,
    options?: RequestOptions,
  ): Promise<AsyncActionCreated>;
  /** `PUT /v1/customers/{customerId}/consents` (deprecated by Voucherify): `{cnst_…: bool}` or `{unsubscribed: true}`. */
  updateCustomersConsents(customerId: string, consents: ConsentsUpdate, options?: RequestOptions): Promise<void>;
  /** `GET /v1/consents` (deprecated by Voucherify): consent groups and consents. */
  listConsents(options?: RequestOptions): Promise<ConsentsList>;
  /** `GET /v1/async-actions/{asyncActionId}`. */
  getAsyncAction<R = unknown>(asyncActionId: string, options?: RequestOptions): Promise<AsyncAction<R>>;

  /** Reads an async action until `DONE` or `FAILED` (resolves on both: read `status` and `result`). */
  waitForAsyncAction<R = unknown>(
    asyncActionId: string,
    options?: WaitForAsyncActionOptions<R>,
  ): Promise<AsyncAction<R>>;
  /** `updateCustomersInBulk` in calls of at most 100 records, one after the other. */
  updateCustomersInBulkChunked(
    items: readonly CustomersUpdateInBulkItem[],
    options?: ChunkedOptions,
  ): Promise<AsyncActionCreated[]>;
  /** `updateCustomersMetadataInBulk` in calls of at most 100 `source_ids`, one after the other. */
  updateCustomersMetadataInBulkChunked(
    body: CustomersMetadataUpdateInBulkRequestBody,
    options?: ChunkedOptions,
  ): Promise<AsyncActionCreated[]>;
  /** Every customer matching `params`, paged with the `starting_after` cursor (no page-99 cap, no duplicates). */
  iterateCustomers(params?: IterateCustomersParams, options?: RequestOptions): AsyncIterable<Customer>;
  /** Every activity of a customer (`/activity`, paged with `starting_after_id`). */
  iterateCustomerActivity(
    customerId: string,
    params?: IterateCustomerActivityParams,
    options?: RequestOptions,
  ): AsyncIterable<CustomerActivity>;
}

export function VoucherifyServerSide(options: ServerSideOptions): CustomersServerApi {
  if (!options.applicationId || !options.secretKey) {
    throw new TypeError('VoucherifyServerSide needs applicationId (X-App-Id) and secretKey (X-App-Token)');
  }
  if (isBrowser() && !options.dangerouslySetSecretKeyInBrowser) {
    throw new Error(
      'VoucherifyServerSide holds your secret key and must not run in a browser. Call Voucherify from your server ' +
        '(or through the edge worker), use VoucherifyClientSide with client keys, or, if you really mean it, ' +
        'pass dangerouslySetSecretKeyInBrowser: true.',
    );
  }
  return customersServerApi(createHttp({ ...options, headers: serverSideHeaders(options) }));
}

/** The headers every server-side call carries: the keys, the channel, the API version if one is pinned. */
export function serverSideHeaders(options: ServerSideOptions): Record<string, string> {
  return {
    'X-App-Id': options.applicationId,
    'X-App-Token': options.secretKey,
    'X-Voucherify-Channel': `vc-consent-ServerSide/${VERSION}`,
    ...(options.apiVersion ? { 'X-Voucherify-API-Version': options.apiVersion } : {}),
    ...options.headers,
  };
}

/** The Customers API's methods over any `Http` carrying the server-side headers (the edge worker's is plain fetch). */
export function customersServerApi(http: Http): CustomersServerApi {
  const api: CustomersServerApi = {
    createCustomer: async (body, opts) => http.request('POST', 'v1/customers', { ...opts, json: body }),
    getCustomer: async (customerId, opts) => http.request('GET', path`v1/customers/${customerId}`, opts),
    updateCustomer: async (customerId, body, opts) =>
      http.request('PUT', path`v1/customers/${customerId}`, { ...opts, json: body }),
    deleteCustomer: async (customerId, opts) => http.request('DELETE', path`v1/customers/${customerId}`, opts),
    customerPermanentlyDeletion: async (customerId, opts) =>
      http.request('POST', path`v1/customers/${customerId}/permanent-deletion`, opts),
    listCustomers: async (params, opts) => http.request('GET', 'v1/customers', { ...opts, searchParams: params }),
    listCustomerActivities: async (customerId, params, opts) =>
      http.request('GET', path`v1/customers/${customerId}/activities`, { ...opts, searchParams: params }),
    listCustomerActivity: async (customerId, params, opts) =>
      http.request('GET', path`v1/customers/${customerId}/activity`, { ...opts, searchParams: params }),
    listCustomerSegments: async (customerId, opts) =>
      http.request('GET', path`v1/customers/${customerId}/segments`, opts),
    async importCustomersUsingCsv(file, opts = {}) {
      const { filename, ...requestOptions } = opts;
      const { body, contentType } = csvMultipart(file, filename);
      const headers = contentType ? { ...requestOptions.headers, 'content-type': contentType } : requestOptions.headers;
      return http.request('POST', 'v1/customers/importCSV', {
        ...requestOptions,
        ...(headers ? { headers } : {}),
        body,
      });
    },
    updateCustomersInBulk: async (items, opts) =>
      http.request('POST', 'v1/customers/bulk/async', { ...opts, json: items }),
    updateCustomersMetadataInBulk: async (body, opts) =>
      http.request('POST', 'v1/customers/metadata/async', { ...opts, json: body }),
    updateCustomersConsents: async (customerId, consents, opts) =>
      http.request('PUT', path`v1/customers/${customerId}/consents`, { ...opts, json: consents }),
    listConsents: async (opts) => http.request('GET', 'v1/consents', opts),
    getAsyncAction: async (asyncActionId, opts) => http.request('GET', path`v1/async-actions/${asyncActionId}`, opts),

    waitForAsyncAction: async (asyncActionId, opts) => waitForAsyncAction(api.getAsyncAction, asyncActionId, opts),
    updateCustomersInBulkChunked: async (items, opts) =>
      updateCustomersInBulkChunked(api.updateCustomersInBulk, items, opts),
    updateCustomersMetadataInBulkChunked: async (body, opts) =>
      updateCustomersMetadataInBulkChunked(api.updateCustomersMetadataInBulk, body, opts),
    iterateCustomers: (params, opts) => iterateCustomers(api.listCustomers, params, opts),
    iterateCustomerActivity: (customerId, params, opts) =>
      iterateCustomerActivity(api.listCustomerActivity, customerId, params, opts),
  };
  return api;
}
