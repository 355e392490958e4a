/** Customers: what is sent on create and update, what comes back, and their lists. */
import type { CustomerConsentsState } from './consent-types.js';
import type { SimpleSegment } from './activity-types.js';
import type { DateString, DateTimeString } from './types.js';

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
  'created_at' | '-created_at' | 'updated_at' | '-updated_at' | 'source_id' | '-source_id';

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
