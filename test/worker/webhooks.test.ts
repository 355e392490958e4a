/**
 * `POST /webhooks/voucherify` in workerd: signed as Voucherify signs (HMAC-SHA256 of the body with the webhook secret,
 * hex, in `x-voucherify-signature`), it drops what the worker keeps for the customers the event names, so the next
 * read goes upstream; a wrong or missing signature is 401 and changes nothing; without a secret the route is off.
 */
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
import { describe, it } from 'node:test';
import type { EdgeProfile } from '../../src/api/edge-types.js';
import { json } from '../support/http.js';
import { stackPerSuite, upstreamOf } from '../support/stack.js';
import type { Stack } from '../support/stack.js';
import { devSessionToken } from '../support/tokens.js';

const SECRET = 'test-webhook-secret-7c1f0e2b9a';

const sign = (body: string, secret = SECRET) => createHmac('sha256', secret).update(body).digest('hex');

/** A `customer.updated` event as Voucherify sends it (`data.customer` is the customer). */
function customerUpdated(customerId: string): string {
  return JSON.stringify({
    id: `event_${randomUUID().replace(/-/g, '')}`,
    project_id: 'proj_test',
    created_at: new Date().toISOString(),
    type: 'customer.updated',
    data: { customer: { id: customerId, object: 'customer', name: 'Changed Elsewhere' } },
  });
}

function postWebhook(stack: Stack, body: string, signature: string | null): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (signature !== null) headers['x-voucherify-signature'] = signature;
  return stack.fetch('/webhooks/voucherify', { method: 'POST', body, headers });
}

async function nameSeen(stack: Stack, token: string): Promise<{ name: string | null | undefined; cache: string }> {
  const answer = await stack.call('GET', '/v1/me', token);
  assert.equal(answer.status, 200);
  return { name: (await json<EdgeProfile>(answer)).name, cache: answer.headers.get('x-cache') ?? '' };
}

describe('POST /webhooks/voucherify', () => {
  let stack: Stack;
  stackPerSuite((started) => (stack = started), {
    vars: { READ_CACHE_TTL: '300', VOUCHERIFY_WEBHOOK_SECRET: SECRET },
  });

  async function cachedCustomerChangedElsewhere() {
    const email = `hook-${randomUUID()}@example.com`;
    const { id } = await upstreamOf(stack).createCustomer({ source_id: email, email, name: 'Before' });
    const token = await devSessionToken(id);
    assert.equal((await nameSeen(stack, token)).name, 'Before');
    await upstreamOf(stack).updateCustomer(id, { name: 'Changed Elsewhere' });
    assert.deepEqual(await nameSeen(stack, token), { name: 'Before', cache: 'hit' });
    stack.emulator.clearRequests();
    return { id, token };
  }

  it('with a valid signature, drops the customer it names: the next read goes upstream and sees the change', async () => {
    const { id, token } = await cachedCustomerChangedElsewhere();
    const body = customerUpdated(id);
    const answer = await postWebhook(stack, body, sign(body));
    assert.equal(answer.status, 200, await answer.clone().text());
    assert.deepEqual(await json(answer), { received: true, invalidated: 1 });
    assert.deepEqual(stack.upstream(), [], 'the webhook itself calls nothing upstream');
    assert.deepEqual(await nameSeen(stack, token), { name: 'Changed Elsewhere', cache: 'miss' });
    assert.equal(stack.upstream().length, 1);
  });

  it('accepts the signature in upper case hex too', async () => {
    const { id, token } = await cachedCustomerChangedElsewhere();
    const body = customerUpdated(id);
    assert.equal((await postWebhook(stack, body, sign(body).toUpperCase())).status, 200);
    assert.equal((await nameSeen(stack, token)).name, 'Changed Elsewhere');
  });

  const refusals: Array<[string, (body: string) => string | null]> = [
    ['no signature', () => null],
    ['a signature made with another secret', (body) => sign(body, 'another-secret')],
    ['the signature of another body', (body) => sign(`${body} `)],
    ['a signature that is not hex', () => 'not-a-signature'],
  ];
  for (const [what, signature] of refusals) {
    it(`refuses ${what} with 401, leaving the cache as it was`, async () => {
      const { id, token } = await cachedCustomerChangedElsewhere();
      const body = customerUpdated(id);
      const answer = await postWebhook(stack, body, signature(body));
      assert.equal(answer.status, 401);
      assert.equal((await json(answer)).key, 'unauthorized');
      assert.deepEqual(await nameSeen(stack, token), { name: 'Before', cache: 'hit' });
      assert.deepEqual(stack.upstream(), []);
    });
  }

  it('acknowledges customer.created without waking the customer: a new id has nothing kept (an import sends thousands)', async () => {
    const created = customerUpdated('cust_brandnew1').replace('"customer.updated"', '"customer.created"');
    const answer = await postWebhook(stack, created, sign(created));
    assert.equal(answer.status, 200);
    assert.deepEqual(await json(answer), { received: true, invalidated: 0 });
    const updated = customerUpdated('cust_brandnew1');
    assert.deepEqual(await json(await postWebhook(stack, updated, sign(updated))), { received: true, invalidated: 1 });
  });

  it('acknowledges a signed event that names no customer, and refuses a signed body that is not JSON', async () => {
    const other = JSON.stringify({ id: 'event_1', type: 'voucher.published', data: { object: { id: 'v_1' } } });
    const acknowledged = await postWebhook(stack, other, sign(other));
    assert.equal(acknowledged.status, 200);
    assert.deepEqual(await json(acknowledged), { received: true, invalidated: 0 });
    assert.equal((await postWebhook(stack, 'not json', sign('not json'))).status, 400);
  });
});

describe('POST /webhooks/voucherify without VOUCHERIFY_WEBHOOK_SECRET', () => {
  let stack: Stack;
  stackPerSuite((started) => (stack = started));

  it('is off: 404, whatever the signature', async () => {
    const body = customerUpdated('cust_someone');
    const answer = await postWebhook(stack, body, sign(body));
    assert.equal(answer.status, 404);
    assert.match(String((await json(answer)).details), /VOUCHERIFY_WEBHOOK_SECRET/);
  });
});
