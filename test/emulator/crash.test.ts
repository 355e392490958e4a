/**
 * A 2xx means durable: `npm run emulator --data-file` under a stream of writes is killed with SIGKILL at random moments
 * (compactions included: the log is compacted every few dozen kilobytes), restarted on the same file, and compared with
 * the client's own record of acknowledged writes. `VC_CRASH_ROUNDS` sets the number of kills (`npm run test:soak`
 * runs more).
 */
import assert from 'node:assert/strict';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import { SERVER_HEADERS } from '../support/emulator.js';
import { printedUrl, runMain } from '../support/emulator-cli.js';

const ROUNDS = Number(process.env.VC_CRASH_ROUNDS ?? 4);
const WRITERS = 6;
const { newsletter } = SEED_CONSENT_IDS;

/** What one writer knows: the last value each key was acknowledged with, and the one in flight when it stopped. */
interface Ledger {
  created: Set<string>;
  /** Created, or maybe: the write was in flight at the kill. */
  maybeCreated: Set<string>;
  consent: { acked: boolean | undefined; inFlight: boolean | undefined };
  counter: { acked: number; inFlight: number | undefined };
}

let directory: string;
before(async () => (directory = await mkdtemp(path.join(os.tmpdir(), 'vc-emulator-crash-'))));
after(() => rm(directory, { recursive: true, force: true }));

async function send(url: string, method: string, pathname: string, body: unknown): Promise<number> {
  const response = await fetch(`${url}${pathname}`, {
    method,
    headers: { ...SERVER_HEADERS, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return response.status;
}

/** Writes as fast as the emulator answers until `stop`: new customers, a consent toggled, a counter in metadata. */
async function write(url: string, writer: number, round: number, ledger: Ledger, stop: AbortSignal): Promise<void> {
  const own = `crash-writer-${writer}`;
  for (let n = 0; !stop.aborted; n++) {
    const sourceId = `crash-${round}-${writer}-${n}`;
    ledger.maybeCreated.add(sourceId);
    const value = n % 2 === 0;
    const count = ledger.counter.acked + 1;
    try {
      if ((await send(url, 'POST', '/v1/customers', { source_id: sourceId, name: `Row ${n}` })) !== 200) return;
      ledger.created.add(sourceId);
      ledger.consent.inFlight = value;
      if ((await send(url, 'PUT', `/v1/customers/${own}/consents`, { [newsletter]: value })) !== 204) return;
      ledger.consent = { acked: value, inFlight: undefined };
      ledger.counter.inFlight = count;
      if ((await send(url, 'PUT', `/v1/customers/${own}`, { metadata: { count } })) !== 200) return;
      ledger.counter = { acked: count, inFlight: undefined };
    } catch {
      return; // the connection died with the emulator: whatever was in flight may or may not have been kept
    }
  }
}

async function startEmulator(dataFile: string): Promise<{ url: string; child: ChildProcessWithoutNullStreams }> {
  const child = runMain({ VC_EMULATOR_PORT: '0', VC_EMULATOR_COMPACT_AFTER: '48K' }, [
    '--data-file',
    dataFile,
    '--quiet',
  ]);
  child.stderr.resume();
  const { url } = await printedUrl(child);
  return { url, child };
}

async function get(url: string, pathname: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${url}${pathname}`, { headers: SERVER_HEADERS });
  return { status: response.status, body: response.status === 200 ? await response.json() : await response.text() };
}

/** Every acknowledged write is there; a write in flight at the kill is either there or not, nothing else. */
async function lostWrites(url: string, ledgers: Ledger[]): Promise<string[]> {
  const lost: string[] = [];
  for (const [writer, ledger] of ledgers.entries()) {
    for (const sourceId of ledger.created)
      if ((await get(url, `/v1/customers/${sourceId}`)).status !== 200) lost.push(`customer ${sourceId}`);
    // One in flight at the kill: kept or not, and from now on it must stay as found.
    for (const sourceId of ledger.maybeCreated)
      if (!ledger.created.has(sourceId) && (await get(url, `/v1/customers/${sourceId}`)).status === 200)
        ledger.created.add(sourceId);
    ledger.maybeCreated.clear();
    const own = (await get(url, `/v1/customers/crash-writer-${writer}`)).body;
    const consent = own.system_metadata?.consents?.[newsletter]?.value as boolean | undefined;
    if (consent !== ledger.consent.acked && consent !== ledger.consent.inFlight)
      lost.push(`writer ${writer} consent: ${consent}, acknowledged ${ledger.consent.acked}`);
    ledger.consent = { acked: consent, inFlight: undefined };
    const count = (own.metadata?.count as number | undefined) ?? 0;
    if (count !== ledger.counter.acked && count !== ledger.counter.inFlight)
      lost.push(`writer ${writer} counter: ${count}, acknowledged ${ledger.counter.acked}`);
    ledger.counter = { acked: count, inFlight: undefined };
  }
  return lost;
}

describe('crash safety of --data-file (kill -9 under load)', () => {
  test(`loses no acknowledged write over ${ROUNDS} kills`, async (t) => {
    const dataFile = path.join(directory, 'crash.json');
    let { url, child } = await startEmulator(dataFile);
    const ledgers: Ledger[] = [];
    for (let writer = 0; writer < WRITERS; writer++) {
      assert.equal(await send(url, 'POST', '/v1/customers', { source_id: `crash-writer-${writer}` }), 200);
      ledgers.push({
        created: new Set(),
        maybeCreated: new Set(),
        consent: { acked: undefined, inFlight: undefined },
        counter: { acked: 0, inFlight: undefined },
      });
    }
    let acknowledged = 0;
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const stop = new AbortController();
        const before = ledgers.reduce((sum, ledger) => sum + ledger.created.size, 0);
        const writing = ledgers.map((ledger, writer) => write(url, writer, round, ledger, stop.signal));
        await sleep(400 + Math.random() * 800);
        const killed = child.pid!;
        child.kill('SIGKILL');
        await once(child, 'exit');
        stop.abort();
        await Promise.all(writing);
        acknowledged += ledgers.reduce((sum, ledger) => sum + ledger.created.size, 0) - before;

        ({ url, child } = await startEmulator(dataFile));
        const lost = await lostWrites(url, ledgers);
        assert.deepEqual(lost, [], `round ${round}: acknowledged writes lost after the kill`);
        const leftovers = (await readdir(os.tmpdir())).filter((name) =>
          name.startsWith(`vc-emulator-uploads-${killed}-`),
        );
        assert.deepEqual(leftovers, [], 'the killed emulator’s upload folder is removed at the next start');
      }
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    t.diagnostic(
      `${ROUNDS} kills, ${acknowledged} acknowledged customer creations (and as many consent and counter writes), 0 lost`,
    );
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 0);
  });
});
