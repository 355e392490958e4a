/**
 * Upstream faults injected in the emulator (slow, 429 with Retry-After, 500, dropped connections): the worker
 * retries what is safe to retry, then answers its documented 502/503/504 — promptly, and it keeps working.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { DEMO_CUSTOMERS } from '../../src/emulator/index.js';
import { devSessionToken, devUnsubscribeToken } from '../support/tokens.js';
import { json } from '../support/http.js';
import { stackPerSuite } from '../support/stack.js';
import type { Stack } from '../support/stack.js';

const ALICE = DEMO_CUSTOMERS.alice;
const CUSTOMER_PATH = `/v1/customers/${ALICE.id}`;
const ADMIN = { 'x-app-id': 'edge-admin', 'x-app-token': 'edge-admin-token' };

/** Waits until the emulator has finished (and logged) a request still running after the worker gave up on it. */
async function settled(stack: Stack, method: string, path: string): Promise<void> {
  const deadline = Date.now() + 8_000;
  while (!stack.upstream().some((call) => call.method === method && call.path === path)) {
    if (Date.now() > deadline) throw new Error(`${method} ${path} never finished upstream`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function timed<T>(run: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  const value = await run();
  return { value, ms: performance.now() - started };
}

describe('upstream faults', () => {
  let stack: Stack;
  let token: string;
  stackPerSuite((started) => (stack = started), {
    vars: { UPSTREAM_TIMEOUT_MS: '1000', UPSTREAM_RETRIES: '2', UPSTREAM_MAX_RETRY_DELAY_MS: '1500' },
  });
  beforeEach(async () => {
    stack.emulator.clearFaults();
    token = await devSessionToken(ALICE.id);
  });
  const upstreamCalls = (method: string, path: string) =>
    stack.upstream().filter((call) => call.method === method && call.path === path).length;

  it('answers 504 gateway_timeout when the upstream is slower than UPSTREAM_TIMEOUT_MS, without waiting for it', async () => {
    stack.emulator.setFaults([{ method: 'GET', path: CUSTOMER_PATH, kind: 'latency', latencyMs: 3_000 }]);
    const { value: response, ms } = await timed(() => stack.call('GET', '/v1/me', token));
    assert.equal(response.status, 504);
    const body = await json(response);
    assert.equal(body.key, 'gateway_timeout');
    assert.match(String(body.request_id), /^v-/);
    assert.ok(ms < 2_500, `answered after ${Math.round(ms)} ms`);
    await settled(stack, 'GET', CUSTOMER_PATH);
  });

  it('retries a 429 after its Retry-After and succeeds', async () => {
    stack.emulator.setFaults([
      { method: 'GET', path: CUSTOMER_PATH, kind: 'status', status: 429, retryAfter: 1, times: 1 },
    ]);
    const { value: response, ms } = await timed(() => stack.call('GET', '/v1/me', token));
    assert.equal(response.status, 200);
    assert.equal(upstreamCalls('GET', CUSTOMER_PATH), 2);
    assert.ok(ms >= 900, `waited ${Math.round(ms)} ms (Retry-After 1 s)`);
  });

  it('answers 503 with Retry-After when the upstream keeps answering 429', async () => {
    stack.emulator.setFaults([{ method: 'GET', path: CUSTOMER_PATH, kind: 'status', status: 429, retryAfter: 1 }]);
    const response = await stack.call('GET', '/v1/me', token);
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '1');
    const body = await json(response);
    assert.equal(body.key, 'service_unavailable');
    assert.doesNotMatch(
      JSON.stringify(body),
      /Too many requests hit the API/,
      'the upstream’s own message is not passed on',
    );
    assert.equal(upstreamCalls('GET', CUSTOMER_PATH), 3, 'the first call and two retries');
  });

  it('does not wait out a Retry-After longer than UPSTREAM_MAX_RETRY_DELAY_MS: 503 at once, passing the delay on', async () => {
    stack.emulator.setFaults([{ method: 'GET', path: CUSTOMER_PATH, kind: 'status', status: 429, retryAfter: 120 }]);
    const { value: response, ms } = await timed(() => stack.call('GET', '/v1/me', token));
    assert.equal(response.status, 503);
    assert.equal(response.headers.get('retry-after'), '120');
    assert.equal(upstreamCalls('GET', CUSTOMER_PATH), 1);
    assert.ok(ms < 1_000, `answered after ${Math.round(ms)} ms`);
  });

  it('retries a 500 once it clears, and answers 502 bad_gateway when it does not', async () => {
    stack.emulator.setFaults([{ method: 'GET', path: CUSTOMER_PATH, kind: 'status', status: 500, times: 1 }]);
    assert.equal((await stack.call('GET', '/v1/me', token)).status, 200);
    stack.emulator.setFaults([{ method: 'GET', path: CUSTOMER_PATH, kind: 'status', status: 500 }]);
    const response = await stack.call('GET', '/v1/me', token);
    assert.equal(response.status, 502);
    assert.equal((await json(response)).key, 'bad_gateway');
  });

  it('answers 502 when the upstream drops the connection, after retrying', async () => {
    stack.emulator.setFaults([{ method: 'GET', path: CUSTOMER_PATH, kind: 'drop' }]);
    const { value: response, ms } = await timed(() => stack.call('GET', '/v1/me', token));
    assert.equal(response.status, 502);
    assert.equal((await json(response)).key, 'bad_gateway');
    assert.ok(upstreamCalls('GET', CUSTOMER_PATH) >= 2);
    assert.ok(ms < 5_000);
  });

  it('never repeats a non-idempotent write: a permanent deletion meeting a 500 is tried once', async () => {
    stack.emulator.setFaults([
      { method: 'POST', path: `${CUSTOMER_PATH}/permanent-deletion`, kind: 'status', status: 500 },
    ]);
    const response = await stack.call('POST', '/v1/me/permanent-deletion', token);
    assert.equal(response.status, 502);
    assert.equal(upstreamCalls('POST', `${CUSTOMER_PATH}/permanent-deletion`), 1);
  });

  it('answers the one-click POST 200 while writes fail: the opt-out is kept in the customer’s object, pending', async () => {
    stack.emulator.setFaults([{ method: 'PUT', path: '/v1/customers/**', kind: 'status', status: 500 }]);
    const response = await stack.fetch(`/unsubscribe/${await devUnsubscribeToken(ALICE.id)}`, {
      method: 'POST',
      headers: { accept: 'application/json' },
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    });
    assert.equal(response.status, 200);
    assert.equal((await json(response)).pending, true);
  });

  it('passes a persistent 429 through the back office as 429 with Retry-After, and drops as 502', async () => {
    stack.emulator.setFaults([{ method: 'GET', path: '/v1/customers', kind: 'status', status: 429, retryAfter: 30 }]);
    const limited = await stack.fetch('/v1/customers', { headers: ADMIN });
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '30');
    assert.equal(upstreamCalls('GET', '/v1/customers'), 1, 'Retry-After beyond the retry bound: not retried');
    stack.emulator.setFaults([{ method: 'GET', path: '/v1/customers', kind: 'drop' }]);
    const dropped = await stack.fetch('/v1/customers', { headers: ADMIN });
    assert.equal(dropped.status, 502);
    stack.emulator.setFaults([{ method: 'GET', path: '/v1/customers', kind: 'latency', latencyMs: 3_000 }]);
    const slow = await stack.fetch('/v1/customers', { headers: ADMIN });
    assert.equal(slow.status, 504);
    stack.emulator.clearRequests();
    await settled(stack, 'GET', '/v1/customers');
  });

  it('keeps serving after every fault above (no crash, no stuck isolate)', async () => {
    stack.emulator.setFaults([{ kind: 'drop', times: 3 }]);
    await Promise.all([
      stack.call('GET', '/v1/me', token),
      stack.call('GET', '/v1/me/segments', token),
      stack.fetch('/v1/customers', { headers: ADMIN }),
    ]);
    stack.emulator.clearFaults();
    assert.equal((await stack.fetch('/healthz')).status, 200);
    assert.equal((await stack.call('GET', '/v1/me', token)).status, 200);
  });
});
