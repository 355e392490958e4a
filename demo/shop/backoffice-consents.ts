/**
 * The back office's customer list and customer detail, with each customer's consent decisions, and the consent
 * filters Voucherify's list API does not have ("given since", "withdrawn", "never asked").
 *
 * How the consent filters page: the shop server walks the customers that match the list API's own filters (email,
 * name, city, segment), newest first, with the kit's `iterateCustomers`, and keeps those whose decisions match. The
 * first page walks to the end to count every match, so "26–50 of N" names the filtered total; later pages start at
 * the page cursor and stop once the page is full. A walk stops after `MAX_SCANNED` customers: the answer then says so
 * (`scan.complete: false`) and the total counts the matches among the customers searched.
 */
import { Hono } from 'hono';
import {
  iterateCustomers,
  type CustomersServerApi,
  type Customer,
  type CustomerConsentsState,
  type IterateCustomersParams,
  type ListCustomersParams,
} from 'vc-consent/api';

export const LIST_FILTERS = [
  'limit',
  'page',
  'email',
  'city',
  'name',
  'segment_id',
  'order',
  'starting_after',
  'created_at[after]',
  'created_at[before]',
] as const;

/** The most customers one filtered list request reads upstream (`VC_DEMO_CONSENT_SCAN_LIMIT` lowers it for tests). */
export const MAX_SCANNED = Number(process.env.VC_DEMO_CONSENT_SCAN_LIMIT) || 5000;
/** Where the worker keeps decisions with `CONSENT_STORAGE=metadata` (its default `CONSENT_METADATA_KEY`). */
const METADATA_KEY = 'vc_consents';
const UNSUBSCRIBED = 'unsubscribed';

export type ConsentState = 'given' | 'withdrawn' | 'never-asked';
const STATES: readonly ConsentState[] = ['given', 'withdrawn', 'never-asked'];

export interface ConsentFilter {
  /** A consent id, or `any`: some consent (given, withdrawn) or none at all (never asked). */
  consent: string;
  state: ConsentState;
  /** Decided at or after this time (given and withdrawn only). */
  sinceMs?: number;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The decisions as the worker stores them: `system_metadata.consents` with Voucherify's consent endpoint (the
 * default), `metadata.vc_consents` when the worker keeps them in metadata. Only the worker's metadata storage writes
 * that key, so it wins when present.
 */
export function consentStateOf(customer: Customer): CustomerConsentsState {
  const stored = isObject(customer.metadata) ? customer.metadata[METADATA_KEY] : undefined;
  const system = isObject(customer.system_metadata) ? customer.system_metadata.consents : undefined;
  const source = isObject(stored) ? stored : isObject(system) ? system : {};
  const state: CustomerConsentsState = {};
  for (const [id, decision] of Object.entries(source)) {
    if (isObject(decision) && typeof decision.value === 'boolean' && typeof decision.date === 'string') {
      state[id] = { value: decision.value, date: decision.date };
    }
  }
  return state;
}

/** One consent's decision: its own entry, or the opt-out of everything, or none (never asked). */
export function decisionOf(state: CustomerConsentsState, consentId: string) {
  const own = state[consentId];
  if (own) return own;
  const optOut = state[UNSUBSCRIBED];
  return optOut?.value ? { value: false, date: optOut.date } : undefined;
}

export function matchesFilter(state: CustomerConsentsState, filter: ConsentFilter, definedIds: string[]): boolean {
  const ids = filter.consent === 'any' ? definedIds : [filter.consent];
  const decisions = ids.map((id) => decisionOf(state, id));
  if (filter.state === 'never-asked') return decisions.every((decision) => !decision);
  const wanted = filter.state === 'given';
  return decisions.some(
    (decision) =>
      decision?.value === wanted && (filter.sinceMs === undefined || Date.parse(decision.date) >= filter.sinceMs),
  );
}

