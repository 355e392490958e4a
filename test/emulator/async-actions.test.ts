import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEMO_CUSTOMERS, type RunningEmulator } from '../../src/emulator/index.js';
import { ISO_MS, REQUEST_ID, call, enc, start, waitForAction } from '../support/emulator.js';

let emulator: RunningEmulator;
before(async () => (emulator = await start()));
after(() => emulator.close());
beforeEach(() => emulator.reset());

const bulk = (json: unknown) => call(emulator, 'POST', '/v1/customers/bulk/async', { json });
const metadataBulk = (json: unknown) => call(emulator, 'POST', '/v1/customers/metadata/async', { json });

describe('POST /v1/customers/bulk/async', () => {
  test('answers 202 with an async action that upserts, its result in the current spec’s shape', async () => {
    const created = await bulk([
      { source_id: DEMO_CUSTOMERS.bob.source_id, name: 'Bobby' },
      { source_id: 'bulk-new@example.com', name: 'Newcomer', email: 'bulk-new@example.com' },
    ]);
    assert.equal(created.status, 202);
    assert.match(created.body.async_action_id, /^aa_[0-9a-f]{18}$/);
    const action = await waitForAction(emulator, created.body.async_action_id);
    assert.equal(action.type, 'CUSTOMERS.BULK_UPDATE');
    assert.equal(action.status, 'DONE');
    assert.equal(action.operation_status, 'SUCCESS');
    assert.equal(action.progress, 100);
    assert.equal(action.object, 'async_action');
    assert.equal(action.request_id, created.headers.get('x-request-id'));
    assert.equal(typeof action.processing_time, 'number');
    assert.match(action.created_at, ISO_MS);
    assert.match(action.updated_at!, ISO_MS);
    // The current spec's result: per-record found/updated go to a report file (none is written here), not `results`.
    assert.deepEqual(Object.keys(action.result), [
      'done_count',
      'failed_count',
      'reports',
      'reports_available_till',
      'errors',
    ]);
    assert.equal(action.result.done_count, 2);
    assert.equal(action.result.failed_count, 0);
    assert.deepEqual(action.result.reports, []);
    assert.deepEqual(action.result.errors, []);
    assert.match(action.result.reports_available_till, ISO_MS);
    assert.equal(
      (await call(emulator, 'GET', `/v1/customers/${enc(DEMO_CUSTOMERS.bob.source_id)}`)).body.name,
      'Bobby',
    );
    const newcomer = await call(emulator, 'GET', `/v1/customers/${enc('bulk-new@example.com')}`);
    assert.equal(newcomer.body.email, 'bulk-new@example.com');
    assert.equal(newcomer.body.address, null);
  });

  test('stores a record’s address exactly as sent, replacing the old one (observed)', async () => {
    const { body } = await bulk([
      { source_id: DEMO_CUSTOMERS.alice.source_id, address: { city: null, country: null } },
    ]);
    await waitForAction(emulator, body.async_action_id);
    const alice = await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.alice.id}`);
    assert.deepEqual(alice.body.address, { city: null, country: null });
    assert.equal(alice.body.name, 'Alice Martin');
  });

  test('records activities for the customers it creates and updates, grouped by the request', async () => {
    const created = await bulk([{ source_id: 'bulk-activity' }]);
    await waitForAction(emulator, created.body.async_action_id);
    const { body } = await call(emulator, 'GET', '/v1/customers/bulk-activity/activity?order=created_at&limit=1');
    assert.equal(body.data[0].type, 'customer.created');
    assert.equal(body.data[0].group_id, created.headers.get('x-request-id'));
  });

  test('more than 100 records is 400 too_many_customers', async () => {
    const records = Array.from({ length: 101 }, (_, i) => ({ source_id: `s${i}` }));
    const { status, body } = await bulk(records);
    assert.equal(status, 400);
    assert.deepEqual(
      { code: body.code, key: body.key, message: body.message, details: body.details },
      { code: 400, key: 'too_many_customers', message: 'Too many customers', details: 'Specify at most 100 customers' },
    );
    assert.match(body.request_id, REQUEST_ID);
    assert.equal((await bulk(records.slice(0, 100))).status, 202);
  });

  test('refuses a body that is not an array of records with string source_id, naming the index and property', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{ source_id: 'x' }, /array/],
      [[], /cannot be empty/],
      [[{ source_id: 'ok' }, 'nope'], /^\[1\]/],
      [[{ name: 'no source' }], /^\[0\]\.source_id/],
      [[{ source_id: 7 }], /^\[0\]\.source_id/],
      [[{ source_id: 'a' }, { source_id: 'b', birthdate: '2020-13-01' }], /^\[1\]\.birthdate/],
      [[{ source_id: 'a', address: 'Main St' }], /^\[0\]\.address/],
    ];
    for (const [json, details] of cases) {
      const { status, body } = await bulk(json);
      assert.equal(status, 400, JSON.stringify(json));
      assert.equal(body.key, 'invalid_payload');
      assert.match(body.details, details);
    }
  });

  test('progress rises while a paced job runs, and jobs run one at a time in order', async () => {
    const paced = await start({ jobStepDelayMs: 50 });
    try {
      const records = Array.from({ length: 100 }, (_, i) => ({ source_id: `paced-${i}` }));
      const first = await call(paced, 'POST', '/v1/customers/bulk/async', { json: records });
      const second = await call(paced, 'POST', '/v1/customers/metadata/async', {
        json: { source_ids: ['paced-1'], metadata: { x: 1 } },
      });
      const queued = await call(paced, 'GET', `/v1/async-actions/${second.body.async_action_id}`);
      assert.equal(queued.body.status, 'ENQUEUED');
      assert.equal(queued.body.progress, 0);
      const seen = new Set<number>();
      const done = await waitForAction(paced, first.body.async_action_id, (action) => {
        if (action.status === 'IN_PROGRESS') seen.add(action.progress!);
        return action.status === 'DONE';
      });
      assert.equal(done.progress, 100);
      const progress = [...seen];
      assert.ok(progress.length >= 3, `saw progress ${progress.join(', ')}`);
      assert.deepEqual(
        progress,
        [...progress].sort((a, b) => a - b),
      );
      assert.ok(progress.every((value) => value < 100));
      const next = await waitForAction(paced, second.body.async_action_id);
      assert.equal(next.status, 'DONE');
      assert.ok(Date.parse(next.updated_at!) >= Date.parse(done.updated_at!));
    } finally {
      await paced.close();
    }
  });
});

describe('POST /v1/customers/metadata/async', () => {
  test('merges metadata, keeps null values, and upserts missing customers', async () => {
    const created = await metadataBulk({
      source_ids: [DEMO_CUSTOMERS.alice.source_id, 'meta-new'],
      metadata: { lang: null, tier: 'gold' },
    });
    assert.equal(created.status, 202);
    const action = await waitForAction(emulator, created.body.async_action_id);
    assert.equal(action.type, 'CUSTOMERS.METADATA_UPDATE');
    assert.equal(action.operation_status, 'SUCCESS');
    assert.deepEqual(action.result, {
      done_count: 2,
      failed_count: 0,
      reports: [],
      reports_available_till: action.result.reports_available_till,
      errors: [],
    });
    assert.match(action.result.reports_available_till, ISO_MS);
    const alice = await call(emulator, 'GET', `/v1/customers/${DEMO_CUSTOMERS.alice.id}`);
    assert.deepEqual(alice.body.metadata, { lang: null, vip: true, internal_score: 87, tier: 'gold' });
    const fresh = await call(emulator, 'GET', '/v1/customers/meta-new');
    assert.deepEqual(fresh.body.metadata, { lang: null, tier: 'gold' });
  });

  test('requires source_ids and metadata, and at most 100 source ids', async () => {
    const cases: Array<[unknown, string]> = [
      [{ metadata: { a: 1 } }, 'source_ids'],
      [{ source_ids: ['a'] }, 'metadata'],
      [{ source_ids: 'a', metadata: {} }, 'source_ids'],
      [{ source_ids: ['a', 3], metadata: {} }, 'source_ids[1]'],
      [{ source_ids: ['a'], metadata: [] }, 'metadata'],
      [[], 'payload'],
    ];
    for (const [json, property] of cases) {
      const { status, body } = await metadataBulk(json);
      assert.equal(status, 400, JSON.stringify(json));
      assert.equal(body.key, 'invalid_payload');
      assert.ok(body.details.includes(property), body.details);
    }
    const tooMany = await metadataBulk({ source_ids: Array.from({ length: 101 }, (_, i) => `m${i}`), metadata: {} });
    assert.equal(tooMany.body.key, 'too_many_customers');
  });
});

describe('GET /v1/async-actions', () => {
  test('an unknown id is 404 not_found with resource_type async_action', async () => {
    const { status, body } = await call(emulator, 'GET', '/v1/async-actions/aa_000000000000000000');
    assert.equal(status, 404);
    assert.equal(body.resource_type, 'async_action');
    assert.equal(body.resource_id, 'aa_000000000000000000');
  });

  test('lists newest first without result, with limit and end_date', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { body } = await bulk([{ source_id: `list-${i}` }]);
      ids.push(body.async_action_id);
      await waitForAction(emulator, body.async_action_id);
    }
    const { status, body } = await call(emulator, 'GET', '/v1/async-actions?limit=2');
    assert.equal(status, 200);
    assert.equal(body.object, 'list');
    assert.equal(body.data_ref, 'async_actions');
    assert.deepEqual(
      body.async_actions.map((action: { id: string }) => action.id),
      [ids[2], ids[1]],
    );
    assert.equal(body.has_more, true);
    assert.ok(body.async_actions.every((action: object) => !('result' in action)));
    const third = await call(emulator, 'GET', `/v1/async-actions/${ids[2]}`);
    const older = await call(emulator, 'GET', `/v1/async-actions?end_date=${third.body.created_at}`);
    assert.deepEqual(
      older.body.async_actions.map((action: { id: string }) => action.id),
      [ids[1], ids[0]],
    );
  });

  test('refuses an end_date that is not ISO 8601 and a limit out of range', async () => {
    const bad = await call(emulator, 'GET', '/v1/async-actions?end_date=tomorrow');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.details, 'Property .end_date cannot be recognized as a ISO-8601 compliant date');
    assert.equal((await call(emulator, 'GET', '/v1/async-actions?limit=0')).status, 400);
    assert.equal((await call(emulator, 'GET', '/v1/async-actions?end_date=2030-01-01')).status, 200);
  });

  test('reset cancels queued jobs and forgets every action', async () => {
    const paced = await start({ jobStepDelayMs: 50 });
    try {
      const { body } = await call(paced, 'POST', '/v1/customers/bulk/async', {
        json: Array.from({ length: 50 }, (_, i) => ({ source_id: `r${i}` })),
      });
      await paced.reset();
      assert.equal((await call(paced, 'GET', `/v1/async-actions/${body.async_action_id}`)).status, 404);
      assert.equal((await call(paced, 'GET', '/v1/customers/r49')).status, 404);
    } finally {
      await paced.close();
    }
  });
});
