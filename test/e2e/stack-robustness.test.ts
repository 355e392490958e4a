/**
 * End to end: `npm start`'s stack against clients that misbehave. Half-sent requests and a seeded fuzz against all
 * three ports must leave every later normal request answered normally; memory must level off (warm-up, mixed load
 * with the fuzz, idle: every process within 25% of its resident memory after warm-up); no token may ever reach the
 * stack's logs; a killed workerd is restarted while the emulator and the demo shop keep serving.
 *
 *   VC_FUZZ_SECONDS   how long the mixed load and fuzz run (default 60)
 *   VC_IDLE_SECONDS   the idle time before memory is compared (default 30)
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DEMO_CUSTOMERS } from '../../src/emulator/seed.js';
import { emulatorControl, startDemoStack, type DemoStack } from '../support/demo-stack.js';
import { fuzzBatch, type FuzzTarget } from '../support/fuzz-requests.js';
import { portIsFree } from '../support/ports.js';
import { load } from '../support/load.js';
import { processTree, rssKiB } from '../support/process-tree.js';
import { halfSentRequest, inPool, sendRaw } from '../support/raw-http.js';
import { devPreferencesToken, devSessionToken, devUnsubscribeToken } from '../support/tokens.js';
import { answersNormally, demoSignIn, mixedLoad, type StackSecrets } from '../support/stack-traffic.js';

const FUZZ_SECONDS = Number(process.env.VC_FUZZ_SECONDS ?? 60);
const IDLE_SECONDS = Number(process.env.VC_IDLE_SECONDS ?? 30);
const WARMUP_SECONDS = 15;
const HALF_SENT_PER_PORT = 1_000;
const SEED = 20_260_512;
const RSS_BUDGET = 1.25;
/**
 * workerd's memory climbs over the first hundred thousand or so requests it serves, then stays: measured with a
 * worker that only answers "ok", and with bare workerd (no Miniflare) on the built worker, where it levels off at
 * 250-300 MB whatever V8's heap limit. Levelling off is the property checked, so the warm-up brings workerd there
 * (cheap `/healthz` bursts until its RSS stops growing) before the memory is taken.
 */
const SETTLE_BURST_MS = 10_000;
const SETTLE_MAX_BURSTS = 15;
const SETTLED_GROWTH = 1.03;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let stack: DemoStack;
/** Every token the test sent: none may show up in what the stack printed. */
let secrets: StackSecrets;

before(async () => {
  stack = await startDemoStack();
  // Yuki is the fuzz's customer (its tokens are in the fuzzed paths and headers); Alice is checked for normal answers.
  const yuki = DEMO_CUSTOMERS.yuki.id;
  secrets = {
    session: await devSessionToken(yuki),
    unsubscribe: await devUnsubscribeToken(yuki),
    preferences: await devPreferencesToken(yuki),
    cookie: (await demoSignIn(stack, 'yuki')).cookie,
    seen: [],
  };
});

after(async () => {
  const code = await stack?.stop();
  assert.equal(code, 0, `npm start exited with ${code}:\n${stack?.output()}`);
  for (const [name, port] of Object.entries(stack.ports)) {
    assert.ok(await portIsFree(port), `the ${name} port ${port} is still taken after npm start stopped`);
  }
});

function fuzzTargets(): FuzzTarget[] {
  const bearer: [string, string] = ['Authorization', `Bearer ${secrets.session}`];
  return [
    {
      port: stack.ports.worker,
      prefixes: ['/', '/healthz', '/v1/me', '/v1/me/consents', '/v1/me/consents/history', '/v1/consents']
        .concat(['/v1/consent-records', '/v1/customers', '/v1/async-actions', '/confirm'])
        .concat([`/unsubscribe/${secrets.unsubscribe}`, `/preferences/${secrets.preferences}/consents`]),
      headerSets: [[], [bearer], [bearer, ['Origin', stack.demoUrl]]],
    },
    {
      port: stack.ports.demo,
      prefixes: [
        '/',
        '/account.html',
        '/login',
        '/logout',
        '/api/session',
        '/emails',
        '/signup',
        '/cdn',
        '/assets',
      ].concat(['/admin/api/customers', '/admin/api/import', '/admin/api/metadata']),
      headerSets: [[], [['Cookie', `demo_session=${secrets.cookie}`]]],
    },
    {
      port: stack.ports.emulator,
      prefixes: ['/', '/v1/customers', '/v1/consents', '/client/v1/customers', '/v1/async-actions', '/v1/publications'],
      headerSets: [[], [['X-App-Id', 'nobody']]],
    },
  ];
}

async function fuzzFor(seconds: number, firstBatch: number): Promise<number> {
  const deadline = Date.now() + seconds * 1_000;
  const tokens = [secrets.session, secrets.unsubscribe, secrets.preferences, secrets.cookie];
  let batch = firstBatch;
  while (Date.now() < deadline) {
    const requests = fuzzBatch(fuzzTargets(), tokens, SEED, batch++, 48);
    await inPool(requests, 12, (request) => sendRaw(request.port, request.bytes, request.delivery));
  }
  return batch;
}

