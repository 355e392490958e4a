/**
 * `npm start`: builds, then runs the whole demo stack on fixed places —
 *   the Voucherify emulator   127.0.0.1:4010  (VC_EMULATOR_PORT)
 *   the edge worker           127.0.0.1:8787  (VC_WORKER_PORT, in workerd through Miniflare, pointed at the emulator)
 *   the demo shop             127.0.0.1:8000  (VC_DEMO_PORT)
 * prints the URLs and the demo logins, and stops every child on Ctrl-C or SIGTERM. The worker runs in a child process
 * that is restarted if it dies (see `worker-process.ts`); everything printed has its tokens redacted (`redact.ts`).
 *
 *   --no-build   skip `npm run build` (the end-to-end tests build once, then start the stack)
 *
 * VC_EMULATOR_RATE_LIMIT (e.g. `60/10s`), VC_EMULATOR_PLAN and VC_EMULATOR_BILLING_CYCLE give the emulator
 * Voucherify's limits, as they do to `npm run emulator`.
 *
 * The emulator sends its customer webhooks to the worker's `/webhooks/voucherify`, signed with a dev-only secret both
 * are given, so the worker's read cache drops a customer changed behind its back (an import, the back office, a reset).
 *
 * The demo uses the kit as a shop would, through the package's entry points (`vc-consent/emulator`, `/node`, `/api`,
 * and the `/cdn` bundles in its pages). Those are the build's output, so the demo's own modules load after the build.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunningEmulator } from 'vc-consent/emulator';
import type { RunningDemo } from './server.js';
import { redactWrites } from './redact.js';
import { startWorkerProcess, type WorkerProcess } from './worker-process.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const HOST = '127.0.0.1';
const WATCHDOG_LINE = /"route":"GET \/healthz","status":200\b/;
const WEBHOOK_LINE = /"route":"POST \/webhooks\/voucherify","status":200\b/;
/** DEV-ONLY, like `.dev.vars.example`: a deployed worker gets the secret of its Voucherify project's webhook. */
const DEV_WEBHOOK_SECRET = 'dev-only-webhook-secret-5xJq2VtR8mWcLk3NpZ7aYh4DsE9uGf6B';
redactWrites(process.stdout);
redactWrites(process.stderr);

function fail(message: string): never {
  console.error(`npm start: ${message}`);
  process.exit(1);
}

function portFrom(variable: string, fallback: number): number {
  const text = process.env[variable] ?? String(fallback);
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65_535) fail(`${variable}="${text}" is not a port number`);
  return port;
}

function assertFree(port: number, what: string, variable: string): Promise<void> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'is already in use' : `cannot be opened (${error.code})`;
      fail(
        `port ${port} for the ${what} ${reason} on ${HOST}. Stop what holds it, or set ${variable} to another port.`,
      );
    });
    probe.listen(port, HOST, () => probe.close(() => resolve()));
  });
}

const ports = {
  emulator: portFrom('VC_EMULATOR_PORT', 4010),
  worker: portFrom('VC_WORKER_PORT', 8787),
  demo: portFrom('VC_DEMO_PORT', 8000),
};
if (new Set(Object.values(ports)).size !== 3) fail(`the three ports must differ (got ${JSON.stringify(ports)})`);
await assertFree(ports.emulator, 'emulator', 'VC_EMULATOR_PORT');
await assertFree(ports.worker, 'edge worker', 'VC_WORKER_PORT');
await assertFree(ports.demo, 'demo', 'VC_DEMO_PORT');

