/**
 * One customer's read cache: what Voucherify answered for them (the customer, their segments, the first page of their
 * activities), kept for the configured TTL, in their Durable Object (or the isolate without the binding).
 *
 * - Concurrent reads of one thing share one upstream call.
 * - A write through the object replaces the customer with Voucherify's answer to it, in the same step, so the next
 *   read shows the write without a call; a load that started before the write never overwrites it.
 * - Under the budget reserve, or while Voucherify is busy (429, 5xx, no answer), what is kept is served however old,
 *   marked stale.
 */
import { isVoucherifyError } from '../api/errors.js';
import type { Customer } from '../api/types.js';
import { budgetReserved } from './upstream-budget.js';
import type { CustomerWrite, WriteOutcome } from './writes.js';

/** How an answer was served: from the cache within its TTL, from upstream, or from the cache past its TTL. */
export type Freshness = 'hit' | 'miss' | 'stale';

export interface Cached<T> {
  value: T;
  /** Whole seconds since Voucherify gave the value. */
  age: number;
  cache: Freshness;
}

export interface ReadPolicy {
  ttlMs: number;
  /** Fewer requests left than the reserve: serve what is kept, or refuse, rather than call. */
  budgetLow: boolean;
  /** Seconds until the budget refills, for a refusal's `Retry-After`. */
  retryAfter(): number;
  /**
   * How long a read waits for a call another read started before making its own: a call belongs to the request that
   * started it, and one whose request was cancelled may never settle.
   */
  waitMs: number;
}

interface Entry {
  value: unknown;
  at: number;
}

/** Upstream trouble a kept copy can stand in for. */
function isBusy(error: unknown): boolean {
  if (!isVoucherifyError(error)) return false;
  return error.kind !== 'http' || error.status === 429 || error.status >= 500;
}

const isGone = (error: unknown): boolean => isVoucherifyError(error) && error.status === 404;

const CUSTOMER = 'customer';
const ACTIVITIES = 'activities:';
/** Activity pages kept per customer (a few page sizes or orders; the card asks for one). */
const MAX_ACTIVITY_PAGES = 4;

export class CustomerCache {
  readonly #entries = new Map<string, Entry>();
  readonly #loads = new Map<string, Promise<unknown>>();
  /** Bumped by every write and invalidation: a load started before one does not store its answer. */
  #generation = 0;

  async read<T>(key: string, load: () => Promise<T>, policy: ReadPolicy): Promise<Cached<T>> {
    const entry = this.#entries.get(key);
    const served = (cache: Freshness): Cached<T> => ({
      value: entry!.value as T,
      age: Math.max(0, Math.floor((Date.now() - entry!.at) / 1000)),
      cache,
    });
    if (entry && Date.now() - entry.at < policy.ttlMs) return served('hit');
    if (policy.budgetLow) {
      if (entry) return served('stale');
      throw budgetReserved(policy.retryAfter());
    }
    try {
      return { value: await this.#coalesced(key, load, policy.waitMs), age: 0, cache: 'miss' };
    } catch (error) {
      if (entry && isBusy(error)) return served('stale');
      if (isGone(error)) this.invalidate();
      throw error;
    }
  }

  /** The customer as Voucherify answered a write: kept as fresh; activity pages are dropped (the write added one). */
  written(customer: Customer): void {
    this.#forgetLoads();
    for (const key of [...this.#entries.keys()]) if (key.startsWith(ACTIVITIES)) this.#entries.delete(key);
    this.#entries.set(CUSTOMER, { value: customer, at: Date.now() });
  }

  /** Drops everything kept for the customer (changed elsewhere, erased, or a write whose answer is not the customer). */
  invalidate(): void {
    this.#forgetLoads();
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }

  #forgetLoads(): void {
    this.#generation += 1;
    this.#loads.clear();
  }

  #coalesced<T>(key: string, load: () => Promise<T>, waitMs: number): Promise<T> {
    const running = this.#loads.get(key) as Promise<T> | undefined;
    if (!running) return this.#start(key, load);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ownCall = new Promise<T>((resolve, reject) => {
      timer = setTimeout(() => this.#start(key, load).then(resolve, reject), waitMs);
    });
    return Promise.race([running, ownCall]).finally(() => clearTimeout(timer));
  }

  #start<T>(key: string, load: () => Promise<T>): Promise<T> {
    const generation = this.#generation;
    const promise: Promise<T> = load()
      .then((value) => {
        if (generation === this.#generation) this.#store(key, value);
        return value;
      })
      .finally(() => {
        if (this.#loads.get(key) === promise) this.#loads.delete(key);
      });
    this.#loads.set(key, promise);
    return promise;
  }

  #store(key: string, value: unknown): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, at: Date.now() });
    if (!key.startsWith(ACTIVITIES)) return;
    const pages = [...this.#entries.keys()].filter((name) => name.startsWith(ACTIVITIES));
    if (pages.length > MAX_ACTIVITY_PAGES) this.#entries.delete(pages[0]!);
  }
}

export const CACHE_KEYS = {
  customer: CUSTOMER,
  segments: 'segments',
  /** One entry per first-page query (limit, order, filters). */
  activities: (query: object) =>
    ACTIVITIES + JSON.stringify(Object.entries(query).sort(([a], [b]) => (a < b ? -1 : 1))),
};

/**
 * Brings a customer's cache up to date with a write that just ran in their object: the customer Voucherify answered
 * for a profile or consents write; everything dropped for other writes (their answer is not the customer) and for a
 * failure that may have changed something (5xx). A refused write (4xx) changed nothing.
 */
export function afterWrite(cache: CustomerCache, write: CustomerWrite, outcome: WriteOutcome): void {
  if (!outcome.ok) {
    if (outcome.error.status >= 500) cache.invalidate();
    return;
  }
  if (write.kind === 'profile' || write.kind === 'consents') cache.written(outcome.value as Customer);
  else cache.invalidate();
}

/**
 * Per-isolate caches for a worker without the Durable Object binding, by object name; the least recently used
 * customer goes first once there are too many.
 */
export class LocalCaches {
  readonly #caches = new Map<string, CustomerCache>();

  constructor(readonly max = 1000) {}

  for(name: string): CustomerCache {
    let cache = this.#caches.get(name);
    if (cache) this.#caches.delete(name);
    else cache = new CustomerCache();
    this.#caches.set(name, cache);
    if (this.#caches.size > this.max) this.#caches.delete(this.#caches.keys().next().value!);
    return cache;
  }

  invalidate(name: string): void {
    this.#caches.delete(name);
  }
}