async function halfSent(perPort: number): Promise<void> {
  const bearer: [string, string] = ['Authorization', `Bearer ${secrets.session}`];
  const targets = [
    { port: stack.ports.worker, method: 'PUT', path: '/v1/me/consents', headers: [bearer] },
    { port: stack.ports.worker, method: 'POST', path: `/unsubscribe/${secrets.unsubscribe}`, headers: [] },
    { port: stack.ports.worker, method: 'PUT', path: `/preferences/${secrets.preferences}/consents`, headers: [] },
    { port: stack.ports.demo, method: 'POST', path: '/login', headers: [] },
    { port: stack.ports.demo, method: 'POST', path: '/signup', headers: [] },
    { port: stack.ports.emulator, method: 'POST', path: '/v1/customers', headers: [] },
    { port: stack.ports.emulator, method: 'PUT', path: `/v1/customers/${DEMO_CUSTOMERS.bob.id}`, headers: [] },
  ];
  const jobs = [stack.ports.worker, stack.ports.demo, stack.ports.emulator].flatMap((port) => {
    const forPort = targets.filter((target) => target.port === port);
    return Array.from({ length: perPort }, (_, index) => ({ index, target: forPort[index % forPort.length]! }));
  });
  await inPool(jobs, 24, ({ index, target }) =>
    sendRaw(target.port, halfSentRequest(index, target), { kind: 'cut', cutAt: Infinity, lingerMs: index % 20 }),
  );
}

function workerdKiB(): number {
  return processTree(stack.pid)
    .filter((info) => info.name === 'workerd')
    .reduce((total, info) => total + (rssKiB(info.pid) ?? 0), 0);
}

/** `/healthz` bursts until workerd's RSS grows less than 3% over one; returns the requests it took. */
async function settleWorkerd(): Promise<number> {
  let requests = 0;
  let last = workerdKiB();
  for (let burst = 0; burst < SETTLE_MAX_BURSTS; burst += 1) {
    requests += (await load(() => [`${stack.workerUrl}/healthz`], { durationMs: SETTLE_BURST_MS, clients: 16 }))
      .requests;
    const now = workerdKiB();
    if (now < last * SETTLED_GROWTH) return requests;
    last = now;
  }
  throw new Error(`workerd's memory still grew after ${requests} requests: ${last} KiB`);
}

function stackMemory(): Map<number, { name: string; rss: number }> {
  const memory = new Map<number, { name: string; rss: number }>();
  for (const { pid, name } of processTree(stack.pid)) {
    const rss = rssKiB(pid);
    if (rss !== undefined) memory.set(pid, { name, rss });
  }
  return memory;
}

test(
  'survives half-sent requests and a fuzz on every port, levels off in memory, and logs no token',
  { timeout: 20 * 60_000 },
  async (t) => {
    const started = Date.now();
    const phase = (name: string) => t.diagnostic(`${name} done at ${Math.round((Date.now() - started) / 1000)} s`);
    // Warm-up: the same traffic as below, briefly, so caches, JIT and heap sizes settle before memory is taken.
    // workerd first (only it is busy meanwhile), then every process, so the Node ones are measured warm too.
    const settled = await settleWorkerd();
    t.diagnostic(`workerd levelled off at ${workerdKiB()} KiB after ${settled} requests`);
    let batch = 0;
    await Promise.all([mixedLoad(stack, secrets, WARMUP_SECONDS), fuzzFor(WARMUP_SECONDS, 0).then((n) => (batch = n))]);
    await halfSent(HALF_SENT_PER_PORT);
    await answersNormally(stack, secrets);
    await sleep(3_000);
    const warm = stackMemory();
    assert.ok(warm.size >= 3, `the stack's processes: ${JSON.stringify([...warm])}`);
    phase('warm-up');

    await halfSent(HALF_SENT_PER_PORT);
    await answersNormally(stack, secrets);
    phase(`${HALF_SENT_PER_PORT} half-sent requests per port`);

    await Promise.all([mixedLoad(stack, secrets, FUZZ_SECONDS), fuzzFor(FUZZ_SECONDS, batch)]);
    await answersNormally(stack, secrets);
    phase('mixed load and fuzz');

    await sleep(IDLE_SECONDS * 1_000);
    const idle = stackMemory();
    for (const [pid, before] of warm) {
      const now = idle.get(pid);
      t.diagnostic(`${before.name} (${pid}): ${before.rss} KiB after warm-up, ${now?.rss} KiB after load and idle`);
      assert.ok(now, `${before.name} (${pid}) is gone: a part of the stack was restarted\n${stack.output()}`);
      const within = () =>
        assert.ok(
          now.rss <= before.rss * RSS_BUDGET,
          `${before.name} (${pid}) grew from ${before.rss} to ${now.rss} KiB, more than ${(RSS_BUDGET - 1) * 100}%`,
        );
      await t.test(`${before.name} (${pid}) stays within its budget`, within);
    }
    await answersNormally(stack, secrets);

    const output = stack.output();
    assert.doesNotMatch(output, /worker stopped|unexpected error/, 'nothing crashed');
    const tokens = [secrets.session, secrets.unsubscribe, secrets.preferences, secrets.cookie, ...secrets.seen];
    for (const token of tokens) assert.ok(!output.includes(token), `a token reached the stack's logs:\n${output}`);
  },
);

test('a killed workerd is restarted; the emulator and the demo shop keep serving meanwhile', async () => {
  const workerd = processTree(stack.pid).find((info) => info.name === 'workerd');
  assert.ok(workerd, `no workerd below npm start: ${JSON.stringify(processTree(stack.pid))}`);
  process.kill(workerd.pid, 'SIGKILL');
  const demoPage = await fetch(`${stack.demoUrl}/`);
  assert.equal(demoPage.status, 200);
  await emulatorControl(stack, 'GET', 'requests');
  const deadline = Date.now() + 60_000;
  while (!stack.output().includes('the worker is back') && Date.now() < deadline) await sleep(200);
  assert.match(stack.output(), /the worker stopped \(exit code 1\); restarting it/);
  await answersNormally(stack, secrets);
});
