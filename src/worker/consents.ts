/**
 * Consent state, whichever way it is stored:
 * - `consents` (default): Voucherify's consent endpoints, state read from `system_metadata.consents`;
 * - `metadata`: the customer's `metadata[CONSENT_METADATA_KEY] = {<cnst_id>|unsubscribed: {value, date}}`, written
 *   with the same semantics as the consent endpoint (`unsubscribed: true` revokes every consent; giving a consent
 *   clears the opt-out), for when the deprecated endpoints go away.
 * Routes and answers are the same either way. Also here: one-click unsubscribe and its one undo per token, whose
 * snapshot lives in the worker's own metadata key (`vc_unsubscribe`, never shown to the customer).
 */
import { isVoucherifyError } from '../api/errors.js';
import type { ConsentDecision, ConsentsList, ConsentsUpdate, Customer, CustomerConsentsState } from '../api/types.js';
import type { EdgeConsentDefinitions, EdgeConsents } from '../api/edge-types.js';
import type { WorkerConfig } from './env.js';
import { CONFIRM_METADATA_KEY, POLICY_METADATA_KEY, UNSUBSCRIBE_METADATA_KEY } from './env.js';
import { invalidPayload, invalidQuery, onlyQueryParams } from './errors.js';
import { WireError } from '../api/wire-error.js';
import type { ConsentChange, Journal } from './ledger.js';
import type { UpstreamApi } from './secrets.js';

export interface ConsentDeps {
  api: UpstreamApi;
  config: WorkerConfig;
  /** The consent ledger of this write's customer: records each consent change around its upstream write. */
  journal?: Journal | null;
}

/** Runs an upstream write that changes consents, with its ledger records when there is a ledger. */
function journaled<T>(deps: ConsentDeps, change: ConsentChange, write: () => Promise<T>): Promise<T> {
  return deps.journal ? deps.journal.around(change, write) : write();
}

const UNSUBSCRIBED = 'unsubscribed';
const DEFINITIONS_TTL_MS = 60_000;
/** Undo snapshots kept per customer (most recent first); older ones can no longer be undone. */
const SNAPSHOTS_KEPT = 10;

// ---------------------------------------------------------------------------------------------------------------
// Definitions

const definitionsMemo = new Map<string, { at: number; value: Promise<ConsentsList> }>();

