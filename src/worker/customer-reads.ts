/**
 * The reads the customer routes make for one customer, as plain data (`CustomerRead`), and the one function that
 * performs them through that customer's cache (`performRead`), inside their Durable Object like the writes. Answers
 * and errors cross the object's boundary as JSON, so both are plain data here too.
 */
import type { ListCustomerActivitiesParams } from '../api/activity-types.js';
import type { Customer, CustomerActivitiesList, CustomerSegmentsList } from '../api/types.js';
import type { WireError, WireErrorInit } from '../api/wire-error.js';
import type { Setup } from './context.js';
import { CACHE_KEYS } from './customer-cache.js';
import type { Cached, CustomerCache, Freshness } from './customer-cache.js';
import { upstreamFailure } from './errors.js';
import type { UpstreamApi } from './secrets.js';
import { budgetReserved, upstreamBudget } from './upstream-budget.js';

/** What a 404 from Voucherify means on a customer route. */
export const SESSION_GONE = 'The customer of this session no longer exists.';

/** A read for one customer. Activities: a first page only (no `starting_after_id`); later pages are not kept. */
export type CustomerRead =
  { kind: 'customer' } | { kind: 'segments' } | { kind: 'activities'; params: ListCustomerActivitiesParams };

interface ReadValues {
  customer: Customer;
  segments: CustomerSegmentsList;
  activities: CustomerActivitiesList;
}

export type ReadValue<K extends CustomerRead['kind']> = ReadValues[K];

export type ReadOutcome = ({ ok: true } & Cached<unknown>) | { ok: false; error: WireErrorInit };

function load(api: UpstreamApi, customerId: string, read: CustomerRead): Promise<unknown> {
  switch (read.kind) {
    case 'customer':
      return api.getCustomer(customerId);
    case 'segments':
      return api.listCustomerSegments(customerId);
    case 'activities':
      return api.listCustomerActivities(customerId, read.params);
  }
}

function keyOf(read: CustomerRead): string {
  return read.kind === 'activities' ? CACHE_KEYS.activities(read.params) : CACHE_KEYS[read.kind];
}

/** The error as it crosses the object's boundary. */
export function wireInit(error: WireError): WireErrorInit {
  return {
    status: error.status,
    key: error.key,
    message: error.message,
    headers: error.headers,
    ...(error.details === undefined ? {} : { details: error.details }),
  };
}

/** The budget and TTL a read follows now. */
function policyOf(setup: Setup) {
  const { config } = setup;
  return {
    ttlMs: config.readCacheTtl * 1000,
    budgetLow: upstreamBudget.isLow(config.upstreamReserve),
    retryAfter: () => upstreamBudget.secondsToReset(),
    // Every attempt the upstream client may make, and a little more.
    waitMs: config.upstreamTimeoutMs * (config.upstreamRetries + 1) + 1000,
  };
}

/** Performs one read through the customer's cache and answers it as plain data: the value and its freshness, or the error. */
export async function performRead(
  setup: Setup,
  cache: CustomerCache,
  customerId: string,
  read: CustomerRead,
): Promise<ReadOutcome> {
  try {
    const cached = await cache.read(keyOf(read), () => load(setup.secrets.api, customerId, read), policyOf(setup));
    return { ok: true, ...cached };
  } catch (error) {
    return { ok: false, error: wireInit(upstreamFailure(error, { notFoundDetails: SESSION_GONE })) };
  }
}

/** A read with the cache off (`READ_CACHE_TTL=0`): straight upstream, unless the budget is down to the reserve. */
export async function readUncached(setup: Setup, customerId: string, read: CustomerRead): Promise<Cached<unknown>> {
  if (upstreamBudget.isLow(setup.config.upstreamReserve)) throw budgetReserved(upstreamBudget.secondsToReset());
  try {
    return { value: await load(setup.secrets.api, customerId, read), age: 0, cache: 'miss' };
  } catch (error) {
    throw upstreamFailure(error, { notFoundDetails: SESSION_GONE });
  }
}

/** The freshness of an answer made of several reads: its oldest part, stale if any part is, a hit if all are. */
export function combined(
  reads: ReadonlyArray<Pick<Cached<unknown>, 'age' | 'cache'>>,
): Pick<Cached<unknown>, 'age' | 'cache'> {
  const states = new Set<Freshness>(reads.map((read) => read.cache));
  const cache: Freshness = states.has('stale') ? 'stale' : states.has('miss') ? 'miss' : 'hit';
  return { age: Math.max(0, ...reads.map((read) => read.age)), cache };
}

/** The headers that say how fresh an answer is: `Age` (seconds since Voucherify gave it) and `X-Cache`. */
export function freshnessHeaders(read: Pick<Cached<unknown>, 'age' | 'cache'>): Record<string, string> {
  return { Age: String(read.age), 'X-Cache': read.cache };
}
