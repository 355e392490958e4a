import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DEMO_CUSTOMERS, DataFileError, SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import { call, dataOnDisk, start, waitForAction } from '../support/emulator.js';

let directory: string;
before(async () => (directory = await mkdtemp(path.join(os.tmpdir(), 'vc-emulator-persistence-'))));
after(() => rm(directory, { recursive: true, force: true }));

describe('persistence to a data file', () => {
  test('writes the data on change and restores it on the next start', async () => {
    const dataFile = path.join(directory, 'nested', 'round-trip.json');
    const first = await start({ dataFile });
    const created = await call(first, 'POST', '/v1/customers', {
      json: { source_id: 'kept', name: 'Kept', metadata: { a: null } },
    });
    await call(first, 'PUT', '/v1/customers/kept/consents', { json: { [SEED_CONSENT_IDS.newsletter]: true } });
    const job = await call(first, 'POST', '/v1/customers/metadata/async', {
      json: { source_ids: ['kept'], metadata: { b: 2 } },
    });
    await waitForAction(first, job.body.async_action_id);
    await call(first, 'DELETE', `/v1/customers/${DEMO_CUSTOMERS.bob.id}`);
    const before = await call(first, 'GET', '/v1/customers/kept');
    const activity = await call(first, 'GET', '/v1/customers/kept/activity?limit=100');
    await first.close();

    const header = JSON.parse((await readFile(dataFile, 'utf8')).split('\n')[0]!);
    assert.equal(header.format, 'vc-consent-emulator');
    assert.equal(header.version, 2);
    assert.ok((await dataOnDisk(dataFile)).includes(created.body.id));
    assert.deepEqual(
      (await readdir(path.dirname(dataFile))).sort(),
      ['round-trip.json', 'round-trip.json.log'],
      'no temp file is left behind',
    );

    const second = await start({ dataFile });
    try {
      assert.deepEqual((await call(second, 'GET', '/v1/customers/kept')).body, before.body);
      assert.deepEqual((await call(second, 'GET', '/v1/customers/kept/activity?limit=100')).body, activity.body);
      const action = await call(second, 'GET', `/v1/async-actions/${job.body.async_action_id}`);
      assert.equal(action.body.status, 'DONE');
      assert.equal((await call(second, 'GET', `/v1/customers/${DEMO_CUSTOMERS.bob.id}`)).status, 404);
      const segments = await call(second, 'GET', '/v1/customers/kept/segments');
      assert.equal(segments.body.total, 1, 'segment membership is rebuilt from the data');
      const next = await call(second, 'POST', '/v1/customers', { json: { source_id: 'later' } });
      assert.ok(next.body.created_at > before.body.created_at);
    } finally {
      await second.close();
    }
  });

  test('a permanent deletion leaves no trace of the customer in the data file', async () => {
    const dataFile = path.join(directory, 'forget.json');
    const emulator = await start({ dataFile });
    const bulk = await call(emulator, 'POST', '/v1/customers/bulk/async', {
      json: [{ source_id: DEMO_CUSTOMERS.alice.source_id, name: 'Alice M.' }],
    });
    await waitForAction(emulator, bulk.body.async_action_id);
    await call(emulator, 'DELETE', `/v1/customers/${DEMO_CUSTOMERS.alice.id}`);
    const deletion = await call(emulator, 'POST', `/v1/customers/${DEMO_CUSTOMERS.alice.id}/permanent-deletion`);
    assert.equal(deletion.status, 200);
    await emulator.close();
    const text = await dataOnDisk(dataFile);
    for (const trace of [DEMO_CUSTOMERS.alice.id, 'alice@example.com', 'Alice', 'Torstraße']) {
      assert.ok(!text.includes(trace), `the data file still mentions ${trace}`);
    }
    assert.ok(text.includes(DEMO_CUSTOMERS.bob.id), 'other customers are kept');
  });

  test('a corrupt data file stops the start with a clear error and is left untouched', async () => {
    const dataFile = path.join(directory, 'corrupt.json');
    await writeFile(dataFile, '{"format": "vc-consent-emulator", "customers": [');
    await assert.rejects(start({ dataFile }), (error: Error) => {
      assert.ok(error instanceof DataFileError);
      assert.match(error.message, /corrupt\.json/);
      assert.match(error.message, /not valid JSON/);
      return true;
    });
    assert.equal(await readFile(dataFile, 'utf8'), '{"format": "vc-consent-emulator", "customers": [');
    await writeFile(dataFile, '{"some": "other file"}');
    await assert.rejects(start({ dataFile }), /not an emulator data file/);
  });

  test('reset writes the seed back to the data file', async () => {
    const dataFile = path.join(directory, 'reset.json');
    const emulator = await start({ dataFile });
    await call(emulator, 'POST', '/v1/customers', { json: { source_id: 'gone-after-reset' } });
    await emulator.reset();
    const text = await dataOnDisk(dataFile);
    assert.ok(!text.includes('gone-after-reset'));
    assert.ok(text.includes(DEMO_CUSTOMERS.alice.id));
    await emulator.close();
  });
});
