import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SEED_CONSENT_IDS, SEED_SEGMENT_IDS, type RunningEmulator } from '../../src/emulator/index.js';
import { call, enc, start } from '../support/emulator.js';

let emulator: RunningEmulator;
/** Created in this order: c00 (oldest) … c24 (newest). */
const created: Array<{ id: string; source_id: string; created_at: string }> = [];
const CITIES = ['Berlin', 'Paris', 'Oslo'];

before(async () => {
  emulator = await start({ seed: false });
  for (let i = 0; i < 25; i++) {
    const { body } = await call(emulator, 'POST', '/v1/customers', {
      json: {
        source_id: `c${String(i).padStart(2, '0')}`,
        name: i % 5 === 0 ? 'Five' : `Person ${i}`,
        email: `p${i}@example.com`,
        address: { city: CITIES[i % 3] },
      },
    });
    created.push(body);
  }
  // Updated later, in reverse order, so updated_at order differs from created_at order.
  for (const index of [3, 1])
    await call(emulator, 'PUT', `/v1/customers/${created[index]!.id}`, { json: { phone: '1' } });
  await call(emulator, 'PUT', `/v1/customers/c07/consents`, { json: { [SEED_CONSENT_IDS.newsletter]: true } });
});
after(() => emulator.close());

const ids = (body: { customers: Array<{ source_id: string }> }) => body.customers.map((customer) => customer.source_id);
const list = (query = '') => call(emulator, 'GET', `/v1/customers${query}`);

