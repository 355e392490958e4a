import { createHttp, path } from './http.js';
import type { RequestOptions, TransportOptions } from './http.js';
import { VERSION, isBrowser } from './environment.js';
import type { ConsentsList, ConsentsUpdate } from './types.js';

export interface ClientSideOptions extends TransportOptions {
  /** `X-Client-Application-Id`. */
  clientApplicationId: string;
  /** `X-Client-Token`. */
  clientSecretKey: string;
  /**
   * Sent as the `origin` header outside browsers, where it is required (e.g. `https://shop.example`); it must be on
   * the project's allowed-origins list. Ignored in browsers, which send `Origin` themselves.
   */
  origin?: string;
}

/** Voucherify's client-side (publishable key) consent endpoints, deprecated by Voucherify but still in the seed. */
export interface CustomersClientSideApi {
  /** `GET /client/v1/consents`: consent groups and consents. */
  listConsents(options?: RequestOptions): Promise<ConsentsList>;
  /** `PUT /client/v1/customers/{customerId}/consents`: `{cnst_…: bool}` or `{unsubscribed: true}`. */
  updateCustomersConsentsClientSide(
    customerId: string,
    consents: ConsentsUpdate,
    options?: RequestOptions,
  ): Promise<void>;
}

export function VoucherifyClientSide(options: ClientSideOptions): CustomersClientSideApi {
  if (!options.clientApplicationId || !options.clientSecretKey) {
    throw new TypeError(
      'VoucherifyClientSide needs clientApplicationId (X-Client-Application-Id) and clientSecretKey (X-Client-Token)',
    );
  }
  const browser = isBrowser();
  if (!browser && !options.origin) {
    throw new TypeError(
      'VoucherifyClientSide needs `origin` outside a browser (e.g. origin: "https://shop.example"): Voucherify ' +
        'checks it against the allowed origins of the project',
    );
  }
  const http = createHttp({
    ...options,
    headers: {
      'X-Client-Application-Id': options.clientApplicationId,
      'X-Client-Token': options.clientSecretKey,
      'X-Voucherify-Channel': `vc-consent-ClientSide/${VERSION}`,
      ...(!browser && options.origin ? { origin: options.origin } : {}),
      ...options.headers,
    },
  });
  return {
    listConsents: async (opts) => http.request('GET', 'client/v1/consents', opts),
    updateCustomersConsentsClientSide: async (customerId, consents, opts) =>
      http.request('PUT', path`client/v1/customers/${customerId}/consents`, { ...opts, json: consents }),
  };
}
