import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import {
  DEMO_CUSTOMERS,
  SEED_CONSENTS,
  SEED_CONSENT_GROUPS,
  SEED_CONSENT_IDS,
  type RunningEmulator,
} from '../../src/emulator/index.js';
import { ISO_MS, REQUEST_ID, call, enc, start } from '../support/emulator.js';

let emulator: RunningEmulator;
before(async () => (emulator = await start()));
after(() => emulator.close());
beforeEach(() => emulator.reset());

const { newsletter, productUpdates, emailOffers, smsOffers, partners } = SEED_CONSENT_IDS;
const consentsOf = async (id: string) =>
  (await call(emulator, 'GET', `/v1/customers/${enc(id)}`)).body.system_metadata.consents ?? {};
const activity = async (id: string, query = '') =>
  (await call(emulator, 'GET', `/v1/customers/${enc(id)}/activity${query}`)).body.data;

describe('consent definitions', () => {
  test('GET /v1/consents answers the seeded groups and consents in the ConsentsList shape', async () => {
    const { status, body } = await call(emulator, 'GET', '/v1/consents');
    assert.equal(status, 200);
    assert.equal(body.groups.object, 'list');
    assert.equal(body.groups.data_ref, 'data');
    assert.equal(body.groups.total, SEED_CONSENT_GROUPS.length);
    assert.deepEqual(
      body.groups.data.map((group: { id: string; consents: string[] }) => [group.id, group.consents]),
      SEED_CONSENT_GROUPS.map((group) => [group.id, group.consents]),
    );
    assert.equal(body.consents.total, SEED_CONSENTS.length);
    const first = body.consents.data[0];
    assert.equal(first.object, 'consent');
    assert.equal(first.id, SEED_CONSENTS[0]!.id);
    assert.equal(first.category, 'marketing');
    assert.match(first.created_at, ISO_MS);
    assert.equal(first.updated_at, null);
    assert.equal(body.groups.data[0].object, 'consent_group');
  });

  test('GET /client/v1/consents answers the same with client keys and an allowed origin', async () => {
    const server = await call(emulator, 'GET', '/v1/consents');
    const client = await call(emulator, 'GET', '/client/v1/consents');
    assert.equal(client.status, 200);
    assert.deepEqual(client.body, server.body);
  });
});

