import { isVoucherifyError } from './errors.js';
import type { VoucherifyErrorKind } from './errors.js';

/** Methods that may be repeated safely; POST only when the caller opts in. */
export const IDEMPOTENT_METHODS: readonly string[] = ['GET', 'HEAD', 'PUT', 'DELETE'];

// 408/429/503 say "not now"; 500/502/504 are worth one more try for a request that may safely be repeated.
const RETRY_STATUSES = [408, 429, 500, 502, 503, 504];
const BACKOFF_BASE_MS = 300;

/** What a failed attempt tells about retrying it: a `VoucherifyError` is one. */
export interface AttemptFailure {
  kind: VoucherifyErrorKind;
  status?: number;
  /** Seconds the server asked us to wait (see `retryAfterSeconds`), or null. */
  retryAfter?: number | null;
}

export interface RetryPolicy<T> {
  /** Retries after the first attempt (0: one attempt only). */
  limit: number;
  /** Longest wait in ms: a longer backoff is capped, a longer `Retry-After` is not waited for. */
  maxDelay: number;
  /** The caller's abort: no retry starts once it fired, and it cuts a wait short. */
  signal?: AbortSignal | undefined;
  /** Reads an answer that came back (rather than being thrown) as a failure worth retrying, or null. */
  failureOf?: (result: T) => AttemptFailure | null;
  /** Frees an answer that is about to be retried (its body). */
  discard?: (result: T) => unknown;
}

/**
 * The one retry loop: runs `attempt` again after a thrown `VoucherifyError` (or an answer `failureOf` calls one) while
 * the policy allows it, and ends with the last attempt's outcome. Anything else thrown (an abort) ends it at once.
 */
export async function withRetry<T>(attempt: () => Promise<T>, policy: RetryPolicy<T>): Promise<T> {
  for (let retries = 0; ; retries++) {
    let outcome: { result: T } | { error: unknown };
    try {
      outcome = { result: await attempt() };
    } catch (error) {
      outcome = { error };
    }
    const failure =
      'error' in outcome
        ? isVoucherifyError(outcome.error)
          ? outcome.error
          : null
        : (policy.failureOf?.(outcome.result) ?? null);
    const retry = failure !== null && retries < policy.limit && !policy.signal?.aborted;
    const wait = retry ? retryDelay(failure, retries, policy.maxDelay) : null;
    if (wait === null) {
      if ('error' in outcome) throw outcome.error;
      return outcome.result;
    }
    if ('result' in outcome) await policy.discard?.(outcome.result);
    await sleep(wait, policy.signal);
  }
}

/**
 * How long to wait before retrying after `failure`, or null when it must not be retried: the server's `Retry-After`
 * (refused when longer than `max`), else exponential backoff with jitter, capped at `max`. Timeouts are not retried.
 */
function retryDelay(failure: AttemptFailure, retries: number, max: number): number | null {
  if (failure.kind === 'timeout') return null;
  if (failure.kind === 'http' && !RETRY_STATUSES.includes(failure.status ?? 0)) return null;
  const after = failure.retryAfter ?? null;
  if (after !== null) return after * 1000 <= max ? after * 1000 : null;
  return Math.min(max, BACKOFF_BASE_MS * 2 ** retries * (0.8 + Math.random() * 0.4));
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
