import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS, type RunningEmulator } from '../../src/emulator/index.js';
import { REQUEST_ID, call, start } from '../support/emulator.js';

let emulator: RunningEmulator;
before(async () => (emulator = await start()));
after(() => emulator.close());
beforeEach(() => emulator.reset());

const control = (method: string, path: string, json?: unknown) =>
  call(emulator, method, `/_emulator/${path}`, { keys: 'none', ...(json !== undefined ? { json } : {}) });
const consentsPath = `/client/v1/customers/${DEMO_CUSTOMERS.bob.id}/consents`;

describe('fault injection', () => {
  test('a status fault answers 429 with Retry-After and the Voucherify body, on the matching route only', async () => {
    emulator.setFaults([
      { method: 'PUT', path: '/client/v1/customers/*/consents', kind: 'status', status: 429, retryAfter: 7 },
    ]);
    const faulted = await call(emulator, 'PUT', consentsPath, { json: { [SEED_CONSENT_IDS.newsletter]: true } });
    assert.equal(faulted.status, 429);
    assert.equal(faulted.headers.get('retry-after'), '7');
    assert.equal(faulted.body.code, 429);
    assert.equal(faulted.body.message, 'Too many requests hit the API too quickly.');
    assert.match(faulted.body.request_id, REQUEST_ID);
    assert.equal(
      faulted.headers.get('access-control-allow-origin'),
      'http://localhost:8000',
      'browsers can read the fault',
    );
    assert.ok(faulted.headers.get('x-rate-limit-limit'));
    // The route did not run.
    const bob = await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.bob.id}`);
    assert.deepEqual(bob.body.system_metadata, {});
    assert.equal(
      (await call(emulator, 'GET', consentsPath.replace('/consents', ''))).status,
      404,
      'other routes are untouched',
    );
    assert.equal((await call(emulator, 'GET', '/client/v1/consents')).status, 200);
  });

  test('with after: true the route runs first: the write is applied, then its answer is lost, late or replaced', async () => {
    const newsletterOf = async () =>
      (await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.bob.id}`)).body.system_metadata.consents?.[
        SEED_CONSENT_IDS.newsletter
      ]?.value;
    emulator.setFaults([
      { method: 'PUT', path: '/client/v1/customers/*/consents', kind: 'drop', after: true, times: 1 },
    ]);
    await assert.rejects(
      call(emulator, 'PUT', consentsPath, { json: { [SEED_CONSENT_IDS.newsletter]: true } }),
      'the client sees a dropped connection',
    );
    assert.equal(await newsletterOf(), true, 'but the write was applied');

    emulator.setFaults([
      { method: 'PUT', path: '/client/v1/customers/*/consents', kind: 'status', status: 503, after: true, times: 1 },
    ]);
    assert.equal(
      (await call(emulator, 'PUT', consentsPath, { json: { [SEED_CONSENT_IDS.newsletter]: false } })).status,
      503,
    );
    assert.equal(await newsletterOf(), false);

    emulator.setFaults([
      { method: 'PUT', path: '/client/v1/customers/*/consents', kind: 'latency', latencyMs: 400, after: true },
    ]);
    const client = fetch(`${emulator.url}${consentsPath}`, {
      method: 'PUT',
      headers: {
        'content-type': 'application/json',
        origin: 'http://localhost:8000',
        'x-client-application-id': 'emulator-client-id',
        'x-client-token': 'emulator-client-token',
      },
      body: JSON.stringify({ [SEED_CONSENT_IDS.newsletter]: true }),
      signal: AbortSignal.timeout(150),
    });
    await assert.rejects(client, /TimeoutError|aborted/, 'the client gave up waiting');
    assert.equal(await newsletterOf(), true, 'the write it gave up on was applied all the same');
    const refused = await control('PUT', 'faults', { rules: [{ kind: 'drop', after: 'yes' }] });
    assert.equal(refused.status, 400);
    assert.match(refused.body.details, /after: must be true or false/);
  });

  test('a CORS preflight is not faulted unless the rule names OPTIONS', async () => {
    emulator.setFaults([{ path: '/client/**', kind: 'status', status: 503 }]);
    const preflight = await fetch(`${emulator.url}${consentsPath}`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:8000', 'Access-Control-Request-Method': 'PUT' },
    });
    assert.equal(preflight.status, 204);
    assert.equal((await call(emulator, 'PUT', consentsPath, { json: { unsubscribed: true } })).status, 503);
    emulator.setFaults([{ method: 'OPTIONS', path: '/client/**', kind: 'status', status: 503 }]);
    const faulted = await fetch(`${emulator.url}${consentsPath}`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:8000' },
    });
    assert.equal(faulted.status, 503);
  });

  test('5xx faults use a Voucherify-style body or the one given', async () => {
    emulator.setFaults([
      { path: '/v1/consents', kind: 'status', status: 500, times: 1 },
      { path: '/v1/consents', kind: 'status', status: 502, body: { custom: true }, times: 1 },
      { path: '/v1/consents', kind: 'status', status: 503, body: 'upstream sleeping', retryAfter: 2, times: 1 },
    ]);
    const first = await call(emulator, 'GET', '/v1/consents');
    assert.equal(first.status, 500);
    assert.equal(first.body.code, 500);
    assert.match(first.body.request_id, REQUEST_ID);
    const second = await call(emulator, 'GET', '/v1/consents');
    assert.equal(second.status, 502);
    assert.deepEqual(second.body, { custom: true });
    const third = await call(emulator, 'GET', '/v1/consents');
    assert.equal(third.status, 503);
    assert.equal(third.text, 'upstream sleeping');
    assert.equal(third.headers.get('retry-after'), '2');
    assert.equal((await call(emulator, 'GET', '/v1/consents')).status, 200);
  });

  test('times: a rule expires after it was applied that many times', async () => {
    emulator.setFaults([{ kind: 'status', status: 503, times: 2 }]);
    assert.equal((await call(emulator, 'GET', '/v1/consents')).status, 503);
    assert.equal((await control('GET', 'faults')).body.rules[0].times, 1);
    assert.equal((await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.bob.id}`)).status, 503);
    assert.equal((await call(emulator, 'GET', '/v1/consents')).status, 200);
    assert.deepEqual((await control('GET', 'faults')).body.rules, []);
  });

  test('a drop fault destroys the connection: the client sees a network error', async () => {
    emulator.setFaults([{ method: 'GET', path: '/v1/customers/**', kind: 'drop', times: 1 }]);
    await assert.rejects(
      fetch(`${emulator.url}/v1/customers/${DEMO_CUSTOMERS.bob.id}`, {
        headers: { 'X-App-Id': 'emulator-app-id', 'X-App-Token': 'emulator-app-token' },
      }),
      TypeError,
    );
    assert.equal((await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.bob.id}`)).status, 200);
    const dropped = emulator.requests().find((request) => request.status === 0);
    assert.ok(dropped, 'the dropped request is logged with status 0');
  });

  test('latency delays the faulted request without blocking others', async () => {
    emulator.setFaults([{ path: '/v1/consents', kind: 'latency', latencyMs: 400 }]);
    const started = performance.now();
    let slowDone = false;
    const slow = call(emulator, 'GET', '/v1/consents').then((answer) => {
      slowDone = true;
      return { answer, at: performance.now() - started };
    });
    const fast = await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.bob.id}`);
    assert.equal(fast.status, 200);
    assert.equal(slowDone, false, 'the undelayed request finished while the delayed one was still waiting');
    const { answer, at } = await slow;
    assert.equal(answer.status, 200, 'after the delay the request proceeds normally');
    assert.ok(at >= 390, `slow took ${at} ms`);
  });

  test('latency and a status fault combine: the status comes after the delay', async () => {
    emulator.setFaults([
      { kind: 'latency', latencyMs: 150 },
      { kind: 'status', status: 500 },
    ]);
    const started = performance.now();
    const { status } = await call(emulator, 'GET', '/v1/consents');
    assert.equal(status, 500);
    assert.ok(performance.now() - started >= 140);
  });

  test('control routes are never faulted and need no keys', async () => {
    emulator.setFaults([{ kind: 'status', status: 500 }, { kind: 'drop' }]);
    const health = await control('GET', 'health');
    assert.equal(health.status, 200);
    assert.deepEqual(health.body, { ok: true });
    emulator.clearFaults();
  });
});

describe('control routes over HTTP', () => {
  test('PUT replaces the rules, POST appends one, GET lists, DELETE clears — switching at run time', async () => {
    const put = await control('PUT', 'faults', { rules: [{ path: '/v1/consents', kind: 'status', status: 503 }] });
    assert.equal(put.status, 200);
    assert.equal((await call(emulator, 'GET', '/v1/consents')).status, 503);

    await control('POST', 'faults', { method: 'GET', path: '/v1/customers/*', kind: 'status', status: 500 });
    const listed = await control('GET', 'faults');
    assert.equal(listed.body.rules.length, 2);
    assert.equal((await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.bob.id}`)).status, 500);
    assert.equal(
      (await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.bob.id}/segments`)).status,
      200,
      '* is one segment',
    );

    await control('PUT', 'faults', { rules: [] });
    assert.equal((await call(emulator, 'GET', '/v1/consents')).status, 200);

    await control('POST', 'faults', { kind: 'status', status: 429, retryAfter: 1 });
    assert.equal((await call(emulator, 'GET', '/v1/consents')).status, 429);
    const cleared = await control('DELETE', 'faults');
    assert.deepEqual(cleared.body, { rules: [] });
    assert.equal((await call(emulator, 'GET', '/v1/consents')).status, 200);
  });

  test('rules are read as JSON whatever the Content-Type (a bare curl -d works)', async () => {
    const { status } = await call(emulator, 'POST', '/_emulator/faults', {
      keys: 'none',
      body: '{"path":"/v1/consents","kind":"status","status":503}',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(status, 200);
    assert.equal((await call(emulator, 'GET', '/v1/consents')).status, 503);
  });

  test('an invalid rule is 400 invalid_payload naming the property', async () => {
    for (const [rule, property] of [
      [{ kind: 'explode' }, 'kind'],
      [{ kind: 'status', status: 200 }, 'status'],
      [{ kind: 'latency' }, 'latencyMs'],
      [{ kind: 'drop', path: 'no-slash' }, 'path'],
      [{ kind: 'drop', times: 0 }, 'times'],
    ] as const) {
      const { status, body } = await control('POST', 'faults', rule);
      assert.equal(status, 400);
      assert.ok(body.details.startsWith(property), body.details);
    }
    const put = await control('PUT', 'faults', { rules: [{ kind: 'drop' }, { kind: 'nope' }] });
    assert.match(put.body.details, /^rules\[1\]\.kind/);
    assert.deepEqual((await control('GET', 'faults')).body.rules, [], 'a bad PUT changes nothing');
  });

  test('the request log records API requests (not control requests) and can be cleared', async () => {
    await control('DELETE', 'requests');
    await call(emulator, 'GET', `/v1/customers?limit=1`);
    await call(emulator, 'PUT', consentsPath, { json: { unsubscribed: true } });
    await call(emulator, 'GET', '/v1/customers', { keys: 'none' });
    const { body } = await control('GET', 'requests');
    assert.deepEqual(
      body.requests.map((request: { method: string; path: string; query: string; auth: string; status: number }) => [
        request.method,
        request.path,
        request.query,
        request.auth,
        request.status,
      ]),
      [
        ['GET', '/v1/customers', 'limit=1', 'server', 200],
        ['PUT', consentsPath, '', 'client', 204],
        ['GET', '/v1/customers', '', 'none', 401],
      ],
    );
    assert.match(body.requests[0].requestId, REQUEST_ID);
    assert.ok(!Number.isNaN(Date.parse(body.requests[0].at)));
    await control('DELETE', 'requests');
    assert.deepEqual((await control('GET', 'requests')).body.requests, []);
    assert.deepEqual(emulator.requests(), []);
  });

  test('POST /_emulator/reset restores the seed and clears faults and the request log', async () => {
    await call(emulator, 'DELETE', `/v1/customers/${DEMO_CUSTOMERS.alice.id}`);
    await call(emulator, 'POST', '/v1/customers', { json: { source_id: 'temporary' } });
    await control('POST', 'faults', { path: '/v1/consents', kind: 'status', status: 500 });
    const reset = await control('POST', 'reset');
    assert.deepEqual(reset.body, { ok: true, webhooks: 'off' });
    assert.equal((await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.alice.id}`)).status, 200);
    assert.equal((await call(emulator, 'GET', '/v1/customers/temporary')).status, 404);
    assert.equal((await call(emulator, 'GET', '/v1/consents')).status, 200);
    assert.deepEqual((await control('GET', 'faults')).body.rules, []);
    assert.equal(emulator.requests().length, 3, 'only the requests made after the reset');
  });
});
