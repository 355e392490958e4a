/**
 * Voucherify-style project webhooks (v2024-01-01, https://docs.voucherify.io/docs/webhooks): every customer change
 * the store announces becomes a signed `customer.created|updated|deleted` event POSTed to one URL, so a receiver's
 * cache (the worker's) hears of changes it did not make itself.
 *
 * Deliveries never hold up the request that made the change: changes wait in a bounded queue, one entry per customer,
 * so a burst (an import of many rows) sends at most one event per customer per window with the customer's latest
 * state; a few deliveries run at once, a failed one is retried with backoff, and a receiver that is down only costs
 * warnings. Real Voucherify also retries, over hours; here the retries are short because the receiver is local.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { renderCustomer, type CustomerRecord } from './customer-record.js';
import type { DataEntry } from './data-entries.js';

/** The header the worker (and any Voucherify receiver) checks: hex HMAC-SHA256 of the raw body. */
export const SIGNATURE_HEADER = 'x-voucherify-signature';

export type CustomerEventType = 'customer.created' | 'customer.updated' | 'customer.deleted';

export interface WebhookTuning {
  /** Changes to one customer within this window become one event (default 50 ms). */
  coalesceMs: number;
  /** Deliveries in flight at once (default 4). */
  concurrency: number;
  /** Customers waiting beyond this are dropped with a warning (default 10,000). */
  maxQueue: number;
  /** Retries after a failed attempt (default 3), waiting `retryDelayMs` × 4ⁿ (default 250 ms). */
  retries: number;
  retryDelayMs: number;
  /** One attempt's time limit (default 5 s). */
  timeoutMs: number;
  /** Where warnings go (default `console.warn`); repeats within 5 s are counted, not printed. */
  warn: (message: string) => void;
}

export const DEFAULT_WEBHOOK_TUNING: WebhookTuning = {
  coalesceMs: 50,
  concurrency: 4,
  maxQueue: 10_000,
  retries: 3,
  retryDelayMs: 250,
  timeoutMs: 5_000,
  warn: (message) => console.warn(`vc-consent emulator: ${message}`),
};

const WARNING_EVERY_MS = 5_000;

interface Pending {
  type: CustomerEventType;
  /** The latest record; a forgotten (GDPR) customer is named by id only. */
  customer: CustomerRecord | { id: string };
  due: number;
}

/** Answers for a change the store announced: the customer event it means, if any. */
export function eventOfChange(change: DataEntry): Omit<Pending, 'due'> | undefined {
  switch (change.kind) {
    case 'customer':
      // A record that was never written after its creation has no `updated_at`.
      return { type: change.record.updated_at ? 'customer.updated' : 'customer.created', customer: change.record };
    case 'deleted':
      return { type: 'customer.deleted', customer: change.record };
    case 'forgotten':
      return { type: 'customer.deleted', customer: { id: change.id } };
    default:
      return undefined;
  }
}

