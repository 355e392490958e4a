import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS, type RunningEmulator } from '../../src/emulator/index.js';
import { CUSTOMER_ID, ISO_MS, REQUEST_ID, call, enc, start } from '../support/emulator.js';

let emulator: RunningEmulator;
before(async () => (emulator = await start()));
after(() => emulator.close());
beforeEach(() => emulator.reset());

describe('GET /v1/customers/{id}', () => {
  test('answers a seeded customer by id with the spec shape, loyalty points and consents', async () => {
    const { status, body } = await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.alice.id}`);
    assert.equal(status, 200);
    assert.equal(body.object, 'customer');
    assert.equal(body.source_id, 'alice@example.com');
    assert.equal(body.loyalty.points, 1250);
    assert.deepEqual(body.loyalty.campaigns, {});
    assert.deepEqual(body.referrals, { total: 0, campaigns: [] });
    assert.equal(body.summary.redemptions.total_redeemed, 0);
    assert.deepEqual(body.summary.redemptions.loyalty_card, { redeemed_points: 0, points_to_go: 0 });
    assert.equal(body.summary.orders.total_count, 0);
    assert.equal(body.system_metadata.consents[SEED_CONSENT_IDS.newsletter].value, true);
    assert.match(body.system_metadata.consents[SEED_CONSENT_IDS.newsletter].date, ISO_MS);
    assert.ok(!('description' in body), 'fields never set are omitted');
    assert.deepEqual(Object.keys(body).slice(-3), ['created_at', 'updated_at', 'object']);
  });

  test('finds a customer by its source_id, percent-decoded once (an email with + and é)', async () => {
    const { status, body } = await call(emulator, 'GET', `/v1/customers/${enc(DEMO_CUSTOMERS.chloe.source_id)}`);
    assert.equal(status, 200);
    assert.equal(body.id, DEMO_CUSTOMERS.chloe.id);
  });

  test('answers 404 not_found naming the id and resource type, with a request id', async () => {
    const { status, body, headers } = await call(emulator, 'GET', '/v1/customers/nobody%40example.com');
    assert.equal(status, 404);
    assert.equal(body.key, 'not_found');
    assert.equal(body.message, 'Resource not found');
    assert.equal(body.resource_id, 'nobody@example.com');
    assert.equal(body.resource_type, 'customer');
    assert.equal(body.details, 'Cannot find customer with id nobody@example.com');
    assert.match(body.request_id, REQUEST_ID);
    assert.equal(headers.get('x-request-id'), body.request_id);
  });
});

describe('POST /v1/customers (upsert)', () => {
  test('creates a customer: 200, cust_ id, address null, no metadata key, no updated_at', async () => {
    const { status, body } = await call(emulator, 'POST', '/v1/customers', {
      json: { source_id: 'new-1', name: 'New One' },
    });
    assert.equal(status, 200);
    assert.match(body.id, CUSTOMER_ID);
    assert.equal(body.address, null);
    assert.ok(!('metadata' in body));
    assert.ok(!('phone' in body) && !('description' in body));
    assert.ok(body.updated_at === undefined || body.updated_at === null);
    assert.match(body.created_at, ISO_MS);
    assert.deepEqual(body.system_metadata, {});
    assert.equal(body.loyalty.points, 0);
  });

  test('an existing source_id updates that customer with the fields sent (200, same id)', async () => {
    const first = await call(emulator, 'POST', '/v1/customers', {
      json: {
        source_id: 'upsert-me',
        name: 'Before',
        address: { city: 'Oslo', country: 'Norway' },
        metadata: { a: 1 },
      },
    });
    const second = await call(emulator, 'POST', '/v1/customers', {
      json: { source_id: 'upsert-me', name: 'After', address: { city: 'Bergen' }, metadata: { b: 2 } },
    });
    assert.equal(second.status, 200);
    assert.equal(second.body.id, first.body.id);
    assert.equal(second.body.name, 'After');
    assert.deepEqual(second.body.address, { city: 'Bergen', country: 'Norway' });
    assert.deepEqual(second.body.metadata, { a: 1, b: 2 });
    assert.match(second.body.updated_at, ISO_MS);
    assert.equal(second.body.created_at, first.body.created_at);
  });

  test('an id wins over source_id: the customer with that id is updated, source_id ignored', async () => {
    const { status, body } = await call(emulator, 'POST', '/v1/customers', {
      json: { id: DEMO_CUSTOMERS.bob.id, source_id: 'someone-else', name: 'Robert' },
    });
    assert.equal(status, 200);
    assert.equal(body.id, DEMO_CUSTOMERS.bob.id);
    assert.equal(body.source_id, DEMO_CUSTOMERS.bob.source_id);
    assert.equal(body.name, 'Robert');
    assert.equal((await call(emulator, 'GET', '/v1/customers/someone-else')).status, 404);
  });

  test('an unknown id is 404 not_found (the id must exist)', async () => {
    const { status, body } = await call(emulator, 'POST', '/v1/customers', {
      json: { id: 'cust_000000000000000000000000', name: 'x' },
    });
    assert.equal(status, 404);
    assert.equal(body.resource_id, 'cust_000000000000000000000000');
  });

  test('without id or source_id a new customer is created each time', async () => {
    const a = await call(emulator, 'POST', '/v1/customers', { json: { name: 'Anon' } });
    const b = await call(emulator, 'POST', '/v1/customers', { json: { name: 'Anon' } });
    assert.notEqual(a.body.id, b.body.id);
    assert.ok(!('source_id' in a.body));
  });

  test('refuses wrong types naming the property', async () => {
    const cases: Array<[unknown, string]> = [
      [{ name: 123 }, 'name'],
      [{ address: 'x' }, 'address'],
      [{ address: { city: 5 } }, 'address.city'],
      [{ address: { planet: 'Mars' } }, 'address.planet'],
      [{ metadata: [] }, 'metadata'],
      [{ metadata: null }, 'metadata'],
      [{ birthdate: '31-12-2020' }, 'birthdate'],
      [{ birthdate: '2021-02-30' }, 'birthdate'],
      [{ email: 'not-an-email' }, 'email'],
      [{ source_id: 42 }, 'source_id'],
      [{ id: false }, 'id'],
    ];
    for (const [json, property] of cases) {
      const { status, body } = await call(emulator, 'POST', '/v1/customers', { json });
      assert.equal(status, 400, JSON.stringify(json));
      assert.equal(body.key, 'invalid_payload');
      assert.ok(body.details.startsWith(`${property}:`), `${JSON.stringify(json)} → ${body.details}`);
      assert.match(body.request_id, REQUEST_ID);
    }
  });

  test('a metadata key named __proto__ is stored as a plain key and pollutes nothing', async () => {
    const json = JSON.parse('{"source_id":"proto","metadata":{"__proto__":{"polluted":true},"ok":1}}');
    const { status, body } = await call(emulator, 'POST', '/v1/customers', { json });
    assert.equal(status, 200);
    assert.equal(Object.getOwnPropertyDescriptor(body.metadata, '__proto__')?.value.polluted, true);
    assert.equal(body.metadata.ok, 1);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  test('refuses a body that is not a JSON object', async () => {
    for (const json of [[], 'text', 5, null]) {
      const { status, body } = await call(emulator, 'POST', '/v1/customers', { json });
      assert.equal(status, 400);
      assert.equal(body.key, 'invalid_payload');
    }
  });
});

describe('PUT /v1/customers/{id}', () => {
  test('is partial: fields not sent stay, address merges field-wise, metadata key-wise keeping null', async () => {
    const { status, body } = await call(emulator, 'PUT', `/v1/customers/${DEMO_CUSTOMERS.alice.id}`, {
      json: { phone: '+49 1', address: { city: null }, metadata: { lang: null, extra: 'x' } },
    });
    assert.equal(status, 200);
    assert.equal(body.name, 'Alice Martin');
    assert.equal(body.phone, '+49 1');
    assert.deepEqual(body.address, { line_1: 'Torstraße 1', city: null, postal_code: '10119', country: 'Germany' });
    assert.deepEqual(body.metadata, { lang: null, vip: true, internal_score: 87, extra: 'x' });
    assert.equal(body.loyalty.points, 1250);
    const again = await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.alice.id}`);
    assert.deepEqual(again.body, body);
  });

  test('sets updated_at on every change', async () => {
    const created = await call(emulator, 'POST', '/v1/customers', { json: { source_id: 'tick' } });
    const updated = await call(emulator, 'PUT', '/v1/customers/tick', { json: { name: 'Tock' } });
    assert.match(updated.body.updated_at, ISO_MS);
    assert.ok(Date.parse(updated.body.updated_at) >= Date.parse(created.body.created_at));
  });

  test('sending only phone and metadata leaves a null address null (observed)', async () => {
    await call(emulator, 'POST', '/v1/customers', { json: { source_id: 'no-address' } });
    const { body } = await call(emulator, 'PUT', '/v1/customers/no-address', {
      json: { phone: '1', metadata: { a: 1 } },
    });
    assert.equal(body.address, null);
  });

  test('answers 404 for an unknown customer, naming the source id as sent', async () => {
    const { status, body } = await call(emulator, 'PUT', `/v1/customers/${enc('alice2@morgan.com')}`, {
      json: { name: 'x' },
    });
    assert.equal(status, 404);
    assert.equal(body.resource_id, 'alice2@morgan.com');
  });

  test('refuses malformed JSON, an empty body and a non-JSON media type', async () => {
    const malformed = await call(emulator, 'PUT', `/v1/customers/${DEMO_CUSTOMERS.bob.id}`, {
      body: '{"name": ',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.key, 'invalid_payload');
    assert.match(malformed.body.details, /^Invalid JSON/);
    const empty = await call(emulator, 'PUT', `/v1/customers/${DEMO_CUSTOMERS.bob.id}`, {
      body: '',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.details, 'The payload cannot be empty');
    const text = await call(emulator, 'PUT', `/v1/customers/${DEMO_CUSTOMERS.bob.id}`, {
      body: '{"name":"x"}',
      headers: { 'Content-Type': 'text/plain' },
    });
    assert.equal(text.status, 415);
    assert.equal(text.body.code, 415);
    assert.match(text.body.request_id, REQUEST_ID);
  });
});

