import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DEMO_CUSTOMERS, type RunningEmulator } from '../../src/emulator/index.js';
import { makeRecord, type CustomerRecord } from '../../src/emulator/customer-record.js';
import { WebhookSender } from '../../src/emulator/webhooks.js';
import { WebhookVerifier } from '../../src/worker/webhook-signature.js';
import { CUSTOMER_ID, ISO_MS, call, start, waitForAction } from '../support/emulator.js';
import { collect, printedUrl, runMain } from '../support/emulator-cli.js';
import { sendJson, tinyServer, type TinyServer } from '../support/tiny-server.js';

const SECRET = 'test-webhook-secret';

interface Delivery {
  body: string;
  signature: string | undefined;
  event: { id: string; project_id: string; created_at: string; type: string; data: { customer: any } };
}

interface Receiver {
  url: string;
  deliveries: Delivery[];
  attempts: () => number;
  busiest: () => number;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A real HTTP receiver: answers `status(attempt)` (200 by default) after `holdMs`, keeps what it acknowledged. */
async function receiver(status: (attempt: number) => number = () => 200, holdMs = 0): Promise<Receiver> {
  const deliveries: Delivery[] = [];
  let active = 0;
  let busiest = 0;
  const server: TinyServer = await tinyServer(async (request, response) => {
    const attempt = server.requests.length;
    busiest = Math.max(busiest, ++active);
    const body = await readBody(request);
    if (holdMs) await sleep(holdMs);
    active--;
    const code = status(attempt);
    if (code < 300) {
      const signature = request.headers['x-voucherify-signature'] as string | undefined;
      deliveries.push({ body, signature, event: JSON.parse(body) });
    }
    sendJson(response, code, { received: code < 300 });
  });
  return {
    url: `${server.url}/webhooks/voucherify`,
    deliveries,
    attempts: () => server.requests.length,
    busiest: () => busiest,
    close: () => server.close(),
  };
}

async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const sign = (body: string) => createHmac('sha256', SECRET).update(body).digest('hex');
const eventsFor = (hooks: Receiver, id: string) => hooks.deliveries.filter((d) => d.event.data.customer.id === id);

describe('emulator webhooks (webhookUrl + webhookSecret)', () => {
  let hooks: Receiver;
  let emulator: RunningEmulator;
  before(async () => {
    hooks = await receiver();
    emulator = await start({ webhookUrl: hooks.url, webhookSecret: SECRET });
  });
  after(async () => {
    await emulator.close();
    await hooks.close();
  });

  test('a customer created, updated and deleted arrives as signed v2024-01-01 customer events', async () => {
    await sleep(150);
    assert.equal(hooks.attempts(), 0, 'the data the emulator starts with is not announced');
    const created = await call(emulator, 'POST', '/v1/customers', { json: { source_id: 'hooked', name: 'Hook' } });
    const id = created.body.id as string;
    assert.match(id, CUSTOMER_ID);
    await until(() => eventsFor(hooks, id).length === 1, 'customer.created');
    const [first] = eventsFor(hooks, id);
    assert.equal(first!.signature, sign(first!.body), 'hex HMAC-SHA256 of the raw body');
    const verifier = await WebhookVerifier.import(SECRET);
    assert.ok(await verifier.verify(new TextEncoder().encode(first!.body), first!.signature), "the worker's check");
    assert.deepEqual(Object.keys(first!.event), ['id', 'project_id', 'created_at', 'type', 'data']);
    assert.match(first!.event.id, /^whs_[0-9a-f]{24}$/);
    assert.match(first!.event.created_at, ISO_MS);
    assert.equal(first!.event.type, 'customer.created');
    assert.deepEqual(first!.event.data.customer, created.body, 'the customer as the API answers it');

    await call(emulator, 'PUT', `/v1/customers/${id}`, { json: { name: 'Hooked' } });
    await until(() => eventsFor(hooks, id).length === 2, 'customer.updated');
    assert.equal(eventsFor(hooks, id)[1]!.event.type, 'customer.updated');
    assert.equal(eventsFor(hooks, id)[1]!.event.data.customer.name, 'Hooked');

    assert.equal((await call(emulator, 'DELETE', `/v1/customers/${id}`)).status, 204);
    await until(() => eventsFor(hooks, id).length === 3, 'customer.deleted');
    assert.equal(eventsFor(hooks, id)[2]!.event.type, 'customer.deleted');
    assert.equal(eventsFor(hooks, id)[2]!.event.data.customer.id, id);
  });

  test('an async bulk update (the most rows allowed) sends about one event per customer, with its latest state', async () => {
    const rows = Array.from({ length: 100 }, (_, n) => ({ source_id: `bulk-${n % 10}`, metadata: { n } }));
    const started = hooks.deliveries.length;
    const answer = await call(emulator, 'POST', '/v1/customers/bulk/async', { json: rows });
    assert.equal(answer.status, 202);
    await waitForAction(emulator, answer.body.async_action_id);
    const last = (source: string) => {
      const mine = hooks.deliveries.slice(started).filter((d) => d.event.data.customer.source_id === source);
      return mine.at(-1)?.event.data.customer.metadata.n as number | undefined;
    };
    await until(() => Array.from({ length: 10 }, (_, k) => last(`bulk-${k}`)).every((n, k) => n === 90 + k), 'all');
    await sleep(100);
    const sent = hooks.deliveries.length - started;
    assert.ok(sent >= 10 && sent <= 20, `100 changes to 10 customers became ${sent} events`);
  });

  test('a reset announces every customer there before or after it, before it answers', async () => {
    const extra = await call(emulator, 'POST', '/v1/customers', { json: { source_id: 'before-reset' } });
    await until(() => eventsFor(hooks, extra.body.id).length > 0, 'the extra customer');
    const started = hooks.deliveries.length;
    const reset = await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
    assert.deepEqual(await reset.json(), { ok: true, webhooks: 'delivered' });
    const since = hooks.deliveries.slice(started).map((d) => d.event);
    const gone = since.filter((event) => event.data.customer.id === extra.body.id);
    assert.deepEqual(
      gone.map((event) => event.type),
      ['customer.deleted'],
    );
    for (const seed of Object.values(DEMO_CUSTOMERS)) {
      const events = since.filter((event) => event.data.customer.id === seed.id);
      assert.equal(events.length, 1, `${seed.id} once`);
      // Back under the same id: an update of what a receiver may hold, not a creation it may ignore.
      assert.equal(events[0]!.type, 'customer.updated');
      assert.equal(events[0]!.data.customer.email, seed.email);
    }
  });
});

describe('emulator webhooks with an unreliable receiver', () => {
  test('a receiver that is down costs neither speed nor the emulator; a reset says so at once', async () => {
    const gone = await receiver();
    await gone.close();
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (message: string) => warnings.push(message);
    const emulator = await start({ webhookUrl: gone.url, webhookSecret: SECRET });
    try {
      const began = Date.now();
      for (let n = 0; n < 20; n++)
        assert.equal((await call(emulator, 'POST', '/v1/customers', { json: { source_id: `down-${n}` } })).status, 200);
      assert.ok(Date.now() - began < 2_000, 'writes are not held up by deliveries');
      const resetAt = Date.now();
      const reset = await fetch(`${emulator.url}/_emulator/reset`, { method: 'POST' });
      const waited = Date.now() - resetAt;
      assert.deepEqual(await reset.json(), { ok: true, webhooks: 'undelivered' });
      assert.ok(waited < 1_500, `a failed delivery ends the wait (reset waited ${waited} ms)`);
      assert.equal((await fetch(`${emulator.url}/_emulator/health`)).status, 200);
      await until(() => warnings.length > 0, 'a warning', 10_000);
      assert.match(warnings[0]!, /webhook customer\.\w+ for cust_\w+ .* not delivered/);
    } finally {
      await emulator.close();
      console.warn = warn;
    }
  });

  test('a failed delivery is retried with backoff until the receiver takes it', async () => {
    const flaky = await receiver((attempt) => (attempt <= 2 ? 503 : 200));
    const emulator = await start({ webhookUrl: flaky.url, webhookSecret: SECRET });
    try {
      const created = await call(emulator, 'POST', '/v1/customers', { json: { source_id: 'flaky' } });
      await until(() => flaky.deliveries.length === 1, 'the third attempt');
      assert.equal(flaky.attempts(), 3);
      assert.equal(flaky.deliveries[0]!.event.data.customer.id, created.body.id);
    } finally {
      await emulator.close();
      await flaky.close();
    }
  });

  test('webhookUrl and webhookSecret go together, as an http(s) URL', async () => {
    await assert.rejects(start({ webhookUrl: 'http://127.0.0.1:1/hook' }), /go together/);
    await assert.rejects(start({ webhookUrl: 'ftp://example/hook', webhookSecret: 's' }), /not an http\(s\) URL/);
  });
});

describe('WebhookSender', () => {
  const record = (id: string, n: number): CustomerRecord =>
    makeRecord({
      id,
      address: null,
      loyalty_points: 0,
      created_at: '2025-01-01T00:00:00.000Z',
      created_ms: 0,
      metadata: { n },
      ...(n > 0 ? { updated_at: '2025-01-02T00:00:00.000Z', updated_ms: 1 } : {}),
    });

  test('coalesces changes per customer and keeps at most 4 deliveries in flight', async () => {
    const slow = await receiver(() => 200, 30);
    const sender = new WebhookSender(slow.url, SECRET);
    try {
      for (let n = 0; n < 50; n++)
        for (let c = 0; c < 12; c++) sender.notice({ kind: 'customer', record: record(`cust_${c}`, n) });
      assert.equal(await sender.idle(5_000), true);
      assert.equal(slow.deliveries.length, 12, '600 changes to 12 customers: 12 events');
      for (const { event } of slow.deliveries) {
        assert.equal(event.type, 'customer.created', 'created, then updated within the window');
        assert.equal(event.data.customer.metadata.n, 49, 'the latest state');
      }
      assert.ok(slow.busiest() <= 4, `at most 4 in flight (saw ${slow.busiest()})`);
    } finally {
      sender.close();
      await slow.close();
    }
  });

  test("a reset's events for the customers still there jump the queue ahead of a backlog", async () => {
    const slow = await receiver(() => 200, 20);
    const sender = new WebhookSender(slow.url, SECRET);
    try {
      const backlog = Array.from({ length: 60 }, (_, n) => `cust_old_${n}`);
      const seed = Array.from({ length: 5 }, (_, n) => `cust_seed_${n}`);
      for (const id of backlog) sender.notice({ kind: 'customer', record: record(id, 0) });
      await until(() => slow.deliveries.length >= 4, 'the backlog under way');
      // A reset: the seed is applied (announced as created), then every customer there before is named.
      for (const id of seed) sender.notice({ kind: 'customer', record: record(id, 0) });
      sender.afterReset([...backlog, ...seed], (id) => seed.includes(id));
      assert.equal(await sender.idle(10_000), true);
      const order = slow.deliveries.map(({ event }) => event.data.customer.id as string);
      const lastSeed = Math.max(...seed.map((id) => order.indexOf(id)));
      assert.ok(
        lastSeed < 16,
        `the seed's events went early (the last one was delivery ${lastSeed + 1} of ${order.length})`,
      );
      for (const { event } of slow.deliveries.filter(({ event }) => seed.includes(event.data.customer.id)))
        assert.equal(event.type, 'customer.updated');
      const deletions = slow.deliveries.filter(({ event }) => event.type === 'customer.deleted');
      assert.ok(deletions.length >= 50, `the reset removed the backlog's customers (${deletions.length} deletions)`);
    } finally {
      sender.close();
      await slow.close();
    }
  });

  test('drops customers beyond the queue cap with a warning; a refusal other than 408/429/5xx is not retried', async () => {
    const refusing = await receiver(() => 404);
    const warnings: string[] = [];
    const sender = new WebhookSender(refusing.url, SECRET, { maxQueue: 3, warn: (m) => warnings.push(m) });
    try {
      for (let c = 0; c < 5; c++) sender.notice({ kind: 'forgotten', id: `cust_${c}` });
      assert.match(warnings[0]!, /queue full \(3 customers\): an event for cust_3 is dropped/);
      assert.equal(await sender.idle(5_000), false, 'a refusal ends a wait for the queue to empty');
      await until(() => refusing.attempts() === 3 && warnings.length > 1, 'each event tried');
      await sleep(300);
      assert.equal(refusing.attempts(), 3, 'one attempt each, no retry of a 404');
      assert.match(warnings[1]!, /customer\.deleted for cust_0 .* not delivered \(HTTP 404\)/);
    } finally {
      sender.close();
      await refusing.close();
    }
  });
});

describe('npm run emulator with webhooks', () => {
  test('--webhook-url and VC_EMULATOR_WEBHOOK_SECRET turn them on', async () => {
    const hooks = await receiver();
    const child = runMain({ VC_EMULATOR_PORT: '0', VC_EMULATOR_WEBHOOK_SECRET: SECRET }, [
      '--quiet',
      '--webhook-url',
      hooks.url,
    ]);
    const finished = collect(child);
    try {
      const { url, output } = await printedUrl(child);
      assert.match(output(), /webhooks +http:\/\/127\.0\.0\.1:\d+\/webhooks\/voucherify/);
      const fake = { url, port: 0 } as Parameters<typeof call>[0];
      const created = await call(fake, 'POST', '/v1/customers', { json: { source_id: 'from-cli' } });
      await until(() => hooks.deliveries.length === 1, 'the event');
      assert.equal(hooks.deliveries[0]!.event.data.customer.id, created.body.id);
      assert.equal(hooks.deliveries[0]!.signature, sign(hooks.deliveries[0]!.body));
    } finally {
      child.kill('SIGTERM');
      await finished;
      await hooks.close();
    }
  });
});
