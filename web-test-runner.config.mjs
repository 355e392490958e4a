/**
 * Browser tests of the web components (`npm run test:browser`): @web/test-runner + @open-wc/testing in Debian's
 * Chromium, against the real emulator and the real edge worker (workerd, via Miniflare), both started here.
 *
 * The browser cannot reach the emulator's control routes or the token helpers, so a small middleware exposes them to
 * the tests under `/__vc/…` (see `test/support/browser/components.ts`): the URLs, session, unsubscribe and preferences tokens
 * minted with the worker's own keys, emulator faults and reset, and what the emulator stores for a customer (read
 * through its server API with the default server keys; those reads appear in the emulator's request log as GETs).
 */
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher } from '@web/test-runner-chrome';
import { register } from 'tsx/esm/api';

// Not 8000 (the demo) nor the stack's 4010/8787. The page origin is http://localhost:<port>.
const port = Number(process.env.VC_WTR_PORT ?? 8765);

register();
const { CHROMIUM_FLAGS, findChromium, noChromium } = await import('./test/support/chromium.ts');
const executablePath = findChromium();
if (!executablePath) {
  console.error(`\n${noChromium()}\n`);
  process.exit(1);
}
const { startEmulator } = await import('./src/emulator/index.ts');
const { startWorker } = await import('./test/support/worker.ts');
const { devPreferencesToken, devSessionToken, devUnsubscribeToken } = await import('./test/support/tokens.ts');

/** @type {{ emulator: import('./src/emulator/index.ts').RunningEmulator, worker: { url: string, close(): Promise<void> } } | undefined} */
let stack;

/** A GET on the emulator's server API with its default keys: `{status, body}`. */
async function emulatorGet(path) {
  const response = await fetch(`${stack.emulator.url}${path}`, {
    headers: { 'x-app-id': 'emulator-app-id', 'x-app-token': 'emulator-app-token' },
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

async function readJson(request) {
  let text = '';
  for await (const chunk of request) text += chunk;
  return text ? JSON.parse(text) : {};
}

/** `/__vc/*`: what the tests need from the Node side. */
function testControl() {
  return {
    name: 'vc-test-control',
    async serverStart() {
      const emulator = await startEmulator({ port: 0, quiet: true });
      const worker = await startWorker({
        upstreamUrl: emulator.url,
        vars: { ALLOWED_ORIGINS: `http://localhost:${port},http://127.0.0.1:${port}` },
      });
      stack = { emulator, worker };
    },
    async serverStop() {
      await stack?.worker.close();
      await stack?.emulator.close();
    },
  };
}

async function control(context, next) {
  if (!context.path.startsWith('/__vc/')) return next();
  const { emulator, worker } = stack;
  const route = `${context.method} ${context.path}`;
  const body = context.method === 'POST' ? await readJson(context.req) : {};
  context.type = 'json';
  switch (route) {
    case 'GET /__vc/env':
      context.body = { emulatorUrl: emulator.url, workerUrl: worker.url };
      return;
    case 'POST /__vc/session':
      context.body = {
        token: await devSessionToken(body.customer, {
          scopes: body.scopes,
          ttlSeconds: body.ttlSeconds,
          ...(body.now ? { now: new Date(body.now) } : {}),
        }),
      };
      return;
    case 'POST /__vc/unsubscribe-token':
      context.body = { token: await devUnsubscribeToken(body.customer, body.jti ? { jti: body.jti } : {}) };
      return;
    case 'POST /__vc/preferences-token':
      context.body = {
        token: await devPreferencesToken(body.customer, {
          ...(body.ttlSeconds ? { ttlSeconds: body.ttlSeconds } : {}),
          ...(body.now ? { now: new Date(body.now) } : {}),
        }),
      };
      return;
    case 'POST /__vc/faults':
      emulator.setFaults(body.rules);
      context.body = { ok: true };
      return;
    case 'POST /__vc/clear-faults':
      emulator.clearFaults();
      context.body = { ok: true };
      return;
    case 'POST /__vc/reset':
      await emulator.reset();
      context.body = { ok: true };
      return;
    case 'GET /__vc/empty/client/v1/consents': {
      // A Voucherify project without any consent definition (the emulator always has its seed).
      const empty = { object: 'list', data_ref: 'data', total: 0, data: [] };
      context.body = { groups: empty, consents: empty };
      return;
    }
    case 'GET /__vc/customer': {
      // The stored customer, `system_metadata.consents` with their dates included; `{status: 404}` once it is gone.
      const { status, body: customer } = await emulatorGet(`/v1/customers/${encodeURIComponent(context.query.id)}`);
      context.body = { status, customer: status === 200 ? customer : null };
      return;
    }
    case 'GET /__vc/activities': {
      // The customer's activities, oldest first, as `{type, consents: [ids], created_at}`.
      const { status, body: list } = await emulatorGet(
        `/v1/customers/${encodeURIComponent(context.query.id)}/activity?limit=100&order=created_at`,
      );
      context.body = (status === 200 ? list.data : []).map((activity) => ({
        type: activity.type,
        consents: (activity.data?.data?.consents ?? []).map((consent) => consent.id),
        created_at: activity.created_at,
      }));
      return;
    }
    case 'GET /__vc/requests':
      context.body = emulator.requests();
      return;
    default:
      context.status = 404;
      context.body = { error: `no test route ${route}` };
  }
}

export default {
  files: ['test/components/**/*.test.ts'],
  port,
  hostname: 'localhost',
  nodeResolve: true,
  concurrency: 1,
  concurrentBrowsers: 1,
  testsFinishTimeout: 600_000,
  testFramework: { config: { timeout: 20_000 } },
  middleware: [control],
  plugins: [esbuildPlugin({ ts: true, target: 'es2022', tsconfig: 'tsconfig.json' }), testControl()],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath,
        args: CHROMIUM_FLAGS,
      },
    }),
  ],
};
