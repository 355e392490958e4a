/** Contract: one customer's life through the client — create (upsert), get, update, delete, permanent deletion. */
import assert from 'node:assert/strict';
import type { Customer } from '../../src/api/types.js';
import { contract, rejectsWith } from '../support/contract.js';
import type { Target } from '../support/contract.js';

async function create(
  target: Target,
  body: Parameters<ReturnType<Target['server']>['createCustomer']>[0],
): Promise<Customer> {
  const customer = await target.server().createCustomer(body);
  target.track(customer.id);
  return customer;
}

const ISO_MS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

contract('customers', (it) => {
  it('createCustomer answers the full customer object', async (target) => {
    const source_id = target.unique('create');
    const customer = await create(target, {
      source_id,
      name: 'Bob Smith',
      email: `${source_id}@example.com`,
      phone: '+1 933 222 3333',
      birthdate: '1990-01-01',
      address: { city: 'New York', country: 'United States', line_1: '123 Main St.', postal_code: '10001' },
      metadata: { lang: 'en' },
    });
    assert.match(customer.id, /^cust_[0-9A-Za-z]{24}$/);
    assert.equal(customer.object, 'customer');
    assert.equal(customer.source_id, source_id);
    assert.equal(customer.name, 'Bob Smith');
    assert.equal(customer.birthdate, '1990-01-01');
    assert.equal(customer.address?.city, 'New York');
    assert.deepEqual(customer.metadata, { lang: 'en' });
    assert.ok('summary' in customer && 'loyalty' in customer && 'referrals' in customer);
    assert.equal(customer.summary?.orders.total_count, 0);
    assert.match(customer.created_at ?? '', ISO_MS);
  });

  it('createCustomer with an existing source_id updates that customer (upsert)', async (target) => {
    const source_id = target.unique('upsert');
    const first = await create(target, { source_id, name: 'Before', email: `${source_id}@example.com` });
    const second = await create(target, { source_id, name: 'After' });
    assert.equal(second.id, first.id);
    assert.equal(second.name, 'After');
    assert.equal((await target.server().getCustomer(first.id)).name, 'After');
  });

  it('createCustomer with an id and another source_id updates that id and ignores the source_id', async (target) => {
    const source_id = target.unique('by-id');
    const other = target.unique('ignored');
    const first = await create(target, { source_id, name: 'Original' });
    const second = await create(target, { id: first.id, source_id: other, name: 'Renamed' });
    assert.equal(second.id, first.id);
    assert.equal(second.name, 'Renamed');
    assert.equal(second.source_id, source_id);
    const missing = await rejectsWith(target.server().getCustomer(other));
    assert.equal(missing.status, 404);
  });

  it('getCustomer finds a customer by id and by source_id', async (target) => {
    const source_id = target.unique('get');
    const created = await create(target, { source_id, name: 'Get Me' });
    const byId = await target.server().getCustomer(created.id);
    const bySource = await target.server().getCustomer(source_id);
    assert.equal(byId.id, created.id);
    assert.equal(bySource.id, created.id);
    assert.equal(bySource.name, 'Get Me');
  });

  for (const [label, odd] of [
    ['an email with +', (u: string) => `${u}+news@example.com`],
    ['unicode', (u: string) => `${u}-zoë-田中-🙂`],
    ['a ../ prefix', (u: string) => `../${u}`],
    ['a slash', (u: string) => `${u}/b`],
    ['? # % and spaces', (u: string) => `${u} ?#%20&=`],
  ] as const) {
    it(`reads, updates and deletes a customer whose source_id has ${label}`, async (target) => {
      const server = target.server();
      const source_id = odd(target.unique('odd'));
      const created = await create(target, { source_id, name: 'Odd' });
      assert.equal(created.source_id, source_id);
      assert.equal((await server.getCustomer(source_id)).id, created.id);
      assert.equal((await server.updateCustomer(source_id, { name: 'Still odd' })).name, 'Still odd');
      assert.equal((await server.listCustomerSegments(source_id)).object, 'list');
      await server.deleteCustomer(source_id);
      const gone = await rejectsWith(server.getCustomer(source_id));
      assert.equal(gone.key, 'not_found');
      assert.equal(gone.resource_id, source_id);
    });
  }

  it('updateCustomer changes only the fields sent', async (target) => {
    const source_id = target.unique('partial');
    const created = await create(target, {
      source_id,
      name: 'Partial',
      email: `${source_id}@example.com`,
      address: { city: 'Berlin', country: 'Germany', line_1: 'Torstraße 1' },
      metadata: { lang: 'de' },
    });
    const updated = await target.server().updateCustomer(created.id, { phone: '+49 30 1234567' });
    assert.equal(updated.phone, '+49 30 1234567');
    assert.equal(updated.name, 'Partial');
    assert.equal(updated.email, `${source_id}@example.com`);
    assert.equal(updated.address?.city, 'Berlin');
    assert.equal(updated.address?.line_1, 'Torstraße 1');
    assert.equal(updated.metadata?.lang, 'de');
    assert.equal(updated.source_id, source_id);
  });

  it('updateCustomer nulls the address fields sent as null and keeps the others', async (target) => {
    const created = await create(target, {
      source_id: target.unique('address'),
      address: { city: 'Paris', country: 'France', postal_code: '75004' },
    });
    const updated = await target.server().updateCustomer(created.id, { address: { city: null, country: null } });
    assert.equal(updated.address?.city ?? null, null);
    assert.equal(updated.address?.country ?? null, null);
    assert.equal(updated.address?.postal_code, '75004');
  });

  it('updateCustomer of an unknown customer is a not_found VoucherifyError naming it', async (target) => {
    const source_id = target.unique('nobody');
    const error = await rejectsWith(target.server().updateCustomer(source_id, { name: 'x' }));
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 404);
    assert.equal(error.key, 'not_found');
    assert.equal(error.resource_id, source_id);
    assert.equal(error.resource_type, 'customer');
  });

  it('deleteCustomer resolves empty, then the customer is a 404 with the full error', async (target) => {
    const created = await create(target, { source_id: target.unique('delete') });
    assert.equal(await target.server().deleteCustomer(created.id), undefined);
    const error = await rejectsWith(target.server().getCustomer(created.id));
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 404);
    assert.equal(error.code, 404);
    assert.equal(error.key, 'not_found');
    assert.equal(error.message, 'Resource not found');
    assert.match(error.details ?? '', new RegExp(created.id));
    assert.equal(error.resource_id, created.id);
    assert.equal(error.resource_type, 'customer');
    assert.match(error.request_id ?? '', /^v-[0-9a-f]+$/);
  });

  it('deleteCustomer of an unknown customer is not_found', async (target) => {
    const error = await rejectsWith(target.server().deleteCustomer(target.unique('never')));
    assert.equal(error.status, 404);
    assert.equal(error.key, 'not_found');
  });

  it("customerPermanentlyDeletion answers Voucherify's misspelled object, then the customer is gone", async (target) => {
    const source_id = target.unique('forget');
    const created = await create(target, { source_id, name: 'Forget Me' });
    await target.server().updateCustomer(created.id, { name: 'Forget Me Now' });
    const deletion = await target.server().customerPermanentlyDeletion(source_id);
    assert.equal(deletion.object, 'pernament_deletion');
    assert.match(deletion.id, /^del_/);
    assert.equal(deletion.related_object_id, created.id);
    assert.equal(deletion.related_object, 'customer');
    assert.equal(deletion.status, 'DONE');
    assert.equal(deletion.data_json.customer, 1);
    assert.match(deletion.created_at, ISO_MS);
    for (const key of ['events', 'customer_events', 'daily_events', 'segments', 'orders', 'order_events'] as const) {
      assert.ok(key in deletion.data_json, `data_json.${key}`);
    }
    assert.equal((await rejectsWith(target.server().getCustomer(created.id))).status, 404);
    assert.equal((await rejectsWith(target.server().getCustomer(source_id))).status, 404);
    assert.equal((await rejectsWith(target.server().customerPermanentlyDeletion(created.id))).key, 'not_found');
  });

  it('wrong server keys are a 401 unauthorized VoucherifyError', async (target) => {
    const error = await rejectsWith(target.server({ secretKey: 'wrong-token' }).getCustomer(target.unique('x')));
    assert.equal(error.kind, 'http');
    assert.equal(error.status, 401);
    assert.equal(error.key, 'unauthorized');
  });

  it('an unsendable id is refused before any request', async (target) => {
    await assert.rejects(target.server().getCustomer('..'), TypeError);
    await assert.rejects(target.server().getCustomer(''), TypeError);
  });
});
