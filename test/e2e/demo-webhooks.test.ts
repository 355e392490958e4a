/**
 * End to end: `npm start` wires the emulator's webhooks to the worker, so the worker's read cache (on, with its
 * default lifetime) never serves a customer changed behind its back: a direct server-side write, or a reset.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO_CUSTOMERS } from '../../src/emulator/seed.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { importCsv, SERVER_HEADERS } from '../support/emulator.js';
import { emulatorControl, startDemoStack, type DemoStack } from '../support/demo-stack.js';
import { devSessionToken } from '../support/tokens.js';

let stack: DemoStack;
let auth: Record<string, string>;
const alice = DEMO_CUSTOMERS.alice;

before(async () => {
  stack = await startDemoStack();
  auth = { Authorization: `Bearer ${await devSessionToken(alice.id)}` };
});

after(async () => {
  const code = await stack?.stop();
  assert.equal(code, 0, `npm start exited with ${code}:\n${stack?.output()}`);
});

async function nameThroughWorker(): Promise<string> {
  const response = await fetch(`${stack.workerUrl}/v1/me`, { headers: auth });
  assert.equal(response.status, 200, await response.clone().text());
  return ((await response.json()) as { name: string }).name;
}

async function renameInEmulator(name: string): Promise<void> {
  const response = await fetch(`${stack.emulatorUrl}/v1/customers/${alice.id}`, {
    method: 'PUT',
    headers: { ...SERVER_HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify({ name }),
  });
  assert.equal(response.status, 200, await response.text());
}

test('a change made straight in the emulator reaches the worker within moments, not after the cache expires', async () => {
  await emulatorControl(stack, 'POST', 'reset');
  assert.equal(await nameThroughWorker(), alice.name);
  await renameInEmulator('Alice Changed Elsewhere');
  const deadline = Date.now() + 3_000;
  let seen = await nameThroughWorker();
  while (seen !== 'Alice Changed Elsewhere' && Date.now() < deadline) {
    await sleep(50);
    seen = await nameThroughWorker();
  }
  assert.equal(seen, 'Alice Changed Elsewhere', 'the webhook dropped the cached profile');
  assert.doesNotMatch(stack.output(), /not delivered|webhook refused/);
});

test('a reset answers once the worker has dropped what it cached: the next read is the seed again', async () => {
  await renameInEmulator('Alice Before Reset');
  await sleep(500);
  assert.equal(await nameThroughWorker(), 'Alice Before Reset');
  await emulatorControl(stack, 'POST', 'reset');
  assert.equal(await nameThroughWorker(), alice.name, 'no stale read right after the reset');
});

test("a reset with an import's events still queued drops the cached seed customer before it answers", async () => {
  await renameInEmulator('Alice Cached');
  const deadline = Date.now() + 3_000;
  while ((await nameThroughWorker()) !== 'Alice Cached' && Date.now() < deadline) await sleep(50);
  assert.equal(await nameThroughWorker(), 'Alice Cached', 'cached by the worker');
  const rows = Array.from({ length: 1_000 }, (_, n) => `backlog-${n},Backlog ${n}`);
  await importCsv({ url: stack.emulatorUrl } as RunningEmulator, ['source_id,name', ...rows].join('\n'));
  // 1,000 creations queued for the worker, then 1,000 deletions: the seed's events go first.
  await emulatorControl(stack, 'POST', 'reset');
  assert.equal(await nameThroughWorker(), alice.name, 'no stale read right after the reset');
});
