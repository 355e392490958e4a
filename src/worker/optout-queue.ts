/**
 * One-click opt-outs (RFC 8058) that never fail because Voucherify is busy. A click is written to the customer's
 * Durable Object storage first (`optout-store.ts`), then booked a start with the worker's one pacer
 * (`optout-pacer.ts`), which shares Voucherify's window out among every customer's pending opt-out. Due now, it is
 * applied at once when that takes no longer than `OPTOUT_INLINE_WAIT_MS`; otherwise the object's alarm applies it at
 * its start. A refusal books a new start (the pacer pauses everyone for a 429's `Retry-After`); other failures wait a
 * doubling, jittered backoff. The POST is answered 200 either way.
 *
 * Every try runs in the object's write queue, so it never interleaves with another write for the customer, and a
 * write that changes consents applies a pending opt-out first: changes reach Voucherify in the order they were made.
 * The undo of a pending opt-out cancels it without calling Voucherify.
 */
import type { Setup } from './context.js';
import type { AlarmStorageLike } from './cloudflare.js';
import type { UnsubscribeOutcome } from './consent-updates.js';
import type { LedgerStore } from './ledger-stores.js';
import type { SqlLike } from './ledger-stores.js';
import type { BookingRequest } from './optout-pacer.js';
import { OptOutStore } from './optout-store.js';
import type { NewOptOut, QueuedOptOut } from './optout-store.js';
import { upstreamBudget } from './upstream-budget.js';
import { performWrite } from './writes.js';
import type { CustomerWrite, WriteOutcome } from './writes.js';
import type { WireErrorInit } from '../api/wire-error.js';

/** What the object answers a click with. */
export type OptOutAnswer =
  | { status: 'applied'; outcome: UnsubscribeOutcome }
  | { status: 'pending'; undoAvailable: boolean }
  | { status: 'refused'; error: WireErrorInit };

/** What the object answers about a customer's pending opt-out (null when there is none). */
export interface PendingOptOut {
  pending: { decidedAt: string } | null;
}

type Attempt =
  | { kind: 'none' }
  | { kind: 'applied'; outcome: UnsubscribeOutcome }
  | { kind: 'dropped'; error: WireErrorInit }
  | { kind: 'deferred'; error: WireErrorInit };

export interface OptOutHost {
  sql: SqlLike;
  alarms: AlarmStorageLike;
  ledger: LedgerStore;
  setup: () => Promise<Setup>;
  /** Runs a task in the object's write queue. */
  serialize: <T>(task: () => Promise<T>) => Promise<T>;
  /** Told every write this queue made and how it ended (the object's read cache follows it). */
  written?: (write: CustomerWrite, outcome: WriteOutcome) => void;
  /** Books a start with the worker's pacer: when (epoch ms) the opt-out's calls fit in Voucherify's windows. */
  book: (request: BookingRequest) => Promise<number>;
}

/**
 * The calls one opt-out makes: it reads the customer, keeps what they gave in their metadata (for the link's one
 * undo), then changes the consents.
 */
export const OPT_OUT_CALLS = 3;

/** A start this close is now (alarms and clocks are not finer). */
const ON_TIME_MS = 50;

/**
 * How long to wait before try `attempts + 1`: at least what Voucherify asked for, else the backoff (`min` doubled per
 * failed try, up to `max`), plus up to one backoff at random, so the customers of one campaign waiting for the same
 * rate-limit window do not all come back in its first second.
 */
export function retryDelayMs(
  attempts: number,
  retryAfterMs: number | null,
  limits: { min: number; max: number },
  random: () => number = Math.random,
): number {
  const backoff = Math.min(limits.max, limits.min * 2 ** Math.max(0, attempts - 1));
  return Math.round(Math.max(retryAfterMs ?? 0, backoff) + random() * backoff);
}

/** Voucherify will never take it (the customer is gone, the change is refused): trying again would not help. */
const permanent = (error: WireErrorInit): boolean => error.status < 500 && error.status !== 408 && error.status !== 429;

function retryAfterMsOf(error: WireErrorInit): number | null {
  const seconds = Number(error.headers?.['Retry-After']);
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null;
}

/** Writes that change consents: a pending opt-out goes before them. */
function changesConsents(write: CustomerWrite): boolean {
  return (
    write.kind === 'consents' ||
    write.kind === 'confirm' ||
    write.kind === 'unsubscribe' ||
    write.kind === 'undo-unsubscribe' ||
    (write.kind === 'forward' && write.consents)
  );
}

const UNDO_USED: WireErrorInit = {
  status: 409,
  key: 'undo_used',
  message: 'Conflict',
  details: 'This link was already used to undo an unsubscribe.',
};

export class OptOutQueue {
  readonly #store: OptOutStore;
  readonly #host: OptOutHost;

  constructor(host: OptOutHost) {
    this.#host = host;
    this.#store = new OptOutStore(host.sql);
  }

  pending(): PendingOptOut {
    const row = this.#store.pending();
    return { pending: row ? { decidedAt: row.decidedAt } : null };
  }

