/**
 * Contract: how the client behaves when the API misbehaves — faults injected through the emulator (429 with
 * Retry-After, 5xx, dropped connections, latency), observed through its request log. Emulator only.
 */
import assert from 'node:assert/strict';
import { isVoucherifyError } from '../../src/api/errors.js';
import { DEMO_CUSTOMERS } from '../../src/emulator/seed.js';
import { contract, rejectsWith } from '../support/contract.js';
import type { Emulator, Target } from '../support/contract.js';

const alice = DEMO_CUSTOMERS.alice;
const ALICE_PATH = `/v1/customers/${alice.id}`;

function emulatorOf(target: Target): Emulator {
  assert.ok(target.emulator);
  target.emulator.clearFaults();
  target.emulator.clearRequests();
  return target.emulator;
}

function logged(emulator: Emulator, method: string, path: string) {
  return emulator.requests().filter((request) => request.method === method && request.path === path);
}

/** The caller's abort reason, untouched: `AbortError` from `abort()`, `TimeoutError` from `AbortSignal.timeout()`. */
async function rejectsWithAbort(promise: Promise<unknown>, name = 'AbortError'): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    assert.equal(isVoucherifyError(error), false, 'an abort is not an API error');
    assert.equal((error as Error).name, name);
    return error;
  }
  assert.fail('expected the call to be aborted');
}

const emulatorOnly = { emulatorOnly: true } as const;

