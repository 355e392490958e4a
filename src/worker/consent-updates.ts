/**
 * The consent changes the worker makes for one customer, whichever store keeps them: an update from the consent
 * panel or the preference center, one-click unsubscribe and its one undo per token (whose snapshot lives in the
 * worker's own metadata key `vc_unsubscribe`, never shown to the customer), and a double opt-in's confirmation.
 */
import type { ConsentsUpdate, Customer, CustomerConsentsState } from '../api/types.js';
import { CONFIRM_METADATA_KEY, POLICY_METADATA_KEY, UNSUBSCRIBE_METADATA_KEY } from './env.js';
import { WireError } from '../api/wire-error.js';
import type { ConsentChange } from './journal.js';
import {
  UNSUBSCRIBED,
  changesOf,
  givenIds,
  isEmpty,
  isObject,
  isUnsubscribed,
  metadataOf,
  nextState,
  policyVersionOf,
} from './consent-state.js';
import { writeMetadata } from './consent-store.js';
import type { ConsentDeps } from './consent-store.js';
import { consentIds, loadDefinitions } from './consents.js';

/** Undo snapshots kept per customer (most recent first); older ones can no longer be undone. */
const SNAPSHOTS_KEPT = 10;

/**
 * Applies a validated change, writing only what differs from the stored state (nothing at all when nothing does) and
 * the policy version only when it changed. Answers the customer as it is afterwards.
 */
export async function applyConsents(
  deps: ConsentDeps,
  customerId: string,
  update: ConsentsUpdate,
  policyVersion: string | null,
): Promise<Customer> {
  const [customer, definitions] = await Promise.all([deps.api.getCustomer(customerId), loadDefinitions(deps)]);
  const date = new Date().toISOString();
  const previous = deps.store.read(customer);
  const changes = changesOf(previous, update);
  const patch: Record<string, unknown> = {};
  if (policyVersion !== null && policyVersionOf(customer) !== policyVersion)
    patch[POLICY_METADATA_KEY] = { value: policyVersion, date };
  if (isEmpty(changes)) return isEmpty(patch) ? customer : writeMetadata(deps, customerId, customer, patch);
  const change: ConsentChange = {
    customerId: customer.id,
    before: previous,
    after: deps.store.stateAfter(previous, changes, consentIds(definitions), date),
    date,
    policyVersion: policyVersion ?? policyVersionOf(customer),
  };
  // An opt-out keeps what it took away, so an unsubscribe link used right after it can still give it back.
  const metadata = (after: CustomerConsentsState): Record<string, unknown> => {
    const optOut = changes[UNSUBSCRIBED] === true ? optOutEntry(previous, after, date) : null;
    if (!optOut) return patch;
    return {
      ...patch,
      [UNSUBSCRIBE_METADATA_KEY]: snapshotsValue({ ...readSnapshots(customer), [PREFERENCE_CENTER_OPT_OUT]: optOut }),
    };
  };
  return deps.store.write(deps, customerId, customer, { change, update: changes, metadata });
}

/** What an opt-out took away (null when it took nothing, or the customer was already opted out). */
function optOutEntry(before: CustomerConsentsState, after: CustomerConsentsState, date: string): UndoSnapshot | null {
  if (isUnsubscribed(before)) return null;
  const restore = givenIds(before);
  if (!restore.length) return null;
  return { at: date, restore, undone_at: null, opted_out_at: after[UNSUBSCRIBED]?.date ?? date };
}

// ---------------------------------------------------------------------------------------------------------------
// One-click unsubscribe and its undo

interface UndoSnapshot {
  at: string;
  /** Consents given right before this token's unsubscribe: what its undo gives back. */
  restore: string[];
  undone_at: string | null;
  /** The date of the opt-out this entry can undo (the `unsubscribed` decision's date), when known. */
  opted_out_at?: string;
}

/**
 * The snapshots entry for the last "opt out of everything" made in the preference center (`PUT /v1/me/consents`), so an
 * unsubscribe link used right after it can still give back what the customer had before.
 */
const PREFERENCE_CENTER_OPT_OUT = 'preference-center';

type UndoSnapshots = Record<string, UndoSnapshot>;

