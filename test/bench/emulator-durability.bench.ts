/**
 * The emulator's durable data file at scale, each run in its own `npm run emulator` process (so its peak RSS is the
 * emulator's alone): a 200,000-row CSV import in memory and with `--data-file` (time to DONE, peak RSS, the longest
 * stall a client polling `/_emulator/health` saw meanwhile, bytes on disk), and a start that replays a log of
 * 1,000,000 changes (consent decisions written as the emulator writes them), then one on the snapshot that log's
 * compaction wrote.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { encodeEntry } from '../../src/emulator/data-entries.js';
import { makeRecord, type CustomerRecord } from '../../src/emulator/customer-record.js';
import { EMULATOR_DEFAULTS, SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import { customersCsv } from '../support/customers-csv.js';
import { printedUrl, runMain } from '../support/emulator-cli.js';
import type { BenchSection } from './run.js';

const IMPORT_ROWS = 200_000;
const REPLAY_CHANGES = 1_000_000;
const REPLAY_CUSTOMERS = 20_000;
const HEADERS = {
  'X-App-Id': EMULATOR_DEFAULTS.serverKeys[0].appId,
  'X-App-Token': EMULATOR_DEFAULTS.serverKeys[0].appToken,
};
const MIB = 1024 * 1024;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mib = (bytes: number) => `${Math.round(bytes / MIB)} MiB`;

async function peakRss(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

async function diskBytes(dataFile: string): Promise<number> {
  let total = 0;
  for (const file of [dataFile, `${dataFile}.log`, `${dataFile}.log.next`])
    total += await stat(file).then(
      (info) => info.size,
      () => 0,
    );
  return total;
}

/** Polls `/_emulator/health` back to back until `done`; answers the slowest answer seen. */
async function longestStall(url: string, done: { value: boolean }): Promise<number> {
  let longest = 0;
  while (!done.value) {
    const started = performance.now();
    await (await fetch(`${url}/_emulator/health`)).arrayBuffer();
    longest = Math.max(longest, performance.now() - started);
    await sleep(10);
  }
  return longest;
}

