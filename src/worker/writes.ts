/**
 * Every write the worker makes for one customer, as plain data (`CustomerWrite`), and the one function that performs
 * it (`performWrite`). Routes validate and authorize, then hand the write to `writeFor()`, which runs it inside that
 * customer's Durable Object (`customer-object.ts`) so writes for one customer happen one after the other: each reads
 * the state, compares and writes as one step, and two tabs, the preference center and one-click never undo each other.
 * Results and errors cross the Durable Object boundary as JSON, so both are plain data here too.
 */
import type { Customer, ConsentsUpdate, CustomerPermanentDeletion } from '../api/types.js';
import { isVoucherifyError } from '../api/errors.js';
import type { ConsentChannel, EdgeProfileUpdate } from '../api/edge-types.js';
import type { Setup } from './context.js';
import { changesOf, isObject, policyVersionOf } from './consent-state.js';
import { consentEndpoint, consentStoreFor } from './consent-store.js';
import type { ConsentDeps } from './consent-store.js';
import { applyConsents, confirmOptIn, undoUnsubscribe, unsubscribeAll } from './consent-updates.js';
import type { ConfirmOutcome, UnsubscribeOutcome } from './consent-updates.js';
import { consentIds, findCustomer, flattenDefinitions, loadDefinitions } from './consents.js';
import { forwardFailure, upstreamFailure } from './errors.js';
import { WireError } from '../api/wire-error.js';
import type { WireErrorInit } from '../api/wire-error.js';
import { Journal, LedgerUnavailable } from './journal.js';
import type { ConsentChange, ConsentText, JournalContext } from './journal.js';
import type { LedgerStore } from './ledger-stores.js';

type JournalChannel = JournalContext['channel'];

/** A back office request for one customer's path, buffered (JSON bodies are capped before this). */
export interface ForwardedWrite {
  method: string;
  pathAndQuery: string;
  headers: Array<[string, string]>;
  body: string | null;
}

export interface ForwardedAnswer {
  status: number;
  headers: Array<[string, string]>;
  body: string | null;
}

export type CustomerWrite =
  | {
      kind: 'consents';
      update: ConsentsUpdate;
      policyVersion: string | null;
      channel: Extract<ConsentChannel, 'panel' | 'preferences-link' | 'api'>;
    }
  | { kind: 'profile'; update: EdgeProfileUpdate }
  | { kind: 'erase'; channel: Extract<ConsentChannel, 'panel' | 'api'> }
  | { kind: 'unsubscribe'; jti: string; decidedAt?: string }
  | { kind: 'undo-unsubscribe'; jti: string }
  | { kind: 'confirm'; consents: ConsentsUpdate; jti: string }
  | { kind: 'forward'; request: ForwardedWrite; consents: boolean };

interface Results {
  consents: Customer;
  profile: Customer;
  erase: CustomerPermanentDeletion;
  unsubscribe: UnsubscribeOutcome;
  'undo-unsubscribe': null;
  confirm: ConfirmOutcome;
  forward: ForwardedAnswer;
}

export type WriteResult<K extends CustomerWrite['kind']> = Results[K];

export type WriteOutcome<T = unknown> = { ok: true; value: T } | { ok: false; error: WireErrorInit };

/** What a 404 from Voucherify means to the person, per write. */
const GONE: Record<CustomerWrite['kind'], string> = {
  consents: 'The customer of this session no longer exists.',
  profile: 'The customer of this session no longer exists.',
  erase: 'The customer of this session no longer exists.',
  unsubscribe: 'There is no subscription for this link.',
  'undo-unsubscribe': 'There is no subscription for this link.',
  confirm: 'There is nothing to confirm with this link.',
  forward: 'The customer does not exist.',
};

/** Sends `metadata` back whole, so an upstream that replaces metadata on update keeps the keys the customer cannot see. */
async function updateProfile(setup: Setup, customerId: string, update: EdgeProfileUpdate): Promise<Customer> {
  const api = setup.secrets.api;
  if (!update.metadata) return api.updateCustomer(customerId, { ...update });
  const current = await api.getCustomer(customerId);
  const existing = isObject(current.metadata) ? current.metadata : {};
  return api.updateCustomer(customerId, { ...update, metadata: { ...existing, ...update.metadata } });
}

/**
 * A back office write for one customer, passed through with Voucherify's keys. A consent update keeps only what
 * differs from the stored state (204 without calling upstream when nothing does); a body Voucherify would refuse is
 * passed on as it is, so its own error comes back.
 */
async function forward(
  deps: ConsentDeps,
  setup: Setup,
  customerId: string,
  request: ForwardedWrite,
  consents: boolean,
): Promise<ForwardedAnswer> {
  let body = request.body;
  let change: ConsentChange | null = null;
  if (consents && body !== null) {
    const update = consentMap(body);
    const customer = update ? await findCustomer(setup.secrets.api, customerId) : null;
    if (update && customer) {
      // Voucherify's own consent endpoint: compared with `system_metadata.consents`, whatever the worker's storage.
      const before = consentEndpoint.read(customer);
      const changes = changesOf(before, update);
      if (Object.keys(changes).length === 0) return { status: 204, headers: [], body: null };
      body = JSON.stringify(changes);
      const ids = consentIds(await loadDefinitions(deps));
      const date = new Date().toISOString();
      change = {
        customerId: customer.id,
        before,
        after: consentEndpoint.stateAfter(before, changes, ids, date),
        date,
        policyVersion: policyVersionOf(customer),
      };
    }
  }
  const send = async (): Promise<ForwardedAnswer> => {
    const result = await setup.secrets.forward({
      method: request.method,
      pathAndQuery: request.pathAndQuery,
      headers: new Headers(request.headers),
      body: body === null ? null : new TextEncoder().encode(body),
    });
    if (!result.ok) throw forwardFailure(result.kind);
    const response = result.response;
    const text = response.status === 204 ? null : await response.text();
    return { status: response.status, headers: [...response.headers], body: text };
  };
  if (!change || !deps.journal) return send();
  // Voucherify refused (4xx): nothing changed. A 5xx may or may not have been applied: the next write settles it.
  return deps.journal.around(change, send, (answer) =>
    answer.status < 300 ? 'applied' : answer.status < 500 ? 'refused' : 'unknown',
  );
}