describe('email filter index', () => {
  test('customers sharing an email are all found, and deleting one keeps the others', async () => {
    for (const sourceId of ['twin-a', 'twin-b', 'twin-c']) {
      await call(emulator, 'POST', '/v1/customers', { json: { source_id: sourceId, email: 'twins@example.com' } });
    }
    const twins = async () =>
      (await call(emulator, 'GET', `/v1/customers?email=${enc('twins@example.com')}`)).body.customers.map(
        (c: { source_id: string }) => c.source_id,
      );
    assert.deepEqual(await twins(), ['twin-c', 'twin-b', 'twin-a']);
    await call(emulator, 'DELETE', '/v1/customers/twin-b');
    assert.deepEqual(await twins(), ['twin-c', 'twin-a']);
    await call(emulator, 'PUT', '/v1/customers/twin-c', { json: { email: 'single@example.com' } });
    assert.deepEqual(await twins(), ['twin-a']);
    await call(emulator, 'DELETE', '/v1/customers/twin-a');
    assert.deepEqual(await twins(), []);
  });
});

describe('DELETE and permanent deletion', () => {
  test('DELETE answers 204; afterwards GET is 404 and the list leaves the customer out', async () => {
    const deleted = await call(emulator, 'DELETE', `/v1/customers/${DEMO_CUSTOMERS.bob.id}`);
    assert.equal(deleted.status, 204);
    assert.equal(deleted.text, '');
    assert.equal((await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.bob.id}`)).status, 404);
    const list = await call(emulator, 'GET', '/v1/customers?limit=100');
    assert.ok(!list.body.customers.some((customer: { id: string }) => customer.id === DEMO_CUSTOMERS.bob.id));
    assert.equal((await call(emulator, 'DELETE', `/v1/customers/${DEMO_CUSTOMERS.bob.id}`)).status, 404);
  });

  test('a deleted source_id can be used by a new customer', async () => {
    await call(emulator, 'DELETE', `/v1/customers/${enc(DEMO_CUSTOMERS.bob.source_id)}`);
    const { body } = await call(emulator, 'POST', '/v1/customers', {
      json: { source_id: DEMO_CUSTOMERS.bob.source_id },
    });
    assert.notEqual(body.id, DEMO_CUSTOMERS.bob.id);
  });

  test('permanent deletion answers pernament_deletion with counts of what was removed, then nothing is left', async () => {
    const activities = await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.alice.id}/activities?limit=100`);
    const segments = await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.alice.id}/segments`);
    const { status, body } = await call(
      emulator,
      'POST',
      `/v1/customers/${enc(DEMO_CUSTOMERS.alice.source_id)}/permanent-deletion`,
      { json: {} },
    );
    assert.equal(status, 200);
    assert.equal(body.object, 'pernament_deletion');
    assert.equal(body.status, 'DONE');
    assert.equal(body.related_object, 'customer');
    assert.equal(body.related_object_id, DEMO_CUSTOMERS.alice.id);
    assert.match(body.id, /^del_[A-Za-z0-9]{24}$/);
    assert.match(body.created_at, ISO_MS);
    assert.equal(body.data_json.customer, 1);
    assert.equal(body.data_json.customer_events, activities.body.total);
    assert.equal(body.data_json.segments, segments.body.total);
    for (const key of ['events', 'daily_events', 'orders', 'order_events'])
      assert.equal(typeof body.data_json[key], 'number');

    assert.equal((await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.alice.id}`)).status, 404);
    assert.equal((await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.alice.id}/activity`)).status, 404);
    assert.equal((await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.alice.id}/activities`)).status, 404);
    const list = await call(emulator, 'GET', '/v1/customers?email=alice%40example.com');
    assert.equal(list.body.total, 0);
    assert.equal(
      (await call(emulator, 'POST', `/v1/customers/${DEMO_CUSTOMERS.alice.id}/permanent-deletion`)).status,
      404,
    );
  });

  test('permanent deletion also forgets a customer that was only deleted before', async () => {
    await call(emulator, 'DELETE', `/v1/customers/${DEMO_CUSTOMERS.yuki.id}`);
    const { status, body } = await call(emulator, 'POST', `/v1/customers/${DEMO_CUSTOMERS.yuki.id}/permanent-deletion`);
    assert.equal(status, 200);
    assert.equal(body.related_object_id, DEMO_CUSTOMERS.yuki.id);
    assert.equal((await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.yuki.id}/activity`)).status, 404);
  });

  test('permanent deletion replaces the source id and email in the request log with the customer id', async () => {
    emulator.clearRequests();
    await call(emulator, 'GET', `/v1/customers/${enc(DEMO_CUSTOMERS.alice.source_id)}`);
    await call(emulator, 'GET', `/v1/customers?email=${enc(DEMO_CUSTOMERS.alice.email)}`);
    await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.bob.id}`);
    await call(emulator, 'POST', `/v1/customers/${enc(DEMO_CUSTOMERS.alice.source_id)}/permanent-deletion`);
    const log = emulator.requests();
    assert.deepEqual(
      log.map((request) => `${request.method} ${request.path}${request.query ? `?${request.query}` : ''}`),
      [
        `GET /v1/customers/${DEMO_CUSTOMERS.alice.id}`,
        `GET /v1/customers?email=${DEMO_CUSTOMERS.alice.id}`,
        `GET /v1/customers/${DEMO_CUSTOMERS.bob.id}`,
        `POST /v1/customers/${DEMO_CUSTOMERS.alice.id}/permanent-deletion`,
      ],
    );
    assert.ok(!JSON.stringify(log).includes('alice@') && !JSON.stringify(log).includes('alice%40'));
  });
});

