import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS, SEED_SEGMENT_IDS, type RunningEmulator } from '../../src/emulator/index.js';
import { call, enc, start, waitForAction } from '../support/emulator.js';

let emulator: RunningEmulator;
before(async () => (emulator = await start()));
after(() => emulator.close());
beforeEach(() => emulator.reset());

const segmentIds = async (id: string) => {
  const { status, body } = await call(emulator, 'GET', `/v1/customers/${enc(id)}/segments`);
  assert.equal(status, 200);
  assert.equal(body.object, 'list');
  assert.equal(body.data_ref, 'data');
  assert.equal(body.total, body.data.length);
  return body.data.map((segment: { id: string; object: string }) => {
    assert.equal(segment.object, 'segment');
    return segment.id;
  });
};

const segmentEvents = async (id: string) =>
  (
    await call(emulator, 'GET', `/v1/customers/${enc(id)}/activity?category=EFFECT&limit=100&order=created_at`)
  ).body.data.map(
    (item: { type: string; data: { data: { segment: { id: string } } } }) =>
      `${item.type.replace('customer.segment.', '')} ${item.data.data.segment.id}`,
  );

describe('segments', () => {
  test('seeded customers are in the segments their data qualifies them for', async () => {
    assert.deepEqual(await segmentIds(DEMO_CUSTOMERS.alice.id), [
      SEED_SEGMENT_IDS.newsletterReaders,
      SEED_SEGMENT_IDS.berlin,
      SEED_SEGMENT_IDS.vip,
    ]);
    assert.deepEqual(await segmentIds(DEMO_CUSTOMERS.bob.source_id), [SEED_SEGMENT_IDS.undecided]);
    assert.deepEqual(await segmentIds(DEMO_CUSTOMERS.chloe.id), [SEED_SEGMENT_IDS.optedOut]);
    assert.deepEqual(await segmentIds(DEMO_CUSTOMERS.yuki.id), []);
  });

  test('customers enter and leave as their data changes, each move recorded as an activity', async () => {
    await call(emulator, 'POST', '/v1/customers', { json: { source_id: 'mover', address: { city: 'Berlin' } } });
    assert.deepEqual(await segmentIds('mover'), [SEED_SEGMENT_IDS.berlin, SEED_SEGMENT_IDS.undecided]);
    await call(emulator, 'PUT', '/v1/customers/mover', {
      json: { address: { city: 'Hamburg' }, metadata: { vip: true } },
    });
    assert.deepEqual(await segmentIds('mover'), [SEED_SEGMENT_IDS.vip, SEED_SEGMENT_IDS.undecided]);
    await call(emulator, 'PUT', '/v1/customers/mover/consents', { json: { unsubscribed: true } });
    assert.deepEqual(await segmentIds('mover'), [SEED_SEGMENT_IDS.vip, SEED_SEGMENT_IDS.optedOut]);
    assert.deepEqual(await segmentEvents('mover'), [
      `entered ${SEED_SEGMENT_IDS.berlin}`,
      `entered ${SEED_SEGMENT_IDS.undecided}`,
      `entered ${SEED_SEGMENT_IDS.vip}`,
      `left ${SEED_SEGMENT_IDS.berlin}`,
      `entered ${SEED_SEGMENT_IDS.optedOut}`,
      `left ${SEED_SEGMENT_IDS.undecided}`,
    ]);
  });

  test('the list filter follows membership changes', async () => {
    const readers = async () =>
      (
        await call(emulator, 'GET', `/v1/customers?segment_id=${SEED_SEGMENT_IDS.newsletterReaders}`)
      ).body.customers.map((c: { id: string }) => c.id);
    assert.deepEqual(await readers(), [DEMO_CUSTOMERS.alice.id]);
    await call(emulator, 'PUT', `/v1/customers/${DEMO_CUSTOMERS.yuki.id}/consents`, {
      json: { [SEED_CONSENT_IDS.newsletter]: true },
    });
    assert.deepEqual(await readers(), [DEMO_CUSTOMERS.yuki.id, DEMO_CUSTOMERS.alice.id]);
    await call(emulator, 'PUT', `/v1/customers/${DEMO_CUSTOMERS.alice.id}/consents`, { json: { unsubscribed: true } });
    assert.deepEqual(await readers(), [DEMO_CUSTOMERS.yuki.id]);
  });

  test('an unknown customer gets the segments a new, empty customer would qualify for, never 404', async () => {
    assert.deepEqual(await segmentIds('not-yet-a-customer@example.com'), [SEED_SEGMENT_IDS.undecided]);
    assert.deepEqual(await segmentIds('cust_000000000000000000000000'), [SEED_SEGMENT_IDS.undecided]);
  });

  test('bulk updates move customers between segments too', async () => {
    const { body } = await call(emulator, 'POST', '/v1/customers/bulk/async', {
      json: [{ source_id: DEMO_CUSTOMERS.bob.source_id, address: { city: 'Berlin' } }],
    });
    assert.equal((await waitForAction(emulator, body.async_action_id)).status, 'DONE');
    assert.deepEqual(await segmentIds(DEMO_CUSTOMERS.bob.id), [SEED_SEGMENT_IDS.berlin, SEED_SEGMENT_IDS.undecided]);
  });
});
