/**
 * Consent integrity at the edge: a customer's record changes only as they chose. The worker compares with the stored
 * state before it writes (an old client sending every consent cannot rewrite history), records the policy version
 * only when it changes, and serializes every write for one customer (no lost update between two tabs).
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { CustomerConsentsState } from '../../src/api/types.js';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import { devSessionToken, devUnsubscribeToken } from '../support/tokens.js';
import { json } from '../support/http.js';
import { consentsOf } from '../support/emulator.js';
import { activityTypes, stackPerSuite, upstreamOf } from '../support/stack.js';
import type { Stack, StackOptions } from '../support/stack.js';

const ALICE = DEMO_CUSTOMERS.alice;
const { newsletter, productUpdates, emailOffers, smsOffers, partners } = SEED_CONSENT_IDS;

for (const storage of ['consents', 'metadata'] as const) {
  describe(`consent writes compare before they write (CONSENT_STORAGE=${storage})`, () => {
    let stack: Stack;
    let token: string;
    const options: StackOptions = { vars: { CONSENT_STORAGE: storage } };
    stackPerSuite((started) => (stack = started), options);
    beforeEach(async () => {
      token = await devSessionToken(ALICE.id);
    });

    const stateOf = async (): Promise<CustomerConsentsState> => {
      const customer = await upstreamOf(stack).getCustomer(ALICE.id);
      if (storage === 'consents') return consentsOf(customer);
      return ((customer.metadata as Record<string, unknown>)['vc_consents'] ?? {}) as CustomerConsentsState;
    };

    it('an old client sending every consent changes only the one that differs: other dates stay, nothing never asked becomes declined', async () => {
      if (storage === 'metadata') {
        // Start the metadata strategy from the same decisions the seed gave alice through the consent endpoint.
        const seeded = consentsOf(await upstreamOf(stack).getCustomer(ALICE.id));
        await upstreamOf(stack).updateCustomer(ALICE.id, {
          metadata: { ...(await upstreamOf(stack).getCustomer(ALICE.id)).metadata, vc_consents: seeded },
        });
      }
      const before = await stateOf();
      assert.equal(before[newsletter]?.value, true);
      assert.equal(before[productUpdates], undefined, 'alice was never asked about product updates');
      const since = new Date().toISOString();
      await new Promise((resolve) => setTimeout(resolve, 5));
      // What the first release sent after one switch (partners) was turned on: the whole map of what it showed.
      const response = await stack.call('PUT', '/v1/me/consents', token, {
        [newsletter]: true,
        [productUpdates]: false,
        [emailOffers]: true,
        [smsOffers]: false,
        [partners]: true,
      });
      assert.equal(response.status, 200, await response.clone().text());
      const after = await stateOf();
      assert.equal(after[partners]?.value, true, 'the one change is recorded');
      for (const id of [newsletter, emailOffers, smsOffers]) {
        assert.deepEqual(after[id], before[id], `${id} keeps its value and its date`);
      }
      assert.equal(after[productUpdates], undefined, 'a consent never asked is not recorded as declined');
      if (storage === 'consents') {
        const events = (await activityTypes(stack, ALICE.id, since)).filter((event) =>
          event.type.startsWith('customer.consents.'),
        );
        assert.deepEqual(
          events,
          [{ type: 'customer.consents.given', consents: [partners] }],
          'one event, for the one change',
        );
      }
    });

    it('a write that changes nothing writes nothing upstream', async () => {
      stack.emulator.clearRequests();
      const response = await stack.call('PUT', '/v1/me/consents', token, {
        [newsletter]: storage === 'consents',
        [smsOffers]: false,
      });
      assert.equal(response.status, 200);
      const writes = stack.upstream().filter((request) => request.method !== 'GET');
      if (storage === 'consents') assert.deepEqual(writes, [], 'alice already has newsletter on and SMS off');
    });

    it('records the policy version once: saving again under the same version leaves its record (and date) alone', async () => {
      const first = await stack.call('PUT', '/v1/me/consents?policy_version=2026-11', token, { [partners]: true });
      assert.equal(first.status, 200);
      assert.equal((await json(first)).policy_version, '2026-11');
      const policyOf = async () =>
        ((await upstreamOf(stack).getCustomer(ALICE.id)).metadata as Record<string, unknown>)['vc_consent_policy'];
      const recorded = await policyOf();
      const since = new Date().toISOString();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const again = await stack.call('PUT', '/v1/me/consents?policy_version=2026-11', token, { [partners]: false });
      assert.equal(again.status, 200);
      assert.deepEqual(await policyOf(), recorded, 'the policy record keeps its date');
      if (storage === 'consents') {
        const types = (await activityTypes(stack, ALICE.id, since)).map((event) => event.type);
        assert.deepEqual(
          types,
          ['customer.consents.revoked'],
          'no "customer updated" from rewriting the policy version',
        );
      }
    });
  });
}

describe('writes for one customer are serialized at the edge', () => {
  let stack: Stack;
  stackPerSuite((started) => (stack = started));

  it('200 concurrent pairs of a profile write and a consent write through the worker: none lost', async () => {
    const token = await devSessionToken(ALICE.id);
    const lost: string[] = [];
    for (let pair = 0; pair < 200; pair += 1) {
      const frequency = `weekly-${pair}`;
      const policy = `v${pair}`;
      const given = pair % 2 === 0;
      const [profile, consents] = await Promise.all([
        stack.call('PUT', '/v1/me', token, { metadata: { newsletter_frequency: frequency } }),
        stack.call('PUT', `/v1/me/consents?policy_version=${policy}`, token, { [partners]: given }),
      ]);
      assert.equal(profile.status, 200, await profile.clone().text());
      assert.equal(consents.status, 200, await consents.clone().text());
      const customer = await upstreamOf(stack).getCustomer(ALICE.id);
      const metadata = customer.metadata as Record<string, unknown>;
      if (metadata.newsletter_frequency !== frequency) lost.push(`pair ${pair}: profile write lost`);
      if ((metadata.vc_consent_policy as { value?: string } | undefined)?.value !== policy)
        lost.push(`pair ${pair}: policy version lost`);
      if (consentsOf(customer)[partners]?.value !== given) lost.push(`pair ${pair}: consent lost`);
    }
    assert.deepEqual(lost, [], `${lost.length} of 200 pairs lost a write`);
  });
});

describe('every write for one customer passes through their Durable Object', () => {
  let stack: Stack;
  stackPerSuite((started) => (stack = started), { vars: { LOG_LEVEL: 'debug' } });

  it('runs consent, profile, one-click and back office writes in the customer object', async () => {
    const token = await devSessionToken(ALICE.id);
    stack.logs.length = 0;
    assert.equal((await stack.call('PUT', '/v1/me/consents', token, { [partners]: true })).status, 200);
    assert.equal((await stack.call('PUT', '/v1/me', token, { name: 'Alice M.' })).status, 200);
    assert.equal(
      (await stack.fetch(`/unsubscribe/${await devUnsubscribeToken(ALICE.id)}`, { method: 'POST' })).status,
      200,
    );
    const admin = { 'x-app-id': 'edge-admin', 'x-app-token': 'edge-admin-token' };
    assert.equal(
      (
        await stack.call(
          'PUT',
          `/v1/customers/${encodeURIComponent(ALICE.source_id)}/consents`,
          null,
          { [newsletter]: true },
          admin,
        )
      ).status,
      204,
    );
    const kinds = stack.logs
      .map((line) => JSON.parse(line) as { message: string; kind?: string })
      .filter((entry) => entry.message === 'customer object write')
      .map((entry) => entry.kind);
    assert.deepEqual(kinds, ['consents', 'profile', 'unsubscribe', 'forward']);
  });

  it('the back office consents route writes only what differs, and nothing when nothing does', async () => {
    const admin = { 'x-app-id': 'edge-admin', 'x-app-token': 'edge-admin-token' };
    const before = consentsOf(await upstreamOf(stack).getCustomer(ALICE.id));
    stack.emulator.clearRequests();
    const same = await stack.call(
      'PUT',
      `/v1/customers/${ALICE.id}/consents`,
      null,
      { [newsletter]: true, [smsOffers]: false },
      admin,
    );
    assert.equal(same.status, 204);
    assert.deepEqual(
      stack.upstream().filter((request) => request.method === 'PUT'),
      [],
      'no upstream write',
    );
    const changed = await stack.call(
      'PUT',
      `/v1/customers/${ALICE.id}/consents`,
      null,
      { [newsletter]: true, [partners]: true },
      admin,
    );
    assert.equal(changed.status, 204);
    const after = consentsOf(await upstreamOf(stack).getCustomer(ALICE.id));
    assert.deepEqual(after[newsletter], before[newsletter], 'newsletter keeps its date');
    assert.equal(after[partners]?.value, true);
    const refused = await stack.call('PUT', `/v1/customers/${ALICE.id}/consents`, null, {}, admin);
    assert.equal(refused.status, 400, 'Voucherify’s own answer to an empty map comes back');
    const unknown = await stack.call(
      'PUT',
      '/v1/customers/cust_nobody000000000000000/consents',
      null,
      { [partners]: true },
      admin,
    );
    assert.equal(unknown.status, 404);
  });
});

describe('without the Durable Object binding', () => {
  let stack: Stack;
  stackPerSuite((started) => (stack = started), { durableObjects: false });

  it('writes still work and still compare, queued per customer in the isolate', async () => {
    const token = await devSessionToken(ALICE.id);
    const before = consentsOf(await upstreamOf(stack).getCustomer(ALICE.id));
    const answers = await Promise.all([
      stack.call('PUT', '/v1/me', token, { metadata: { newsletter_frequency: 'monthly' } }),
      stack.call('PUT', '/v1/me/consents?policy_version=9', token, { [newsletter]: true, [partners]: true }),
    ]);
    assert.deepEqual(
      answers.map((response) => response.status),
      [200, 200],
    );
    const customer = await upstreamOf(stack).getCustomer(ALICE.id);
    assert.equal((customer.metadata as Record<string, unknown>).newsletter_frequency, 'monthly');
    assert.deepEqual(consentsOf(customer)[newsletter], before[newsletter]);
    assert.equal(consentsOf(customer)[partners]?.value, true);
  });
});
