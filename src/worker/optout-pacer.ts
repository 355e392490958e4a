/**
 * One pace for every customer's pending one-click opt-out. Each opt-out waits in its own customer's Durable Object;
 * left to themselves, a campaign's thousand alarms would each spend a call on Voucherify's refusal (429) and back off
 * at random. Instead each object books a start time here, for the calls its opt-out makes, and the starts follow
 * each other at the rate Voucherify's window allows, keeping `UPSTREAM_RESERVE` calls of each window for the people
 * using the shop.
 *
 * The pace is a token bucket learned from the `X-Rate-Limit-*` readings the objects pass along: it holds up to one
 * window's calls (less the reserve), so a quiet day's opt-out starts at once, and refills at that many per window.
 * A reading under the reserve, or a refusal's `Retry-After`, pauses every booking until the window ends. Without a
 * reading yet (or with only a billing cycle's, whose window is weeks) nothing is paced: the first answers teach it.
 *
 * It lives in memory in one Durable Object (`PACER_OBJECT_NAME`): evicted, it starts afresh, and a refusal still
 * pauses it again.
 */
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

export class OptOutPacer {
  /**
   * When every call booked so far would have drained from the bucket (epoch ms): the bucket holds
   * `(drainedAt - t) / msPerCall` calls at time t, never more than one window's capacity.
   */
  #drainedAt = 0;
  #limit = 0;
  #windowMs = 0;
  #pausedUntil = 0;

  /** When the opt-out may start (epoch ms): now, or when its calls fit in Voucherify's windows. */
  book(request: BookingRequest, now = Date.now()): number {
    this.#learn(request, now);
    const from = Math.max(now, this.#pausedUntil);
    const capacity = this.#limit - request.reserve;
    if (capacity <= 0 || this.#windowMs === 0) return from;
    const msPerCall = this.#windowMs / capacity;
    // A pause is a window ending: the bucket after it starts empty (GCRA, the generic cell rate algorithm).
    this.#drainedAt = Math.max(this.#drainedAt, from) + request.calls * msPerCall;
    return Math.ceil(Math.max(from, this.#drainedAt - this.#windowMs));
  }

  #learn({ reading, limitedUntil, reserve }: BookingRequest, now: number): void {
    if (limitedUntil && limitedUntil > now) this.#pause(limitedUntil);
    if (!reading || reading.resetsAt <= now) return;
    if (reading.remaining < reserve) this.#pause(reading.resetsAt);
    const windowMs = reading.resetsAt - reading.seenAt;
    if (windowMs > MAX_PACED_WINDOW_MS) return;
    this.#limit = reading.limit;
    if (this.#windowMs === 0) {
      // The first reading: only what is left of this window may be spent before it ends.
      const capacity = reading.limit - reserve;
      const spent = Math.min(capacity, Math.max(0, capacity - (reading.remaining - reserve)));
      this.#drainedAt = now + (spent * windowMs) / Math.max(1, capacity);
    }
    // A reading taken late in its window understates the window; the longest seen is the closest.
    this.#windowMs = Math.max(this.#windowMs, windowMs);
  }

  #pause(until: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, until);
  }
}
