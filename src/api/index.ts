/**
 * The typed Voucherify Customers client. Browser bundles that need only the consent endpoints should import
 * `./client-side.js` directly: it pulls in nothing but the HTTP core.
 */
export { VoucherifyServerSide } from './server.js';
export type { CustomersServerApi, ImportCsvOptions, ServerSideOptions } from './server.js';
export { VoucherifyClientSide } from './client-side.js';
export type { ClientSideOptions, CustomersClientSideApi } from './client-side.js';
export { waitForAsyncAction } from './async-actions.js';
export type { WaitForAsyncActionOptions } from './async-actions.js';
export { BULK_LIMIT, chunk, updateCustomersInBulkChunked, updateCustomersMetadataInBulkChunked } from './bulk.js';
export type { ChunkedOptions } from './bulk.js';
export { iterateCustomerActivity, iterateCustomers } from './pagination.js';
export type { IterateCustomerActivityParams, IterateCustomersParams } from './pagination.js';
export { csvMultipart } from './csv-upload.js';
export type { CsvMultipart, CsvSource } from './csv-upload.js';
export { VoucherifyError, isVoucherifyError, parseErrorBody, retryAfterSeconds } from './errors.js';
export type { VoucherifyErrorInit, VoucherifyErrorKind } from './errors.js';
export { DEFAULT_BASE_URL, createHttp, path } from './http.js';
export type { Http, HttpMethod, HttpRequest, RequestOptions, TransportOptions } from './http.js';
export { VERSION } from './environment.js';
export type * from './types.js';
