/**
 * Consent decisions as plain data: what a customer's stored state says, and what a change does to it. No I/O here;
 * where the state is stored is the `ConsentStore`'s business.
 */
import type { ConsentDecision, ConsentsUpdate, Customer, CustomerConsentsState } from '../api/types.js';
import { POLICY_METADATA_KEY } from './env.js';

/** The decision that opts out of everything. */
export const UNSUBSCRIBED = 'unsubscribed';

export function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function isDecision(value: unknown): value is ConsentDecision {
  return isObject(value) && typeof value.value === 'boolean' && typeof value.date === 'string';
}

/** The decisions of a stored state, re-built entry by entry (anything else is dropped). */
export function cleanState(raw: unknown): CustomerConsentsState {
  const state: CustomerConsentsState = {};
  if (!isObject(raw)) return state;
  for (const [key, decision] of Object.entries(raw)) {
    if (isDecision(decision)) state[key] = { date: decision.date, value: decision.value };
  }
  return state;
}

/**
 * Two stored states as one: per consent, the decision made last wins (`primary`'s on a tie or an unreadable date).
 * Decisions can sit in both places after `CONSENT_STORAGE` changes, or after a back-office update through the consent
 * endpoint in metadata mode; reading both means a switch of mode loses nothing.
 */
export function newestOf(primary: CustomerConsentsState, secondary: CustomerConsentsState): CustomerConsentsState {
  const merged: CustomerConsentsState = { ...primary };
  for (const [id, decision] of Object.entries(secondary)) {
    const mine = merged[id];
    if (!mine || Date.parse(decision.date) > Date.parse(mine.date)) merged[id] = decision;
  }
  return merged;
}

/** The customer's metadata (an empty object when there is none). */
export function metadataOf(customer: Customer): Record<string, unknown> {
  return isObject(customer.metadata) ? customer.metadata : {};
}

/** Opted out of everything, and no consent given since. */
export function isUnsubscribed(state: CustomerConsentsState): boolean {
  const optOut = state[UNSUBSCRIBED];
  if (!optOut?.value) return false;
  return !Object.entries(state).some(
    ([key, decision]) => key !== UNSUBSCRIBED && decision.value && decision.date > optOut.date,
  );
}

export function policyVersionOf(customer: Customer): string | null {
  const record = metadataOf(customer)[POLICY_METADATA_KEY];
  return isObject(record) && typeof record.value === 'string' ? record.value : null;
}

/**
 * What of `update` would change the stored state; the rest is dropped, so an equal value is never rewritten (its
 * `date` stays) and an old client sending every consent cannot rewrite history. A consent never decided counts as not
 * given: declining it changes nothing. `unsubscribed: true` is a change only for a customer not yet opted out.
 */
export function changesOf(state: CustomerConsentsState, update: ConsentsUpdate): ConsentsUpdate {
  if (update[UNSUBSCRIBED] === true) return isUnsubscribed(state) ? {} : { [UNSUBSCRIBED]: true };
  const changes: Record<string, boolean> = {};
  for (const [id, value] of Object.entries(update)) if ((state[id]?.value ?? false) !== value) changes[id] = value;
  return changes as ConsentsUpdate;
}

export const isEmpty = (update: object): boolean => Object.keys(update).length === 0;

/**
 * The metadata-strategy equivalent of Voucherify's consent update, with the emulator's semantics:
 * `unsubscribed: true` revokes every given consent and sets the flag; giving any consent clears the flag;
 * `unsubscribed: false` only clears the flag. Only values that change are written (with `date`).
 */
export function nextState(
  state: CustomerConsentsState,
  update: ConsentsUpdate,
  definedIds: Iterable<string>,
  date: string,
): CustomerConsentsState {
  const next: CustomerConsentsState = { ...state };
  const written: Record<string, boolean> = {};
  if (update[UNSUBSCRIBED] === true) {
    written[UNSUBSCRIBED] = true;
    for (const id of definedIds) written[id] = false;
  } else {
    Object.assign(written, update);
    const givesAny = Object.entries(update).some(([id, value]) => id !== UNSUBSCRIBED && value);
    if (givesAny && state[UNSUBSCRIBED]?.value === true) written[UNSUBSCRIBED] = false;
  }
  for (const [id, value] of Object.entries(written))
    if ((state[id]?.value ?? false) !== value) next[id] = { date, value };
  return next;
}

/**
 * The state Voucherify's consent endpoint leaves after `update`: as `nextState`, except that `unsubscribed: true`
 * also records every consent never decided as declined (the endpoint writes all of them; the metadata strategy only
 * the ones it turns off). What the ledger records for a write through the endpoint.
 */
export function endpointState(
  state: CustomerConsentsState,
  update: ConsentsUpdate,
  definedIds: Iterable<string>,
  date: string,
): CustomerConsentsState {
  const next = nextState(state, update, definedIds, date);
  if (update[UNSUBSCRIBED] !== true) return next;
  for (const id of definedIds) if (!state[id]) next[id] = { date, value: false };
  return next;
}

/** The consents given in a state (the opt-out aside). */
export function givenIds(state: CustomerConsentsState): string[] {
  return Object.entries(state)
    .filter(([id, decision]) => id !== UNSUBSCRIBED && decision.value)
    .map(([id]) => id);
}
