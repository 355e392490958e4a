/**
 * The few Cloudflare Workers types the worker needs, and its edge cache. The project's one tsconfig uses the DOM lib
 * (so the whole project type-checks together); declaring these here keeps `@cloudflare/workers-types` out of every
 * other part.
 */
import type { SqlLike } from './ledger-stores.js';

/** The Workers rate-limit binding (`[[ratelimits]]` in wrangler.toml). Counts are per location and approximate. */
export interface RateLimitBinding {
  limit(options: { key: string }): Promise<{ success: boolean }>;
}

/** A Durable Object namespace binding, as far as the worker uses it: one object per name, reached with `fetch`. */
export interface DurableObjectNamespaceLike {
  idFromName(name: string): unknown;
  get(id: unknown): { fetch(input: string, init?: RequestInit): Promise<Response> };
}

/** A Durable Object's alarm: one wake-up time per object, which calls its `alarm()` method. */
export interface AlarmStorageLike {
  setAlarm(scheduledTime: number): Promise<void>;
  deleteAlarm(): Promise<void>;
}

/** What a Durable Object's constructor receives, as far as the worker uses it: its SQLite storage and its alarm. */
export interface DurableObjectStateLike {
  readonly id: unknown;
  readonly storage?: { readonly sql?: SqlLike } & Partial<AlarmStorageLike>;
}

export interface WorkerExecutionContext {
  waitUntil(promise: Promise<unknown>): void;
  passThroughOnException(): void;
}

/** `caches.default` exists only on Workers; `caches.open()` is the portable fallback. */
export async function edgeCache(): Promise<Cache | null> {
  const storage = (globalThis as { caches?: CacheStorage & { default?: Cache } }).caches;
  if (!storage) return null;
  return storage.default ?? (await storage.open('vc-consent'));
}