/** `{id: boolean, …}` with at least one entry, else null (Voucherify answers anything else itself). */
function consentMap(text: string): ConsentsUpdate | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isObject(parsed) || Object.keys(parsed).length === 0) return null;
  return Object.values(parsed).every((value) => typeof value === 'boolean') ? (parsed as ConsentsUpdate) : null;
}

/** How each write reaches the customer, for the ledger. */
function channelOf(write: CustomerWrite): JournalChannel {
  switch (write.kind) {
    case 'consents':
    case 'erase':
      return () => write.channel;
    case 'unsubscribe':
    case 'undo-unsubscribe':
      return () => 'one-click';
    case 'confirm':
      // A confirmation from someone with no consent on record is their sign-up.
      return (change) => (Object.keys(change.before).length === 0 ? 'sign-up' : 'double-opt-in');
    case 'forward':
      return () => 'back-office';
    case 'profile':
      return () => 'api'; // a profile update changes no consent: never recorded
  }
}

async function consentTexts(deps: ConsentDeps): Promise<Map<string, ConsentText>> {
  const { consents } = flattenDefinitions(await loadDefinitions(deps));
  return new Map(consents.map((consent) => [consent.id, { name: consent.name, description: consent.description }]));
}

/** Voucherify refused the write (4xx other than a timeout): it surely changed nothing. */
const surelyRefused = (error: unknown): boolean =>
  isVoucherifyError(error) && error.status >= 400 && error.status < 500 && error.status !== 408;

async function run(
  setup: Setup,
  customerId: string,
  write: CustomerWrite,
  requestId: string,
  ledger: LedgerStore | null,
): Promise<unknown> {
  const deps: ConsentDeps = { api: setup.secrets.api, config: setup.config, store: consentStoreFor(setup.config) };
  const journal = ledger
    ? new Journal(ledger, {
        requestId,
        channel: channelOf(write),
        texts: () => consentTexts(deps),
        refused: surelyRefused,
      })
    : null;
  deps.journal = journal;
  switch (write.kind) {
    case 'consents':
      return applyConsents(deps, customerId, write.update, write.policyVersion);
    case 'profile':
      return updateProfile(setup, customerId, write.update);
    case 'erase': {
      const deletion = await setup.secrets.api.customerPermanentlyDeletion(customerId);
      await journal?.erase(new Date().toISOString(), write.channel);
      return deletion;
    }
    case 'unsubscribe':
      return unsubscribeAll(deps, customerId, write.jti, write.decidedAt);
    case 'undo-unsubscribe':
      return undoUnsubscribe(deps, customerId, write.jti).then(() => null);
    case 'confirm':
      return confirmOptIn(deps, customerId, write.consents, write.jti);
    case 'forward': {
      const answer = await forward(deps, setup, customerId, write.request, write.consents);
      if (journal && write.request.pathAndQuery.split('?')[0]!.endsWith('/permanent-deletion') && answer.status < 300) {
        await journal.erase(new Date().toISOString(), 'back-office');
      }
      return answer;
    }
  }
}

/** Performs one write and answers it as plain data: the value, or the error the route answers with. */
export async function performWrite(
  setup: Setup,
  customerId: string,
  write: CustomerWrite,
  requestId: string,
  ledger: LedgerStore | null,
): Promise<WriteOutcome> {
  try {
    return {
      ok: true,
      value: await run(setup, customerId, write, requestId, setup.config.consentLedger ? ledger : null),
    };
  } catch (error) {
    if (error instanceof LedgerUnavailable) {
      setup.log.error('consent ledger unavailable', {
        request_id: requestId,
        kind: write.kind,
        reason: String((error.cause as Error | undefined)?.name ?? 'unknown'),
      });
      return {
        ok: false,
        error: {
          status: 503,
          key: 'ledger_unavailable',
          message: 'Service Unavailable',
          details: 'The change could not be recorded as proof of consent, so it was not made. Try again.',
        },
      };
    }
    if (!(error instanceof WireError) && !isVoucherifyError(error)) {
      setup.log.error('write failed', {
        request_id: requestId,
        kind: write.kind,
        reason: error instanceof Error ? error.name : typeof error,
      });
      return {
        ok: false,
        error: {
          status: 500,
          key: 'internal_error',
          message: 'Internal Server Error',
          details: 'The worker failed to answer. Try again.',
        },
      };
    }
    const edge = upstreamFailure(error, { notFoundDetails: GONE[write.kind] });
    return {
      ok: false,
      error: {
        status: edge.status,
        key: edge.key,
        message: edge.message,
        headers: edge.headers,
        ...(edge.details === undefined ? {} : { details: edge.details }),
      },
    };
  }
}
