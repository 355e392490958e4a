/**
 * Wire types of Voucherify's Customers API, as the OpenAPI files in `reference/voucherify-openapi/` describe them
 * (current spec for customers and async actions, the 2024-09-03 spec for consents, the 2023-02-08 spec for
 * `system_metadata.consents`), loosened where the real API was observed to differ.
 *
 * These types are shared by the client, the emulator and the worker: change them here, not in a copy.
 */

/** ISO 8601 date-time with milliseconds and `Z`, e.g. `2022-08-30T06:32:07.380Z`. */
export type DateTimeString = string;
/** `YYYY-MM-DD`. */
export type DateString = string;

export interface Address {
  city?: string | null;
  state?: string | null;
  line_1?: string | null;
  line_2?: string | null;
  country?: string | null;
  postal_code?: string | null;
}

/** Fields a caller may send on create and update. None is required anywhere. */
export interface CustomerBase {
  name?: string | null;
  description?: string | null;
  email?: string | null;
  phone?: string | null;
  /** @deprecated use `birthdate` */
  birthday?: DateString | null;
  birthdate?: DateString | null;
  address?: Address | null;
  metadata?: Record<string, unknown>;
}

/** `POST /v1/customers` body. With an existing `id` or `source_id` it updates that customer (upsert). */
export interface CustomersCreateRequestBody extends CustomerBase {
  id?: string;
  /** Ignored by Voucherify when `id` is also sent. */
  source_id?: string;
}

/** `PUT /v1/customers/{customerId}` body: a partial update despite the method. */
export type CustomersUpdateRequestBody = CustomerBase;

/** One record of `POST /v1/customers/bulk/async`. */
export interface CustomersUpdateInBulkItem extends CustomerBase {
  source_id: string;
}

/** `POST /v1/customers/metadata/async` body. */
export interface CustomersMetadataUpdateInBulkRequestBody {
  source_ids: string[];
  metadata: Record<string, unknown>;
}

export interface CustomerSummary {
  redemptions: {
    total_redeemed: number;
    total_failed: number;
    total_succeeded: number;
    total_rolled_back: number;
    total_rollback_failed: number;
    total_rollback_succeeded: number;
    gift: { redeemed_amount: number; amount_to_go: number };
    loyalty_card: { redeemed_points: number; points_to_go: number };
  };
  orders: {
    total_amount: number;
    total_count: number;
    average_amount: number;
    last_order_amount: number;
    last_order_date?: DateTimeString | null;
  };
}

export interface CustomerLoyalty {
  points: number;
  referred_customers: number;
  /** Keyed by campaign name. The PHP snapshot shows `[]` for "none": accept both. */
  campaigns: Record<string, { points?: number; loyalty_tier?: string; referred_customers?: number }> | [];
}

export interface CustomerReferrals {
  total: number;
  campaigns: Array<{
    campaign_id: string;
    referrer_id: string;
    related_object_id: string;
    related_object_type: string;
    date: DateTimeString;
  }>;
}

/** One stored consent decision. `value: true` = given, `false` = refused or revoked. */
export interface ConsentDecision {
  date: DateTimeString;
  value: boolean;
}

/** `system_metadata.consents`: keyed by `cnst_…` id or `unsubscribed`. */
export type CustomerConsentsState = Record<string, ConsentDecision>;

export interface CustomerSystemMetadata {
  consents?: CustomerConsentsState;
  source?: string;
  [key: string]: unknown;
}

/** `CustomerWithSummaryLoyaltyReferrals`: what create, get, update and list return. */
export interface Customer extends CustomerBase {
  id: string;
  source_id?: string | null;
  summary: CustomerSummary | null;
  loyalty: CustomerLoyalty | null;
  referrals: CustomerReferrals | null;
  /** The PHP snapshot shows `[]` for "empty": accept both. */
  system_metadata?: CustomerSystemMetadata | [];
  created_at?: DateTimeString;
  updated_at?: DateTimeString | null;
  assets?: { cockpit_url?: string; cockpit_preference_center_url?: string };
  object: 'customer';
}