contract('faults and retries', (it) => {
  it('a GET answered 429 waits the Retry-After seconds, then succeeds', emulatorOnly, async (target) => {
    const emulator = emulatorOf(target);
    emulator.setFaults([{ method: 'GET', path: ALICE_PATH, kind: 'status', status: 429, retryAfter: 1, times: 1 }]);
    const start = Date.now();
    const customer = await target.server().getCustomer(alice.id);
    const elapsed = Date.now() - start;
    assert.equal(customer.id, alice.id);
    assert.ok(elapsed >= 1000, `retried after ${elapsed} ms`);
    const attempts = logged(emulator, 'GET', ALICE_PATH);
    assert.deepEqual(
      attempts.map((request) => request.status),
      [429, 200],
    );
    const gap = Date.parse(attempts[1]!.at) - Date.parse(attempts[0]!.at);
    assert.ok(gap >= 950 && gap < 1900, `second attempt ${gap} ms after the first`);
  });

  it(
    'a Retry-After longer than maxRetryDelay is not waited for: the 429 is thrown with retryAfter',
    emulatorOnly,
    async (target) => {
      const emulator = emulatorOf(target);
      emulator.setFaults([{ method: 'GET', path: ALICE_PATH, kind: 'status', status: 429, retryAfter: 120 }]);
      const start = Date.now();
      const error = await rejectsWith(target.server({ maxRetryDelay: 5000 }).getCustomer(alice.id));
      assert.ok(Date.now() - start < 1000);
      assert.equal(error.status, 429);
      assert.equal(error.retryAfter, 120);
      assert.equal(logged(emulator, 'GET', ALICE_PATH).length, 1);
    },
  );

  it('a GET answered 500 then 503 is retried with backoff and succeeds', emulatorOnly, async (target) => {
    const emulator = emulatorOf(target);
    emulator.setFaults([
      { method: 'GET', path: ALICE_PATH, kind: 'status', status: 500, times: 1 },
      { method: 'GET', path: ALICE_PATH, kind: 'status', status: 503, times: 1 },
    ]);
    const customer = await target.server().getCustomer(alice.id);
    assert.equal(customer.id, alice.id);
    const attempts = emulator.requests().filter((request) => request.method === 'GET');
    assert.deepEqual(
      attempts.map((request) => request.status),
      [500, 503, 200],
    );
    const gaps = attempts.slice(1).map((request, i) => Date.parse(request.at) - Date.parse(attempts[i]!.at));
    assert.ok(gaps[0]! >= 200, `first backoff ${gaps[0]} ms`);
    assert.ok(gaps[1]! >= 400, `second backoff ${gaps[1]} ms`);
  });

  it('a GET that keeps failing gives up after the retry limit with the last error', emulatorOnly, async (target) => {
    const emulator = emulatorOf(target);
    emulator.setFaults([{ method: 'GET', path: ALICE_PATH, kind: 'status', status: 503 }]);
    const error = await rejectsWith(target.server({ retry: 1 }).getCustomer(alice.id));
    assert.equal(error.status, 503);
    assert.equal(error.kind, 'http');
    assert.equal(logged(emulator, 'GET', ALICE_PATH).length, 2);
  });

  it('a PUT (idempotent) answered 502 is retried', emulatorOnly, async (target) => {
    const emulator = emulatorOf(target);
    emulator.setFaults([{ method: 'PUT', path: ALICE_PATH, kind: 'status', status: 502, times: 1 }]);
    const updated = await target.server().updateCustomer(alice.id, { description: 'retried' });
    assert.equal(updated.description, 'retried');
    assert.deepEqual(
      logged(emulator, 'PUT', ALICE_PATH).map((request) => request.status),
      [502, 200],
    );
  });

  it('a POST answered 503 is not retried: one request, the error thrown', emulatorOnly, async (target) => {
    const emulator = emulatorOf(target);
    emulator.setFaults([{ method: 'POST', path: '/v1/customers', kind: 'status', status: 503, times: 1 }]);
    const source_id = target.unique('no-retry');
    const error = await rejectsWith(target.server().createCustomer({ source_id }));
    assert.equal(error.status, 503);
    assert.equal(logged(emulator, 'POST', '/v1/customers').length, 1);
    assert.equal((await rejectsWith(target.server().getCustomer(source_id))).status, 404);
  });

  it('a POST answered 429 is not retried either, by default', emulatorOnly, async (target) => {
    const emulator = emulatorOf(target);
    emulator.setFaults([
      { method: 'POST', path: '/v1/customers/bulk/async', kind: 'status', status: 429, retryAfter: 0, times: 1 },
    ]);
    const error = await rejectsWith(target.server().updateCustomersInBulk([{ source_id: target.unique('bulk') }]));
    assert.equal(error.status, 429);
    assert.equal(logged(emulator, 'POST', '/v1/customers/bulk/async').length, 1);
  });

  it('with retryWrites a POST answered 503 is retried', emulatorOnly, async (target) => {
    const emulator = emulatorOf(target);
    emulator.setFaults([{ method: 'POST', path: '/v1/customers', kind: 'status', status: 503, times: 1 }]);
    const customer = await target
      .server({ retryWrites: true })
      .createCustomer({ source_id: target.unique('retry-write') });
    assert.match(customer.id, /^cust_/);
    assert.deepEqual(
      logged(emulator, 'POST', '/v1/customers').map((request) => request.status),
      [503, 200],
    );
  });

  it('a dropped connection is a network VoucherifyError, after the GET retries', emulatorOnly, async (target) => {
    const emulator = emulatorOf(target);
    emulator.setFaults([{ method: 'GET', path: ALICE_PATH, kind: 'drop' }]);
    const error = await rejectsWith(target.server().getCustomer(alice.id));
    assert.equal(error.kind, 'network');
    assert.equal(error.status, 0);
    assert.equal(logged(emulator, 'GET', ALICE_PATH).length, 3);
  });

  it('a dropped POST is not repeated', emulatorOnly, async (target) => {
    const emulator = emulatorOf(target);
    emulator.setFaults([{ method: 'POST', path: '/v1/customers', kind: 'drop', times: 1 }]);
    const error = await rejectsWith(target.server().createCustomer({ source_id: target.unique('dropped') }));
    assert.equal(error.kind, 'network');
    assert.equal(logged(emulator, 'POST', '/v1/customers').length, 1);
  });

  it('an answer slower than the timeout is a timeout VoucherifyError, not retried', emulatorOnly, async (target) => {
    const emulator = emulatorOf(target);
    emulator.setFaults([{ method: 'GET', path: ALICE_PATH, kind: 'latency', latencyMs: 1500 }]);
    const start = Date.now();
    const error = await rejectsWith(target.server({ timeout: 200 }).getCustomer(alice.id));
    const elapsed = Date.now() - start;
    assert.equal(error.kind, 'timeout');
    assert.ok(elapsed >= 200 && elapsed < 1000, `gave up after ${elapsed} ms`);
    assert.equal(logged(emulator, 'GET', ALICE_PATH).length <= 1, true);
  });

  it('a per-call timeout overrides the client timeout', emulatorOnly, async (target) => {
    const emulator = emulatorOf(target);
    emulator.setFaults([{ method: 'GET', path: ALICE_PATH, kind: 'latency', latencyMs: 400, times: 1 }]);
    const error = await rejectsWith(target.server({ timeout: 5000 }).getCustomer(alice.id, { timeout: 100 }));
    assert.equal(error.kind, 'timeout');
    emulator.setFaults([{ method: 'GET', path: ALICE_PATH, kind: 'latency', latencyMs: 300, times: 1 }]);
    assert.equal((await target.server({ timeout: 100 }).getCustomer(alice.id, { timeout: 5000 })).id, alice.id);
  });

  it('an AbortSignal aborts a slow request at once, with the AbortError', emulatorOnly, async (target) => {
    const emulator = emulatorOf(target);
    emulator.setFaults([{ method: 'GET', path: ALICE_PATH, kind: 'latency', latencyMs: 3000 }]);
    const start = Date.now();
    await rejectsWithAbort(target.server().getCustomer(alice.id, { signal: AbortSignal.timeout(150) }), 'TimeoutError');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    await rejectsWithAbort(target.server().getCustomer(alice.id, { signal: controller.signal }));
    assert.ok(Date.now() - start < 1500);
  });

  it('an AbortSignal also interrupts the wait before a retry', emulatorOnly, async (target) => {
    const emulator = emulatorOf(target);
    emulator.setFaults([{ method: 'GET', path: ALICE_PATH, kind: 'status', status: 503, retryAfter: 10 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const start = Date.now();
    await rejectsWithAbort(target.server().getCustomer(alice.id, { signal: controller.signal }));
    assert.ok(Date.now() - start < 1500);
    assert.equal(logged(emulator, 'GET', ALICE_PATH).length, 1);
  });

  it('an already aborted signal sends nothing', emulatorOnly, async (target) => {
    const emulator = emulatorOf(target);
    const controller = new AbortController();
    controller.abort();
    await rejectsWithAbort(target.server().getCustomer(alice.id, { signal: controller.signal }));
    assert.equal(logged(emulator, 'GET', ALICE_PATH).length, 0);
  });

  it('reads a plain-text 429 body and a Hapi-style 413 body', emulatorOnly, async (target) => {
    const emulator = emulatorOf(target);
    emulator.setFaults([
      {
        method: 'GET',
        path: '/client/v1/consents',
        kind: 'status',
        status: 429,
        body: 'API calls limit exceeded.',
        times: 1,
      },
      {
        method: 'POST',
        path: '/v1/customers/metadata/async',
        kind: 'status',
        status: 413,
        body: {
          statusCode: 413,
          error: 'Request Entity Too Large',
          message: 'Payload content length greater than maximum allowed: 10485760',
        },
        times: 1,
      },
    ]);
    const throttled = await rejectsWith(target.client({ retry: 0 })!.listConsents());
    assert.equal(throttled.status, 429);
    assert.equal(throttled.message, 'API calls limit exceeded.');
    const tooLarge = await rejectsWith(
      target.server().updateCustomersMetadataInBulk({ source_ids: ['a'], metadata: {} }),
    );
    assert.equal(tooLarge.status, 413);
    assert.equal(tooLarge.code, 413);
    assert.equal(tooLarge.message, 'Request Entity Too Large');
    assert.match(tooLarge.details ?? '', /10485760/);
  });

  it('waitForAsyncAction rides over a 503 while polling', emulatorOnly, async (target) => {
    const emulator = emulatorOf(target);
    const server = target.server();
    const { async_action_id } = await server.updateCustomersInBulk([{ source_id: target.unique('poll') }]);
    emulator.setFaults([
      { method: 'GET', path: `/v1/async-actions/${async_action_id}`, kind: 'status', status: 503, times: 1 },
    ]);
    const action = await server.waitForAsyncAction(async_action_id, { intervalMs: 20 });
    assert.equal(action.status, 'DONE');
    assert.equal(logged(emulator, 'GET', `/v1/async-actions/${async_action_id}`)[0]?.status, 503);
  });

  it("the emulator's own 413 for a body over its limit arrives as a VoucherifyError", emulatorOnly, async (target) => {
    emulatorOf(target);
    const huge = 'x'.repeat(11 * 1024 * 1024);
    const error = await rejectsWith(
      target.server().updateCustomersMetadataInBulk({ source_ids: ['a'], metadata: { huge } }),
    );
    assert.equal(error.status, 413);
    assert.equal(error.kind, 'http');
  });
});
