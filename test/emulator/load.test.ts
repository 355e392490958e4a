import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { SEED_SEGMENT_IDS, type RunningEmulator } from '../../src/emulator/index.js';
import { call, enc, importCsv, start } from '../support/emulator.js';
import { berlinRows, customersCsv } from '../support/customers-csv.js';

const ROWS = 10_000;
let emulator: RunningEmulator;
before(async () => (emulator = await start({ seed: false })));
after(() => emulator.close());

describe('load: 10,000 customers', () => {
  test('imports 10,000 customers by CSV and lists them with filters, orders and cursors without errors', async () => {
    const action = await importCsv(emulator, customersCsv(ROWS));
    assert.equal(action.status, 'DONE');
    assert.equal(action.result.done_count, ROWS);
    assert.equal(action.result.failed_count, 0);

    const all = await call(emulator, 'GET', '/v1/customers?limit=100');
    assert.equal(all.status, 200);
    assert.equal(all.body.total, ROWS);
    assert.equal(all.body.customers[0].source_id, `load-${ROWS - 1}`);

    const berlin = await call(emulator, 'GET', '/v1/customers?city=Berlin&limit=100&page=3');
    assert.equal(berlin.body.total, berlinRows(ROWS));
    assert.equal(berlin.body.customers.length, 100);
    assert.ok(
      berlin.body.customers.every((customer: { address: { city: string } }) => customer.address.city === 'Berlin'),
    );

    const segment = await call(emulator, 'GET', `/v1/customers?segment_id=${SEED_SEGMENT_IDS.berlin}&limit=5`);
    assert.equal(segment.body.total, berlinRows(ROWS));

    const byEmail = await call(emulator, 'GET', `/v1/customers?email=${enc('load4321@example.com')}`);
    assert.deepEqual(
      byEmail.body.customers.map((customer: { source_id: string }) => customer.source_id),
      ['load-4321'],
    );

    const deepest = await call(emulator, 'GET', '/v1/customers?limit=100&page=99&order=source_id');
    assert.equal(deepest.status, 200);
    assert.equal(deepest.body.customers.length, 100);

    const cursor = all.body.customers.at(-1).created_at;
    const next = await call(emulator, 'GET', `/v1/customers?limit=100&starting_after=${cursor}&city=Paris`);
    assert.equal(next.status, 200);
    assert.ok(next.body.customers.every((customer: { created_at: string }) => customer.created_at < cursor));

    const ascending = await call(emulator, 'GET', `/v1/customers?order=created_at&starting_after=${cursor}&limit=100`);
    assert.equal(ascending.body.total, 99, 'only the 99 customers newer than the 100th newest');
  });
});