  /** Records a click, then applies it if that can be done within the inline wait; answers what became of it. */
  async enqueue(click: NewOptOut): Promise<OptOutAnswer> {
    const setup = await this.#host.setup();
    setup.log.debug('customer object write', { request_id: click.requestId, kind: 'unsubscribe' });
    const { row, added } = this.#store.add(click);
    const undoAvailable = row.jti === click.jti && !row.undoUsed;
    if (!added) return { status: 'pending', undoAvailable };
    const { optOutInlineWaitMs: wait, optOutMinRetryMs: min } = setup.config;
    const startAt = await this.#book(setup);
    if (wait === 0 || startAt > Date.now() + ON_TIME_MS) {
      await this.#host.alarms.setAlarm(startAt);
      return { status: 'pending', undoAvailable };
    }
    // In case the object goes away mid-try: the alarm picks the opt-out up again.
    await this.#host.alarms.setAlarm(Date.now() + wait + min);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), wait)));
    const attempt = await Promise.race([this.#host.serialize(() => this.#apply(setup)), late]);
    clearTimeout(timer);
    if (attempt?.kind === 'applied') return { status: 'applied', outcome: attempt.outcome };
    if (attempt?.kind === 'dropped') return { status: 'refused', error: attempt.error };
    return { status: 'pending', undoAvailable };
  }

  /**
   * The object's alarm: applies the pending opt-out. Every alarm is set for a start the pacer booked (or later, for a
   * backoff), so its time has come; booking again here would push it back each time the object was evicted meanwhile.
   */
  async alarm(): Promise<void> {
    if (!this.#store.pending()) return;
    const setup = await this.#host.setup();
    await this.#host.serialize(() => this.#apply(setup));
  }

  /**
   * Books the pending opt-out's start with the pacer, passing on what this isolate knows of Voucherify's budget. A
   * pacer that cannot be reached leaves it unpaced (now, or after the refusal's pause): the click is kept already, and
   * its answer must not fail for want of a start time.
   */
  async #book(setup: Setup, limitedUntil?: number): Promise<number> {
    try {
      return await this.#host.book({
        calls: OPT_OUT_CALLS,
        reading: upstreamBudget.last,
        reserve: setup.config.upstreamReserve,
        ...(limitedUntil ? { limitedUntil } : {}),
      });
    } catch (error) {
      setup.log.warn('opt-out pacer unreachable', { reason: (error as Error).message });
      return Math.max(Date.now(), limitedUntil ?? 0);
    }
  }

  /**
   * Runs in the write queue before `write`: answers the undo of a pending opt-out (it is cancelled, nothing is sent
   * upstream) or of one whose token's undo was already spent that way; applies a pending opt-out before a write that
   * changes consents (answering its failure, when it cannot be applied now). Null: go on with `write`.
   */
  async before(setup: Setup, write: CustomerWrite): Promise<WriteOutcome | null> {
    if (write.kind === 'undo-unsubscribe') {
      const row = this.#store.find(write.jti);
      if (row?.state === 'pending') {
        this.#store.settle(row.jti, 'cancelled');
        await this.#host.alarms.deleteAlarm();
        setup.log.info('pending opt-out cancelled', { request_id: row.requestId });
        return { ok: true, value: null };
      }
      if (row?.undoUsed) return { ok: false, error: UNDO_USED };
    }
    if (!changesConsents(write) || !this.#store.pending()) return null;
    const attempt = await this.#apply(setup);
    return attempt.kind === 'deferred' ? { ok: false, error: attempt.error } : null;
  }

  /** Runs in the write queue after `write`: an erased customer has nothing left to opt out. */
  after(write: CustomerWrite, outcome: WriteOutcome): void {
    if (write.kind === 'erase' && outcome.ok) this.#store.dropPending();
  }

  /** One try of the pending opt-out, inside the write queue; a failure that may pass is scheduled again. */
  async #apply(setup: Setup): Promise<Attempt> {
    const row = this.#store.pending();
    if (!row) return { kind: 'none' };
    const write: CustomerWrite = { kind: 'unsubscribe', jti: row.jti, decidedAt: row.decidedAt };
    const outcome = await performWrite(setup, row.customerId, write, row.requestId, this.#host.ledger);
    this.#host.written?.(write, outcome);
    if (outcome.ok) {
      this.#store.settle(row.jti, 'applied');
      await this.#host.alarms.deleteAlarm();
      this.#logSettled(setup, row, 'applied');
      return { kind: 'applied', outcome: outcome.value as UnsubscribeOutcome };
    }
    if (permanent(outcome.error)) {
      this.#store.settle(row.jti, 'dropped');
      await this.#host.alarms.deleteAlarm();
      this.#logSettled(setup, row, outcome.error.key ?? 'refused');
      return { kind: 'dropped', error: outcome.error };
    }
    const attempts = this.#store.retried(row.jti);
    const retryAfter = retryAfterMsOf(outcome.error);
    // A refusal for the limit tells the pacer, which pauses every opt-out and books this one after the pause; other
    // failures (an outage, a timeout) back off on their own, at no earlier than the next booked start.
    const booked = await this.#book(setup, retryAfter === null ? undefined : Date.now() + retryAfter);
    const limits = { min: setup.config.optOutMinRetryMs, max: setup.config.optOutMaxRetryMs };
    const backoff = retryAfter === null ? Date.now() + retryDelayMs(attempts, null, limits) : 0;
    const at = Math.max(booked, backoff);
    const delay = at - Date.now();
    await this.#host.alarms.setAlarm(at);
    setup.log.info('opt-out deferred', {
      request_id: row.requestId,
      status: outcome.error.status,
      ...(outcome.error.key ? { reason: outcome.error.key } : {}),
      ms: delay,
    });
    return { kind: 'deferred', error: outcome.error };
  }

  #logSettled(setup: Setup, row: QueuedOptOut, reason: string): void {
    const fields = { request_id: row.requestId, reason, ms: Date.now() - Date.parse(row.decidedAt) };
    if (reason === 'applied') setup.log.info('opt-out applied', fields);
    else setup.log.warn('opt-out dropped', fields);
  }
}
