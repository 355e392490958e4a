/**
 * One pace for every customer's pending one-click opt-out. Each opt-out waits in its own customer's Durable Object;
 * left to themselves, a campaign's thousand alarms would each spend a call on Voucherify's refusal (429) and back off
 * at random. Instead each object books a start time here, for the calls its opt-out makes, and the starts follow
 * each other at the rate Voucherify's window allows, keeping `UPSTREAM_RESERVE` calls of each window for the people
 * using the shop.
 *
 * Voucherify counts calls in fixed windows (`X-Rate-Limit-Limit` per window, ending at `X-Rate-Limit-Retry`), and so
 * does the pacer, from the readings the objects pass along: what is left of the current window less the reserve goes
 * at once, then each window's `limit - reserve` calls are spread evenly over it. A reading under the reserve (the
 * shop's visitors spent the window) or a refusal's `Retry-After` pauses every booking until the window ends, and the
 * window after the pause starts afresh. Without a reading yet (or with only a billing cycle's, whose window is weeks)
 * nothing is paced: the first answers teach it.
 *
 * It lives in one Durable Object (`PACER_OBJECT_NAME`), its state saved in that object's SQLite storage after each
 * booking: the object is evicted while a campaign's alarms wait out their starts, and a pacer that forgot them would
 * book new clicks into windows already full.
 */
import type { SqlLike } from './ledger-stores.js';
import type { BudgetReading } from './upstream-budget.js';

/** The Durable Object that paces; no customer's object can have this name (they are `cust_…` or `source:…`). */
export const PACER_OBJECT_NAME = 'optout-pacer';

/** Longer windows are a billing cycle's quota: worth a pause when spent, not a pace. */
const MAX_PACED_WINDOW_MS = 60 * 60_000;

export interface BookingRequest {
  /** The upstream calls the opt-out will make. */
  calls: number;
  /** The budget the asking object saw last (null: none yet). */
  reading: BudgetReading | null;
  /** Voucherify refused a call until then (epoch ms): a 429's `Retry-After`. */
  limitedUntil?: number;
  /** Calls of each window left to the shop's visitors (`UPSTREAM_RESERVE`). */
  reserve: number;
}

/** Readings this close to the window the pacer books into describe that window (`X-Rate-Limit-Retry` is in seconds). */
const SAME_WINDOW_MS = 1_500;

interface Window {
  start: number;
  end: number;
  /** Calls booked into it so far, and calls still free in it. */
  booked: number;
  left: number;
  /** One the pacer fills from its start spreads its calls evenly; what is left of one a reading described goes at once. */
  spread: boolean;
}

/** What the pacer knows, as saved between evictions. */
export interface PacerState {
  /** The window bookings go into: the current one, or a later one once those before it are full. */
  window: Window;
  limit: number;
  windowMs: number;
  pausedUntil: number;
}

export class OptOutPacer {
  readonly #state: PacerState;

  constructor(saved?: PacerState) {
    this.#state = saved ?? {
      window: { start: 0, end: 0, booked: 0, left: 0, spread: false },
      limit: 0,
      windowMs: 0,
      pausedUntil: 0,
    };
  }

  get state(): PacerState {
    return { ...this.#state, window: { ...this.#state.window } };
  }

  /** When the opt-out may start (epoch ms): now, or when its calls fit in Voucherify's windows. */
  book(request: BookingRequest, now = Date.now()): number {
    this.#learn(request, now);
    const state = this.#state;
    const from = Math.max(now, state.pausedUntil);
    if (state.windowMs === 0) return from;
    const capacity = this.#capacity(request.reserve);
    const calls = Math.min(request.calls, capacity);
    const spacing = state.windowMs / capacity;
    if (from >= state.window.end) state.window = this.#fresh(from, capacity);
    for (;;) {
      const { window } = state;
      const start = window.spread ? Math.max(from, window.start + window.booked * spacing) : from;
      if (window.left >= calls && start < window.end) {
        window.booked += calls;
        window.left -= calls;
        return Math.ceil(start);
      }
      state.window = this.#fresh(window.end, capacity);
    }
  }

  /** A window's calls for opt-outs: the limit less the reserve (half the limit if the reserve would leave none). */
  #capacity(reserve: number): number {
    const { limit } = this.#state;
    return limit > reserve ? limit - reserve : Math.max(1, Math.floor(limit / 2));
  }

  #fresh(start: number, capacity: number): Window {
    return { start, end: start + this.#state.windowMs, booked: 0, left: capacity, spread: true };
  }

  #learn({ reading, limitedUntil, reserve }: BookingRequest, now: number): void {
    const state = this.#state;
    if (limitedUntil && limitedUntil > now) state.pausedUntil = Math.max(state.pausedUntil, limitedUntil);
    if (!reading || reading.resetsAt <= now) return;
    if (reading.remaining < reserve) state.pausedUntil = Math.max(state.pausedUntil, reading.resetsAt);
    const windowMs = reading.resetsAt - reading.seenAt;
    if (windowMs > MAX_PACED_WINDOW_MS) return;
    state.limit = reading.limit;
    // A reading taken late in its window understates the window; the longest seen is the closest.
    state.windowMs = Math.max(state.windowMs, windowMs);
    const left = Math.max(0, reading.remaining - reserve);
    if (Math.abs(reading.resetsAt - state.window.end) < SAME_WINDOW_MS) {
      // Calls booked but not made yet are not in `remaining`: keep the lower count.
      state.window.left = Math.min(state.window.left, left);
    } else if (reading.resetsAt > state.window.end) {
      state.window = { start: now, end: reading.resetsAt, booked: 0, left, spread: false };
    }
  }
}

/**
 * The pacer of the `PACER_OBJECT_NAME` object: its state read from the object's SQLite storage (one row) on first
 * use and saved after every booking; kept in memory only without SQLite.
 */
export class SavedPacer {
  readonly #sql: SqlLike | undefined;
  readonly #pacer: OptOutPacer;

  constructor(sql: SqlLike | undefined) {
    this.#sql = sql;
    sql?.exec('CREATE TABLE IF NOT EXISTS optout_pacer (id INTEGER PRIMARY KEY CHECK (id = 1), state TEXT NOT NULL)');
    const row = sql?.exec('SELECT state FROM optout_pacer WHERE id = 1').toArray()[0];
    this.#pacer = new OptOutPacer(row ? (JSON.parse(String(row.state)) as PacerState) : undefined);
  }

  book(request: BookingRequest): number {
    const startAt = this.#pacer.book(request);
    this.#sql?.exec('INSERT OR REPLACE INTO optout_pacer (id, state) VALUES (1, ?)', JSON.stringify(this.#pacer.state));
    return startAt;
  }
}