describe('PUT /v1/customers/{id}/consents', () => {
  test('an empty object is 400 invalid_payload "The payload cannot be empty"', async () => {
    const { status, body } = await call(emulator, 'PUT', `/v1/customers/${DEMO_CUSTOMERS.bob.id}/consents`, {
      json: {},
    });
    assert.equal(status, 400);
    assert.deepEqual(
      { code: body.code, key: body.key, message: body.message, details: body.details },
      { code: 400, key: 'invalid_payload', message: 'Invalid payload', details: 'The payload cannot be empty' },
    );
    assert.match(body.request_id, REQUEST_ID);
  });

  test('an unknown consent id or a non-boolean value is 400 naming it; nothing is stored', async () => {
    const unknown = await call(emulator, 'PUT', `/v1/customers/${DEMO_CUSTOMERS.bob.id}/consents`, {
      json: { [newsletter]: true, cnst_doesNotExist: true },
    });
    assert.equal(unknown.status, 400);
    assert.match(unknown.body.details, /cnst_doesNotExist/);
    const notBoolean = await call(emulator, 'PUT', `/v1/customers/${DEMO_CUSTOMERS.bob.id}/consents`, {
      json: { [newsletter]: 'yes' },
    });
    assert.equal(notBoolean.status, 400);
    assert.match(notBoolean.body.details, new RegExp(newsletter));
    const array = await call(emulator, 'PUT', `/v1/customers/${DEMO_CUSTOMERS.bob.id}/consents`, { json: [true] });
    assert.equal(array.status, 400);
    assert.deepEqual(await consentsOf(DEMO_CUSTOMERS.bob.id), {});
  });

  test('an unknown customer is 404 not_found', async () => {
    const { status, body } = await call(emulator, 'PUT', '/v1/customers/ghost/consents', {
      json: { [newsletter]: true },
    });
    assert.equal(status, 404);
    assert.equal(body.resource_type, 'customer');
    assert.equal(body.resource_id, 'ghost');
  });

  test('stores decisions with dates in system_metadata.consents and records given/revoked activities', async () => {
    const { status, text } = await call(
      emulator,
      'PUT',
      `/v1/customers/${enc(DEMO_CUSTOMERS.bob.source_id)}/consents`,
      {
        json: { [newsletter]: true, [partners]: false },
      },
    );
    assert.equal(status, 204);
    assert.equal(text, '');
    const consents = await consentsOf(DEMO_CUSTOMERS.bob.id);
    assert.deepEqual(Object.keys(consents).sort(), [newsletter, partners].sort());
    assert.equal(consents[newsletter].value, true);
    assert.equal(consents[partners].value, false);
    assert.match(consents[newsletter].date, ISO_MS);

    // Newest first; segment changes (EFFECTs) follow the decisions.
    const [revoked, given] = (await activity(DEMO_CUSTOMERS.bob.id, '?limit=2&category=ACTION')) as any[];
    assert.equal(given.type, 'customer.consents.given');
    assert.deepEqual(given.data.data.consents, [{ id: newsletter, name: 'Newsletter', object: 'consent' }]);
    assert.deepEqual(given.data.data.customer, {
      id: DEMO_CUSTOMERS.bob.id,
      name: 'Bob Smith',
      email: 'bob@example.com',
      source_id: 'bob@example.com',
      metadata: { lang: 'en' },
      object: 'customer',
    });
    assert.equal(given.data.event_source.channel, 'API');
    assert.equal(revoked.type, 'customer.consents.revoked');
    assert.deepEqual(
      revoked.data.data.consents.map((consent: { id: string }) => consent.id),
      [partners],
    );
  });

  test('sending the same decision again records no activity', async () => {
    const before = await activity(DEMO_CUSTOMERS.alice.id, '?limit=100');
    const { status } = await call(emulator, 'PUT', `/v1/customers/${DEMO_CUSTOMERS.alice.id}/consents`, {
      json: { [newsletter]: true },
    });
    assert.equal(status, 204);
    const afterwards = await activity(DEMO_CUSTOMERS.alice.id, '?limit=100');
    assert.equal(afterwards.length, before.length);
  });

  test('{"unsubscribed": true} opts out of every consent, all with the same date', async () => {
    await call(emulator, 'PUT', `/v1/customers/${DEMO_CUSTOMERS.alice.id}/consents`, { json: { unsubscribed: true } });
    const consents = await consentsOf(DEMO_CUSTOMERS.alice.id);
    assert.deepEqual(consents.unsubscribed.value, true);
    for (const id of [newsletter, productUpdates, emailOffers, smsOffers, partners]) {
      assert.equal(consents[id].value, false, id);
      assert.equal(consents[id].date, consents.unsubscribed.date);
    }
    const revoked = (await activity(DEMO_CUSTOMERS.alice.id, '?type=customer.consents.revoked&limit=1'))[0];
    // smsOffers was already refused: it did not change.
    assert.deepEqual(
      revoked.data.data.consents.map((consent: { id: string }) => consent.id).sort(),
      [newsletter, productUpdates, emailOffers, partners].sort(),
    );
  });

  test('giving a consent while unsubscribed clears the opt-out', async () => {
    const { status } = await call(emulator, 'PUT', `/v1/customers/${DEMO_CUSTOMERS.chloe.id}/consents`, {
      json: { [productUpdates]: true },
    });
    assert.equal(status, 204);
    const consents = await consentsOf(DEMO_CUSTOMERS.chloe.id);
    assert.equal(consents.unsubscribed.value, false);
    assert.equal(consents[productUpdates].value, true);
    assert.equal(consents[newsletter].value, false);
    assert.equal(consents.unsubscribed.date, consents[productUpdates].date);
  });

  test('{"unsubscribed": false} only clears the opt-out flag', async () => {
    await call(emulator, 'PUT', `/v1/customers/${DEMO_CUSTOMERS.chloe.id}/consents`, { json: { unsubscribed: false } });
    const consents = await consentsOf(DEMO_CUSTOMERS.chloe.id);
    assert.equal(consents.unsubscribed.value, false);
    for (const id of [newsletter, productUpdates, emailOffers, smsOffers, partners])
      assert.equal(consents[id].value, false);
  });

  test('refusing a consent while unsubscribed keeps the opt-out', async () => {
    await call(emulator, 'PUT', `/v1/customers/${DEMO_CUSTOMERS.chloe.id}/consents`, {
      json: { [productUpdates]: false },
    });
    assert.equal((await consentsOf(DEMO_CUSTOMERS.chloe.id)).unsubscribed.value, true);
  });

  test('a consent change sets updated_at but records no customer.updated', async () => {
    const before = await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.bob.id}`);
    await call(emulator, 'PUT', `/v1/customers/${DEMO_CUSTOMERS.bob.id}/consents`, { json: { [smsOffers]: true } });
    const afterwards = await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.bob.id}`);
    assert.notEqual(afterwards.body.updated_at, before.body.updated_at);
    const types = (await activity(DEMO_CUSTOMERS.bob.id, '?limit=100')).map((item: { type: string }) => item.type);
    assert.ok(!types.includes('customer.updated'));
  });
});

describe('PUT /client/v1/customers/{id}/consents', () => {
  test('stores decisions with client keys and records them with the CLIENT_API channel', async () => {
    const { status, headers } = await call(
      emulator,
      'PUT',
      `/client/v1/customers/${enc(DEMO_CUSTOMERS.yuki.source_id)}/consents`,
      {
        json: { [emailOffers]: true },
      },
    );
    assert.equal(status, 204);
    assert.equal(headers.get('access-control-allow-origin'), 'http://localhost:8000');
    assert.equal((await consentsOf(DEMO_CUSTOMERS.yuki.id))[emailOffers].value, true);
    const [given] = await activity(DEMO_CUSTOMERS.yuki.id, '?type=customer.consents.given&limit=1');
    assert.equal(given.data.event_source.channel, 'CLIENT_API');
    assert.equal(given.group_id, headers.get('x-request-id'));
  });

  test('answers the same validation errors as the server path', async () => {
    const empty = await call(emulator, 'PUT', `/client/v1/customers/${DEMO_CUSTOMERS.yuki.id}/consents`, { json: {} });
    assert.equal(empty.status, 400);
    assert.equal(empty.body.details, 'The payload cannot be empty');
    const missing = await call(emulator, 'PUT', '/client/v1/customers/ghost/consents', {
      json: { unsubscribed: true },
    });
    assert.equal(missing.status, 404);
  });
});
