import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SEED_CONSENT_IDS, SEED_SEGMENT_IDS, type RunningEmulator } from '../../src/emulator/index.js';
import { ISO_MS, call, start } from '../support/emulator.js';

let emulator: RunningEmulator;
/** Request ids of the writes, in order. */
const requestIds: string[] = [];
/** The customer as the create answered it, and as GET answered it after the last write. */
let asCreated: Record<string, unknown>;
let asLast: Record<string, unknown>;

before(async () => {
  emulator = await start({ seed: false });
  const created = await call(emulator, 'POST', '/v1/customers', { json: { source_id: 'hist', name: 'History' } });
  requestIds.push(created.headers.get('x-request-id')!);
  asCreated = created.body;
  // 1 created + 1 segment.entered (undecided), then 6 updates → 8 activities, then consents → given + entered + left.
  for (let i = 0; i < 6; i++) {
    const updated = await call(emulator, 'PUT', '/v1/customers/hist', { json: { metadata: { step: i } } });
    requestIds.push(updated.headers.get('x-request-id')!);
  }
  await call(emulator, 'PUT', '/v1/customers/hist/consents', { json: { [SEED_CONSENT_IDS.newsletter]: true } });
  asLast = (await call(emulator, 'GET', '/v1/customers/hist')).body;
});
after(() => emulator.close());

const activity = (query = '', id = 'hist') => call(emulator, 'GET', `/v1/customers/${id}/activity${query}`);
const activities = (query = '', id = 'hist') => call(emulator, 'GET', `/v1/customers/${id}/activities${query}`);
const types = (body: { data: Array<{ type: string }> }) => body.data.map((item) => item.type);

describe('GET /v1/customers/{id}/activity', () => {
  test('lists newest first, 10 by default, with has_more and more_starting_after', async () => {
    const { status, body } = await activity();
    assert.equal(status, 200);
    assert.equal(body.object, 'list');
    assert.equal(body.data_ref, 'data');
    assert.equal(body.data.length, 10);
    assert.equal(body.has_more, true);
    assert.equal(body.more_starting_after, body.data[9].id);
    assert.deepEqual(types(body).slice(0, 3), [
      'customer.segment.left',
      'customer.segment.entered',
      'customer.consents.given',
    ]);
    assert.ok(!('total' in body));
  });

  test('activities carry the evcus_ id, the customer as it was, the channel and the request id as group_id', async () => {
    const { body } = await activity('?order=created_at&limit=3');
    const [created, entered, firstUpdate] = body.data;
    assert.match(created.id, /^evcus_[0-9a-f]{18}$/);
    assert.equal(created.type, 'customer.created');
    assert.match(created.created_at, ISO_MS);
    assert.equal(created.group_id, requestIds[0]);
    assert.equal(created.data.event_source.channel, 'API');
    assert.equal(created.data.data.customer.object, 'customer');
    assert.ok(!('metadata' in created.data.data.customer), 'the snapshot is from before the updates');
    assert.deepEqual(entered.data.data.segment, {
      id: SEED_SEGMENT_IDS.undecided,
      name: 'No consent decision yet',
      object: 'segment',
    });
    assert.equal(entered.group_id, requestIds[0]);
    assert.equal(firstUpdate.type, 'customer.updated');
    assert.deepEqual(firstUpdate.data.data.customer.metadata, { step: 0 });
    assert.equal(firstUpdate.group_id, requestIds[1]);
  });

  test('segment events carry the full customer as it was then, as GET /v1/customers/{id} answered it', async () => {
    const { body } = await activity('?category=EFFECT&order=created_at&limit=100');
    const [enteredOnCreate, ...onConsents] = body.data;
    assert.equal(enteredOnCreate.type, 'customer.segment.entered');
    assert.deepEqual(enteredOnCreate.data.data.customer, asCreated);
    assert.deepEqual(
      onConsents.map((event: { type: string }) => event.type),
      ['customer.segment.entered', 'customer.segment.left'],
    );
    for (const event of onConsents) {
      assert.deepEqual(event.data.data.customer, asLast);
      assert.equal(event.data.data.customer.object, 'customer');
      assert.ok('summary' in event.data.data.customer && 'loyalty' in event.data.data.customer);
    }
    // The consent events keep the 2024 spec's SimpleCustomer.
    const given = (await activity('?type=customer.consents.given')).body.data[0];
    assert.deepEqual(Object.keys(given.data.data.customer), ['id', 'name', 'source_id', 'metadata', 'object']);
  });

  test('following more_starting_after visits every activity once, in both orders', async () => {
    for (const order of ['created_at', '-created_at']) {
      const seen: string[] = [];
      let cursor = '';
      for (;;) {
        const { body } = await activity(`?order=${order}&limit=4${cursor ? `&starting_after_id=${cursor}` : ''}`);
        seen.push(...body.data.map((item: { id: string }) => item.id));
        if (!body.has_more) {
          assert.ok(!('more_starting_after' in body));
          break;
        }
        cursor = body.more_starting_after;
      }
      assert.equal(seen.length, 11, order);
      assert.equal(new Set(seen).size, 11);
      const sorted = [...seen].sort();
      assert.deepEqual(seen, order === 'created_at' ? sorted : sorted.reverse());
    }
  });

  test('filters by type, category and dates; campaign filters match nothing here', async () => {
    assert.deepEqual(
      types((await activity('?type=customer.updated&limit=100')).body),
      Array(6).fill('customer.updated'),
    );
    assert.deepEqual(types((await activity('?category=EFFECT&limit=100')).body), [
      'customer.segment.left',
      'customer.segment.entered',
      'customer.segment.entered',
    ]);
    const all = (await activity('?order=created_at&limit=100')).body.data;
    const from = all[2].created_at;
    const within = (await activity(`?start_date=${from}&end_date=${all.at(-1).created_at}&limit=100`)).body.data;
    assert.ok(within.length >= 9 && within.every((item: { created_at: string }) => item.created_at >= from));
    assert.deepEqual((await activity('?campaign_type=LOYALTY_PROGRAM')).body.data, []);
    assert.deepEqual((await activity('?campaign_id=camp_1')).body.data, []);
  });

  test('refuses invalid parameter values with invalid_query_params', async () => {
    for (const query of [
      'limit=0',
      'limit=101',
      'order=type',
      'category=BOTH',
      'type=customer.exploded',
      'campaign_type=X',
      'start_date=now',
    ]) {
      const { status, body } = await activity(`?${query}`);
      assert.equal(status, 400, query);
      assert.equal(body.key, 'invalid_query_params');
    }
  });

  test('an unknown starting_after_id is 400 invalid_query_params naming it, never a restart or an empty page', async () => {
    const other = await call(emulator, 'POST', '/v1/customers', { json: { source_id: 'cursor-owner' } });
    const foreign = (await activity('?limit=1', other.body.id)).body.data[0].id;
    for (const id of ['evcus_000000000000000000', 'evcus_ffffffffffffffffff', 'garbage', foreign]) {
      for (const order of ['created_at', '-created_at']) {
        const { status, body } = await activity(`?order=${order}&starting_after_id=${id}`);
        assert.equal(status, 400, `${order} ${id}`);
        assert.equal(body.key, 'invalid_query_params');
        assert.equal(
          body.details,
          `Property .starting_after_id must be the id of one of this customer's activities (actual value is '${id}')`,
        );
        assert.match(body.request_id, /^v-[0-9a-f]{18}$/);
      }
    }
  });

  test('answers 404 for an unknown customer', async () => {
    const { status, body } = await activity('', 'jck-wbh');
    assert.equal(status, 404);
    assert.equal(body.details, 'Cannot find customer with id jck-wbh');
  });

  test('a deleted customer keeps its history, ending with customer.deleted, until a permanent deletion', async () => {
    const created = await call(emulator, 'POST', '/v1/customers', { json: { source_id: 'short-lived' } });
    await call(emulator, 'DELETE', '/v1/customers/short-lived');
    const { status, body } = await activity('?limit=2', created.body.id);
    assert.equal(status, 200);
    assert.deepEqual(types(body), ['customer.segment.left', 'customer.deleted']);
    await call(emulator, 'POST', `/v1/customers/${created.body.id}/permanent-deletion`);
    assert.equal((await activity('', created.body.id)).status, 404);
  });
});

