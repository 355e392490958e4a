/**
 * The read cache in workerd against the emulator, counted with the emulator's request log: a first account view costs
 * the customer and their segments (the definitions are shared and kept for a minute), the first activity page one
 * more, a repeat view nothing; concurrent reads share one call; a write through the worker is what the next read
 * shows, without a call; the TTL; the same without the Durable Object binding; and no cache with `READ_CACHE_TTL=0`.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import type { EdgeConsents, EdgeProfile } from '../../src/api/edge-types.js';
import { SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import type { RecordedRequest } from '../../src/emulator/index.js';
import { json } from '../support/http.js';
import { stackPerSuite, upstreamOf } from '../support/stack.js';
import type { Stack } from '../support/stack.js';
import { devSessionToken } from '../support/tokens.js';

const ORIGIN = 'http://127.0.0.1:8000';
/** What the consent panel, the profile card and its segments ask for on a first view. */
const VIEW = ['/v1/me', '/v1/me/consents', '/v1/me/segments'];
const FIRST_ACTIVITY_PAGE = '/v1/me/activities?limit=5';

/** A customer nobody has read yet (the suites share one worker, and its cache, across tests), and their token. */
async function newCustomer(stack: Stack): Promise<{ id: string; token: string }> {
  const email = `cache-${randomUUID()}@example.com`;
  const { id } = await upstreamOf(stack).createCustomer({ source_id: email, email, name: 'Casey Cache' });
  stack.emulator.clearRequests();
  return { id, token: await devSessionToken(id) };
}

const customerCalls = (stack: Stack): RecordedRequest[] =>
  stack.upstream().filter((request) => request.path.startsWith('/v1/customers'));

const describeCalls = (calls: RecordedRequest[]) => calls.map((call) => `${call.method} ${call.path}`).join('\n');

async function view(stack: Stack, token: string, paths: string[]): Promise<Response[]> {
  const answers = await Promise.all(paths.map((path) => stack.call('GET', path, token, undefined, { origin: ORIGIN })));
  for (const answer of answers) assert.equal(answer.status, 200, await answer.clone().text());
  return answers;
}

describe('read cache in the customer object', () => {
  let stack: Stack;
  stackPerSuite((started) => (stack = started), { vars: { READ_CACHE_TTL: '300' } });

  it('a first view costs the customer and their segments, the first activity page one more; a repeat view nothing', async () => {
    const { id, token } = await newCustomer(stack);
    const first = await view(stack, token, VIEW);
    const calls = customerCalls(stack);
    assert.ok(calls.length <= 2, describeCalls(calls));
    assert.deepEqual(calls.map((call) => call.path).sort(), [`/v1/customers/${id}`, `/v1/customers/${id}/segments`]);
    assert.ok(
      stack.upstream().filter((call) => call.path === '/v1/consents').length <= 1,
      'the definitions: at most once (and shared by every customer for a minute)',
    );
    for (const answer of first) assert.ok(['miss', 'hit'].includes(answer.headers.get('x-cache')!));

    stack.emulator.clearRequests();
    await view(stack, token, [FIRST_ACTIVITY_PAGE]);
    assert.equal(customerCalls(stack).length, 1, describeCalls(stack.upstream()));

    stack.emulator.clearRequests();
    const again = await view(stack, token, [...VIEW, FIRST_ACTIVITY_PAGE]);
    assert.deepEqual(stack.upstream(), [], 'a repeat view within the TTL calls nothing');
    for (const answer of again) {
      assert.equal(answer.headers.get('x-cache'), 'hit');
      assert.match(answer.headers.get('age') ?? '', /^\d+$/);
      assert.equal(answer.headers.get('cache-control'), 'no-store');
      assert.match(answer.headers.get('access-control-expose-headers') ?? '', /\bAge\b.*\bX-Cache\b/);
    }
  });

  it('ten concurrent reads of one customer make one upstream call', async () => {
    const { id, token } = await newCustomer(stack);
    const answers = await Promise.all(Array.from({ length: 10 }, () => stack.call('GET', '/v1/me', token)));
    for (const answer of answers) assert.equal(answer.status, 200);
    const profiles = await Promise.all(answers.map((answer) => json<EdgeProfile>(answer)));
    assert.ok(profiles.every((profile) => profile.id === id));
    assert.equal(customerCalls(stack).length, 1, describeCalls(stack.upstream()));
  });

  it('a consents write is what the next read shows, without an upstream call', async () => {
    const { token } = await newCustomer(stack);
    await view(stack, token, ['/v1/me/consents']);
    const { newsletter } = SEED_CONSENT_IDS;
    const put = await stack.call('PUT', '/v1/me/consents', token, { [newsletter]: true }, { origin: ORIGIN });
    assert.equal(put.status, 200, await put.clone().text());
    stack.emulator.clearRequests();
    const [answer] = await view(stack, token, ['/v1/me/consents']);
    assert.equal((await json<EdgeConsents>(answer!)).state[newsletter]?.value, true);
    assert.equal(answer!.headers.get('x-cache'), 'hit');
    assert.deepEqual(stack.upstream(), []);
  });

  it('a profile write is what the next read shows, without an upstream call; its activity page is read again', async () => {
    const { token } = await newCustomer(stack);
    await view(stack, token, ['/v1/me', FIRST_ACTIVITY_PAGE]);
    const put = await stack.call('PUT', '/v1/me', token, { name: 'Casey Written' }, { origin: ORIGIN });
    assert.equal(put.status, 200, await put.clone().text());
    stack.emulator.clearRequests();
    const [answer] = await view(stack, token, ['/v1/me']);
    assert.equal((await json<EdgeProfile>(answer!)).name, 'Casey Written');
    assert.deepEqual(stack.upstream(), []);
    await view(stack, token, [FIRST_ACTIVITY_PAGE]);
    assert.equal(customerCalls(stack).length, 1, 'the write added an activity: the kept page was dropped');
  });

  it('a permanent deletion drops what was kept: the next read finds the customer gone', async () => {
    const { token } = await newCustomer(stack);
    await view(stack, token, VIEW);
    const deletion = await stack.call('POST', '/v1/me/permanent-deletion', token, undefined, { origin: ORIGIN });
    assert.equal(deletion.status, 200, await deletion.clone().text());
    assert.equal((await stack.call('GET', '/v1/me', token)).status, 404);
  });

  it('a change made elsewhere is not seen until the TTL or a webhook (the cache is what it says)', async () => {
    const { id, token } = await newCustomer(stack);
    await view(stack, token, ['/v1/me']);
    await upstreamOf(stack).updateCustomer(id, { name: 'Changed Elsewhere' });
    stack.emulator.clearRequests();
    const [answer] = await view(stack, token, ['/v1/me']);
    assert.equal((await json<EdgeProfile>(answer!)).name, 'Casey Cache');
    assert.deepEqual(stack.upstream(), []);
  });
});

