/**
 * What production pays per request at the edge, measured on the built worker in bare workerd (no Miniflare entry or
 * outbound worker, no compression on either path), side by side with a do-nothing proxy worker that forwards the
 * same upstream call: workerd CPU per request (scheduler time of the workerd process), the worker's own overhead
 * over the proxy, throughput against it, the latency added at one client, and the CPU of a fresh isolate's first
 * request.
 */
import { DEMO_CUSTOMERS, EMULATOR_DEFAULTS } from '../../src/emulator/index.js';
import { devSessionToken } from '../support/tokens.js';
import { compatibilityDate, devVars, workerBundle } from '../support/worker.js';
import { readScript, startBareWorkerd, type BareWorkerdOptions } from '../support/workerd.js';
import { cpuMs, delta, loadWithCpu, merge, ms, type LoadResult, type NextRequest } from '../support/load.js';
import type { BenchSection } from './run.js';

const CLIENTS = 8;
/** The paths take turns, `ROUNDS` rounds each, so a busy moment on the machine hits all of them. */
const ROUNDS = 6;
const ROUND_MS = 1_000;
const LATENCY_REQUESTS_PER_ROUND = 300;
const COLD_STARTS = 7;
const SERVER_KEYS = {
  'X-App-Id': EMULATOR_DEFAULTS.serverKeys[0].appId,
  'X-App-Token': EMULATOR_DEFAULTS.serverKeys[0].appToken,
};

/** Forwards the path it is asked for to the upstream with the server keys, and answers `/healthz` itself. */
const PROXY_SCRIPT = `export default {
  fetch(request, env) {
    const { pathname, search } = new URL(request.url);
    if (pathname === '/healthz') return Response.json({ status: 'ok' });
    return fetch(env.UPSTREAM + pathname + search, { headers: { 'x-app-id': env.APP_ID, 'x-app-token': env.APP_TOKEN } });
  },
};`;

interface Measured extends LoadResult {
  cpuMs: number;
}

const cpuPerRequest = (run: Measured) => run.cpuMs / run.requests;

/** Runs each named load in turn, `ROUNDS` times, and merges each one's rounds (CPU summed). */
async function alternate(
  loads: Record<string, { pid: number | null; next: NextRequest }>,
  options: { durationMs?: number; total?: number; clients: number },
): Promise<Record<string, Measured>> {
  const rounds: Record<string, Measured[]> = Object.fromEntries(Object.keys(loads).map((name) => [name, []]));
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const [name, { pid, next }] of Object.entries(loads)) {
      rounds[name]!.push(await loadWithCpu(() => (pid ? [pid] : []), next, options));
    }
  }
  return Object.fromEntries(
    Object.entries(rounds).map(([name, runs]) => [
      name,
      { ...merge(runs), cpuMs: runs.reduce((sum, run) => sum + run.cpuMs, 0) },
    ]),
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** CPU of process start-up (until it listens and settles), of the first `GET /v1/me`, and of the second. */
async function coldStart(options: BareWorkerdOptions, request: [string, RequestInit]) {
  const startup: number[] = [];
  const first: number[] = [];
  const second: number[] = [];
  for (let i = 0; i < COLD_STARTS; i += 1) {
    const handle = await startBareWorkerd(options);
    const { url } = handle;
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const atStart = cpuMs([handle.pid]);
      const send = async () => {
        const response = await fetch(url + request[0], request[1]);
        await response.arrayBuffer();
        if (!response.ok) throw new Error(`cold start answered ${response.status}`);
      };
      await send();
      const afterFirst = cpuMs([handle.pid]);
      await send();
      startup.push(atStart);
      first.push(afterFirst - atStart);
      second.push(cpuMs([handle.pid]) - afterFirst);
    } finally {
      await handle.close();
    }
  }
  return { startup: median(startup), first: median(first), second: median(second), all: first };
}

/**
 * `VC_BENCH_WORKER_BASELINE=<bundle.js>` (e.g. `npm run build:worker -- /tmp/before.js` on an older commit) adds that
 * build's rows to the same run, for before/after figures.
 */
const BASELINE = process.env.VC_BENCH_WORKER_BASELINE;

