/**
 * The data file's recovery, one crash state at a time: a log line cut short at the end, damage in the middle, and a
 * compaction cut short before and after its snapshot was renamed into place.
 */
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { encodeEntry } from '../../src/emulator/data-entries.js';
import { makeRecord } from '../../src/emulator/customer-record.js';
import { DataFileError, SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import { call, start } from '../support/emulator.js';

let directory: string;
before(async () => (directory = await mkdtemp(path.join(os.tmpdir(), 'vc-emulator-data-file-'))));
after(() => rm(directory, { recursive: true, force: true }));

/** A log line creating a customer, as the emulator writes one. */
function customerLine(sourceId: string, n: number): string {
  const created = Date.parse('2030-01-01T00:00:00.000Z') + n;
  const record = makeRecord({
    id: `cust_recovery${String(n).padStart(16, '0')}`,
    source_id: sourceId,
    address: null,
    loyalty_points: 0,
    created_at: new Date(created).toISOString(),
    created_ms: created,
  });
  return encodeEntry({ kind: 'customer', record }, () => undefined);
}

async function withData(name: string, sourceIds: string[]): Promise<string> {
  const dataFile = path.join(directory, name);
  const emulator = await start({ dataFile, seed: false });
  for (const sourceId of sourceIds) await call(emulator, 'POST', '/v1/customers', { json: { source_id: sourceId } });
  await emulator.close();
  return dataFile;
}

async function sourceIdsIn(dataFile: string): Promise<string[]> {
  const emulator = await start({ dataFile, seed: false });
  try {
    const list = await call(emulator, 'GET', '/v1/customers?limit=100&order=created_at');
    return list.body.customers.map((customer: { source_id: string }) => customer.source_id);
  } finally {
    await emulator.close();
  }
}

const generationOf = async (dataFile: string) =>
  (JSON.parse((await readFile(dataFile, 'utf8')).split('\n')[0]!) as { generation: number }).generation;

describe('recovering the data file', () => {
  test('a log line a crash cut short at the end is dropped, and the log continues cleanly after it', async () => {
    const dataFile = await withData('torn.json', ['a']);
    await appendFile(`${dataFile}.log`, '{"k":"c","r":{"id":"cust_half');
    const emulator = await start({ dataFile, seed: false });
    await call(emulator, 'POST', '/v1/customers', { json: { source_id: 'b' } });
    await emulator.close();
    assert.deepEqual(await sourceIdsIn(dataFile), ['a', 'b']);
  });

  test('damage before the end refuses the start, naming the line, and leaves the files as they were', async () => {
    const dataFile = await withData('damaged.json', ['a']);
    const log = `${dataFile}.log`;
    const lines = (await readFile(log, 'utf8')).split('\n');
    lines.splice(2, 0, 'not json at all');
    await writeFile(log, lines.join('\n'));
    const before = await readFile(log, 'utf8');
    await assert.rejects(start({ dataFile, seed: false }), (error: Error) => {
      assert.ok(error instanceof DataFileError);
      assert.match(error.message, /damaged\.json\.log line 3 is damaged/);
      return true;
    });
    assert.equal(await readFile(log, 'utf8'), before);
    await assert.rejects(stat(`${dataFile}.lock`), 'a refused start leaves no lock');
  });

  test('a compaction cut short before its snapshot was in place: both logs are replayed', async () => {
    const dataFile = await withData('before-rename.json', ['a']);
    const generation = await generationOf(dataFile);
    const header = JSON.stringify({ format: 'vc-consent-emulator-log', base: generation + 1 });
    await writeFile(`${dataFile}.log.next`, `${header}\n${customerLine('from-next', 1)}\n`);
    assert.deepEqual(await sourceIdsIn(dataFile), ['a', 'from-next']);
    await assert.rejects(stat(`${dataFile}.log.next`), 'the start repaired the files');
    assert.deepEqual(await sourceIdsIn(dataFile), ['a', 'from-next'], 'and the repair kept everything');
  });

  test('a compaction cut short after its snapshot was in place: the old log is skipped, the next one replayed', async () => {
    const dataFile = await withData('after-rename.json', ['a']);
    const generation = await generationOf(dataFile);
    const [first, ...rest] = (await readFile(dataFile, 'utf8')).split('\n');
    const snapshotHeader = { ...JSON.parse(first!), generation: generation + 1 };
    // The new snapshot holds what the old log held; the old log is still there, with a line no snapshot has.
    const oldLog = (await readFile(`${dataFile}.log`, 'utf8')).split('\n').slice(1).join('\n');
    await writeFile(dataFile, [JSON.stringify(snapshotHeader), ...rest.filter(Boolean), oldLog].join('\n'));
    await appendFile(`${dataFile}.log`, `${customerLine('stale-only', 2)}\n`);
    const header = JSON.stringify({ format: 'vc-consent-emulator-log', base: generation + 1 });
    await writeFile(`${dataFile}.log.next`, `${header}\n${customerLine('from-next', 3)}\n`);
    assert.deepEqual(await sourceIdsIn(dataFile), ['a', 'from-next']);
  });
});

describe('the snapshot', () => {
  test('names a consent event by id when it shows the customer as the last version does, and keeps what it showed', async () => {
    const dataFile = path.join(directory, 'versions.json');
    let emulator = await start({ dataFile });
    const created = await call(emulator, 'POST', '/v1/customers', { json: { source_id: 'versions', name: 'Before' } });
    const { id } = created.body as { id: string };
    const decide = (value: boolean) =>
      call(emulator, 'PUT', `/v1/customers/${id}/consents`, { json: { [SEED_CONSENT_IDS.newsletter]: value } });
    for (const value of [true, false, true]) assert.equal((await decide(value)).status, 204);
    assert.equal((await call(emulator, 'PUT', `/v1/customers/${id}`, { json: { name: 'After' } })).status, 200);
    for (const value of [false, true]) assert.equal((await decide(value)).status, 204);
    const activities = async () => (await call(emulator, 'GET', `/v1/customers/${id}/activity?limit=100`)).body;
    const customer = async () => (await call(emulator, 'GET', `/v1/customers/${id}`)).body;
    const before = await activities();
    const stored = await customer();
    assert.deepEqual(
      Object.keys(stored.system_metadata.consents),
      [SEED_CONSENT_IDS.newsletter],
      'one consent touched',
    );
    // A permanent deletion compacts the files before the emulator stops: everything is in the snapshot.
    const other = await call(emulator, 'POST', '/v1/customers', { json: { source_id: 'gone' } });
    assert.equal((await call(emulator, 'POST', `/v1/customers/${other.body.id}/permanent-deletion`)).status, 200);
    await emulator.close();
    assert.ok((await stat(`${dataFile}.log`)).size < 200, 'compacted');

    const mine = (await readFile(dataFile, 'utf8'))
      .split('\n')
      .filter((line) => line.includes('"customer.consents.') && line.includes(id))
      .map((line) => JSON.parse(line) as { c?: string; r?: { name: string } });
    assert.equal(mine.length, 5);
    assert.deepEqual(
      mine.map((line) => line.c ?? line.r!.name),
      ['Before', 'Before', 'Before', id, id],
      'events from before the rename keep the name they showed; the others name the customer by id',
    );

    emulator = await start({ dataFile });
    try {
      assert.deepEqual(await activities(), before);
      assert.deepEqual(await customer(), stored, 'the customer, its untouched consents included, as before');
    } finally {
      await emulator.close();
    }
  });
});

describe('one emulator per data file', () => {
  test('a second emulator on the same file is refused, naming the first; once it stops, the file is free', async () => {
    const dataFile = path.join(directory, 'shared.json');
    const first = await start({ dataFile });
    try {
      await assert.rejects(start({ dataFile }), (error: Error) => {
        assert.ok(error instanceof DataFileError);
        assert.match(error.message, new RegExp(`another emulator \\(process ${process.pid}\\) is using it`));
        assert.match(error.message, /shared\.json\.lock names the process/);
        return true;
      });
      assert.equal((await call(first, 'GET', '/v1/customers?limit=1')).status, 200, 'the first one carries on');
    } finally {
      await first.close();
    }
    await assert.rejects(stat(`${dataFile}.lock`), 'a stop gives the lock back');
    const second = await start({ dataFile });
    await second.close();
  });

  test('a lock left by a process that is no longer running (a crash) is taken over', async () => {
    const dataFile = await withData('stale-lock.json', ['kept']);
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    await writeFile(`${dataFile}.lock`, `${gone}\n`);
    assert.deepEqual(await sourceIdsIn(dataFile), ['kept']);
  });
});
