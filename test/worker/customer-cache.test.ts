/**
 * The read cache and the budget reading on their own (no workerd): what is kept and for how long, a load that a write
 * overtook, stale copies while Voucherify is busy or the budget is down to the reserve, the rate-limit headers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { VoucherifyError } from '../../src/api/errors.js';
import type { Customer } from '../../src/api/types.js';
import { WireError } from '../../src/api/wire-error.js';
import { CustomerCache, afterWrite } from '../../src/worker/customer-cache.js';
import type { ReadPolicy } from '../../src/worker/customer-cache.js';
import { UpstreamBudget } from '../../src/worker/upstream-budget.js';

const policy = (overrides: Partial<ReadPolicy> = {}): ReadPolicy => ({
  ttlMs: 60_000,
  budgetLow: false,
  retryAfter: () => 7,
  waitMs: 1000,
  ...overrides,
});

const customer = (name: string) => ({ id: 'cust_1', name, object: 'customer' }) as unknown as Customer;
const noCall = (): Promise<Customer> => Promise.reject(new Error('no call expected'));

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('CustomerCache', () => {
  it('keeps a read for the TTL, then reads again', async () => {
    const cache = new CustomerCache();
    let calls = 0;
    const load = async () => customer(`v${++calls}`);
    assert.equal((await cache.read('customer', load, policy())).cache, 'miss');
    assert.deepEqual(await cache.read('customer', load, policy()), { value: customer('v1'), age: 0, cache: 'hit' });
    assert.equal((await cache.read('customer', load, policy({ ttlMs: 0 }))).cache, 'miss');
    assert.equal(calls, 2);
  });

  it('shares one call among concurrent reads', async () => {
    const cache = new CustomerCache();
    const answer = deferred<Customer>();
    let calls = 0;
    const reads = Array.from({ length: 5 }, () =>
      cache.read(
        'customer',
        () => {
          calls += 1;
          return answer.promise;
        },
        policy(),
      ),
    );
    answer.resolve(customer('shared'));
    for (const read of await Promise.all(reads)) assert.equal(read.value.name, 'shared');
    assert.equal(calls, 1);
  });

  it('stops waiting for a call that never settles, and makes its own', async () => {
    const cache = new CustomerCache();
    void cache.read('customer', () => new Promise<Customer>(() => undefined), policy());
    const own = await cache.read('customer', async () => customer('own'), policy({ waitMs: 20 }));
    assert.equal(own.value.name, 'own');
  });

  it('never lets a load that started before a write overwrite what the write answered', async () => {
    const cache = new CustomerCache();
    const before = deferred<Customer>();
    const read = cache.read('customer', () => before.promise, policy());
    afterWrite(cache, { kind: 'profile', update: { name: 'written' } }, { ok: true, value: customer('written') });
    before.resolve(customer('before the write'));
    await read;
    const next = await cache.read('customer', noCall, policy());
    assert.deepEqual([next.value.name, next.cache], ['written', 'hit']);
  });

  it('drops everything after a write whose answer is not the customer, or that may have changed something', async () => {
    const cache = new CustomerCache();
    const fill = () => cache.read('customer', async () => customer('kept'), policy());
    await fill();
    afterWrite(cache, { kind: 'unsubscribe', jti: 'j' }, { ok: true, value: { changed: true } });
    assert.equal(cache.size, 0);
    await fill();
    afterWrite(cache, { kind: 'profile', update: {} }, { ok: false, error: { status: 400, message: 'Bad' } });
    assert.equal(cache.size, 1, 'a refused write changed nothing');
    afterWrite(cache, { kind: 'profile', update: {} }, { ok: false, error: { status: 502, message: 'Bad Gateway' } });
    assert.equal(cache.size, 0);
  });

  it('serves a kept copy, marked stale, while Voucherify is busy or the budget is down to the reserve', async () => {
    const cache = new CustomerCache();
    await cache.read('customer', async () => customer('kept'), policy());
    const busy = () => Promise.reject(new VoucherifyError({ kind: 'http', status: 429 }));
    assert.equal((await cache.read('customer', busy, policy({ ttlMs: 0 }))).cache, 'stale');
    const timeout = () => Promise.reject(new VoucherifyError({ kind: 'timeout' }));
    assert.equal((await cache.read('customer', timeout, policy({ ttlMs: 0 }))).cache, 'stale');
    assert.equal((await cache.read('customer', noCall, policy({ ttlMs: 0, budgetLow: true }))).cache, 'stale');
  });

  it('refuses a read it has nothing for under the reserve (503, Retry-After), and forgets a customer gone upstream', async () => {
    const cache = new CustomerCache();
    await assert.rejects(
      cache.read('segments', async () => ({}), policy({ budgetLow: true })),
      (error: unknown) => error instanceof WireError && error.status === 503 && error.headers['Retry-After'] === '7',
    );
    await cache.read('customer', async () => customer('kept'), policy());
    const gone = () => Promise.reject(new VoucherifyError({ kind: 'http', status: 404 }));
    await assert.rejects(cache.read('customer', gone, policy({ ttlMs: 0 })));
    assert.equal(cache.size, 0);
  });
});

describe('UpstreamBudget', () => {
  const headers = (values: Record<string, string>) => new Headers(values);
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('reads Voucherify’s headers, X-Rate-Limit-Retry as epoch seconds, and lapses when the window ends', () => {
    const budget = new UpstreamBudget();
    const retry = String(now / 1000 + 30);
    budget.observe(
      headers({ 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '4', 'x-rate-limit-retry': retry }),
      now,
    );
    assert.deepEqual(budget.current(now), { limit: 100, remaining: 4, resetsAt: now + 30_000, seenAt: now });
    assert.equal(budget.isLow(10, now), true);
    assert.equal(budget.isLow(4, now), false);
    assert.equal(budget.secondsToReset(now), 30);
    assert.equal(budget.isLow(10, now + 30_000), false, 'a new window');
  });

  it('falls back on Retry-After for the window end, and ignores answers without the headers', () => {
    const budget = new UpstreamBudget();
    budget.observe(headers({ 'x-rate-limit-limit': '100', 'x-rate-limit-remaining': '0', 'retry-after': '12' }), now);
    assert.equal(budget.current(now)?.remaining, 0);
    assert.equal(budget.secondsToReset(now), 12);
    budget.observe(headers({ 'retry-after': '120' }), now + 1000);
    assert.equal(budget.current(now + 1000)?.remaining, 0);
    assert.equal(budget.secondsToReset(now + 1000), 11);
  });
});
