/**
 * One Durable Object per customer (SQLite-backed, `CUSTOMER_OBJECTS` in wrangler.toml), through which every write the
 * worker makes for that customer passes. Durable Objects let other requests in while one awaits a subrequest, so the
 * object keeps its own queue: each write reads, compares and writes upstream before the next one starts.
 *
 * The object also keeps the customer's consent ledger (`ledger.ts`) in its SQLite storage, appended by the same
 * step as each write, and answers it (`recordsFor`); and their read cache (`customer-cache.ts`), which each write
 * brings up to date in the same step and which serves the customer routes' reads (`readFor`).
 *
 * Without the binding (an old wrangler.toml, a test that leaves it out) writes still work: they are queued per
 * customer inside the isolate that received them, which serializes the writes one isolate sees but not writes that
 * land on different isolates or locations, and the ledger and read cache are kept in that isolate's memory only.
 */
import type { AppContext } from './context.js';
import { loadSetup, setupOf } from './context.js';
import type { Setup } from './context.js';
import type { Env } from './env.js';
import { findCustomer } from './consents.js';
import { upstreamFailure } from './errors.js';
import { WireError } from '../api/wire-error.js';
import type { LedgerRecord } from './ledger.js';
import { MemoryLedgerStore, SqlLedgerStore } from './ledger-stores.js';
import type { LedgerStore } from './ledger-stores.js';
import type { DurableObjectNamespaceLike, DurableObjectStateLike } from './cloudflare.js';
import { performWrite } from './writes.js';
import { OptOutQueue } from './optout-queue.js';
import type { OptOutAnswer, PendingOptOut } from './optout-queue.js';
import type { NewOptOut } from './optout-store.js';
import { PACER_OBJECT_NAME, SavedPacer } from './optout-pacer.js';
import type { BookingRequest } from './optout-pacer.js';
import type { CustomerWrite, WriteOutcome, WriteResult } from './writes.js';
import { CustomerCache, LocalCaches, afterWrite } from './customer-cache.js';
import type { Cached } from './customer-cache.js';
import { performRead, readUncached } from './customer-reads.js';
import type { CustomerRead, ReadOutcome, ReadValue } from './customer-reads.js';

interface ReadRequest {
  customerId: string;
  read: CustomerRead;
}

interface WriteRequest {
  customerId: string;
  write: CustomerWrite;
  requestId: string;
}

/** Runs tasks one after the other, whatever each of them does meanwhile; a failure does not stop the queue. */
class Queue {
  #tail: Promise<unknown> = Promise.resolve();
  #waiting = 0;

  run<T>(task: () => Promise<T>): Promise<T> {
    this.#waiting += 1;
    const result = this.#tail.then(task);
    this.#tail = result.catch(() => undefined).finally(() => (this.#waiting -= 1));
    return result;
  }

  get idle(): boolean {
    return this.#waiting === 0;
  }
}

/** A customer's ledger records, oldest first (the newest `limit`), and how many are kept in all. */
export interface LedgerPage {
  records: LedgerRecord[];
  total: number;
}

function ledgerPage(store: LedgerStore, limit: number | undefined): LedgerPage {
  return { records: store.list(limit), total: store.count() };
}

export class CustomerObject {
  readonly #queue = new Queue();
  readonly #env: Env;
  readonly #state: DurableObjectStateLike;
  readonly #cache = new CustomerCache();
  #ledgerStore: LedgerStore | undefined;
  /** Only in the object named `PACER_OBJECT_NAME`. */
  #pacer: SavedPacer | undefined;
  #optOutQueue: OptOutQueue | null | undefined;

  constructor(state: DurableObjectStateLike, env: Env) {
    this.#env = env;
    this.#state = state;
  }

  // The tables are made on first use, not in the constructor: an object woken only to drop its cache (a webhook for
  // a customer never seen here, thousands during an import) then leaves no SQLite file behind and costs no disk write.
  get #ledger(): LedgerStore {
    const sql = this.#state.storage?.sql;
    return (this.#ledgerStore ??= sql ? new SqlLedgerStore(sql) : new MemoryLedgerStore());
  }

