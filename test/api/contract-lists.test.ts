/** Contract: lists — customers (filters, orders, pages, the cursor iterator), activities (both endpoints), segments. */
import assert from 'node:assert/strict';
import type { CustomersServerApi } from '../../src/api/server.js';
import type { Customer, CustomerActivity } from '../../src/api/types.js';
import { DEMO_CUSTOMERS, SEED_SEGMENT_IDS } from '../../src/emulator/seed.js';
import { contract, rejectsWith } from '../support/contract.js';
import type { Target } from '../support/contract.js';

/** Retries `check` until it passes: the real API records some things a moment after answering. */
async function eventually<T>(target: Target, check: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + (target.name === 'emulator' ? 0 : 30_000);
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

/** Three customers of one unique city, created one after the other. */
async function threeInOneCity(target: Target): Promise<{ city: string; customers: Customer[] }> {
  const server = target.server();
  const city = target.unique('city');
  const customers: Customer[] = [];
  for (const name of ['First', 'Second', 'Third']) {
    const source_id = target.unique(name.toLowerCase());
    const customer = await server.createCustomer({
      source_id,
      name,
      email: `${source_id}@example.com`,
      address: { city },
    });
    customers.push(customer);
    target.track(customer.id);
  }
  return { city, customers };
}

/** `count` customers of one unique city, upserted by the chunked bulk helper and followed to the end. */
async function manyInOneCity(target: Target, count: number): Promise<{ city: string; sourceIds: string[] }> {
  const server = target.server();
  const city = target.unique('many');
  const sourceIds = Array.from({ length: count }, (_, i) => target.unique(`many-${i}`));
  const created = await server.updateCustomersInBulkChunked(
    sourceIds.map((source_id) => ({ source_id, address: { city } })),
  );
  for (const { async_action_id } of created) {
    const action = await server.waitForAsyncAction(async_action_id, {
      intervalMs: target.name === 'emulator' ? 50 : 1000,
    });
    assert.equal(action.status, 'DONE');
  }
  return { city, sourceIds };
}

const ids = (customers: Customer[]) => customers.map((customer) => customer.id);

contract('customer lists', (it) => {
  it('listCustomers filters by city, email and name, with the list envelope', async (target) => {
    const { city, customers } = await threeInOneCity(target);
    const server = target.server();
    const byCity = await server.listCustomers({ city });
    assert.equal(byCity.object, 'list');
    assert.equal(byCity.data_ref, 'customers');
    assert.equal(byCity.total, 3);
    assert.deepEqual(new Set(ids(byCity.customers)), new Set(ids(customers)));
    const second = customers[1]!;
    assert.deepEqual(ids((await server.listCustomers({ email: second.email ?? '' })).customers), [second.id]);
    assert.deepEqual(ids((await server.listCustomers({ city, name: 'Third' })).customers), [customers[2]!.id]);
  });

  it('listCustomers orders by created_at both ways, newest first by default', async (target) => {
    const { city, customers } = await threeInOneCity(target);
    const server = target.server();
    assert.deepEqual(ids((await server.listCustomers({ city, order: 'created_at' })).customers), ids(customers));
    assert.deepEqual(
      ids((await server.listCustomers({ city, order: '-created_at' })).customers),
      ids(customers).reverse(),
    );
    assert.deepEqual(ids((await server.listCustomers({ city })).customers), ids(customers).reverse());
    const bySource = ids((await server.listCustomers({ city, order: 'source_id' })).customers);
    const expected = [...customers].sort((a, b) => ((a.source_id ?? '') < (b.source_id ?? '') ? -1 : 1));
    assert.deepEqual(bySource, ids(expected));
  });

  it('listCustomers pages with page and limit', async (target) => {
    const { city, customers } = await threeInOneCity(target);
    const server = target.server();
    const first = await server.listCustomers({ city, order: 'created_at', limit: 2, page: 1 });
    const second = await server.listCustomers({ city, order: 'created_at', limit: 2, page: 2 });
    assert.deepEqual(ids(first.customers), ids(customers).slice(0, 2));
    assert.deepEqual(ids(second.customers), ids(customers).slice(2));
    assert.equal(first.total, 3);
  });

  it('listCustomers starting_after is a created_at cursor: after when ascending, before by default', async (target) => {
    const { city, customers } = await threeInOneCity(target);
    const [first, second, third] = customers as [Customer, Customer, Customer];
    const server = target.server();
    const after = await server.listCustomers({ city, order: 'created_at', starting_after: second.created_at! });
    assert.deepEqual(ids(after.customers), [third.id]);
    const before = await server.listCustomers({ city, starting_after: second.created_at! });
    assert.deepEqual(ids(before.customers), [first.id]);
  });

  it('listCustomers filters by created_at[before] and [after]', async (target) => {
    const { city, customers } = await threeInOneCity(target);
    const [first, second, third] = customers as [Customer, Customer, Customer];
    const server = target.server();
    // Whether the bounds are inclusive is not documented: only the customers strictly on one side are asserted.
    const later = ids((await server.listCustomers({ city, 'created_at[after]': second.created_at! })).customers);
    assert.ok(later.includes(third.id) && !later.includes(first.id));
    const earlier = ids((await server.listCustomers({ city, 'created_at[before]': second.created_at! })).customers);
    assert.ok(earlier.includes(first.id) && !earlier.includes(third.id));
  });

  it('listCustomers leaves its limits to the API: limit 0 and page 100 are invalid_query_params', async (target) => {
    const server = target.server();
    for (const params of [{ limit: 0 }, { limit: 101 }, { page: 100 }]) {
      const error = await rejectsWith(server.listCustomers(params));
      assert.equal(error.status, 400, JSON.stringify(params));
      assert.equal(error.key, 'invalid_query_params');
    }
  });

  it('iterateCustomers yields every one of more than 100 customers once, both orders, never by page', async (target) => {
    const { city, sourceIds } = await manyInOneCity(target, 130);
    const server = target.server();
    target.emulator?.clearRequests();
    const collect = async (order?: 'created_at' | '-created_at', limit?: number) => {
      const seen: Customer[] = [];
      for await (const customer of server.iterateCustomers({
        city,
        ...(order ? { order } : {}),
        ...(limit ? { limit } : {}),
      })) {
        seen.push(customer);
      }
      return seen;
    };
    for (const [order, limit] of [
      [undefined, undefined],
      ['created_at', undefined],
      ['-created_at', 7],
    ] as const) {
      const seen = await collect(order, limit);
      assert.equal(seen.length, 130, `order ${order} limit ${limit}`);
      assert.deepEqual(new Set(seen.map((customer) => customer.source_id)), new Set(sourceIds));
      const times = seen.map((customer) => Date.parse(customer.created_at!));
      const sorted = [...times].sort((a, b) => (order === 'created_at' ? a - b : b - a));
      assert.deepEqual(times, sorted);
    }
    for (const customer of await collect()) target.track(customer.id);
    if (target.emulator) {
      const lists = target.emulator
        .requests()
        .filter((request) => request.method === 'GET' && request.path === '/v1/customers');
      assert.ok(lists.length >= 4);
      assert.ok(
        lists.every((request) => !/(^|&)page=/.test(request.query)),
        'no page numbers',
      );
    }
  });

  it('iterateCustomers with no match yields nothing', async (target) => {
    const none: Customer[] = [];
    for await (const customer of target.server().iterateCustomers({ city: target.unique('empty') }))
      none.push(customer);
    assert.deepEqual(none, []);
  });
});

async function customerWithHistory(target: Target): Promise<{ server: CustomersServerApi; customer: Customer }> {
  const server = target.server();
  const customer = await server.createCustomer({ source_id: target.unique('history'), name: 'v0' });
  target.track(customer.id);
  for (const name of ['v1', 'v2', 'v3']) await server.updateCustomer(customer.id, { name });
  return { server, customer };
}

contract('customer activities', (it) => {
  it('listCustomerActivities (deprecated /activities) lists what happened, with total', async (target) => {
    const { server, customer } = await customerWithHistory(target);
    const list = await eventually(target, async () => {
      const answer = await server.listCustomerActivities(customer.id);
      assert.ok(answer.total >= 4);
      return answer;
    });
    assert.equal(list.object, 'list');
    assert.equal(list.data_ref, 'data');
    const types = list.data.map((activity) => activity.type);
    assert.ok(types.includes('customer.created'));
    assert.equal(types.filter((type) => type === 'customer.updated').length, 3);
    const activity = list.data[0]!;
    assert.match(activity.id, /^evcus_/);
    assert.ok(activity.created_at && activity.data);
  });

  it('listCustomerActivity (/activity) pages with has_more and more_starting_after', async (target) => {
    const { server, customer } = await customerWithHistory(target);
    const first = await eventually(target, async () => {
      const answer = await server.listCustomerActivity(customer.id, { limit: 1 });
      assert.equal(answer.has_more, true);
      return answer;
    });
    assert.equal(first.object, 'list');
    assert.equal(first.data.length, 1);
    assert.equal(typeof first.more_starting_after, 'string');
    const second = await server.listCustomerActivity(customer.id, {
      limit: 1,
      starting_after_id: first.more_starting_after!,
    });
    assert.equal(second.data.length, 1);
    assert.notEqual(second.data[0]!.id, first.data[0]!.id);
    const all = await server.listCustomerActivity(customer.id, { limit: 100 });
    assert.equal(all.has_more, false);
    assert.equal(all.more_starting_after, undefined);
  });

  it('listCustomerActivity filters by type and orders by created_at', async (target) => {
    const { server, customer } = await customerWithHistory(target);
    const updates = await eventually(target, async () => {
      const answer = await server.listCustomerActivity(customer.id, { type: 'customer.updated', order: 'created_at' });
      assert.equal(answer.data.length, 3);
      return answer;
    });
    assert.ok(updates.data.every((activity) => activity.type === 'customer.updated'));
    const times = updates.data.map((activity) => Date.parse(activity.created_at));
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
  });

  it('iterateCustomerActivity yields every activity once, following the id cursor', async (target) => {
    const { server, customer } = await customerWithHistory(target);
    const all = await eventually(target, async () => {
      const answer = await server.listCustomerActivity(customer.id, { limit: 100 });
      assert.ok(answer.data.length >= 4);
      return answer;
    });
    const seen: CustomerActivity[] = [];
    for await (const activity of server.iterateCustomerActivity(customer.id, { limit: 1 })) seen.push(activity);
    assert.deepEqual(
      seen.map((activity) => activity.id),
      all.data.map((activity) => activity.id),
    );
  });

  it('listCustomerActivity of an unknown customer is not_found', async (target) => {
    const error = await rejectsWith(target.server().listCustomerActivity(target.unique('nobody')));
    assert.equal(error.status, 404);
    assert.equal(error.key, 'not_found');
  });
});

contract('customer segments', (it) => {
  it('listCustomerSegments of an unknown id answers the segments it would qualify for, not 404', async (target) => {
    const list = await target.server().listCustomerSegments(target.unique('stranger'));
    assert.equal(list.object, 'list');
    assert.equal(list.data_ref, 'data');
    assert.ok(Array.isArray(list.data));
    assert.equal(list.total, list.data.length);
  });

  it('listCustomerSegments lists a seeded customer segments', { emulatorOnly: true }, async (target) => {
    const list = await target.server().listCustomerSegments(DEMO_CUSTOMERS.alice.source_id);
    const segmentIds = list.data.map((segment) => segment.id);
    assert.ok(segmentIds.includes(SEED_SEGMENT_IDS.berlin));
    assert.ok(segmentIds.includes(SEED_SEGMENT_IDS.vip));
    for (const segment of list.data) {
      assert.equal(segment.object, 'segment');
      assert.equal(typeof segment.name, 'string');
    }
  });

  it('a customer enters and leaves a segment as their data changes', { emulatorOnly: true }, async (target) => {
    const server = target.server();
    const customer = await server.createCustomer({ source_id: target.unique('mover'), address: { city: 'Berlin' } });
    assert.ok(
      (await server.listCustomerSegments(customer.id)).data.some((segment) => segment.id === SEED_SEGMENT_IDS.berlin),
    );
    await server.updateCustomer(customer.id, { address: { city: 'Hamburg' } });
    assert.ok(
      !(await server.listCustomerSegments(customer.id)).data.some((segment) => segment.id === SEED_SEGMENT_IDS.berlin),
    );
    const types = (await server.listCustomerActivity(customer.id, { limit: 100 })).data.map(
      (activity) => activity.type,
    );
    assert.ok(types.includes('customer.segment.entered'));
    assert.ok(types.includes('customer.segment.left'));
  });
});
