/**
 * Wire types of Voucherify's Customers API, as Voucherify's OpenAPI specifications describe them (current spec for
 * customers and async actions, the 2024-09-03 spec for consents, the 2023-02-08 spec for `system_metadata.consents`),
 * loosened where the real API was observed to differ. One module per resource, all re-exported from here.
 *
 * These types are shared by the client, the emulator and the worker: change them in these modules, not in a copy.
 */

/** ISO 8601 date-time with milliseconds and `Z`, e.g. `2022-08-30T06:32:07.380Z`. */
export type DateTimeString = string;
/** `YYYY-MM-DD`. */
export type DateString = string;

/** Voucherify's standard error body. Some endpoints answer other shapes (see `VoucherifyError`). */
export interface VoucherifyErrorBody {
  code: number;
  key?: string;
  message: string;
  details?: string;
  request_id?: string;
  resource_id?: string;
  resource_type?: string;
  related_object_ids?: string[];
  related_object_type?: string;
  related_object_total?: number;
  error?: { message?: string };
}

export type * from './activity-types.js';
export type * from './async-action-types.js';
export type * from './consent-types.js';
export type * from './customer-types.js';