if (!process.argv.includes('--no-build')) {
  console.log('npm start: building…');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) fail('the build failed (see above)');
}
/** The demo's modules, which import the built package (a missing build is the one failure worth explaining). */
async function loadDemo() {
  try {
    return { ...(await import('vc-consent/emulator')), ...(await import('./server.js')) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return fail(
      `${(error as Error).message}\n  The package is not built: run \`npm run build\`, or leave out --no-build.`,
    );
  }
}
const { startEmulator, limitOptions, DEMO_CUSTOMERS, startDemoServer } = await loadDemo();
const emulatorLimits = (() => {
  try {
    return limitOptions({}, process.env);
  } catch (error) {
    return fail((error as Error).message);
  }
})();

const urls = {
  emulator: `http://${HOST}:${ports.emulator}`,
  worker: `http://${HOST}:${ports.worker}`,
  demo: `http://${HOST}:${ports.demo}`,
};

let emulator: RunningEmulator | undefined;
let demo: RunningDemo | undefined;
// The worker's Durable Objects (each customer's consent ledger) start empty with the emulator's seed and go with it,
// instead of piling up in .wrangler/state across runs against a freshly seeded emulator.
const workerState = mkdtempSync(path.join(tmpdir(), 'vc-demo-worker-'));
let worker: WorkerProcess | undefined;
let stopping = false;

async function stop(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([worker?.stop(), demo?.close(), emulator?.close()]);
  rmSync(workerState, { recursive: true, force: true });
  process.exit(code);
}
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    console.log(`\nnpm start: ${signal}, stopping…`);
    void stop(0);
  });
}
// The emulator and the demo shop share this process: an error escaping one of their requests is logged, not fatal.
process.on('uncaughtException', (error) => {
  console.error('npm start: unexpected error (the stack keeps running):', error);
});
// If whoever started us dies without passing a signal on (a shell killed alone), stop too: no stray workerd.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) void stop(0);
}, 500).unref();

try {
  emulator = await startEmulator({
    port: ports.emulator,
    host: HOST,
    quiet: true,
    ...emulatorLimits,
    // The worker starts next: a delivery failing until it is up is retried a few times, then dropped with a warning.
    webhookUrl: `${urls.worker}/webhooks/voucherify`,
    webhookSecret: DEV_WEBHOOK_SECRET,
  });
  worker = await startWorkerProcess({
    root,
    port: ports.worker,
    upstreamUrl: urls.emulator,
    persistTo: workerState,
    vars: [
      `ALLOWED_ORIGINS:${urls.demo},http://localhost:${ports.demo}`,
      `PUBLIC_URL:${urls.worker}`,
      `PREFERENCES_URL:${urls.demo}/account.html`,
      `ELEMENTS_URL:${urls.demo}/cdn/`,
      `VOUCHERIFY_WEBHOOK_SECRET:${DEV_WEBHOOK_SECRET}`,
    ],
    onLine: (line, stream) => {
      if (WATCHDOG_LINE.test(line)) return; // the health checks that keep the worker running, every few seconds
      if (WEBHOOK_LINE.test(line)) return; // the emulator's webhooks: one per changed customer (an import: thousands)
      (stream === 'stdout' ? process.stdout : process.stderr).write(`[worker] ${line}\n`);
    },
    log: (message) => console.error(`npm start: ${message}`),
  });
  demo = await startDemoServer({ port: ports.demo, host: HOST, workerUrl: urls.worker, emulatorUrl: urls.emulator });
} catch (error) {
  console.error(`npm start: ${(error as Error).message}`);
  await stop(1);
}

const logins = Object.values(DEMO_CUSTOMERS)
  .map((person) => `    ${person.name.padEnd(14)} ${person.email}`)
  .join('\n');
console.log(`
vc-consent demo is running — Ctrl-C stops everything.

  Storefront     ${urls.demo}/
  Account        ${urls.demo}/account.html
  Sent emails    ${urls.demo}/emails
  Back office    ${urls.demo}/backoffice.html
  Edge worker    ${urls.worker}   (admin keys X-App-Id: edge-admin / X-App-Token: edge-admin-token)
  Emulator       ${urls.emulator}   (server keys emulator-app-id / emulator-app-token; controls ${urls.emulator}/_emulator/…)

  Demo logins (pick one on the storefront; no password):
${logins}
`);