/** Double opt-in: a customer not yet confirmed (legacy SDK type; not in the current spec). */
export interface UnconfirmedCustomer {
  id?: string;
  email?: string;
  summary?: CustomerSummary | null;
  loyalty?: CustomerLoyalty | null;
  object: 'unconfirmed_customer';
}

export type CustomersListOrder =
  | 'created_at'
  | '-created_at'
  | 'updated_at'
  | '-updated_at'
  | 'source_id'
  | '-source_id';

/** `GET /v1/customers` query. */
export interface ListCustomersParams {
  /** 1..100, default 10. */
  limit?: number;
  /** 1..99. Use `starting_after` for anything deeper. */
  page?: number;
  email?: string;
  city?: string;
  name?: string;
  segment_id?: string;
  'created_at[before]'?: DateTimeString;
  'created_at[after]'?: DateTimeString;
  'updated_at[before]'?: DateTimeString;
  'updated_at[after]'?: DateTimeString;
  order?: CustomersListOrder;
  /** Cursor on `created_at`: descending by default, ascending with `order=created_at|updated_at`. */
  starting_after?: DateTimeString;
}

export interface CustomersList {
  object: 'list';
  data_ref: 'customers';
  customers: Customer[];
  total: number;
  /** Optional and absent from Voucherify's example: never rely on it alone. */
  has_more?: boolean;
}

export type CampaignType =
  | 'PROMOTION'
  | 'GIFT_VOUCHERS'
  | 'REFERRAL_PROGRAM'
  | 'DISCOUNT_COUPONS'
  | 'LOYALTY_PROGRAM';

/** Activity types this kit produces and reads; the API has 74 (see the reference), so any string is accepted. */
export type CustomerActivityType =
  | 'customer.created'
  | 'customer.updated'
  | 'customer.deleted'
  | 'customer.confirmed'
  | 'customer.segment.entered'
  | 'customer.segment.left'
  | 'customer.consents.given'
  | 'customer.consents.revoked'
  | 'customer.custom_event'
  | (string & {});

export interface EventSource {
  channel: 'USER_PORTAL' | 'API' | 'CLIENT_API' | 'INTERNAL';
  user?: { id: string };
  api_key?: { name: string; app_id: string };
}

export interface SimpleCustomer {
  id?: string;
  name?: string;
  email?: string;
  source_id?: string;
  metadata?: Record<string, unknown>;
  object?: 'customer';
}

export interface SimpleSegment {
  id: string;
  name: string;
  object: 'segment';
}

export interface SimpleConsent {
  id: string;
  name: string;
  object: 'consent';
}

/**
 * Event payloads by type (current spec: `data: {data, event_source}`; the 2023 spec had an array, so read it loosely):
 * created/updated/deleted `{customer}`; segment.entered/left `{customer, segment}`;
 * consents.given/revoked `{customer, consents}`.
 */
export interface CustomerActivityData {
  customer?: Customer | SimpleCustomer;
  segment?: SimpleSegment;
  consents?: SimpleConsent[];
  [key: string]: unknown;
}

export interface CustomerActivity {
  id: string;
  type: CustomerActivityType;
  data: { data?: CustomerActivityData; event_source?: EventSource } | null;
  created_at: DateTimeString;
  /** The request id that caused the event. */
  group_id?: string;
}

/** `GET /v1/customers/{id}/activities` (deprecated, the seed's `listCustomerActivities`). */
export interface ListCustomerActivitiesParams {
  limit?: number;
  order?:
    | 'created_at'
    | '-created_at'
    | 'updated_at'
    | '-updated_at'
    | 'type'
    | '-type'
    | 'code'
    | '-code'
    | 'campaign'
    | '-campaign'
    | 'category'
    | '-category';
  starting_after?: DateTimeString;
  starting_after_id?: string;
  campaign_type?: CampaignType;
  campaign_id?: string;
  product_id?: string;
  start_date?: DateTimeString;
  end_date?: DateTimeString;
}

export interface CustomerActivitiesList {
  object: 'list';
  data_ref: 'data';
  data: CustomerActivity[];
  total: number;
}