  /** One-click opt-outs kept until Voucherify has them (`optout-queue.ts`); null without SQLite storage and alarms. */
  get #optOuts(): OptOutQueue | null {
    if (this.#optOutQueue !== undefined) return this.#optOutQueue;
    const { storage } = this.#state;
    const sql = storage?.sql;
    this.#optOutQueue =
      sql && storage.setAlarm && storage.deleteAlarm
        ? new OptOutQueue({
            sql,
            alarms: storage as Required<typeof storage>,
            ledger: this.#ledger,
            setup: () => loadSetup(this.#env),
            serialize: (task) => this.#queue.run(task),
            written: (write, outcome) => afterWrite(this.#cache, write, outcome),
            book: (booking) => bookOptOut(this.#env, booking),
          })
        : null;
    return this.#optOutQueue;
  }

  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    if (request.method === 'GET' && url.pathname === '/records') {
      const limit = url.searchParams.get('limit');
      return Response.json(ledgerPage(this.#ledger, limit === null ? undefined : Number(limit)));
    }
    if (request.method === 'POST' && url.pathname === '/read') {
      const { customerId, read } = (await request.json()) as ReadRequest;
      return Response.json(await performRead(await loadSetup(this.#env), this.#cache, customerId, read));
    }
    if (request.method === 'POST' && url.pathname === '/pace') {
      this.#pacer ??= new SavedPacer(this.#state.storage?.sql);
      return Response.json({ startAt: this.#pacer.book((await request.json()) as BookingRequest) });
    }
    if (request.method === 'POST' && url.pathname === '/invalidate') {
      this.#cache.invalidate();
      return new Response(null, { status: 204 });
    }
    if (url.pathname === '/optout') {
      if (!this.#optOuts) return Response.json({ error: 'no opt-out queue' }, { status: 501 });
      if (request.method === 'GET') return Response.json(this.#optOuts.pending());
      return Response.json(await this.#optOuts.enqueue((await request.json()) as NewOptOut));
    }
    const { customerId, write, requestId } = (await request.json()) as WriteRequest;
    const setup = await loadSetup(this.#env);
    setup.log.debug('customer object write', { request_id: requestId, kind: write.kind });
    const outcome = await this.#queue.run(async () => {
      const early = await this.#optOuts?.before(setup, write);
      if (early) return early;
      const done = await performWrite(setup, customerId, write, requestId, this.#ledger);
      afterWrite(this.#cache, write, done);
      this.#optOuts?.after(write, done);
      return done;
    });
    return Response.json(outcome);
  }

  /** Tries a pending one-click opt-out again. */
  async alarm(): Promise<void> {
    await this.#optOuts?.alarm();
  }
}

/** Books an opt-out's start with the worker's one pacer, an object of the same namespace (`optout-pacer.ts`). */
async function bookOptOut(env: Env, booking: BookingRequest): Promise<number> {
  const response = await objectRequest(env.CUSTOMER_OBJECTS!, PACER_OBJECT_NAME, '/pace', booking);
  return ((await response.json()) as { startAt: number }).startAt;
}

/** A request to the Durable Object named `name`: `json`, when given, is sent as the body of a POST. */
function objectRequest(
  namespace: DurableObjectNamespaceLike,
  name: string,
  path: string,
  json?: unknown,
  method = json === undefined ? 'GET' : 'POST',
): Promise<Response> {
  const init: RequestInit = json === undefined ? { method } : { method, body: JSON.stringify(json) };
  return namespace.get(namespace.idFromName(name)).fetch(`https://customer-object${path}`, init);
}

/** Per-isolate queues for a worker without the binding; dropped when idle so the map does not grow. */
const localQueues = new Map<string, Queue>();
/** Per-isolate ledgers for a worker without the binding (kept while the isolate lives: there is nowhere else). */
const localLedgers = new Map<string, MemoryLedgerStore>();
/** Per-isolate read caches for a worker without the binding. */
const localCaches = new LocalCaches();

function localLedger(name: string): MemoryLedgerStore {
  let store = localLedgers.get(name);
  if (!store) localLedgers.set(name, (store = new MemoryLedgerStore()));
  return store;
}

function runLocally(key: string, task: () => Promise<WriteOutcome>): Promise<WriteOutcome> {
  let queue = localQueues.get(key);
  if (!queue) localQueues.set(key, (queue = new Queue()));
  const done = queue.run(task);
  void done.finally(() => {
    if (queue.idle) localQueues.delete(key);
  });
  return done;
}

/** Source ids (often emails) mapped to Voucherify ids, so writes addressed either way share one object. */
const canonicalIds = new Map<string, { id: string; at: number }>();
const CANONICAL_TTL_MS = 10 * 60_000;
const CANONICAL_MAX = 1000;

/**
 * The name of a customer's object: the `cust_…` id. A source id is looked up once (and remembered for a while); one
 * that does not exist yet (a double opt-in for a new email) names its own object until the customer is created.
 */
async function objectName(setup: Setup, customerId: string): Promise<string> {
  if (customerId.startsWith('cust_')) return customerId;
  const known = canonicalIds.get(customerId);
  if (known && Date.now() - known.at < CANONICAL_TTL_MS) return known.id;
  const customer = await findCustomer(setup.secrets.api, customerId).catch((error: unknown) => {
    throw upstreamFailure(error);
  });
  if (!customer) return `source:${customerId}`;
  const { id } = customer;
  if (canonicalIds.size >= CANONICAL_MAX) canonicalIds.delete(canonicalIds.keys().next().value!);
  canonicalIds.set(customerId, { id, at: Date.now() });
  return id;
}

/**
 * Performs a write for one customer through their Durable Object (or the isolate's queue without the binding) and
 * answers its result; a refused write throws the `WireError` the route answers with.
 */
export async function writeFor<K extends CustomerWrite['kind']>(
  c: AppContext,
  customerId: string,
  write: CustomerWrite & { kind: K },
): Promise<WriteResult<K>> {
  const setup = setupOf(c);
  const requestId = c.get('state').requestId;
  const namespace = customerObjects(c);
  const name = await objectName(setup, customerId);
  let outcome: WriteOutcome;
  if (namespace) {
    const body: WriteRequest = { customerId, write, requestId };
    const response = await objectRequest(namespace, name, '/write', body);
    outcome = (await response.json()) as WriteOutcome;
  } else {
    outcome = await runLocally(name, async () => {
      const done = await performWrite(setup, customerId, write, requestId, localLedger(name));
      afterWrite(localCaches.for(name), write, done);
      return done;
    });
  }
  if (!outcome.ok) throw new WireError(outcome.error);
  return outcome.value as WriteResult<K>;
}

/**
 * Records a one-click opt-out in the customer's Durable Object, which applies it at once or as soon as Voucherify
 * allows; null without the binding (nowhere durable to keep it: the caller writes at once instead).
 */
export async function optOutFor(c: AppContext, customerId: string, jti: string): Promise<OptOutAnswer | null> {
  const namespace = customerObjects(c);
  if (!namespace) return null;
  const name = await objectName(setupOf(c), customerId);
  const click: NewOptOut = {
    customerId,
    jti,
    decidedAt: new Date().toISOString(),
    requestId: c.get('state').requestId,
  };
  const response = await objectRequest(namespace, name, '/optout', click);
  // An object without SQLite storage or alarms (501) keeps nothing: the caller writes at once.
  return response.ok ? ((await response.json()) as OptOutAnswer) : null;
}

/** When the customer clicked a one-click opt-out that Voucherify does not have yet, or null. */
export async function pendingOptOut(c: AppContext, customerId: string): Promise<string | null> {
  const namespace = customerObjects(c);
  if (!namespace) return null;
  const name = await objectName(setupOf(c), customerId);
  const response = await objectRequest(namespace, name, '/optout');
  if (!response.ok) return null;
  return ((await response.json()) as PendingOptOut).pending?.decidedAt ?? null;
}

function customerObjects(c: AppContext) {
  return c.env?.CUSTOMER_OBJECTS;
}

/** A customer's ledger records (the newest `limit`, oldest first; all without a limit) and how many are kept. */
export async function recordsFor(c: AppContext, customerId: string, limit?: number): Promise<LedgerPage> {
  const setup = setupOf(c);
  const name = await objectName(setup, customerId);
  const namespace = customerObjects(c);
  if (!namespace) return ledgerPage(localLedger(name), limit);
  const query = limit === undefined ? '' : `?limit=${limit}`;
  const response = await objectRequest(namespace, name, `/records${query}`);
  return (await response.json()) as LedgerPage;
}

/**
 * Performs a read for one customer through their cache, in their Durable Object (or the isolate's cache without the
 * binding; straight upstream with the cache off), and answers the value with how fresh it is; a failure throws the
 * `WireError` the route answers with.
 */
export async function readFor<K extends CustomerRead['kind']>(
  c: AppContext,
  customerId: string,
  read: CustomerRead & { kind: K },
): Promise<Cached<ReadValue<K>>> {
  const setup = setupOf(c);
  if (setup.config.readCacheTtl === 0) return (await readUncached(setup, customerId, read)) as Cached<ReadValue<K>>;
  const name = await objectName(setup, customerId);
  const namespace = customerObjects(c);
  let outcome: ReadOutcome;
  if (namespace) {
    const body: ReadRequest = { customerId, read };
    const response = await objectRequest(namespace, name, '/read', body);
    outcome = (await response.json()) as ReadOutcome;
  } else {
    outcome = await performRead(setup, localCaches.for(name), customerId, read);
  }
  if (!outcome.ok) throw new WireError(outcome.error);
  const { value, age, cache } = outcome;
  return { value: value as ReadValue<K>, age, cache };
}

/** Drops what the worker keeps for a customer changed elsewhere (a Voucherify webhook); `cust_…` ids only. */
export async function invalidateFor(c: AppContext, customerId: string): Promise<void> {
  const namespace = customerObjects(c);
  if (!namespace) return localCaches.invalidate(customerId);
  await objectRequest(namespace, customerId, '/invalidate', undefined, 'POST');
}