export async function edgeHotPath(emulatorUrl: string): Promise<BenchSection[]> {
  const [script, base, date] = await Promise.all([workerBundle().then(readScript), devVars(), compatibilityDate()]);
  const workerOptions: BareWorkerdOptions = {
    script,
    compatibilityDate: date,
    vars: { ...base, VOUCHERIFY_API_URL: emulatorUrl, LOG_LEVEL: 'warn' },
    customerObjects: true,
  };
  const worker = await startBareWorkerd(workerOptions);
  const baselineOptions = BASELINE ? { ...workerOptions, script: await readScript(BASELINE) } : null;
  const baseline = baselineOptions ? await startBareWorkerd(baselineOptions) : null;
  // The default log level writes one line per request, with a keyed digest of the customer.
  const logging = await startBareWorkerd({ ...workerOptions, vars: { ...workerOptions.vars, LOG_LEVEL: 'info' } });
  const proxyOptions: BareWorkerdOptions = {
    script: PROXY_SCRIPT,
    compatibilityDate: date,
    vars: { UPSTREAM: emulatorUrl, APP_ID: SERVER_KEYS['X-App-Id'], APP_TOKEN: SERVER_KEYS['X-App-Token'] },
  };
  const proxy = await startBareWorkerd(proxyOptions);
  try {
    const alice = DEMO_CUSTOMERS.alice.id;
    const me: [string, RequestInit] = [
      '/v1/me',
      { headers: { authorization: `Bearer ${await devSessionToken(alice)}` } },
    ];
    const loads = {
      direct: { pid: null, next: () => [`${emulatorUrl}/v1/customers/${alice}`, { headers: SERVER_KEYS }] },
      me: { pid: worker.pid, next: () => [worker.url + me[0], me[1]] },
      proxy: { pid: proxy.pid, next: () => [`${proxy.url}/v1/customers/${alice}`] },
      meLogged: { pid: logging.pid, next: () => [logging.url + me[0], me[1]] },
      ...(baseline ? { baseline: { pid: baseline.pid, next: () => [baseline.url + me[0], me[1]] } } : {}),
      healthz: { pid: worker.pid, next: () => [`${worker.url}/healthz`] },
      proxyHealthz: { pid: proxy.pid, next: () => [`${proxy.url}/healthz`] },
    } satisfies Record<string, { pid: number | null; next: NextRequest }>;
    // Warm every path (connections, JIT, the isolate's set-up and key import).
    await alternate(loads, { total: 100, clients: CLIENTS });
    const busy = await alternate(loads, { durationMs: ROUND_MS, clients: CLIENTS });
    const single = await alternate(
      { direct: loads.direct, me: loads.me, proxy: loads.proxy, ...(baseline ? { baseline: loads.baseline! } : {}) },
      { total: LATENCY_REQUESTS_PER_ROUND, clients: 1 },
    );
    const cold = await coldStart(workerOptions, me);
    const proxyCold = await coldStart(proxyOptions, [`/v1/customers/${alice}`, {}]);
    const baselineCold = baselineOptions ? await coldStart(baselineOptions, me) : null;

    const overhead = cpuPerRequest(busy.me!) - cpuPerRequest(busy.proxy!);
    type Cold = typeof cold;
    const coldRow = (measure: string, show: (run: Cold) => string) => ({
      measure,
      worker: show(cold),
      proxy: show(proxyCold),
      ...(baselineCold ? { baseline: show(baselineCold) } : {}),
    });
    const row = (path: string, run: Measured, idle?: Measured) => ({
      path,
      'CPU/request': run.cpuMs ? ms(cpuPerRequest(run)) : '',
      'req/s': Math.round(run.perSecond),
      [`p50 (${CLIENTS} clients)`]: ms(run.p50),
      'p50 (1 client)': idle ? ms(idle.p50) : '',
      errors: run.errors + (idle?.errors ?? 0),
    });
    return [
      {
        title: `Edge hot path: the built worker in bare workerd (${CLIENTS} clients for CPU and req/s, ${ROUNDS} alternating rounds of ${ROUND_MS / 1000} s; 1 client: ${ROUNDS} × ${LATENCY_REQUESTS_PER_ROUND} requests)`,
        rows: [
          row('emulator directly: GET /v1/customers/{id}', busy.direct!, single.direct),
          row('do-nothing proxy → GET /v1/customers/{id}', busy.proxy!, single.proxy),
          row('worker: GET /v1/me (session verify, upstream, projection)', busy.me!, single.me),
          ...(baseline ? [row(`baseline build (${BASELINE}): GET /v1/me`, busy.baseline!, single.baseline)] : []),
          row('the same with LOG_LEVEL=info (the default: one log line per request)', busy.meLogged!),
          row('worker: GET /healthz (no upstream)', busy.healthz!),
          row('do-nothing proxy: /healthz', busy.proxyHealthz!),
          {
            path: 'worker’s own overhead (GET /v1/me − proxy)',
            'CPU/request': delta(overhead),
            'req/s': `${(busy.me!.perSecond / busy.proxy!.perSecond).toFixed(2)}× proxy`,
            [`p50 (${CLIENTS} clients)`]: delta(busy.me!.p50 - busy.proxy!.p50),
            'p50 (1 client)': `${delta(single.me!.p50 - single.direct!.p50)} over direct`,
            errors: '',
          },
          {
            path: `cold: a fresh isolate's first GET /v1/me (proxy: its first request), median of ${COLD_STARTS}`,
            'CPU/request': `${ms(cold.first)} (proxy ${ms(proxyCold.first)})`,
            'req/s': '',
            [`p50 (${CLIENTS} clients)`]: '',
            'p50 (1 client)': '',
            errors: '',
          },
        ],
        notes: [
          'CPU/request: on-CPU time of the workerd process (all threads) ÷ requests; it includes HTTP parsing and the upstream fetch. The worker runs with LOG_LEVEL=warn unless said otherwise.',
          'Targets: overhead ≤ 0.15 ms CPU, throughput ≥ 0.85× the proxy, added p50 at 1 client ≤ 0.4 ms, a cold first request ≤ 4 ms CPU.',
        ],
      },
      {
        title: `Edge cold start: a fresh workerd process, median of ${COLD_STARTS}`,
        rows: [
          coldRow('workerd CPU from spawn until it listens (script load)', (run) => ms(run.startup)),
          coldRow('CPU of the first request on the fresh isolate', (run) => ms(run.first)),
          coldRow('CPU of the second request', (run) => ms(run.second)),
          coldRow('first requests, every run', (run) => run.all.map((value) => value.toFixed(1)).join(' · ')),
        ],
        notes: [
          'The worker’s request is GET /v1/me, the proxy’s the GET /v1/customers/{id} it forwards. Script start-up runs before any request, as Cloudflare runs it while the connection opens.',
          'Target: the first request ≤ 4 ms CPU (Cloudflare’s free plan allows 10 ms per request).',
        ],
      },
    ];
  } finally {
    await Promise.all([worker.close(), logging.close(), proxy.close(), baseline?.close()]);
  }
}