export class WebhookSender {
  private readonly tuning: WebhookTuning;
  /** In order of arrival, which is the order of their due times (a later change keeps the entry's place). */
  private readonly pending = new Map<string, Pending>();
  private readonly inFlight = new Set<string>();
  private readonly lifetime = new AbortController();
  private readonly idleWaiters = new Set<(idle: boolean) => void>();
  private timer: NodeJS.Timeout | undefined;
  private readonly lastWarning = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly url: string,
    private readonly secret: string,
    tuning: Partial<WebhookTuning> = {},
  ) {
    this.tuning = { ...DEFAULT_WEBHOOK_TUNING, ...tuning };
  }

  /** Queues the event a store change means (activities, jobs and clears mean none). Never blocks or throws. */
  notice(change: DataEntry): void {
    const event = eventOfChange(change);
    if (event) this.enqueue(event.customer.id, event.type, event.customer);
  }

  /**
   * After a reset, for each customer there before: `customer.deleted` if gone, else `customer.updated`. A seed
   * customer comes back under the same id, and its re-creation must not read as `customer.created`: Voucherify never
   * reuses an id, so a receiver may rightly ignore creations (the worker does) and would keep the old record.
   */
  afterReset(ids: Iterable<string>, still: (id: string) => boolean): void {
    for (const id of ids) {
      if (!still(id)) {
        this.enqueue(id, 'customer.deleted', { id });
        continue;
      }
      const waiting = this.pending.get(id);
      if (waiting) waiting.type = 'customer.updated';
      else this.enqueue(id, 'customer.updated', { id });
    }
    // What is read next is the seed: its events jump the queue (a big import's leftovers, the deletions this reset
    // made), so the receiver drops a seed customer it cached first.
    const entries = [...this.pending];
    const now = Date.now();
    this.pending.clear();
    for (const [id, entry] of entries) if (still(id)) this.pending.set(id, { ...entry, due: Math.min(entry.due, now) });
    for (const [id, entry] of entries) if (!this.pending.has(id)) this.pending.set(id, entry);
    clearTimeout(this.timer);
    this.timer = undefined;
    this.schedule();
  }

  /**
   * Resolves true once nothing waits or is in flight; false after `timeoutMs`, or as soon as an event is given up or
   * the receiver refuses connections (it will not catch up while someone waits). A busy receiver's retries are
   * waited for.
   */
  idle(timeoutMs: number): Promise<boolean> {
    if (this.isIdle()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const settle = (idle: boolean) => {
        clearTimeout(timer);
        this.idleWaiters.delete(settle);
        resolve(idle);
      };
      const timer = setTimeout(() => settle(false), timeoutMs);
      this.idleWaiters.add(settle);
    });
  }

  /** Stops: what waits is dropped, attempts in flight are aborted. */
  close(): void {
    this.lifetime.abort();
    clearTimeout(this.timer);
    this.pending.clear();
    this.settleWaiters(true);
  }

  private enqueue(id: string, type: CustomerEventType, customer: Pending['customer']): void {
    if (this.lifetime.signal.aborted) return;
    const waiting = this.pending.get(id);
    if (waiting) {
      // Coalesced: the customer's latest state, sent when the first change's window ends.
      waiting.customer = customer;
      waiting.type = waiting.type === 'customer.created' && type === 'customer.updated' ? waiting.type : type;
    } else if (this.pending.size >= this.tuning.maxQueue) {
      this.warnOnce('queue', `webhook queue full (${this.tuning.maxQueue} customers): an event for ${id} is dropped`);
      return;
    } else {
      this.pending.set(id, { type, customer, due: Date.now() + this.tuning.coalesceMs });
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.lifetime.signal.aborted) return;
    const next = this.nextSendable();
    if (!next || this.inFlight.size >= this.tuning.concurrency) return;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        this.pump();
      },
      Math.max(0, next.due - Date.now()),
    );
  }

  private nextSendable(): Pending | undefined {
    for (const [id, entry] of this.pending) if (!this.inFlight.has(id)) return entry;
    return undefined;
  }

  private pump(): void {
    const now = Date.now();
    for (const [id, entry] of this.pending) {
      if (this.inFlight.size >= this.tuning.concurrency || entry.due > now) break;
      if (this.inFlight.has(id)) continue; // one delivery per customer at a time keeps their order
      this.pending.delete(id);
      this.inFlight.add(id);
      void this.deliver(entry).finally(() => {
        this.inFlight.delete(id);
        if (this.isIdle()) this.settleWaiters(true);
        this.schedule();
      });
    }
    this.schedule();
  }

  private async deliver({ type, customer }: Pending): Promise<void> {
    const body = JSON.stringify(this.payload(type, customer));
    const signature = createHmac('sha256', this.secret).update(body).digest('hex');
    const { signal } = this.lifetime;
    for (let attempt = 0; ; attempt++) {
      let problem: string;
      try {
        const response = await fetch(this.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signature },
          body,
          signal: AbortSignal.any([signal, AbortSignal.timeout(this.tuning.timeoutMs)]),
        });
        // Read to the end: a cancelled body resets the connection under the receiver (workerd logs each one).
        await response.arrayBuffer();
        if (response.ok) return;
        problem = `HTTP ${response.status}`;
        // Only a busy or failing receiver may accept the event later; any other refusal will stay one.
        if (response.status < 500 && response.status !== 408 && response.status !== 429) attempt = this.tuning.retries;
      } catch (error) {
        if (signal.aborted) return;
        const cause = (error as Error & { cause?: Error & { code?: string } }).cause;
        problem = cause?.message ?? (error as Error).message;
        // Nothing listens: no one waiting for the queue to empty should wait for the retries.
        if (cause?.code === 'ECONNREFUSED') this.settleWaiters(false);
      }
      if (attempt >= this.tuning.retries) {
        this.warnOnce('failed', `webhook ${type} for ${customer.id} to ${this.url} not delivered (${problem})`);
        this.settleWaiters(false);
        return;
      }
      await sleep(this.tuning.retryDelayMs * 4 ** attempt, signal);
      if (signal.aborted) return;
    }
  }

  /** The v2024-01-01 shape: `id`, `project_id`, `created_at`, `type`, and the customer in `data.customer`. */
  private payload(type: CustomerEventType, customer: Pending['customer']) {
    const rendered = 'created_at' in customer ? renderCustomer(customer) : { id: customer.id, object: 'customer' };
    return {
      id: `whs_${randomBytes(12).toString('hex')}`,
      project_id: 'proj_emulator',
      created_at: new Date().toISOString(),
      type,
      data: { customer: rendered },
    };
  }

  private isIdle(): boolean {
    return this.pending.size === 0 && this.inFlight.size === 0;
  }

  /** Ends every `idle()` wait: true once the queue is empty, false when a delivery failed. */
  private settleWaiters(idle: boolean): void {
    for (const waiter of [...this.idleWaiters]) waiter(idle);
  }

  /** A receiver that is down would otherwise print one line per customer. */
  private warnOnce(kind: string, message: string): void {
    const now = Date.now();
    const last = this.lastWarning.get(kind);
    if (last && now - last.at < WARNING_EVERY_MS) {
      last.suppressed++;
      return;
    }
    const more = last?.suppressed ? ` (and ${last.suppressed} more like it)` : '';
    this.lastWarning.set(kind, { at: now, suppressed: 0 });
    this.tuning.warn(`${message}${more}`);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
