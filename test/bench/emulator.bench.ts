/**
 * Emulator figures: a 10,000-row CSV import (upload, background job, rows/s) and list latencies over those customers
 * (median of several calls: filters, a segment, a deep `starting_after` page, page 99).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { EMULATOR_DEFAULTS, SEED_SEGMENT_IDS, startEmulator, type RunningEmulator } from '../../src/emulator/index.js';
import { customersCsv } from '../support/customers-csv.js';
import type { BenchSection } from './run.js';

const ROWS = 10_000;
const RUNS = 15;
const HEADERS = {
  'X-App-Id': EMULATOR_DEFAULTS.serverKeys[0].appId,
  'X-App-Token': EMULATOR_DEFAULTS.serverKeys[0].appToken,
};

const ms = (value: number) => `${value.toFixed(1)} ms`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function getJson(emulator: RunningEmulator, path: string): Promise<any> {
  const response = await fetch(`${emulator.url}${path}`, { headers: HEADERS });
  if (!response.ok) throw new Error(`GET ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

async function importRows(emulator: RunningEmulator) {
  const form = new FormData();
  form.append('file', new Blob([customersCsv(ROWS, 'bench')], { type: 'text/csv' }), 'customers.csv');
  const started = performance.now();
  const response = await fetch(`${emulator.url}/v1/customers/importCSV`, {
    method: 'POST',
    headers: HEADERS,
    body: form,
  });
  const { async_action_id: id } = (await response.json()) as { async_action_id: string };
  const accepted = performance.now() - started;
  for (;;) {
    const action = await getJson(emulator, `/v1/async-actions/${id}`);
    if (action.status === 'DONE' || action.status === 'FAILED') {
      if (action.result.done_count !== ROWS)
        throw new Error(`import ended ${action.status}: ${JSON.stringify(action.result).slice(0, 200)}`);
      return { accepted, total: performance.now() - started, processing: action.processing_time as number };
    }
    await sleep(5);
  }
}

async function timeList(emulator: RunningEmulator, path: string) {
  const times: number[] = [];
  let total = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    const body = await getJson(emulator, path);
    times.push(performance.now() - started);
    total = body.total;
  }
  return { median: median(times), total };
}

export default async function emulatorBench(): Promise<BenchSection[]> {
  const emulator = await startEmulator({ port: 0, quiet: true, seed: false, jobStepDelayMs: 0 });
  try {
    const imported = await importRows(emulator);
    const newestPage = await getJson(emulator, '/v1/customers?limit=100&page=90');
    const deepCursor = newestPage.customers.at(-1).created_at as string;
    const lists: Array<[string, string]> = [
      ['first page, no filter (limit 100)', '/v1/customers?limit=100'],
      ['city=Berlin (limit 100)', '/v1/customers?city=Berlin&limit=100'],
      ['segment_id=Berlin segment (limit 100)', `/v1/customers?segment_id=${SEED_SEGMENT_IDS.berlin}&limit=100`],
      ['email (exact, index)', '/v1/customers?email=bench4321%40example.com'],
      ['deep starting_after cursor (9,000 back)', `/v1/customers?limit=100&starting_after=${deepCursor}`],
      ['city + deep cursor', `/v1/customers?limit=100&city=Paris&starting_after=${deepCursor}`],
      ['page=99 order=source_id (sorts)', '/v1/customers?limit=100&page=99&order=source_id'],
      ['order=-updated_at (sorts)', '/v1/customers?limit=100&order=-updated_at'],
    ];
    const rows: Array<Record<string, string | number>> = [];
    for (const [name, path] of lists) {
      const { median: time, total } = await timeList(emulator, path);
      rows.push({ 'GET /v1/customers': name, matches: total, [`median of ${RUNS}`]: ms(time) });
    }
    return [
      {
        title: `Emulator: CSV import of ${ROWS.toLocaleString('en')} customers`,
        rows: [
          { step: 'upload answered 202 (streamed to disk)', time: ms(imported.accepted) },
          { step: 'background job (processing_time)', time: ms(imported.processing) },
          { step: 'upload to DONE, as a client sees it', time: ms(imported.total) },
          { step: 'rows per second (job)', time: Math.round(ROWS / (imported.processing / 1000)) },
        ],
        notes: ['jobStepDelayMs 0 (the default paces jobs by 5 ms per 250 rows, about +200 ms here).'],
      },
      {
        title: `Emulator: list latency over ${ROWS.toLocaleString('en')} customers (HTTP round trip, JSON parsed)`,
        rows,
      },
    ];
  } finally {
    await emulator.close();
  }
}
