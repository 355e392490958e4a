/**
 * Starts the real edge worker in workerd (Miniflare's API), against any upstream (usually the emulator), in one
 * line: `const worker = await startWorker({ upstreamUrl: emulator.url })`. The worker is bundled with esbuild once
 * per process; its vars are the committed dev vars (`.dev.vars.example`), overridable per call.
 */
import { Miniflare } from 'miniflare';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, buildWorker } from '../../scripts/build-worker.js';
import { readDevVarsFile } from '../../src/node/index.js';

export interface StartWorkerOptions {
  /** The Voucherify API the worker talks to (e.g. the emulator's `url`). */
  upstreamUrl: string;
  /** Overrides of the dev vars; `undefined` removes a variable. */
  vars?: Record<string, string | undefined>;
  /** Default: a free port. */
  port?: number;
  /** Workers rate-limit bindings to configure (absent by default, so they are inert). */
  rateLimits?: Partial<Record<'WRITE_LIMITER' | 'UNSUBSCRIBE_LIMITER', { limit: number; period?: 10 | 60 }>>;
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

let bundle: Promise<string> | undefined;

/** The esbuild bundle of `src/worker/index.ts`, built once per process into a temp directory. */
export function workerBundle(): Promise<string> {
  bundle ??= (async () => buildWorker(path.join(await mkdtemp(path.join(tmpdir(), 'vc-worker-')), 'index.js')))();
  return bundle;
}

/** The committed dev-only vars (`.dev.vars.example`). */
export async function devVars(): Promise<Record<string, string>> {
  return readDevVarsFile(path.join(ROOT, '.dev.vars.example'));
}

/** `compatibility_date` from wrangler.toml, so tests run the worker exactly as `wrangler dev` does. */
export async function compatibilityDate(): Promise<string> {
  const toml = await readFile(path.join(ROOT, 'wrangler.toml'), 'utf8');
  const match = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml);
  if (!match) throw new Error('wrangler.toml has no compatibility_date');
  return match[1]!;
}

function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let index: number;
    while ((index = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, index));
      buffer = buffer.slice(index + 1);
    }
  });
}

export async function startWorker(options: StartWorkerOptions): Promise<RunningWorker> {
  const [scriptPath, base, date] = await Promise.all([workerBundle(), devVars(), compatibilityDate()]);
  const vars: Record<string, string> = { ...base, LOG_LEVEL: 'info', VOUCHERIFY_API_URL: options.upstreamUrl };
  for (const [name, value] of Object.entries(options.vars ?? {})) {
    if (value === undefined) delete vars[name];
    else vars[name] = value;
  }
  const onLog =
    options.onLog ??
    (process.env.VC_WORKER_LOGS === '1' ? (line: string) => console.log(`[worker] ${line}`) : () => undefined);
  const ratelimits = Object.fromEntries(
    Object.entries(options.rateLimits ?? {}).map(([name, rule]) => [
      name,
      { simple: { limit: rule.limit, period: rule.period ?? 60 } },
    ]),
  );
  const miniflare = new Miniflare({
    modules: true,
    scriptPath,
    modulesRoot: path.dirname(scriptPath),
    compatibilityDate: date,
    bindings: vars,
    ratelimits,
    ...(options.durableObjects === false
      ? {}
      : { durableObjects: { CUSTOMER_OBJECTS: { className: 'CustomerObject', useSQLite: true } } }),
    cf: false,
    host: '127.0.0.1',
    port: options.port ?? 0,
    handleRuntimeStdio(stdout, stderr) {
      lines(stdout, onLog);
      lines(stderr, onLog);
    },
  });
  const url = (await miniflare.ready).href.replace(/\/+$/, '');
  let closing: Promise<void> | undefined;
  return {
    url,
    miniflare,
    close() {
      closing ??= miniflare.dispose();
      return closing;
    },
  };
}
