/**
 * What the worker knows of its Voucherify request budget: the `X-Rate-Limit-Limit`, `X-Rate-Limit-Remaining` and
 * `X-Rate-Limit-Retry` headers of the last upstream answer (https://docs.voucherify.io/reference/limits), read from
 * every answer through `budgetWatchingFetch`. Under the configured reserve, reads are served from cache (marked
 * stale) or deferred, so the requests left go to writes.
 *
 * The reading is per isolate (each isolate sees the answers to its own calls), and it lapses when the window it
 * describes ends: after `X-Rate-Limit-Retry` the budget is assumed refilled until an answer says otherwise.
 */
import { WireError } from '../api/wire-error.js';

export interface BudgetReading {
  limit: number;
  remaining: number;
  /** When the window ends (epoch ms): `X-Rate-Limit-Retry`, or a `Retry-After` on a refusal. */
  resetsAt: number;
  /** When the answer carrying it arrived (epoch ms). */
  seenAt: number;
  /** `X-Rate-Limit-Type` when Voucherify names the limit (`api_calls`, `api_calls_cycle`, …). */
  type?: string;
}

/** How long a reading without a window end is trusted (Voucherify's per-minute limit). */
const DEFAULT_WINDOW_MS = 60_000;

function count(headers: Headers, name: string): number | null {
  const raw = headers.get(name);
  if (raw === null || raw.trim() === '') return null;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

/**
 * When the window ends: `X-Rate-Limit-Retry` (documented as epoch seconds; a small number is read as seconds from
 * now), else a `Retry-After` (seconds).
 */
function windowEnd(headers: Headers, now: number): number {
  const retry = count(headers, 'x-rate-limit-retry');
  if (retry !== null) return retry > 1e9 ? retry * 1000 : now + retry * 1000;
  const retryAfter = count(headers, 'retry-after');
  return now + (retryAfter ?? DEFAULT_WINDOW_MS / 1000) * 1000;
}

export class UpstreamBudget {
  #last: BudgetReading | null = null;

  /**
   * Records the budget an upstream answer reports; answers without the headers leave the reading as it was. The
   * headers are trusted over the status: a 429 or 503 for another reason (a client-side limit, an outage) does not
   * say the project's budget is spent.
   */
  observe(headers: Headers, now = Date.now()): void {
    const limit = count(headers, 'x-rate-limit-limit');
    const remaining = count(headers, 'x-rate-limit-remaining');
    if (limit === null || remaining === null) return;
    const type = headers.get('x-rate-limit-type') ?? undefined;
    this.#last = { limit, remaining, resetsAt: windowEnd(headers, now), seenAt: now, ...(type ? { type } : {}) };
  }

  /** The reading of the last answer, whether or not its window is over. */
  get last(): BudgetReading | null {
    return this.#last;
  }

  /** The reading, while its window lasts. */
  current(now = Date.now()): BudgetReading | null {
    return this.#last && now < this.#last.resetsAt ? this.#last : null;
  }

  /** True when fewer than `reserve` requests are left in the current window: reads must not spend them. */
  isLow(reserve: number, now = Date.now()): boolean {
    const reading = this.current(now);
    return reading !== null && reading.remaining < reserve;
  }

  /** Whole seconds until the current window ends (at least 1). */
  secondsToReset(now = Date.now()): number {
    const reading = this.current(now);
    return Math.max(1, Math.ceil(((reading?.resetsAt ?? now) - now) / 1000));
  }
}

/** The isolate's one budget: the customer objects and the routes of an isolate call the same Voucherify project. */
export const upstreamBudget = new UpstreamBudget();

/** The platform `fetch`, noting the budget every answer reports. */
export const budgetWatchingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  upstreamBudget.observe(response.headers);
  return response;
};

/** The answer to a read the reserve holds back and no cached copy can stand in for. */
export function budgetReserved(retryAfter: number): WireError {
  return new WireError({
    status: 503,
    key: 'budget_reserved',
    message: 'Service Unavailable',
    details: `The customer service's request budget is kept for changes right now. Try again in ${retryAfter} seconds.`,
    headers: { 'Retry-After': String(retryAfter) },
  });
}
