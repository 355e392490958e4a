/** A customer's activity feed: events, their payloads, and both list endpoints. */
import type { Customer } from './customer-types.js';
import type { DateTimeString } from './types.js';

export type CampaignType = 'PROMOTION' | 'GIFT_VOUCHERS' | 'REFERRAL_PROGRAM' | 'DISCOUNT_COUPONS' | 'LOYALTY_PROGRAM';

/** Activity types this kit produces and reads; the API has many more, so any string is accepted. */
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