/** Consent definitions, shared by every request of this isolate for a minute. */
export function loadDefinitions(deps: ConsentDeps): Promise<ConsentsList> {
  const key = deps.config.upstreamUrl;
  const memo = definitionsMemo.get(key);
  if (memo && Date.now() - memo.at < DEFINITIONS_TTL_MS) return memo.value;
  const value = deps.api.listConsents();
  definitionsMemo.set(key, { at: Date.now(), value });
  value.catch(() => {
    if (definitionsMemo.get(key)?.value === value) definitionsMemo.delete(key);
  });
  return value;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Voucherify's `ConsentsList`, re-built field by field (the public route answers exactly this shape). */
export function cleanConsentsList(list: ConsentsList): ConsentsList {
  const groups = Array.isArray(list?.groups?.data) ? list.groups.data.filter((group) => isObject(group) && typeof group.id === 'string') : [];
  const consents = Array.isArray(list?.consents?.data) ? list.consents.data.filter((consent) => isObject(consent) && typeof consent.id === 'string') : [];
  return {
    groups: {
      object: 'list',
      data_ref: 'data',
      total: groups.length,
      data: groups.map((group) => ({
        id: group.id,
        name: String(group.name ?? ''),
        description: String(group.description ?? ''),
        consents: Array.isArray(group.consents) ? group.consents.filter((id): id is string => typeof id === 'string') : [],
        created_at: String(group.created_at ?? ''),
        updated_at: typeof group.updated_at === 'string' ? group.updated_at : null,
        object: 'consent_group',
      })),
    },
    consents: {
      object: 'list',
      data_ref: 'data',
      total: consents.length,
      data: consents.map((consent) => ({
        id: consent.id,
        name: String(consent.name ?? ''),
        description: String(consent.description ?? ''),
        category: String(consent.category ?? ''),
        created_at: String(consent.created_at ?? ''),
        updated_at: typeof consent.updated_at === 'string' ? consent.updated_at : null,
        object: 'consent',
      })),
    },
  };
}

export function flattenDefinitions(list: ConsentsList): EdgeConsentDefinitions {
  const clean = cleanConsentsList(list);
  return {
    groups: clean.groups.data.map(({ id, name, description, consents }) => ({ id, name, description, consents })),
    consents: clean.consents.data.map(({ id, name, description, category }) => ({ id, name, description, category })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// State

function isDecision(value: unknown): value is ConsentDecision {
  return isObject(value) && typeof value.value === 'boolean' && typeof value.date === 'string';
}

function cleanState(raw: unknown): CustomerConsentsState {
  const state: CustomerConsentsState = {};
  if (!isObject(raw)) return state;
  for (const [key, decision] of Object.entries(raw)) {
    if (isDecision(decision)) state[key] = { date: decision.date, value: decision.value };
  }
  return state;
}

function metadataOf(customer: Customer): Record<string, unknown> {
  return isObject(customer.metadata) ? customer.metadata : {};
}

/** This customer's decisions as stored by the configured strategy. */
export function readState(customer: Customer, config: WorkerConfig): CustomerConsentsState {
  if (config.consentStorage === 'metadata') return cleanState(metadataOf(customer)[config.consentMetadataKey]);
  const system = customer.system_metadata;
  return cleanState(isObject(system) ? system.consents : undefined);
}

/** Opted out of everything, and no consent given since. */
export function isUnsubscribed(state: CustomerConsentsState): boolean {
  const optOut = state[UNSUBSCRIBED];
  if (!optOut?.value) return false;
  return !Object.entries(state).some(([key, decision]) => key !== UNSUBSCRIBED && decision.value && decision.date > optOut.date);
}

export function policyVersionOf(customer: Customer): string | null {
  const record = metadataOf(customer)[POLICY_METADATA_KEY];
  return isObject(record) && typeof record.value === 'string' ? record.value : null;
}

export function edgeConsents(definitions: ConsentsList, customer: Customer, config: WorkerConfig): EdgeConsents {
  const state = readState(customer, config);
  return {
    ...flattenDefinitions(definitions),
    state,
    unsubscribed: isUnsubscribed(state),
    policy_version: policyVersionOf(customer),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Changes

/**
 * Validates a `PUT /v1/me/consents` body: `{cnst_…: boolean}` for defined consents, `unsubscribed: false` (clears
 * the opt-out flag) among them, or `{unsubscribed: true}` alone. Unknown consent ids are refused by name.
 */
export function parseConsentsUpdate(body: Record<string, unknown>, definitions: ConsentsList, options: { allowEmpty?: boolean } = {}): ConsentsUpdate {
  const keys = Object.keys(body);
  if (keys.length === 0 && !options.allowEmpty) throw invalidPayload('The payload cannot be empty (send policy_version to record only the policy).');
  const known = new Set(flattenDefinitions(definitions).consents.map((consent) => consent.id));
  const notBoolean = keys.filter((key) => typeof body[key] !== 'boolean');
  if (notBoolean.length) throw invalidPayload(`Values must be true or false: ${notBoolean.join(', ')}.`);
  if (body[UNSUBSCRIBED] === true && keys.length > 1) {
    throw invalidPayload('unsubscribed: true opts out of everything and cannot be combined with other consents.');
  }
  const unknown = keys.filter((key) => key !== UNSUBSCRIBED && !known.has(key));
  if (unknown.length) throw invalidPayload(`Unknown consents: ${unknown.join(', ')}.`);
  return body as ConsentsUpdate;
}

const POLICY_VERSION = /^[A-Za-z0-9._:+-]{1,64}$/;

export function parsePolicyVersion(query: URLSearchParams): string | null {
  onlyQueryParams(query, ['policy_version']);
  const values = query.getAll('policy_version');
  if (values.length === 0) return null;
  if (values.length > 1 || !POLICY_VERSION.test(values[0]!)) {
    throw invalidQuery('policy_version must be given once, 1-64 characters of letters, digits and . _ : + -');
  }
  return values[0]!;
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

const isEmpty = (update: object): boolean => Object.keys(update).length === 0;

/**
 * The metadata-strategy equivalent of Voucherify's consent update, with the emulator's semantics:
 * `unsubscribed: true` revokes every given consent and sets the flag; giving any consent clears the flag;
 * `unsubscribed: false` only clears the flag. Only values that change are written (with `date`).
 */
export function nextState(state: CustomerConsentsState, update: ConsentsUpdate, definedIds: Iterable<string>, date: string): CustomerConsentsState {
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
  for (const [id, value] of Object.entries(written)) if ((state[id]?.value ?? false) !== value) next[id] = { date, value };
  return next;
}

/**
 * The state Voucherify's consent endpoint leaves after `update`: as `nextState`, except that `unsubscribed: true`
 * also records every consent never decided as declined (the endpoint writes all of them; the metadata strategy only
 * the ones it turns off). What the ledger records for a write through the endpoint.
 */
export function endpointState(state: CustomerConsentsState, update: ConsentsUpdate, definedIds: Iterable<string>, date: string): CustomerConsentsState {
  const next = nextState(state, update, definedIds, date);
  if (update[UNSUBSCRIBED] !== true) return next;
  for (const id of definedIds) if (!state[id]) next[id] = { date, value: false };
  return next;
}

/** The state a write of `update` leaves with the configured storage (the endpoint, or the metadata strategy). */
function storedState(config: WorkerConfig, state: CustomerConsentsState, update: ConsentsUpdate, definedIds: Iterable<string>, date: string): CustomerConsentsState {
  return config.consentStorage === 'metadata' ? nextState(state, update, definedIds, date) : endpointState(state, update, definedIds, date);
}

/** The customer by id or source id, or null when Voucherify has none (404); any other failure is thrown. */
export function findCustomer(api: UpstreamApi, idOrSourceId: string): Promise<Customer | null> {
  return api.getCustomer(idOrSourceId).catch((error: unknown) => {
    if (isVoucherifyError(error) && error.status === 404) return null;
    throw error;
  });
}

/** Writes `metadata` keys without losing the others, whether the upstream merges or replaces metadata on update. */
function writeMetadata(deps: ConsentDeps, customerId: string, customer: Customer, patch: Record<string, unknown>): Promise<Customer> {
  return deps.api.updateCustomer(customerId, { metadata: { ...metadataOf(customer), ...patch } });
}

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
  const previous = readState(customer, deps.config);
  const changes = changesOf(previous, update);
  const patch: Record<string, unknown> = {};
  if (policyVersion !== null && policyVersionOf(customer) !== policyVersion) patch[POLICY_METADATA_KEY] = { value: policyVersion, date };
  const keepOptOut = (after: CustomerConsentsState) => {
    const optOut = changes[UNSUBSCRIBED] === true ? optOutEntry(previous, after, date) : null;
    if (optOut) patch[UNSUBSCRIBE_METADATA_KEY] = snapshotsValue({ ...readSnapshots(customer), [PREFERENCE_CENTER_OPT_OUT]: optOut });
  };
  let after = customer;
  const ids = flattenDefinitions(definitions).consents.map((consent) => consent.id);
  const change: ConsentChange = {
    customerId: customer.id,
    before: previous,
    after: storedState(deps.config, previous, changes, ids, date),
    date,
    policyVersion: policyVersion ?? policyVersionOf(customer),
  };
  if (deps.config.consentStorage === 'metadata') {
    if (!isEmpty(changes)) {
      patch[deps.config.consentMetadataKey] = change.after;
      keepOptOut(change.after);
      return journaled(deps, change, () => writeMetadata(deps, customerId, after, patch));
    }
  } else if (!isEmpty(changes)) {
    await journaled(deps, change, () => deps.api.updateCustomersConsents(customerId, changes));
    after = await deps.api.getCustomer(customerId);
    keepOptOut(readState(after, deps.config));
  }
  return isEmpty(patch) ? after : writeMetadata(deps, customerId, after, patch);
}

/** What an opt-out took away (null when it took nothing, or the customer was already opted out). */
function optOutEntry(before: CustomerConsentsState, after: CustomerConsentsState, date: string): UndoSnapshot | null {
  if (isUnsubscribed(before)) return null;
  const restore = givenIds(before);
  if (!restore.length) return null;
  return { at: date, restore, undone_at: null, opted_out_at: after[UNSUBSCRIBED]?.date ?? date };
}

function givenIds(state: CustomerConsentsState): string[] {
  return Object.entries(state)
    .filter(([id, decision]) => id !== UNSUBSCRIBED && decision.value)
    .map(([id]) => id);
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
export async function unsubscribeAll(deps: ConsentDeps, customerId: string, jti: string): Promise<UnsubscribeOutcome> {
  const customer = await deps.api.getCustomer(customerId);
  const state = readState(customer, deps.config);
  const snapshots = readSnapshots(customer);
  const date = new Date().toISOString();
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
  const patch: Record<string, unknown> = { [UNSUBSCRIBE_METADATA_KEY]: snapshotsValue(snapshots) };

  const ids = flattenDefinitions(await loadDefinitions(deps)).consents.map((consent) => consent.id);
  const after = storedState(deps.config, state, { [UNSUBSCRIBED]: true }, ids, date);
  const change: ConsentChange = { customerId: customer.id, before: state, after, date, policyVersion: policyVersionOf(customer) };
  if (deps.config.consentStorage === 'metadata') {
    patch[deps.config.consentMetadataKey] = after;
    await journaled(deps, change, () => writeMetadata(deps, customerId, customer, patch));
  } else {
    await writeMetadata(deps, customerId, customer, patch);
    await journaled(deps, change, () => deps.api.updateCustomersConsents(customerId, { [UNSUBSCRIBED]: true }));
  }
  return { unsubscribed: true, undoAvailable: undoAvailable(snapshots[jti]), changed: true };
}

/** Gives back the consents this token's unsubscribe took away, once. 409 `undo_used` / `undo_unavailable` otherwise. */
export async function undoUnsubscribe(deps: ConsentDeps, customerId: string, jti: string): Promise<void> {
  const [customer, definitions] = await Promise.all([deps.api.getCustomer(customerId), loadDefinitions(deps)]);
  const snapshots = readSnapshots(customer);
  const entry = snapshots[jti];
  if (entry?.undone_at) {
    throw new WireError({ status: 409, key: 'undo_used', message: 'Conflict', details: 'This link was already used to undo an unsubscribe.' });
  }
  const known = new Set(flattenDefinitions(definitions).consents.map((consent) => consent.id));
  const restore = (entry?.restore ?? []).filter((id) => known.has(id));
  if (!entry || restore.length === 0) {
    throw new WireError({ status: 409, key: 'undo_unavailable', message: 'Conflict', details: 'There is no unsubscribe to undo with this link.' });
  }
  const date = new Date().toISOString();
  const state = readState(customer, deps.config);
  const update = changesOf(state, Object.fromEntries(restore.map((id) => [id, true])));
  snapshots[jti] = { ...entry, undone_at: date };
  const patch: Record<string, unknown> = { [UNSUBSCRIBE_METADATA_KEY]: snapshotsValue(snapshots) };
  const change: ConsentChange = { customerId: customer.id, before: state, after: nextState(state, update, known, date), date, policyVersion: policyVersionOf(customer) };
  if (deps.config.consentStorage === 'metadata') {
    patch[deps.config.consentMetadataKey] = change.after;
    await journaled(deps, change, () => writeMetadata(deps, customerId, customer, patch));
  } else {
    // Restore first, then mark: a failure in between leaves the undo available, and restoring twice is harmless.
    if (!isEmpty(update)) await journaled(deps, change, () => deps.api.updateCustomersConsents(customerId, update));
    await writeMetadata(deps, customerId, customer, patch);
  }
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
      confirmations[jti] = { at: entry.at, consents: Array.isArray(entry.consents) ? entry.consents.filter((id): id is string => typeof id === 'string') : [] };
    }
  }
  return confirmations;
}

/**
 * Records the choices of a double opt-in link, once per link (`jti`), for a customer the route found or created
 * (`source_id` = the email; created before the write so the customer's Durable Object keeps the ledger): writes only what differs from the stored state, and keeps when the link was confirmed (the
 * worker's own metadata key `vc_double_opt_in`, never shown by `/v1/me`). A second use changes nothing.
 */
export async function confirmOptIn(deps: ConsentDeps, customerId: string, consents: ConsentsUpdate, jti: string): Promise<ConfirmOutcome> {
  const customer = await deps.api.getCustomer(customerId);
  const earlier = readConfirmations(customer)[jti];
  if (earlier) return { confirmed: false, confirmedAt: earlier.at, customerId: customer.id };
  // A consent removed since the sign-up is left out; the others are recorded.
  const known = new Set(flattenDefinitions(await loadDefinitions(deps)).consents.map((consent) => consent.id));
  const update = Object.fromEntries(Object.entries(consents).filter(([id]) => id !== UNSUBSCRIBED && known.has(id))) as ConsentsUpdate;
  const after = isEmpty(update) ? customer : await applyConsents(deps, customer.id, update, null);
  const at = new Date().toISOString();
  const confirmations = Object.entries({ ...readConfirmations(after), [jti]: { at, consents: Object.keys(update) } })
    .sort(([, a], [, b]) => (a.at < b.at ? 1 : -1))
    .slice(0, CONFIRMATIONS_KEPT);
  await writeMetadata(deps, customer.id, after, { [CONFIRM_METADATA_KEY]: { confirmations: Object.fromEntries(confirmations) } });
  return { confirmed: true, confirmedAt: at, customerId: customer.id };
}