function readSnapshots(customer: Customer): UndoSnapshots {
  const raw = metadataOf(customer)[UNSUBSCRIBE_METADATA_KEY];
  const snapshots: UndoSnapshots = {};
  const tokens = isObject(raw) && isObject(raw.tokens) ? raw.tokens : {};
  for (const [jti, entry] of Object.entries(tokens)) {
    if (!isObject(entry) || typeof entry.at !== 'string' || !Array.isArray(entry.restore)) continue;
    snapshots[jti] = {
      at: entry.at,
      restore: entry.restore.filter((id): id is string => typeof id === 'string'),
      undone_at: typeof entry.undone_at === 'string' ? entry.undone_at : null,
      ...(typeof entry.opted_out_at === 'string' ? { opted_out_at: entry.opted_out_at } : {}),
    };
  }
  return snapshots;
}

function snapshotsValue(snapshots: UndoSnapshots): { tokens: UndoSnapshots } {
  const newest = Object.entries(snapshots)
    .sort(([, a], [, b]) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
    .slice(0, SNAPSHOTS_KEPT);
  return { tokens: Object.fromEntries(newest) };
}

function undoAvailable(entry: UndoSnapshot | undefined): boolean {
  return !!entry && entry.undone_at === null && entry.restore.length > 0;
}

export interface UnsubscribeOutcome {
  unsubscribed: boolean;
  undoAvailable: boolean;
  /** False when the customer was already opted out, so nothing was written. */
  changed: boolean;
}

/**
 * Opts the customer out of everything. Idempotent: an opted-out customer's consents are left untouched. The consents
 * given before are kept for this token's one undo (snapshot written before the opt-out, so an undo is always possible
 * once the opt-out happened). When the customer had just opted out in the preference center, that opt-out's snapshot
 * becomes this token's, so "undo" on the landing page still gives back what they had.
 */
export async function unsubscribeAll(
  deps: ConsentDeps,
  customerId: string,
  jti: string,
  decidedAt?: string,
): Promise<UnsubscribeOutcome> {
  const customer = await deps.api.getCustomer(customerId);
  const state = deps.store.read(customer);
  const snapshots = readSnapshots(customer);
  // A queued opt-out is applied later: the person's click stays the decision's date, in the store and the ledger.
  const date = decidedAt ?? new Date().toISOString();
  if (isUnsubscribed(state)) {
    // Opted out in the preference center just before this link was used: its undo gives back what they had then.
    const optOut = snapshots[PREFERENCE_CENTER_OPT_OUT];
    if (!snapshots[jti] && optOut && optOut.undone_at === null && optOut.opted_out_at === state[UNSUBSCRIBED]?.date) {
      snapshots[jti] = { ...optOut, at: date };
      await writeMetadata(deps, customerId, customer, { [UNSUBSCRIBE_METADATA_KEY]: snapshotsValue(snapshots) });
    }
    return { unsubscribed: true, undoAvailable: undoAvailable(snapshots[jti]), changed: false };
  }

  const restore = givenIds(state);
  const previous = snapshots[jti];
  // A token whose undo was used keeps that mark: one undo per token, however often it unsubscribes.
  if (!previous || previous.undone_at === null) snapshots[jti] = { at: date, restore, undone_at: null };
  const metadata = { [UNSUBSCRIBE_METADATA_KEY]: snapshotsValue(snapshots) };

  const update: ConsentsUpdate = { [UNSUBSCRIBED]: true };
  const after = deps.store.stateAfter(state, update, consentIds(await loadDefinitions(deps)), date);
  const change: ConsentChange = {
    customerId: customer.id,
    before: state,
    after,
    date,
    policyVersion: policyVersionOf(customer),
  };
  await deps.store.write(deps, customerId, customer, { change, update, metadata, metadataFirst: true });
  return { unsubscribed: true, undoAvailable: undoAvailable(snapshots[jti]), changed: true };
}

/** Gives back the consents this token's unsubscribe took away, once. 409 `undo_used` / `undo_unavailable` otherwise. */
export async function undoUnsubscribe(deps: ConsentDeps, customerId: string, jti: string): Promise<void> {
  const [customer, definitions] = await Promise.all([deps.api.getCustomer(customerId), loadDefinitions(deps)]);
  const snapshots = readSnapshots(customer);
  const entry = snapshots[jti];
  if (entry?.undone_at) {
    throw new WireError({
      status: 409,
      key: 'undo_used',
      message: 'Conflict',
      details: 'This link was already used to undo an unsubscribe.',
    });
  }
  const known = new Set(consentIds(definitions));
  const restore = (entry?.restore ?? []).filter((id) => known.has(id));
  if (!entry || restore.length === 0) {
    throw new WireError({
      status: 409,
      key: 'undo_unavailable',
      message: 'Conflict',
      details: 'There is no unsubscribe to undo with this link.',
    });
  }
  const date = new Date().toISOString();
  const state = deps.store.read(customer);
  const update = changesOf(state, Object.fromEntries(restore.map((id) => [id, true])));
  snapshots[jti] = { ...entry, undone_at: date };
  const metadata = { [UNSUBSCRIBE_METADATA_KEY]: snapshotsValue(snapshots) };
  const change: ConsentChange = {
    customerId: customer.id,
    before: state,
    after: nextState(state, update, known, date),
    date,
    policyVersion: policyVersionOf(customer),
  };
  await deps.store.write(deps, customerId, customer, { change, update, metadata });
}

// ---------------------------------------------------------------------------------------------------------------
// Double opt-in: consents asked for at sign-up, recorded only once the person confirms through the link mailed to them

export interface ConfirmOutcome {
  /** False when this link had already been used: nothing was written again. */
  confirmed: boolean;
  /** When the link was (first) used. */
  confirmedAt: string;
  customerId: string;
}

interface Confirmations {
  [jti: string]: { at: string; consents: string[] };
}

const CONFIRMATIONS_KEPT = 10;

function readConfirmations(customer: Customer): Confirmations {
  const raw = metadataOf(customer)[CONFIRM_METADATA_KEY];
  const confirmations: Confirmations = {};
  const entries = isObject(raw) && isObject(raw.confirmations) ? raw.confirmations : {};
  for (const [jti, entry] of Object.entries(entries)) {
    if (isObject(entry) && typeof entry.at === 'string') {
      confirmations[jti] = {
        at: entry.at,
        consents: Array.isArray(entry.consents)
          ? entry.consents.filter((id): id is string => typeof id === 'string')
          : [],
      };
    }
  }
  return confirmations;
}

/**
 * Records the choices of a double opt-in link, once per link (`jti`), for a customer the route found or created
 * (`source_id` = the email; created before the write so the customer's Durable Object keeps the ledger): writes only
 * what differs from the stored state, and keeps when the link was confirmed (the worker's own metadata key
 * `vc_double_opt_in`, never shown by `/v1/me`). A second use changes nothing.
 */
export async function confirmOptIn(
  deps: ConsentDeps,
  customerId: string,
  consents: ConsentsUpdate,
  jti: string,
): Promise<ConfirmOutcome> {
  const customer = await deps.api.getCustomer(customerId);
  const earlier = readConfirmations(customer)[jti];
  if (earlier) return { confirmed: false, confirmedAt: earlier.at, customerId: customer.id };
  // A consent removed since the sign-up is left out; the others are recorded.
  const known = new Set(consentIds(await loadDefinitions(deps)));
  const update = Object.fromEntries(
    Object.entries(consents).filter(([id]) => id !== UNSUBSCRIBED && known.has(id)),
  ) as ConsentsUpdate;
  const after = isEmpty(update) ? customer : await applyConsents(deps, customer.id, update, null);
  const at = new Date().toISOString();
  const confirmations = Object.entries({ ...readConfirmations(after), [jti]: { at, consents: Object.keys(update) } })
    .sort(([, a], [, b]) => (a.at < b.at ? 1 : -1))
    .slice(0, CONFIRMATIONS_KEPT);
  await writeMetadata(deps, customer.id, after, {
    [CONFIRM_METADATA_KEY]: { confirmations: Object.fromEntries(confirmations) },
  });
  return { confirmed: true, confirmedAt: at, customerId: customer.id };
}