describe('read cache TTL', () => {
  let stack: Stack;
  stackPerSuite((started) => (stack = started), { vars: { READ_CACHE_TTL: '2' } });

  it('serves a kept read with its age within the TTL, and reads again once it is over', async () => {
    const { token } = await newCustomer(stack);
    const [first] = await view(stack, token, ['/v1/me']);
    assert.equal(first!.headers.get('x-cache'), 'miss');
    assert.equal(first!.headers.get('age'), '0');
    await sleep(1100);
    const [kept] = await view(stack, token, ['/v1/me']);
    assert.equal(kept!.headers.get('x-cache'), 'hit');
    assert.equal(kept!.headers.get('age'), '1');
    assert.equal(customerCalls(stack).length, 1);
    await sleep(1000);
    const [expired] = await view(stack, token, ['/v1/me']);
    assert.equal(expired!.headers.get('x-cache'), 'miss');
    assert.equal(customerCalls(stack).length, 2);
  });
});

describe('read cache without the Durable Object binding', () => {
  let stack: Stack;
  stackPerSuite((started) => (stack = started), { vars: { READ_CACHE_TTL: '300' }, durableObjects: false });

  it('keeps reads in the isolate: a repeat view calls nothing, concurrent reads share a call, writes update it', async () => {
    const { token } = await newCustomer(stack);
    const answers = await Promise.all(Array.from({ length: 10 }, () => stack.call('GET', '/v1/me', token)));
    for (const answer of answers) assert.equal(answer.status, 200);
    assert.equal(customerCalls(stack).length, 1, describeCalls(stack.upstream()));
    await view(stack, token, VIEW);
    stack.emulator.clearRequests();
    await view(stack, token, VIEW);
    assert.deepEqual(stack.upstream(), []);
    const put = await stack.call('PUT', '/v1/me', token, { name: 'Local Write' }, { origin: ORIGIN });
    assert.equal(put.status, 200, await put.clone().text());
    stack.emulator.clearRequests();
    const [answer] = await view(stack, token, ['/v1/me']);
    assert.equal((await json<EdgeProfile>(answer!)).name, 'Local Write');
    assert.deepEqual(stack.upstream(), []);
  });
});

describe('read cache off (READ_CACHE_TTL=0)', () => {
  let stack: Stack;
  stackPerSuite((started) => (stack = started), { vars: { READ_CACHE_TTL: '0' } });

  it('reads upstream every time, marked miss', async () => {
    const { token } = await newCustomer(stack);
    await view(stack, token, ['/v1/me']);
    const [again] = await view(stack, token, ['/v1/me']);
    assert.equal(again!.headers.get('x-cache'), 'miss');
    assert.equal(customerCalls(stack).length, 2);
  });
});

describe('read cache and budget configuration', () => {
  let stack: Stack;
  stackPerSuite((started) => (stack = started), { vars: { READ_CACHE_TTL: '-1', UPSTREAM_RESERVE: 'many' } });

  it('answers 500 misconfigured naming READ_CACHE_TTL and UPSTREAM_RESERVE', async () => {
    const answer = await stack.fetch('/v1/me');
    assert.equal(answer.status, 500);
    const body = await json(answer);
    assert.equal(body.key, 'misconfigured');
    assert.match(
      String(body.details),
      /READ_CACHE_TTL must be a whole number from 0 to 86400.*UPSTREAM_RESERVE must be a whole number from 0 to 1000000/,
    );
  });
});