async function importRun(dataFile: string | undefined): Promise<Record<string, string | number>> {
  const args = ['--no-seed', '--quiet', '--max-body', '64M', ...(dataFile ? ['--data-file', dataFile] : [])];
  const child = runMain({ VC_EMULATOR_PORT: '0' }, args);
  child.stderr.pipe(process.stderr);
  try {
    const { url } = await printedUrl(child);
    const form = new FormData();
    form.append('file', new Blob([customersCsv(IMPORT_ROWS, 'durable')], { type: 'text/csv' }), 'customers.csv');
    const done = { value: false };
    const stall = longestStall(url, done);
    const started = performance.now();
    const response = await fetch(`${url}/v1/customers/importCSV`, { method: 'POST', headers: HEADERS, body: form });
    if (response.status !== 202) throw new Error(`import refused: ${response.status} ${await response.text()}`);
    const { async_action_id: id } = (await response.json()) as { async_action_id: string };
    let action: { status: string; result: { done_count: number } };
    do {
      await sleep(50);
      action = (await (await fetch(`${url}/v1/async-actions/${id}`, { headers: HEADERS })).json()) as typeof action;
    } while (action.status !== 'DONE' && action.status !== 'FAILED');
    const elapsed = performance.now() - started;
    done.value = true;
    if (action.result.done_count !== IMPORT_ROWS) throw new Error(`import ended ${action.status}`);
    return {
      storage: dataFile ? '--data-file' : 'in memory',
      'upload to DONE': seconds(elapsed),
      'rows/s': Math.round(IMPORT_ROWS / (elapsed / 1000)).toLocaleString('en'),
      'peak RSS': mib(await peakRss(child.pid!)),
      'longest stall': `${Math.round(await stall)} ms`,
      'on disk': dataFile ? mib(await diskBytes(dataFile)) : '–',
    };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

/** A snapshot of `REPLAY_CUSTOMERS` customers and a log of `REPLAY_CHANGES` consent decisions after it. */
export async function writeReplayData(dataFile: string): Promise<void> {
  const ids = Object.values(SEED_CONSENT_IDS);
  const records: CustomerRecord[] = [];
  const snapshot = [JSON.stringify({ format: 'vc-consent-emulator', version: 2, generation: 1, saved_at: '' })];
  const base = Date.parse('2026-01-01T00:00:00.000Z');
  for (let i = 0; i < REPLAY_CUSTOMERS; i++) {
    const created = new Date(base + i).toISOString();
    const record = makeRecord({
      id: `cust_replay${String(i).padStart(19, '0')}`,
      source_id: `replay-${i}`,
      email: `replay${i}@example.com`,
      name: `Replay ${i}`,
      address: null,
      loyalty_points: 0,
      created_at: created,
      created_ms: base + i,
    });
    records.push(record);
    snapshot.push(encodeEntry({ kind: 'customer', record }, () => undefined));
  }
  await rm(dataFile, { force: true });
  const out = createWriteStream(dataFile);
  out.write(snapshot.join('\n') + '\n');
  out.end();
  await once(out, 'finish');
  const log = createWriteStream(`${dataFile}.log`);
  log.write(JSON.stringify({ format: 'vc-consent-emulator-log', base: 1 }) + '\n');
  let lines: string[] = [];
  for (let change = 0; change < REPLAY_CHANGES; change++) {
    const index = change % REPLAY_CUSTOMERS;
    const at = base + REPLAY_CUSTOMERS + change;
    const date = new Date(at).toISOString();
    const consent = ids[change % ids.length]!;
    const value = Math.floor(change / REPLAY_CUSTOMERS) % 2 === 0;
    const previous = records[index]!;
    const record = makeRecord({
      ...previous,
      consents: { ...previous.consents, [consent]: { date, value } },
      updated_at: date,
      updated_ms: at,
    });
    records[index] = record;
    const current = (id: string) => (id === record.id ? record : undefined);
    lines.push(encodeEntry({ kind: 'customer', record, previous }, current));
    const activity = {
      id: `evcus_${at.toString(16).padStart(18, '0')}`,
      type: value ? 'customer.consents.given' : 'customer.consents.revoked',
      created_at: date,
      created_ms: at,
      group_id: `v-${at.toString(16).padStart(18, '0')}`,
      channel: 'API' as const,
      customer: record,
      consents: [{ id: consent, name: consent, object: 'consent' as const }],
    };
    lines.push(encodeEntry({ kind: 'activity', activity }, current));
    if (lines.length >= 20_000) {
      if (!log.write(lines.join('\n') + '\n')) await once(log, 'drain');
      lines = [];
    }
  }
  log.write(lines.join('\n') + '\n');
  log.end();
  await once(log, 'finish');
}

/** A start on `dataFile` as it is: the time until it listens and its peak RSS; `then` runs before it is stopped. */
async function timedStart(dataFile: string, then: (url: string) => Promise<void> = async () => {}) {
  const started = performance.now();
  const child = runMain({ VC_EMULATOR_PORT: '0' }, ['--quiet', '--data-file', dataFile]);
  child.stderr.pipe(process.stderr);
  try {
    const { url } = await printedUrl(child);
    const startup = performance.now() - started;
    const listed = (await (await fetch(`${url}/v1/customers?limit=1`, { headers: HEADERS })).json()) as {
      total: number;
    };
    if (listed.total !== REPLAY_CUSTOMERS) throw new Error(`replayed ${listed.total} customers`);
    const rss = await peakRss(child.pid!);
    await then(url);
    return { startup: seconds(startup), rss: mib(rss) };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

/** One write, then the background compaction it sets off (the log is far past its limit): until the log is new. */
async function compactAfterOneWrite(url: string, dataFile: string): Promise<void> {
  const response = await fetch(`${url}/v1/customers/cust_replay${'0'.repeat(19)}`, {
    method: 'PUT',
    headers: { ...HEADERS, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'Compacted' }),
  });
  if (!response.ok) throw new Error(`PUT: ${response.status}`);
  const deadline = Date.now() + 180_000;
  while ((await stat(`${dataFile}.log`)).size > 64 * 1024) {
    if (Date.now() > deadline) throw new Error('no compaction within 3 minutes');
    await sleep(200);
  }
}

async function replayRuns(dataFile: string): Promise<Array<Record<string, string | number>>> {
  await writeReplayData(dataFile);
  const logBytes = (await stat(`${dataFile}.log`)).size;
  const fromLog = await timedStart(dataFile, (url) => compactAfterOneWrite(url, dataFile));
  const snapshotBytes = (await stat(dataFile)).size;
  const fromSnapshot = await timedStart(dataFile);
  return [
    {
      'data file': `a log of ${REPLAY_CHANGES.toLocaleString('en')} changes (${mib(logBytes)})`,
      'start-up (process start to listening)': fromLog.startup,
      'peak RSS': fromLog.rss,
    },
    {
      'data file': `the snapshot its compaction wrote (${mib(snapshotBytes)})`,
      'start-up (process start to listening)': fromSnapshot.startup,
      'peak RSS': fromSnapshot.rss,
    },
  ];
}

export default async function durabilityBench(): Promise<BenchSection[]> {
  const directory = await mkdtemp(path.join(os.tmpdir(), 'vc-emulator-durability-'));
  try {
    const memory = await importRun(undefined);
    const durable = await importRun(path.join(directory, 'import.json'));
    const replay = await replayRuns(path.join(directory, 'replay.json'));
    return [
      {
        title: `Emulator: ${IMPORT_ROWS.toLocaleString('en')}-row CSV import, in memory and with a durable data file`,
        rows: [memory, durable],
        notes: [
          'Each run is `npm run emulator` in its own process; "longest stall" is the slowest `/_emulator/health`',
          'answer a client polling it every 10 ms saw during the import.',
        ],
      },
      {
        title: 'Emulator: start-up on 1,000,000 changes, from the log and from the snapshot compacting it wrote',
        rows: replay,
        notes: ['A change is a consent decision: two lines, the customer’s new version and its activity.'],
      },
    ];
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
