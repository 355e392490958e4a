/**
 * Starts the real edge worker in workerd (Miniflare's API), against any upstream (usually the emulator), in one
 * line: `const worker = await startWorker({ upstreamUrl: emulator.url })`. The worker is bundled with esbuild once
 * per process; its vars are the committed dev vars (`.dev.vars.example`), overridable per call. The runner is the one
 * `npm start` uses (`scripts/dev-worker.ts`).
 */
import type { Miniflare } from 'miniflare';
import { startDevWorker, type RateLimitRules } from '../../scripts/dev-worker.js';

export { compatibilityDate, devVars, workerBundle } from '../../scripts/dev-worker.js';

export interface StartWorkerOptions {
  /** The Voucherify API the worker talks to (e.g. the emulator's `url`). */
  upstreamUrl: string;
  /** Overrides of the dev vars; `undefined` removes a variable. */
  vars?: Record<string, string | undefined>;
  /** Default: a free port. */
  port?: number;
  /** Workers rate-limit bindings to configure (absent by default, so they are inert). */
  rateLimits?: RateLimitRules;
  /** Bind the per-customer Durable Object as wrangler.toml does (default true). */
  durableObjects?: boolean;
  /** Receives each line the worker logs (default: lines are dropped unless VC_WORKER_LOGS=1). */
  onLog?: (line: string) => void;
}

export interface RunningWorker {
  url: string;
  close(): Promise<void>;
  /** The Miniflare instance, for tests that need `dispatchFetch`. */
  miniflare: Miniflare;
}

export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const onLog =
    options.onLog ??
    (process.env.VC_WORKER_LOGS === '1' ? (line: string) => console.log(`[worker] ${line}`) : () => undefined);
  // The read cache is off unless a test sets READ_CACHE_TTL: suites reset the emulator between tests, behind the
  // worker's back, and a kept customer would outlive the reset.
  const vars = { READ_CACHE_TTL: '0', ...options.vars };
  const worker = await startDevWorker({ ...options, vars, onLog });
  for (const rule of Object.values(options.rateLimits ?? {})) await clearOfWindowEnd(rule.period ?? 60);
  return worker;
}

/** How long a test using a rate limit may take, from the worker's start, and still count in one window. */
const RATE_LIMIT_TEST_MS = 15_000;

/**
 * The local rate limiter counts in fixed windows aligned to the clock (`floor(now / period)`): requests on both sides
 * of a boundary are counted afresh. When the current window ends too soon for a test to finish in it, wait for the
 * next one, so what the test counts is what it sent.
 */
async function clearOfWindowEnd(periodSeconds: number): Promise<void> {
  const left = periodSeconds * 1000 - (Date.now() % (periodSeconds * 1000));
  if (left < Math.min(RATE_LIMIT_TEST_MS, periodSeconds * 500))
    await new Promise((resolve) => setTimeout(resolve, left + 50));
}
