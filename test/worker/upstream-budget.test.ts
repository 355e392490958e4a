/**
 * The budget in workerd against an emulator with a low rate limit: once Voucherify's `X-Rate-Limit-Remaining` falls
 * under `UPSTREAM_RESERVE`, reads are served from cache past their TTL, marked stale, and nothing kept is deferred
 * (503, `Retry-After`), while writes still go through; an admin's `/healthz` shows the budget seen last.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { EdgeConsents } from '../../src/api/edge-types.js';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import { json } from '../support/http.js';
import { stackPerSuite, upstreamOf } from '../support/stack.js';
import type { Stack } from '../support/stack.js';
import { devSessionToken } from '../support/tokens.js';

const LIMIT = 40;
const RESERVE = 30;
const ADMIN = { 'x-app-id': 'edge-admin', 'x-app-token': 'edge-admin-token' };
const VIEW = ['/v1/me', '/v1/me/consents', '/v1/me/segments'];

describe('upstream budget', () => {
  let stack: Stack;
  stackPerSuite((started) => (stack = started), {
    vars: { READ_CACHE_TTL: '1', UPSTREAM_RESERVE: String(RESERVE) },
    emulator: { rateLimit: { limit: LIMIT, windowMs: 60_000 } },
  });

  it('under the reserve: reads are served stale or deferred, writes go through, /healthz shows it to an admin', async () => {
    const alice = await devSessionToken(DEMO_CUSTOMERS.alice.id);
    for (const path of VIEW) assert.equal((await stack.call('GET', path, alice)).status, 200);
    const health = async () => json(await stack.fetch('/healthz', { headers: ADMIN }));
    assert.equal((await health()).holding_back_reads, false);

    // Someone else spends the budget (same Voucherify keys); the worker learns it from its next answer.
    const upstream = upstreamOf(stack);
    while (LIMIT - stack.upstream().length >= RESERVE) await upstream.getCustomer(DEMO_CUSTOMERS.bob.id);
    assert.equal((await stack.call('GET', '/v1/me', await devSessionToken(DEMO_CUSTOMERS.chloe.id))).status, 200);
    await sleep(1100); // alice's reads are past their TTL now

    stack.emulator.clearRequests();
    for (const path of VIEW) {
      const answer = await stack.call('GET', path, alice);
      assert.equal(answer.status, 200, `${path}: ${await answer.clone().text()}`);
      assert.equal(answer.headers.get('x-cache'), 'stale', path);
      assert.ok(Number(answer.headers.get('age')) >= 1, path);
    }
    assert.deepEqual(stack.upstream(), [], 'reads spend none of the reserve');

    for (const [path, token] of [
      ['/v1/me/activities?limit=5', alice],
      ['/v1/me/activities?limit=5&starting_after_id=evcus_1', alice],
      ['/v1/me', await devSessionToken(DEMO_CUSTOMERS.bob.id)],
    ] as const) {
      const deferred = await stack.call('GET', path, token);
      assert.equal(deferred.status, 503, path);
      assert.match(deferred.headers.get('retry-after') ?? '', /^[1-9]\d*$/, path);
      assert.equal((await json(deferred)).key, 'budget_reserved', path);
    }
    assert.deepEqual(stack.upstream(), []);

    const { newsletter } = SEED_CONSENT_IDS;
    const write = await stack.call('PUT', '/v1/me/consents', alice, { [newsletter]: false });
    assert.equal(write.status, 200, await write.clone().text());
    assert.ok(stack.upstream().some((call) => call.method === 'PUT' && call.status < 300));
    const after = await stack.call('GET', '/v1/me/consents', alice);
    assert.equal(after.headers.get('x-cache'), 'hit', 'the write brought the cache up to date');
    assert.equal((await json<EdgeConsents>(after)).state[newsletter]?.value, false);

    const shown = await health();
    assert.equal(shown.status, 'ok');
    assert.equal(shown.holding_back_reads, true);
    assert.equal(shown.reserve, RESERVE);
    const budget = shown.upstream_budget as Record<string, unknown>;
    assert.equal(budget.limit, LIMIT);
    assert.ok(Number(budget.remaining) < RESERVE);
    assert.ok(Date.parse(String(budget.resets_at)) > Date.now());

    assert.deepEqual(await json(await stack.fetch('/healthz')), { status: 'ok' });
    const wrong = await stack.fetch('/healthz', { headers: { ...ADMIN, 'x-app-token': 'not-the-admin-token' } });
    assert.equal(wrong.status, 401);
  });
});
