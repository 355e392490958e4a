/**
 * Voucherify's limits in the emulator, over real HTTP: a plan's per-minute window and its headers, the 429s, the
 * billing cycle's quota that blocks server-side calls until the cycle resets (and `/_emulator/quota`), the client-side
 * limit per IP address, and the text forms the command line and the environment use.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { limitOptions, type RunningEmulator } from '../../src/emulator/index.js';
import { describeLimits, formatDuration, parseRateLimit } from '../../src/emulator/plans.js';
import { CLIENT_HEADERS, REQUEST_ID, call, start } from '../support/emulator.js';

const nowSeconds = () => Date.now() / 1000;

async function withEmulator(
  options: Parameters<typeof start>[0],
  body: (emulator: RunningEmulator) => Promise<void>,
): Promise<void> {
  const emulator = await start(options);
  try {
    await body(emulator);
  } finally {
    await emulator.close();
  }
}

async function quota(emulator: RunningEmulator, method = 'GET', json?: unknown): Promise<any> {
  const response = await fetch(`${emulator.url}/_emulator/quota`, {
    method,
    ...(json === undefined ? {} : { body: JSON.stringify(json), headers: { 'Content-Type': 'application/json' } }),
  });
  return { status: response.status, body: await response.json() };
}

/** A client-side GET sent from another loopback address, to stand for another IP address. */
function clientGetFrom(localAddress: string, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL('/client/v1/consents', url);
    const outgoing = request(target, { headers: CLIENT_HEADERS, localAddress, agent: false }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode!));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

