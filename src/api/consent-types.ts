/** Consents: the definitions, a customer's stored decisions and the update body. */
import type { DateTimeString } from './types.js';

/** One stored consent decision. `value: true` = given, `false` = refused or revoked. */
export interface ConsentDecision {
  date: DateTimeString;
  value: boolean;
}

/** `system_metadata.consents`: keyed by `cnst_…` id or `unsubscribed`. */
export type CustomerConsentsState = Record<string, ConsentDecision>;

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
