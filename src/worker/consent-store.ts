/**
 * Where consent decisions are stored, chosen once from the configuration (`CONSENT_STORAGE`):
 * - `consents` (default): Voucherify's consent endpoints, state read from `system_metadata.consents`;
 * - `metadata`: the customer's `metadata[CONSENT_METADATA_KEY] = {<cnst_id>|unsubscribed: {value, date}}`, written
 *   with the same semantics as the consent endpoint (`unsubscribed: true` revokes every consent; giving a consent
 *   clears the opt-out), for when the deprecated endpoints go away.
 * Routes and answers are the same either way. Either store writes the worker's own metadata keys (undo snapshots,
 * the policy version, confirmations) along with a change, and records the change in the ledger around the write.
 */
import type { ConsentsUpdate, Customer, CustomerConsentsState } from '../api/types.js';
import type { WorkerConfig } from './env.js';
import type { ConsentChange, Journal } from './journal.js';
import type { UpstreamApi } from './secrets.js';
import { cleanState, endpointState, isEmpty, isObject, metadataOf, newestOf, nextState } from './consent-state.js';

export interface ConsentDeps {
  api: UpstreamApi;
  config: WorkerConfig;
  /** Where this worker keeps consent decisions (`consentStoreFor(config)`). */
  store: ConsentStore;
  /** The consent ledger of this write's customer: records each consent change around its upstream write. */
  journal?: Journal | null;
}

/** One consent change to store, with the worker's own metadata keys that go with it. */
export interface StoredWrite {
  /** The change as the ledger records it (`after` is `stateAfter` of the stored state). */
  change: ConsentChange;
  /** What is sent to the consent endpoint. */
  update: ConsentsUpdate;
  /**
   * The worker's metadata keys written with the change; a function of the stored state after it when they depend on
   * it (an opt-out's date as the store recorded it).
   */
  metadata: Record<string, unknown> | ((after: CustomerConsentsState) => Record<string, unknown>);
  /**
   * Where the consents and the metadata are two requests: write the metadata first (an unsubscribe's undo snapshot
   * must exist before the opt-out it undoes). Otherwise the consents go first.
   */
  metadataFirst?: boolean;
}

export interface ConsentStore {
  /** This customer's decisions as stored. */
  read(customer: Customer): CustomerConsentsState;
  /** The state a write of `update` leaves. */
  stateAfter(
    state: CustomerConsentsState,
    update: ConsentsUpdate,
    definedIds: Iterable<string>,
    date: string,
  ): CustomerConsentsState;
  /** Writes a change and its metadata keys; answers the customer as Voucherify last answered it. */
  write(deps: ConsentDeps, customerId: string, customer: Customer, write: StoredWrite): Promise<Customer>;
}

/** Runs an upstream write that changes consents, with its ledger records when there is a ledger. */
function journaled<T>(deps: ConsentDeps, change: ConsentChange, write: () => Promise<T>): Promise<T> {
  return deps.journal ? deps.journal.around(change, write) : write();
}

/** Writes `metadata` keys without losing the others, whether the upstream merges or replaces metadata on update. */
export function writeMetadata(
  deps: ConsentDeps,
  customerId: string,
  customer: Customer,
  patch: Record<string, unknown>,
): Promise<Customer> {
  return deps.api.updateCustomer(customerId, { metadata: { ...metadataOf(customer), ...patch } });
}

/** `system_metadata.consents`: where the consent endpoint keeps decisions. */
function endpointDecisions(customer: Customer): CustomerConsentsState {
  const system = customer.system_metadata;
  return cleanState(isObject(system) ? system.consents : undefined);
}

/**
 * Both stores read both places, each preferring its own (see `newestOf`): decisions written in the other mode, before
 * a switch of `CONSENT_STORAGE`, are still the customer's; the next change writes them forward into this store.
 */
const metadataDecisions = (customer: Customer, key: string): CustomerConsentsState =>
  cleanState(metadataOf(customer)[key]);

/** Voucherify's consent endpoint: the consents and the worker's metadata keys are two requests. */
class EndpointConsentStore implements ConsentStore {
  readonly #metadataKey: string | null;

  /** `metadataKey`: where metadata mode keeps decisions, also read here; null reads the endpoint's state alone. */
  constructor(metadataKey: string | null) {
    this.#metadataKey = metadataKey;
  }

  read(customer: Customer): CustomerConsentsState {
    const own = endpointDecisions(customer);
    return this.#metadataKey === null ? own : newestOf(own, metadataDecisions(customer, this.#metadataKey));
  }

  stateAfter(
    state: CustomerConsentsState,
    update: ConsentsUpdate,
    definedIds: Iterable<string>,
    date: string,
  ): CustomerConsentsState {
    return endpointState(state, update, definedIds, date);
  }

  async write(
    deps: ConsentDeps,
    customerId: string,
    customer: Customer,
    { change, update, metadata, metadataFirst }: StoredWrite,
  ): Promise<Customer> {
    const writeConsents = async () => {
      if (!isEmpty(update)) await journaled(deps, change, () => deps.api.updateCustomersConsents(customerId, update));
    };
    if (typeof metadata !== 'function') {
      // Consents first unless told otherwise: an undo that fails between the two requests stays available.
      if (!metadataFirst) await writeConsents();
      const after = await writeMetadata(deps, customerId, customer, metadata);
      if (metadataFirst) await writeConsents();
      return after;
    }
    // The state as the endpoint recorded it (its dates) decides the metadata: read it back.
    await writeConsents();
    const after = await deps.api.getCustomer(customerId);
    const patch = metadata(this.read(after));
    return isEmpty(patch) ? after : writeMetadata(deps, customerId, after, patch);
  }
}

/** The customer's metadata: the consents and the worker's keys are one request. */
class MetadataConsentStore implements ConsentStore {
  readonly #key: string;

  constructor(key: string) {
    this.#key = key;
  }

  read(customer: Customer): CustomerConsentsState {
    return newestOf(metadataDecisions(customer, this.#key), endpointDecisions(customer));
  }

  stateAfter(
    state: CustomerConsentsState,
    update: ConsentsUpdate,
    definedIds: Iterable<string>,
    date: string,
  ): CustomerConsentsState {
    return nextState(state, update, definedIds, date);
  }

  write(
    deps: ConsentDeps,
    customerId: string,
    customer: Customer,
    { change, metadata }: StoredWrite,
  ): Promise<Customer> {
    const patch = {
      ...(typeof metadata === 'function' ? metadata(change.after) : metadata),
      [this.#key]: change.after,
    };
    return journaled(deps, change, () => writeMetadata(deps, customerId, customer, patch));
  }
}

/**
 * Voucherify's consent endpoint and its state alone, whatever the worker's storage: what a back office consent update
 * goes through and is compared with.
 */
export const consentEndpoint: ConsentStore = new EndpointConsentStore(null);

/** The store the configuration names. */
export function consentStoreFor(config: WorkerConfig): ConsentStore {
  return config.consentStorage === 'metadata'
    ? new MetadataConsentStore(config.consentMetadataKey)
    : new EndpointConsentStore(config.consentMetadataKey);
}
