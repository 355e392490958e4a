import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import os from 'node:os';
import { after, before, beforeEach, describe, test } from 'node:test';
import { DEMO_CUSTOMERS, SEED_SEGMENT_IDS, type RunningEmulator } from '../../src/emulator/index.js';
import { call, csvForm, enc, importCsv, start, waitForAction } from '../support/emulator.js';

let emulator: RunningEmulator;
before(async () => (emulator = await start()));
after(() => emulator.close());
beforeEach(() => emulator.reset());

const get = async (id: string) => (await call(emulator, 'GET', `/v1/customers/${enc(id)}`)).body;

describe('POST /v1/customers/importCSV', () => {
  test('imports the Address_ spelling, maps other columns to metadata and answers 202 at once', async () => {
    const csv = [
      'Source_id,Name,Email,Phone,Birthdate,Description,Address_line_1,Address_line_2,Address_City,Address_State,Address_Postal_Code,Address_Country,acquisition_channel,Loyalty Tier',
      'csv-1,Ann One,ann@example.com,+1 555,1991-02-03,From the shop,1 Main St,Apt 2,Berlin,BE,10115,Germany,Website,gold',
      'csv-2,"Bo, Two",bo@example.com,,,,,,Paris,,,,,',
    ].join('\n');
    const answer = await call(emulator, 'POST', '/v1/customers/importCSV', { body: csvForm(csv) });
    assert.equal(answer.status, 202);
    assert.match(answer.body.async_action_id, /^aa_[0-9a-f]{18}$/);
    const action = await waitForAction(emulator, answer.body.async_action_id);
    assert.equal(action.type, 'CUSTOMERS.IMPORT_CSV');
    assert.equal(action.status, 'DONE');
    assert.equal(action.progress, 100);
    assert.equal(action.request_id, answer.headers.get('x-request-id'));
    assert.deepEqual(action.result, {
      message: '2 customer(s) imported successfully, 0 failed.',
      failed: [],
      done_count: 2,
      failed_count: 0,
    });
    assert.ok(!('operation_status' in action));

    const ann = await get('csv-1');
    assert.equal(ann.name, 'Ann One');
    assert.equal(ann.email, 'ann@example.com');
    assert.equal(ann.phone, '+1 555');
    assert.equal(ann.birthdate, '1991-02-03');
    assert.equal(ann.description, 'From the shop');
    assert.deepEqual(ann.address, {
      line_1: '1 Main St',
      line_2: 'Apt 2',
      city: 'Berlin',
      state: 'BE',
      postal_code: '10115',
      country: 'Germany',
    });
    assert.deepEqual(ann.metadata, { acquisition_channel: 'Website', 'Loyalty Tier': 'gold' });
    const bo = await get('csv-2');
    assert.equal(bo.name, 'Bo, Two');
    assert.deepEqual(bo.address, { city: 'Paris' });
    assert.ok(!('metadata' in bo), 'empty cells set nothing');
    assert.ok(!('phone' in bo));
    assert.deepEqual(
      (await call(emulator, 'GET', '/v1/customers/csv-1/segments')).body.data.map(
        (segment: { id: string }) => segment.id,
      ),
      [SEED_SEGMENT_IDS.berlin, SEED_SEGMENT_IDS.undecided],
    );
  });

  test('imports the template spelling (City, Postal_Code, State, Country), headers in any case', async () => {
    const csv = 'SOURCE_ID,name,CITY,postal_code,State,Country\ncsv-3,Cy Three,Oslo,0150,Oslo,Norway\n';
    const action = await importCsv(emulator, csv);
    assert.equal(action.result.done_count, 1);
    const cy = await get('csv-3');
    assert.equal(cy.name, 'Cy Three');
    assert.deepEqual(cy.address, { city: 'Oslo', postal_code: '0150', state: 'Oslo', country: 'Norway' });
  });

  test('updates existing customers by Source_id or Id, merging address fields', async () => {
    const csv = `Id,Source_id,Name,City\n${DEMO_CUSTOMERS.bob.id},,Robert,\n,${DEMO_CUSTOMERS.alice.source_id},,Potsdam\n`;
    const action = await importCsv(emulator, csv);
    assert.equal(action.result.done_count, 2);
    assert.equal((await get(DEMO_CUSTOMERS.bob.id)).name, 'Robert');
    const alice = await get(DEMO_CUSTOMERS.alice.id);
    assert.equal(alice.name, 'Alice Martin');
    assert.deepEqual(alice.address, {
      line_1: 'Torstraße 1',
      city: 'Potsdam',
      postal_code: '10119',
      country: 'Germany',
    });
  });

  test('reports per-row failures (birthdate, email, unknown Id, column count) with rows counted without the header', async () => {
    const csv = [
      'Source_id,Id,Email,Birthdate',
      'ok-1,,ok@example.com,2000-01-01',
      'bad-date,,,31-12-2020',
      'bad-email,,not-an-email,',
      ',cust_000000000000000000000000,,',
      'short-row,',
      'ok-2,,,',
    ].join('\r\n');
    const action = await importCsv(emulator, csv);
    assert.equal(action.status, 'DONE');
    assert.equal(action.result.message, '2 customer(s) imported successfully, 4 failed.');
    assert.equal(action.result.done_count, 2);
    assert.equal(action.result.failed_count, 4);
    const failed = action.result.failed as Array<{ source_id: string; row: number; reason: string }>;
    assert.deepEqual(
      failed.map(({ source_id, row }) => [source_id, row]),
      [
        ['bad-date', 2],
        ['bad-email', 3],
        ['', 4],
        ['short-row', 5],
      ],
    );
    assert.match(failed[0]!.reason, /^birthdate: .*'31-12-2020'/);
    assert.match(failed[1]!.reason, /^email: /);
    assert.match(failed[2]!.reason, /cust_000000000000000000000000/);
    assert.match(failed[3]!.reason, /columns/);
    assert.equal((await call(emulator, 'GET', '/v1/customers/bad-date')).status, 404);
    assert.equal((await call(emulator, 'GET', '/v1/customers/ok-2')).status, 200);
  });

  test('a CSV that cannot be parsed ends the job FAILED; an empty file too', async () => {
    const broken = await importCsv(emulator, 'Source_id,Name\n"unclosed,quote\n');
    assert.equal(broken.status, 'FAILED');
    assert.match(broken.result.message, /could not be parsed/);
    const empty = await importCsv(emulator, '');
    assert.equal(empty.status, 'FAILED');
    assert.match(empty.result.message, /header row is required/);
  });

  test('a body that is not multipart, or has no file field, is 400 invalid_payload', async () => {
    const json = await call(emulator, 'POST', '/v1/customers/importCSV', { json: { file: 'x' } });
    assert.equal(json.status, 400);
    assert.equal(json.body.key, 'invalid_payload');
    const wrongField = await call(emulator, 'POST', '/v1/customers/importCSV', {
      body: csvForm('Source_id\nx\n', 'upload'),
    });
    assert.equal(wrongField.status, 400);
    assert.match(wrongField.body.details, /file/);
    const noBody = await call(emulator, 'POST', '/v1/customers/importCSV');
    assert.equal(noBody.status, 400);
  });

  test('a truncated multipart body is 400, not a crash', async () => {
    const { status, body } = await call(emulator, 'POST', '/v1/customers/importCSV', {
      body: '--XYZ\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nSource_id\nx\n',
      headers: { 'Content-Type': 'multipart/form-data; boundary=XYZ' },
    });
    assert.equal(status, 400);
    assert.equal(body.key, 'invalid_payload');
  });

  test('the uploaded file is removed once the job is done', async () => {
    const before = (await readdir(os.tmpdir())).filter((name) => name.startsWith('vc-emulator-uploads-'));
    await importCsv(emulator, 'Source_id\nfile-gone\n');
    for (const directory of before) {
      const files = await readdir(`${os.tmpdir()}/${directory}`).catch(() => []);
      assert.ok(!files.some((name) => name.endsWith('.csv')), `${directory}: ${files.join(', ')}`);
    }
  });

  test('progress rises while a large import is paced', async () => {
    const paced = await start({ jobStepDelayMs: 40, seed: false });
    try {
      const rows = Array.from({ length: 3000 }, (_, i) => `paced-${i},Person ${i},City ${i % 7}`);
      const answer = await call(paced, 'POST', '/v1/customers/importCSV', {
        body: csvForm(`Source_id,Name,City\n${rows.join('\n')}\n`),
      });
      const seen: number[] = [];
      const done = await waitForAction(paced, answer.body.async_action_id, (action) => {
        if (action.status === 'IN_PROGRESS' && seen.at(-1) !== action.progress) seen.push(action.progress!);
        return action.status === 'DONE';
      });
      assert.equal(done.result.done_count, 3000);
      assert.ok(seen.length >= 3, `saw ${seen.join(', ')}`);
      assert.deepEqual(
        seen,
        [...seen].sort((a, b) => a - b),
      );
    } finally {
      await paced.close();
    }
  });
});
