/** Contract: consents — definitions and a customer's decisions, with server keys and with client keys + origin. */
import assert from 'node:assert/strict';
import type { ConsentsList, Customer } from '../../src/api/types.js';
import { contract, rejectsWith } from '../support/contract.js';
import { consentsOf } from '../support/emulator.js';
import type { Target } from '../support/contract.js';

function assertConsentsList(list: ConsentsList): void {
  assert.equal(list.groups.object, 'list');
  assert.equal(list.groups.data_ref, 'data');
  assert.equal(list.groups.total, list.groups.data.length);
  assert.equal(list.consents.object, 'list');
  assert.equal(list.consents.total, list.consents.data.length);
  for (const consent of list.consents.data) {
    assert.match(consent.id, /^cnst_/);
    assert.equal(consent.object, 'consent');
    assert.equal(typeof consent.name, 'string');
  }
  for (const group of list.groups.data) {
    assert.match(group.id, /^cnstgr_/);
    assert.equal(group.object, 'consent_group');
    assert.ok(Array.isArray(group.consents));
  }
}

/** Two consent ids of the target, or a skip when it defines fewer. */
async function twoConsents(target: Target, t: { skip(message: string): void }): Promise<[string, string] | undefined> {
  const ids = (await target.server().listConsents()).consents.data.map((consent) => consent.id);
  if (ids.length < 2) {
    t.skip('the project defines fewer than two consents');
    return undefined;
  }
  return [ids[0]!, ids[1]!];
}

async function newCustomer(target: Target): Promise<Customer> {
  const customer = await target.server().createCustomer({ source_id: `${target.unique('consent')}+news@example.com` });
  target.track(customer.id);
  return customer;
}

contract('consents, server side', (it) => {
  it('listConsents answers consent groups and consents', async (target) => {
    const list = await target.server().listConsents();
    assertConsentsList(list);
    if (target.name === 'emulator') assert.ok(list.consents.total >= 2 && list.groups.total >= 1);
  });

  it('updateCustomersConsents resolves empty and the decisions appear in system_metadata.consents', async (target, t) => {
    const consents = await twoConsents(target, t);
    if (!consents) return;
    const [given, refused] = consents;
    const customer = await newCustomer(target);
    const before = Date.now();
    assert.equal(
      await target.server().updateCustomersConsents(customer.source_id!, { [given]: true, [refused]: false }),
      undefined,
    );
    const state = consentsOf(await target.server().getCustomer(customer.id));
    assert.equal(state[given]?.value, true);
    assert.equal(state[refused]?.value, false);
    assert.ok(Date.parse(state[given]?.date ?? '') >= before - 5000, 'decision dated now');
  });

  it('updateCustomersConsents with unsubscribed opts out of everything', async (target, t) => {
    const consents = await twoConsents(target, t);
    if (!consents) return;
    const customer = await newCustomer(target);
    await target.server().updateCustomersConsents(customer.id, { [consents[0]]: true });
    await target.server().updateCustomersConsents(customer.id, { unsubscribed: true });
    const state = consentsOf(await target.server().getCustomer(customer.id));
    assert.equal(state.unsubscribed?.value, true);
  });

  it('updateCustomersConsents with an empty body is invalid_payload', async (target) => {
    const customer = await newCustomer(target);
    const error = await rejectsWith(target.server().updateCustomersConsents(customer.id, {}));
    assert.equal(error.status, 400);
    assert.equal(error.key, 'invalid_payload');
  });

  it(
    'updateCustomersConsents records consents.given and consents.revoked activities',
    { emulatorOnly: true },
    async (target, t) => {
      const consents = await twoConsents(target, t);
      if (!consents) return;
      const customer = await newCustomer(target);
      await target.server().updateCustomersConsents(customer.id, { [consents[0]]: true });
      await target.server().updateCustomersConsents(customer.id, { [consents[0]]: false });
      const types = (await target.server().listCustomerActivity(customer.id, { limit: 100 })).data.map(
        (activity) => activity.type,
      );
      assert.ok(types.includes('customer.consents.given'));
      assert.ok(types.includes('customer.consents.revoked'));
    },
  );
});

contract('consents, client side', (it) => {
  it(
    'listConsents with client keys answers the same definitions as server side',
    { clientKeys: true },
    async (target) => {
      const client = target.client()!;
      const list = await client.listConsents();
      assertConsentsList(list);
      assert.deepEqual(list, await target.server().listConsents());
    },
  );

  it(
    'updateCustomersConsentsClientSide resolves empty and the server sees the decision',
    { clientKeys: true },
    async (target, t) => {
      const consents = await twoConsents(target, t);
      if (!consents) return;
      const customer = await newCustomer(target);
      const client = target.client()!;
      assert.equal(
        await client.updateCustomersConsentsClientSide(customer.source_id!, { [consents[1]]: true }),
        undefined,
      );
      assert.equal(consentsOf(await target.server().getCustomer(customer.id))[consents[1]]?.value, true);
      await client.updateCustomersConsentsClientSide(customer.source_id!, { unsubscribed: true });
      assert.equal(consentsOf(await target.server().getCustomer(customer.id)).unsubscribed?.value, true);
    },
  );

  it('a client-side call from an origin not on the allowed list is refused', { clientKeys: true }, async (target) => {
    const client = target.client({ origin: 'https://not-allowed.example' })!;
    const error = await rejectsWith(client.listConsents());
    assert.equal(error.kind, 'http');
    assert.ok(error.status === 401 || error.status === 403, `status ${error.status}`);
  });

  it(
    'client-side calls are checked against the allowed origins by hostname, any port',
    { emulatorOnly: true },
    async (target) => {
      for (const origin of ['http://localhost:3000', 'http://127.0.0.1:9999', 'localhost']) {
        assertConsentsList(await target.client({ origin })!.listConsents());
      }
    },
  );

  it('wrong client keys are a 401 unauthorized VoucherifyError', { clientKeys: true }, async (target) => {
    const error = await rejectsWith(target.client({ clientSecretKey: 'wrong' })!.listConsents());
    assert.equal(error.status, 401);
    assert.equal(error.key, 'unauthorized');
  });
});