/** The filter of a list query that has `consent_state`, or a message saying what is wrong with it. */
export function readConsentFilter(query: URLSearchParams, definedIds: string[]): ConsentFilter | string {
  const state = query.get('consent_state');
  if (!STATES.includes(state as ConsentState)) return `consent_state must be one of ${STATES.join(', ')}.`;
  const consent = query.get('consent') || 'any';
  if (consent !== 'any' && !definedIds.includes(consent)) return `${consent}: no such consent.`;
  const since = query.get('consent_since');
  if (!since || state === 'never-asked') return { consent, state: state as ConsentState };
  const sinceMs = /^\d{4}-\d{2}-\d{2}$/.test(since) ? Date.parse(`${since}T00:00:00.000Z`) : NaN;
  if (Number.isNaN(sinceMs)) return 'consent_since must be a date (YYYY-MM-DD).';
  return { consent, state: state as ConsentState, sinceMs };
}

type ListCustomers = CustomersServerApi['listCustomers'];

export interface ScanOptions {
  limit: number;
  /** The page cursor: the `created_at` of the last customer of the page before. */
  startingAfter?: string;
  bound?: number;
  signal?: AbortSignal;
}

/** One page of matching customers, newest first, with the matches counted (see the module's comment). */
export async function scanCustomers(
  list: ListCustomers,
  filters: IterateCustomersParams,
  matches: (customer: Customer) => boolean,
  { limit, startingAfter, bound = MAX_SCANNED, signal }: ScanOptions,
) {
  const params: IterateCustomersParams = { ...filters, limit: 100 };
  if (startingAfter) params['created_at[before]'] = startingAfter;
  const found: Customer[] = [];
  let scanned = 0;
  let complete = true;
  for await (const customer of iterateCustomers(list, params, { signal })) {
    if (scanned === bound || (startingAfter && found.length === limit)) {
      complete = false;
      break;
    }
    scanned += 1;
    if (matches(customer)) found.push(customer);
  }
  return {
    object: 'list' as const,
    data_ref: 'customers' as const,
    customers: found.slice(0, limit),
    total: found.length,
    has_more: found.length > limit || !complete,
    scan: { scanned, complete },
  };
}

const withConsentState = (customer: Customer) => ({ ...customer, consent_state: consentStateOf(customer) });

/** `GET /consents`, `GET /customers` (with the consent filters) and `GET /customers/:id` of the back office. */
export function customerRoutes(api: CustomersServerApi): Hono {
  const app = new Hono();
  app.get('/consents', async (c) => c.json(await api.listConsents({ signal: c.req.raw.signal })));

  app.get('/customers', async (c) => {
    const query = new URL(c.req.url).searchParams;
    const params: Record<string, string> = {};
    for (const name of LIST_FILTERS) {
      const value = query.get(name);
      if (value) params[name] = value;
    }
    const signal = c.req.raw.signal;
    if (!query.get('consent_state')) {
      const list = await api.listCustomers(params as ListCustomersParams, { signal });
      return c.json({ ...list, customers: list.customers.map(withConsentState) });
    }
    const definedIds = (await api.listConsents({ signal })).consents.data.map((consent) => consent.id);
    const filter = readConsentFilter(query, definedIds);
    if (typeof filter === 'string') return c.json({ code: 400, key: 'invalid_payload', message: filter }, 400);
    // The walk pages by itself, newest first: the list's own paging and order do not apply.
    const { limit, page: _page, order: _order, starting_after, ...filters } = params;
    const list = await scanCustomers(
      api.listCustomers.bind(api),
      filters,
      (customer) => matchesFilter(consentStateOf(customer), filter, definedIds),
      { limit: Math.min(Math.max(Number(limit) || 10, 1), 100), startingAfter: starting_after, signal },
    );
    return c.json({ ...list, customers: list.customers.map(withConsentState) });
  });

  // One customer's detail: the profile with its decisions, and its segments.
  app.get('/customers/:id', async (c) => {
    const id = c.req.param('id');
    const signal = c.req.raw.signal;
    const [customer, segments] = await Promise.all([
      api.getCustomer(id, { signal }),
      api.listCustomerSegments(id, { signal }).then(
        (list) => list.data,
        () => null,
      ),
    ]);
    return c.json({ customer: withConsentState(customer), segments });
  });

  return app;
}
