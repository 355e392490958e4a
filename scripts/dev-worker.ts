/**
 * The edge worker run locally in workerd through Miniflare's API: the esbuild bundle of `src/worker/index.ts`, the
 * committed dev vars (`.dev.vars.example`) plus overrides, the per-customer Durable Object on SQLite. The tests start
 * it in their own process (`startDevWorker`); `npm start` runs it as a child process (this file's command line, below)
 * so that whatever kills the runtime takes only this child down and the orchestrator can start a new one.
 *
 *   tsx scripts/dev-worker.ts --port 8787 --upstream http://127.0.0.1:4010 [--persist-to DIR] [--var NAME:VALUE]…
 *
 * The command line exits 1 when workerd dies under it (Miniflare does not notice a runtime that is gone).
 */
import { Miniflare } from 'miniflare';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ROOT, buildWorker } from './build-worker.js';
import { readDevVarsFile } from '../src/node/index.js';

export type RateLimitName = 'WRITE_LIMITER' | 'UNSUBSCRIBE_LIMITER';
export type RateLimitRules = Partial<Record<RateLimitName, { limit: number; period?: 10 | 60 }>>;

export interface DevWorkerOptions {
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
  /** Keep the Durable Objects' SQLite files in this folder (default: in memory, gone with the worker). */
  persistTo?: string;
  /** Receives each line the worker runtime prints. */
  onLog?: (line: string) => void;
  /** Called once if workerd exits while the worker is not being closed. */
  onRuntimeExit?: () => void;
}

export interface DevWorker {
  url: string;
  miniflare: Miniflare;
  close(): Promise<void>;
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

const readToml = () => readFile(path.join(ROOT, 'wrangler.toml'), 'utf8');

/** `compatibility_date` from wrangler.toml, so the worker runs here exactly as `wrangler dev` runs it. */
export async function compatibilityDate(): Promise<string> {
  const match = /^compatibility_date\s*=\s*"([^"]+)"/m.exec(await readToml());
  if (!match) throw new Error('wrangler.toml has no compatibility_date');
  return match[1]!;
}

/** The `[[ratelimits]]` of wrangler.toml, the limits a deployed worker (and `wrangler dev`) enforces. */
export async function configuredRateLimits(): Promise<RateLimitRules> {
  const rules: RateLimitRules = {};
  for (const block of (await readToml()).split(/^\[\[ratelimits\]\]\s*$/m).slice(1)) {
    const name = /^name\s*=\s*"([^"]+)"/m.exec(block)?.[1];
    const simple = /^simple\s*=\s*\{\s*limit\s*=\s*(\d+)\s*,\s*period\s*=\s*(\d+)\s*\}/m.exec(block);
    if (name && simple) rules[name as RateLimitName] = { limit: Number(simple[1]), period: Number(simple[2]) as 10 };
  }
  return rules;
}

function lines(stream: NodeJS.ReadableStream, onLine: (line: string) => void, onEnd: () => void): void {
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
  // Miniflare destroys the pipes when it disposes the runtime; they end on their own only when workerd exits.
  stream.on('end', onEnd);
}

export async function startDevWorker(options: DevWorkerOptions): Promise<DevWorker> {
  const [scriptPath, base, date] = await Promise.all([workerBundle(), devVars(), compatibilityDate()]);
  const vars: Record<string, string> = { ...base, LOG_LEVEL: 'info', VOUCHERIFY_API_URL: options.upstreamUrl };
  for (const [name, value] of Object.entries(options.vars ?? {})) {
    if (value === undefined) delete vars[name];
    else vars[name] = value;
  }
  const onLog = options.onLog ?? (() => undefined);
  const ratelimits = Object.fromEntries(
    Object.entries(options.rateLimits ?? {}).map(([name, rule]) => [
      name,
      { simple: { limit: rule.limit, period: rule.period ?? 60 } },
    ]),
  );
  let closing: Promise<void> | undefined;
  let exited = false;
  const onEnd = () => {
    if (closing || exited) return;
    exited = true;
    options.onRuntimeExit?.();
  };
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
    ...(options.persistTo ? { durableObjectsPersist: options.persistTo } : {}),
    cf: false,
    host: '127.0.0.1',
    port: options.port ?? 0,
    handleRuntimeStdio(stdout, stderr) {
      lines(stdout, onLog, onEnd);
      lines(stderr, onLog, onEnd);
    },
  });
  const url = (await miniflare.ready).href.replace(/\/+$/, '');
  return {
    url,
    miniflare,
    close() {
      closing ??= miniflare.dispose();
      return closing;
    },
  };
}

/** The command line `npm start` runs: one worker, its lines on stdout, exit 1 when the runtime dies. */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      upstream: { type: 'string' },
      'persist-to': { type: 'string' },
      var: { type: 'string', multiple: true, default: [] },
    },
  });
  if (!values.port || !values.upstream)
    throw new Error('usage: dev-worker --port N --upstream URL [--var NAME:VALUE]…');
  const vars = Object.fromEntries(
    values.var.map((pair) => [pair.slice(0, pair.indexOf(':')), pair.slice(pair.indexOf(':') + 1)]),
  );
  const worker = await startDevWorker({
    upstreamUrl: values.upstream,
    port: Number(values.port),
    vars,
    rateLimits: await configuredRateLimits(),
    ...(values['persist-to'] ? { persistTo: values['persist-to'] } : {}),
    onLog: (line) => console.log(line),
    onRuntimeExit: () => {
      console.error('dev-worker: workerd exited unexpectedly');
      process.exit(1);
    },
  });
  console.log(`dev-worker: ready on ${worker.url}`);
  // Orphaned (whoever started us went away without a signal reaching us): stop, taking workerd along.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void worker.close().finally(() => process.exit(0));
  }, 500).unref();
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(`dev-worker: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  });
}
