/**
 * The edge worker's customer-facing contract: what `/v1/me…` and `/unsubscribe/…` accept and answer.
 * The worker produces these shapes; the components and the edge client consume them. Nothing here carries
 * Voucherify internals (loyalty campaigns, system metadata, summaries): the worker projects them away.
 */
import type { Address, ConsentDecision, ConsentsUpdate, DateString, DateTimeString } from './types.js';

/** Scopes a session token may carry (space-separated in its `scope` claim). */
export const SCOPES = {
  profileRead: 'profile:read',
  profileWrite: 'profile:write',
  profileDelete: 'profile:delete',
  consentsRead: 'consents:read',
  consentsWrite: 'consents:write',
} as const;
export type Scope = (typeof SCOPES)[keyof typeof SCOPES];

/** `GET /v1/me` and `PUT /v1/me`: what a profile card needs, nothing more. */
export interface EdgeProfile {
  id: string;
  source_id: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  birthdate: DateString | null;
  address: Address | null;
  /** Only the metadata keys the shop allows customers to see and edit. */
  metadata: Record<string, unknown>;
  /** Present when the customer holds loyalty points. */
  loyalty: { points: number } | null;
  created_at: DateTimeString | null;
  updated_at: DateTimeString | null;
}

/** `PUT /v1/me` body: allow-listed fields only; anything else is refused with 400. */
export interface EdgeProfileUpdate {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  birthdate?: DateString | null;
  address?: Address | null;
  metadata?: Record<string, unknown>;
}

/** One activity as the customer may see it. */
export interface EdgeActivity {
  id: string;
  /** Voucherify event type, e.g. `customer.updated`, `customer.consents.given`. */
  type: string;
  created_at: DateTimeString;
  /** For `customer.segment.entered|left`. */
  segment?: { id: string; name: string };
  /** For `customer.consents.given|revoked`. */
  consents?: Array<{ id: string; name: string }>;
}

/** `GET /v1/me/activities` (query: the seed's `limit`, `order`, `starting_after`, `starting_after_id`, …). */
export interface EdgeActivityList {
  object: 'list';
  data: EdgeActivity[];
  has_more: boolean;
  /** Pass back as `starting_after_id` for the next page; absent on the last page. */
  more_starting_after?: string;
}

/** `GET /v1/me/segments`. */
export interface EdgeSegmentList {
  object: 'list';
  data: Array<{ id: string; name: string }>;
  total: number;
}

export interface EdgeConsentGroup {
  id: string;
  name: string;
  description: string;
  consents: string[];
}

export interface EdgeConsentDefinition {
  id: string;
  name: string;
  description: string;
  category: string;
}

/**
 * Consent definitions flattened for display. (The public `GET /v1/consents` answers Voucherify's own `ConsentsList`
 * shape, so any SDK's `listConsents` works against the worker; `/v1/me/consents` answers these flat lists.)
 */
export interface EdgeConsentDefinitions {
  groups: EdgeConsentGroup[];
  consents: EdgeConsentDefinition[];
}

/** `GET /v1/me/consents` and the answer of `PUT /v1/me/consents`. */
export interface EdgeConsents extends EdgeConsentDefinitions {
  /** Keyed by consent id and `unsubscribed`; absent keys were never decided. */
  state: Record<string, ConsentDecision>;
  /** True when the customer opted out of everything and has not given a consent since. */
  unsubscribed: boolean;
  /**
   * The policy version the customer last saved their choices under (`PUT /v1/me/consents?policy_version=…`), so a
   * page with a newer policy can ask them to review. Null when never recorded.
   */
  policy_version?: string | null;
}

/**
 * `PUT /v1/me/consents` body, as Voucherify's: `{cnst_…: boolean}` or `{unsubscribed: true}`. An optional
 * `?policy_version=` query parameter records the policy version the choices were made under.
 */
export type EdgeConsentsUpdate = ConsentsUpdate;

/** `POST /v1/me/permanent-deletion`. */
export interface EdgePermanentDeletion {
  id: string;
  status: string;
  created_at: DateTimeString;
}

/** JSON answer of `POST /confirm/<token>` (double opt-in, with `Accept: application/json`). */
export interface EdgeConfirmResult {
  confirmed: true;
  /** True when the link had already been used: nothing was written again. */
  already_confirmed: boolean;
  /** When the choices were confirmed. */
  confirmed_at: DateTimeString;
}

/** JSON answer of `POST /unsubscribe/<token>` (with `Accept: application/json`) and of the undo route. */
export interface EdgeUnsubscribeResult {
  unsubscribed: boolean;
  /** True while the one undo this token allows has not been used. */
  undo_available: boolean;
  /** Where the customer can manage every preference, when the shop configured it. */
  preferences_url: string | null;
  /** True while the opt-out is kept by the worker and not yet applied upstream (Voucherify was busy or down). */
  pending?: boolean;
}

/**
 * How a consent change reached the worker: the signed-in panel (`panel`), the email's preferences page
 * (`preferences-link`), a one-click unsubscribe link or its undo (`one-click`), the double opt-in link of a new customer
 * (`sign-up`) or of an existing one (`double-opt-in`), the back office passthrough (`back-office`), or a session-token
 * call made without a browser page (`api`).
 */
export type ConsentChannel =
  'panel' | 'preferences-link' | 'one-click' | 'sign-up' | 'double-opt-in' | 'back-office' | 'api';

/** One consent change as the customer sees it in their history (`GET /v1/me/consents/history`). */
export interface EdgeConsentRecord {
  /** `crec_…`, unique within the customer's ledger. */
  id: string;
  /** A consent id, or `unsubscribed` for the opt-out of everything. */
  consent_id: string;
  /** The consent's name as shown when the change was made. */
  consent_name: string;
  /** Null when the consent had never been decided. */
  old_value: boolean | null;
  new_value: boolean;
  /** When the worker made the change (ISO 8601). */
  at: string;
  channel: ConsentChannel;
  /** The consent policy version in effect for the customer. */
  policy_version: string | null;
}

/** A customer's consent history, oldest first: the newest `limit` records, `has_more` when older ones exist. */
export interface EdgeConsentHistory {
  object: 'list';
  data: EdgeConsentRecord[];
  has_more: boolean;
}