/** `GET /v1/customers/{id}/activity` (current replacement). */
export interface ListCustomerActivityParams {
  limit?: number;
  order?: 'created_at' | '-created_at';
  starting_after_id?: string;
  start_date?: DateTimeString;
  end_date?: DateTimeString;
  campaign_id?: string;
  campaign_type?: CampaignType;
  category?: 'ACTION' | 'EFFECT';
  type?: string;
}

export interface CustomerActivityList {
  object: 'list';
  data_ref: 'data';
  data: CustomerActivity[];
  has_more: boolean;
  /** Set only when `has_more`; pass back as `starting_after_id`. */
  more_starting_after?: string;
}

export interface CustomerSegmentsList {
  object: 'list';
  data_ref: 'data';
  data: SimpleSegment[];
  total: number;
}

/** `POST /v1/customers/{id}/permanent-deletion` answer. `object` is misspelled by the real API. */
export interface CustomerPermanentDeletion {
  id: string;
  created_at: DateTimeString;
  related_object_id: string;
  related_object: 'customer';
  status: 'DONE' | (string & {});
  data_json: {
    events: number | null;
    customer_events: number | null;
    daily_events: number | null;
    segments: number | null;
    orders: number | null;
    order_events: number | null;
    customer: number;
  };
  object: 'pernament_deletion';
}

/** 202 answer of CSV import and both bulk endpoints. */
export interface AsyncActionCreated {
  async_action_id: string;
}

export type AsyncActionStatus = 'ENQUEUED' | 'IN_PROGRESS' | 'DONE' | 'FAILED';

export type AsyncActionType =
  | 'CUSTOMERS.IMPORT_CSV'
  | 'CUSTOMERS.BULK_UPDATE'
  | 'CUSTOMERS.METADATA_UPDATE'
  | 'CUSTOMERS.METADATA_KEY_PURGE'
  | (string & {});

export interface CustomersImportCsvResult {
  message?: string;
  failed?: Array<{ source_id?: string; row?: number; reason?: string }>;
  done_count?: number;
  failed_count?: number;
}

export interface CustomersBulkUpdateResult {
  done_count: number;
  failed_count: number;
  reports: string[];
  reports_available_till: DateTimeString;
  errors: Array<{ message: string; details: string; key: string; source_id: string }>;
  /** Per-record report, as the seed describes it (`found: false, updated: true` for an upsert). */
  results?: Array<{ source_id: string; found: boolean; updated: boolean }>;
}

export interface CustomersMetadataUpdateResult {
  done_count?: number;
  failed_count?: number;
  reports?: string[];
  reports_available_till?: DateTimeString;
  errors: Array<{ message: string; details: string; key: string; source_id?: string }>;
  results?: Array<{ source_id: string; found: boolean; updated: boolean }>;
}

export interface AsyncAction<Result = unknown> {
  id: string;
  type: AsyncActionType;
  status: AsyncActionStatus;
  operation_status?: 'SUCCESS' | 'FAILED' | 'UNKNOWN';
  created_at: DateTimeString;
  updated_at?: DateTimeString | null;
  request_id: string;
  processing_time?: number;
  /** 0..100 */
  progress?: number;
  object: 'async_action';
  result?: Result;
}

/** Consent definitions (deprecated endpoints, 2024-09-03 spec). */
export interface ConsentGroup {
  id: string;
  name: string;
  description: string;
  consents: string[];
  created_at: DateTimeString;
  updated_at: DateTimeString | null;
  object: 'consent_group';
}

export interface Consent {
  id: string;
  name: string;
  description: string;
  category: string;
  created_at: DateTimeString;
  updated_at: DateTimeString | null;
  object: 'consent';
}

export interface ConsentsList {
  groups: { object: 'list'; data_ref: 'data'; total: number; data: ConsentGroup[] };
  consents: { object: 'list'; data_ref: 'data'; total: number; data: Consent[] };
}

/**
 * `PUT …/customers/{id}/consents` body: `{cnst_…: boolean}`, or `{unsubscribed: true}` to opt out of everything.
 * An empty object is refused with 400 `invalid_payload`.
 */
export type ConsentsUpdate = Record<string, boolean>;

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