describe('GET /v1/customers/{id}/activities (deprecated)', () => {
  test('answers the list with total and no has_more', async () => {
    const { status, body } = await activities('?limit=3');
    assert.equal(status, 200);
    assert.equal(body.total, 11);
    assert.equal(body.data.length, 3);
    assert.ok(!('has_more' in body));
  });

  test('the starting_after date cursor pages newest first; with order=created_at it pages oldest first', async () => {
    const all = (await activities('?order=created_at&limit=100')).body.data;
    const pivot = all[4];
    const older = (await activities(`?starting_after=${pivot.created_at}&limit=100`)).body;
    assert.ok(older.data.every((item: { created_at: string }) => item.created_at < pivot.created_at));
    const newer = (await activities(`?order=created_at&starting_after=${pivot.created_at}&limit=100`)).body;
    assert.ok(newer.data.every((item: { created_at: string }) => item.created_at > pivot.created_at));
    const afterId = (await activities(`?order=created_at&starting_after_id=${pivot.id}&limit=100`)).body;
    assert.deepEqual(
      afterId.data.map((item: { id: string }) => item.id),
      all.slice(5).map((item: { id: string }) => item.id),
    );
  });

  test('orders by type and refuses unknown orders and product filters match nothing', async () => {
    const byType = types((await activities('?order=type&limit=100')).body);
    assert.deepEqual(byType, [...byType].sort());
    const descending = types((await activities('?order=-type&limit=100')).body);
    assert.deepEqual(descending, [...byType].reverse());
    assert.equal((await activities('?order=name')).status, 400);
    assert.equal((await activities('?product_id=prod_1')).body.total, 0);
  });

  test('an unknown starting_after_id is 400 invalid_query_params, in both orders', async () => {
    for (const order of ['created_at', '-created_at']) {
      const { status, body } = await activities(`?order=${order}&starting_after_id=evcus_000000000000000000`);
      assert.equal(status, 400, order);
      assert.equal(body.key, 'invalid_query_params');
      assert.match(body.details, /^Property \.starting_after_id must be the id of one of this customer's activities/);
    }
  });

  test('answers 404 for an unknown customer', async () => {
    assert.equal((await activities('', 'nobody')).status, 404);
  });
});