describe('a plan: the per-minute window', () => {
  test('Business: 100 calls a minute with X-Rate-Limit-*, then 429 with Retry-After and the type of limit', async () => {
    await withEmulator({ plan: 'business' }, async (emulator) => {
      const first = await call(emulator, 'GET', '/v1/consents');
      assert.equal(first.status, 200);
      assert.equal(first.headers.get('x-rate-limit-limit'), '100');
      assert.equal(first.headers.get('x-rate-limit-remaining'), '99');
      const retry = Number(first.headers.get('x-rate-limit-retry'));
      assert.ok(retry > nowSeconds() + 55 && retry <= nowSeconds() + 61, `X-Rate-Limit-Retry ${retry}`);
      assert.equal(first.headers.get('retry-after'), null, 'Retry-After only once a limit is reached');
      let last = first;
      for (let i = 2; i <= 100; i++) last = await call(emulator, 'GET', '/v1/consents');
      assert.equal(last.status, 200);
      assert.equal(last.headers.get('x-rate-limit-remaining'), '0');

      const over = await call(emulator, 'GET', '/v1/customers');
      assert.equal(over.status, 429);
      assert.equal(over.body.code, 429);
      assert.equal(over.body.message, 'Too many requests hit the API too quickly.');
      assert.match(over.body.request_id, REQUEST_ID);
      assert.equal(over.headers.get('x-rate-limit-limit'), '100');
      assert.equal(over.headers.get('x-rate-limit-remaining'), '0');
      assert.equal(over.headers.get('x-rate-limit-type'), 'api_calls');
      const retryAfter = Number(over.headers.get('retry-after'));
      assert.ok(retryAfter >= 55 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      assert.equal(Number(over.headers.get('x-rate-limit-retry')), retry);

      // The request log keeps the refusals, with their status.
      const statuses = emulator.requests().map((entry) => entry.status);
      assert.equal(statuses.length, 101);
      assert.deepEqual(statuses.slice(-2), [200, 429]);
      // A refused call is not one of the cycle's.
      assert.equal((await quota(emulator)).body.cycle.used, 100);
    });
  });

  test('Organization: 2,000 a minute and 300,000 a cycle; a --rate-limit replaces the per-minute window', async () => {
    await withEmulator({ plan: 'organization' }, async (emulator) => {
      const { body } = await quota(emulator);
      assert.equal(body.plan, 'organization');
      assert.deepEqual(body.rateLimit, { limit: 2000, windowMs: 60_000 });
      assert.deepEqual(body.clientRateLimit, { limit: 5, windowMs: 5_000 });
      assert.equal(body.cycle.quota, 300_000);
      assert.equal(body.cycle.lengthMs, 30 * 86_400_000);
      assert.equal((await call(emulator, 'GET', '/v1/consents')).headers.get('x-rate-limit-limit'), '2000');
    });
    await withEmulator({ plan: 'organization', rateLimit: { limit: 3, windowMs: 10_000 } }, async (emulator) => {
      const answer = await call(emulator, 'GET', '/v1/consents');
      assert.equal(answer.headers.get('x-rate-limit-limit'), '3');
      assert.equal((await quota(emulator)).body.cycle.quota, 300_000);
    });
  });

  test('without a plan the limit stays generous and there is no cycle', async () => {
    await withEmulator({}, async (emulator) => {
      const { body } = await quota(emulator);
      assert.equal(body.plan, null);
      assert.equal(body.cycle, null);
      assert.ok(body.rateLimit.limit >= 100_000);
      assert.equal((await call(emulator, 'GET', '/client/v1/consents')).headers.get('x-rate-limit-limit'), '100000');
    });
  });
});

describe("a plan: the billing cycle's quota", () => {
  test('once used up, every server-side call is refused until the quota is reset; client-side calls go on', async () => {
    await withEmulator({ plan: 'business' }, async (emulator) => {
      const near = await quota(emulator, 'POST', { used: 99_998 });
      assert.equal(near.status, 200);
      assert.equal(near.body.cycle.remaining, 2);
      assert.equal((await call(emulator, 'GET', '/v1/consents')).status, 200);
      assert.equal((await call(emulator, 'GET', '/v1/customers/nobody')).status, 404);

      const blocked = await call(emulator, 'GET', '/v1/consents');
      assert.equal(blocked.status, 429);
      assert.equal(blocked.body.code, 429);
      assert.equal(blocked.body.message, 'API calls limit of the billing cycle exceeded');
      assert.match(blocked.body.details, /All 100000 API calls of this billing cycle are used/);
      assert.match(blocked.body.request_id, REQUEST_ID);
      assert.equal(blocked.headers.get('x-rate-limit-type'), 'api_calls_cycle');
      assert.equal(blocked.headers.get('x-rate-limit-limit'), '100000');
      assert.equal(blocked.headers.get('x-rate-limit-remaining'), '0');
      const cycleEnd = Number(blocked.headers.get('x-rate-limit-retry'));
      assert.ok(cycleEnd > nowSeconds() + 29 * 86_400, `X-Rate-Limit-Retry ${cycleEnd} is the end of the cycle`);
      assert.ok(Number(blocked.headers.get('retry-after')) > 29 * 86_400);

      for (const [method, path] of [
        ['POST', '/v1/customers'],
        ['GET', '/v1/customers/nobody'],
        ['DELETE', '/v1/customers/nobody'],
      ] as const)
        assert.equal((await call(emulator, method, path, { json: method === 'POST' ? {} : undefined })).status, 429);
      assert.equal((await call(emulator, 'GET', '/client/v1/consents')).status, 200);

      const state = (await quota(emulator)).body;
      assert.equal(state.cycle.blocked, true);
      assert.equal(state.cycle.used, 100_000);
      assert.ok(Date.parse(state.cycle.resetsAt) - Date.parse(state.cycle.startedAt) === 30 * 86_400_000);

      const reset = await quota(emulator, 'POST');
      assert.equal(reset.body.cycle.used, 0);
      assert.equal(reset.body.cycle.blocked, false);
      assert.equal((await call(emulator, 'GET', '/v1/consents')).status, 200);
    });
  });

  test('the next cycle unblocks by itself (a short billingCycleMs)', async () => {
    await withEmulator({ plan: 'business', billingCycleMs: 400 }, async (emulator) => {
      await quota(emulator, 'POST', { used: 100_000 });
      const blocked = await call(emulator, 'GET', '/v1/consents');
      assert.equal(blocked.status, 429);
      const retryAfter = Number(blocked.headers.get('retry-after'));
      assert.equal(retryAfter, 1, 'Retry-After rounds up to a whole second');
      await sleep(450);
      assert.equal((await call(emulator, 'GET', '/v1/consents')).status, 200);
      assert.equal((await quota(emulator)).body.cycle.used, 1);
    });
  });

  test('POST /_emulator/quota refuses what is not a count of calls; /_emulator/reset starts a new cycle', async () => {
    await withEmulator({ plan: 'business' }, async (emulator) => {
      for (const body of [{ used: -1 }, { used: 1.5 }, { used: '3' }, [1]]) {
        const refused = await quota(emulator, 'POST', body);
        assert.equal(refused.status, 400, JSON.stringify(body));
        assert.equal(refused.body.key, 'invalid_payload');
      }
      await quota(emulator, 'POST', { used: 100_000 });
      await emulator.reset();
      assert.equal((await quota(emulator)).body.cycle.used, 0);
    });
  });
});

describe('a plan: client-side calls', () => {
  test('5 per 5 seconds per IP address, answered in plain text once over, with CORS and the limit headers', async () => {
    await withEmulator({ plan: 'business' }, async (emulator) => {
      for (let i = 1; i <= 5; i++) {
        const answer = await call(emulator, 'GET', '/client/v1/consents');
        assert.equal(answer.status, 200);
        assert.equal(answer.headers.get('x-rate-limit-limit'), '5');
        assert.equal(answer.headers.get('x-rate-limit-remaining'), String(5 - i));
      }
      const over = await call(emulator, 'GET', '/client/v1/consents');
      assert.equal(over.status, 429);
      assert.equal(over.text, 'API calls limit exceeded.');
      assert.equal(over.headers.get('x-rate-limit-remaining'), '0');
      const retryAfter = Number(over.headers.get('retry-after'));
      assert.ok(retryAfter >= 1 && retryAfter <= 5, `Retry-After ${retryAfter}`);
      assert.equal(over.headers.get('access-control-allow-origin'), 'http://localhost:8000');
      assert.match(over.headers.get('access-control-expose-headers')!, /X-Rate-Limit-Type/);

      // Another address has its own five; server-side calls are counted apart.
      assert.equal(await clientGetFrom('127.0.0.2', emulator.url), 200);
      assert.equal((await call(emulator, 'GET', '/v1/consents')).status, 200);
      // Preflights are not counted.
      const preflight = await fetch(`${emulator.url}/client/v1/consents`, {
        method: 'OPTIONS',
        headers: { Origin: 'http://localhost:8000', 'Access-Control-Request-Method': 'GET' },
      });
      assert.equal(preflight.status, 204);
      assert.equal((await quota(emulator)).body.cycle.used, 1, 'client-side calls are not in the cycle');
    });
  });
});

describe('limits as text (flags and VC_EMULATOR_* variables)', () => {
  test('<requests>/<duration>, plan names and cycle lengths', () => {
    assert.deepEqual(parseRateLimit('60/10s'), { limit: 60, windowMs: 10_000 });
    assert.deepEqual(parseRateLimit(' 100 / 1m '), { limit: 100, windowMs: 60_000 });
    assert.deepEqual(limitOptions({ plan: 'Organization', billingCycle: '1h' }), {
      plan: 'organization',
      billingCycleMs: 3_600_000,
    });
    assert.deepEqual(limitOptions({}, { VC_EMULATOR_RATE_LIMIT: '60/10s', VC_EMULATOR_PLAN: 'business' }), {
      rateLimit: { limit: 60, windowMs: 10_000 },
      plan: 'business',
    });
    assert.deepEqual(limitOptions({ rateLimit: '5/1s' }, { VC_EMULATOR_RATE_LIMIT: '60/10s' }).rateLimit, {
      limit: 5,
      windowMs: 1_000,
    });
    assert.deepEqual(limitOptions({}, { VC_EMULATOR_RATE_LIMIT: '', VC_EMULATOR_PLAN: '' }), {});
  });

  test('a malformed value is refused with what was wrong and where it came from', async () => {
    assert.throws(
      () => limitOptions({ rateLimit: '60' }),
      /--rate-limit "60" is not <requests>\/<seconds>s, e\.g\. 60\/10s/,
    );
    assert.throws(() => limitOptions({ rateLimit: '0/10s' }), /--rate-limit "0\/10s"/);
    assert.throws(() => limitOptions({ rateLimit: '60/10' }), /--rate-limit "60\/10"/);
    assert.throws(() => limitOptions({}, { VC_EMULATOR_RATE_LIMIT: '60/0s' }), /VC_EMULATOR_RATE_LIMIT "60\/0s"/);
    assert.throws(
      () => limitOptions({}, { VC_EMULATOR_PLAN: 'enterprise' }),
      /VC_EMULATOR_PLAN "enterprise" is not one of business, organization/,
    );
    assert.throws(() => limitOptions({ billingCycle: 'month' }), /--billing-cycle "month" is not a duration/);
    await assert.rejects(() => start({ plan: 'gold' as 'business' }), /Unknown plan "gold"/);
  });

  test('the start-up line says which limits are in force', () => {
    assert.equal(
      describeLimits({ plan: 'business' }),
      'business plan, 100 requests per 1m, 100000 per billing cycle of 30d, client side 5 per 5s per IP',
    );
    assert.equal(describeLimits({ rateLimit: { limit: 60, windowMs: 10_000 } }), '60 requests per 10s');
    assert.match(describeLimits({}), /^generous/);
    assert.equal(formatDuration(1_500), '1500ms');
  });
});