describe('GET /v1/customers', () => {
  test('defaults to 10 customers, newest first, with total and has_more', async () => {
    const { status, body } = await list();
    assert.equal(status, 200);
    assert.equal(body.object, 'list');
    assert.equal(body.data_ref, 'customers');
    assert.equal(body.total, 25);
    assert.equal(body.has_more, true);
    assert.deepEqual(ids(body), ['c24', 'c23', 'c22', 'c21', 'c20', 'c19', 'c18', 'c17', 'c16', 'c15']);
    assert.equal(body.customers[0].object, 'customer');
  });

  test('pages with page and limit; the last page has has_more false', async () => {
    const second = await list('?limit=10&page=2');
    assert.deepEqual(ids(second.body), ['c14', 'c13', 'c12', 'c11', 'c10', 'c09', 'c08', 'c07', 'c06', 'c05']);
    const third = await list('?limit=10&page=3');
    assert.deepEqual(ids(third.body), ['c04', 'c03', 'c02', 'c01', 'c00']);
    assert.equal(third.body.has_more, false);
    const beyond = await list('?limit=10&page=4');
    assert.deepEqual(beyond.body.customers, []);
    assert.equal(beyond.body.total, 25);
  });

  test('refuses limit and page out of range or not integers with invalid_query_params', async () => {
    for (const query of ['limit=0', 'limit=101', 'limit=abc', 'limit=1.5', 'page=0', 'page=100', 'page=-1', 'page=x']) {
      const { status, body } = await list(`?${query}`);
      assert.equal(status, 400, query);
      assert.equal(body.key, 'invalid_query_params');
      assert.match(body.details, new RegExp(`\\.${query.split('=')[0]}`));
    }
    assert.equal((await list('?limit=100&page=99')).status, 200);
  });

  test('filters by exact email, city and name; total counts every match', async () => {
    assert.deepEqual(ids((await list(`?email=${enc('p4@example.com')}`)).body), ['c04']);
    assert.equal((await list('?email=P4%40example.com')).body.total, 0);
    const berlin = await list('?city=Berlin&limit=3');
    assert.equal(berlin.body.total, 9);
    assert.deepEqual(ids(berlin.body), ['c24', 'c21', 'c18']);
    assert.equal(berlin.body.has_more, true);
    const fives = await list('?name=Five&limit=100');
    assert.deepEqual(ids(fives.body), ['c20', 'c15', 'c10', 'c05', 'c00']);
    assert.deepEqual(ids((await list('?name=Five&city=Paris')).body), ['c10']);
  });

  test('filters by segment_id (membership kept up to date) and an unknown segment matches nobody', async () => {
    const readers = await list(`?segment_id=${SEED_SEGMENT_IDS.newsletterReaders}`);
    assert.deepEqual(ids(readers.body), ['c07']);
    const berlin = await list(`?segment_id=${SEED_SEGMENT_IDS.berlin}&limit=100`);
    assert.equal(berlin.body.total, 9);
    assert.equal((await list('?segment_id=seg_unknown')).body.total, 0);
  });

  test('filters by created_at and updated_at before/after', async () => {
    const pivot = created[20]!.created_at;
    const after = await list(`?created_at[after]=${pivot}&limit=100`);
    assert.deepEqual(ids(after.body), ['c24', 'c23', 'c22', 'c21']);
    const before = await list(`?created_at%5Bbefore%5D=${created[2]!.created_at}`);
    assert.deepEqual(ids(before.body), ['c01', 'c00']);
    const updated = await list(`?updated_at[after]=${created[24]!.created_at}&limit=100`);
    assert.deepEqual(ids(updated.body).sort(), ['c01', 'c03', 'c07']);
    const notUpdated = await list(`?updated_at[before]=${created[1]!.created_at}`);
    assert.deepEqual(ids(notUpdated.body), ['c00']);
  });

  test('refuses a date that is not ISO 8601', async () => {
    const { status, body } = await list('?created_at[before]=yesterday');
    assert.equal(status, 400);
    assert.equal(body.details, 'Property .created_at[before] cannot be recognized as a ISO-8601 compliant date');
  });

  test('orders by each of the six values and refuses others', async () => {
    assert.deepEqual(ids((await list('?order=created_at&limit=3')).body), ['c00', 'c01', 'c02']);
    assert.deepEqual(ids((await list('?order=-created_at&limit=3')).body), ['c24', 'c23', 'c22']);
    assert.deepEqual(ids((await list('?order=-updated_at&limit=3')).body), ['c07', 'c01', 'c03']);
    assert.deepEqual(ids((await list('?order=updated_at&limit=2')).body), ['c00', 'c02']);
    assert.deepEqual(ids((await list('?order=source_id&limit=3')).body), ['c00', 'c01', 'c02']);
    assert.deepEqual(ids((await list('?order=-source_id&limit=2&page=2')).body), ['c22', 'c21']);
    const bad = await list('?order=name');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.key, 'invalid_query_params');
  });

  test('starting_after without order: customers created strictly before the cursor, newest first', async () => {
    const { body } = await list(`?starting_after=${created[10]!.created_at}&limit=3`);
    assert.deepEqual(ids(body), ['c09', 'c08', 'c07']);
    assert.equal(body.total, 10);
  });

  test('starting_after with order=created_at: customers created after the cursor, oldest first', async () => {
    const { body } = await list(`?order=created_at&starting_after=${created[10]!.created_at}&limit=3`);
    assert.deepEqual(ids(body), ['c11', 'c12', 'c13']);
  });

  test('starting_after with order=updated_at: customers last touched after the cursor, ascending', async () => {
    const { body } = await list(`?order=updated_at&starting_after=${created[24]!.created_at}`);
    assert.deepEqual(ids(body), ['c03', 'c01', 'c07']);
  });

  test('scrolling with the date cursor visits every customer exactly once', async () => {
    const seen: string[] = [];
    let cursor = '2200-01-01T00:00:00Z';
    for (;;) {
      const { body } = await list(`?limit=4&starting_after=${cursor}&city=Berlin`);
      seen.push(...ids(body));
      if (!body.has_more) break;
      cursor = body.customers.at(-1).created_at;
    }
    assert.deepEqual(seen, ['c24', 'c21', 'c18', 'c15', 'c12', 'c09', 'c06', 'c03', 'c00']);
  });
});