describe('odd customer ids', () => {
  const oddIds = [
    '../../etc/passwd',
    'a/b',
    '名前 ünïcödé',
    'x+y@example.com',
    '100%',
    'a%2Fb',
    '..',
    'with space',
    '?#&=',
  ];

  for (const sourceId of oddIds) {
    test(`source_id ${JSON.stringify(sourceId)} is just an id for GET, PUT, consents and DELETE`, async () => {
      const created = await call(emulator, 'POST', '/v1/customers', { json: { source_id: sourceId } });
      assert.equal(created.status, 200);
      // `..` alone cannot travel in a URL path unencoded; clients encode dots as %2E.
      const path = `/v1/customers/${sourceId === '..' ? '%2E%2E' : enc(sourceId)}`;
      if (sourceId !== '..') {
        const got = await call(emulator, 'GET', path);
        assert.equal(got.status, 200, path);
        assert.equal(got.body.id, created.body.id);
        assert.equal(got.body.source_id, sourceId);
        const updated = await call(emulator, 'PUT', path, { json: { name: 'Odd' } });
        assert.equal(updated.body.name, 'Odd');
        assert.equal(
          (await call(emulator, 'PUT', `${path}/consents`, { json: { [SEED_CONSENT_IDS.newsletter]: true } })).status,
          204,
        );
        assert.equal((await call(emulator, 'DELETE', path)).status, 204);
        assert.equal((await call(emulator, 'GET', path)).status, 404);
      } else {
        // The URL parser folds %2E%2E into "..": the request never names the customer, and nothing breaks.
        const got = await call(emulator, 'GET', path);
        assert.ok(got.status === 404 || got.status === 200);
      }
    });
  }

  test('an invalid percent-encoding is used as sent and answers 404, not a crash', async () => {
    const { status, body } = await call(emulator, 'GET', '/v1/customers/%E0%A4%A');
    assert.equal(status, 404);
    assert.equal(body.resource_type, 'customer');
  });
});
