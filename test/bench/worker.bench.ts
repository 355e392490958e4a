/**
 * Edge worker figures, measured side by side in one run (`npm run bench -- worker`): the hot path and cold start of
 * `GET /v1/me` on the built worker in bare workerd against a do-nothing proxy (`worker-hot-path.ts`); then, under
 * Miniflare as the tests run it, one-click unsubscribe POSTs, consent writes through the per-customer Durable Object
 * against the same worker without the binding, and the worker's peak memory (workerd RSS from /proc) while it streams
 * a 100 MB CSV upload through the back office to the emulator. The emulator runs in its own process, so the load
 * generator, the emulator and workerd share no event loop (they do share the machine's cores).
 */
import { VoucherifyServerSide } from '../../src/api/server.js';
import { DEMO_CUSTOMERS, EMULATOR_DEFAULTS, SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import { spawnEmulator } from '../support/emulator-process.js';
import { devSessionToken, devUnsubscribeToken } from '../support/tokens.js';
import { startWorker } from '../support/worker.js';
import { childPids, delta, load, mb, merge, ms, rss, type LoadResult } from '../support/load.js';
import type { BenchSection } from './run.js';
import { edgeHotPath } from './worker-hot-path.js';

const CONCURRENCY = 8;
/** The compared setups take turns, `ROUNDS` rounds each, so a busy moment on the machine hits all of them. */
const ROUNDS = 6;
const UNSUBSCRIBE_CUSTOMERS = 300;
const WRITES_PER_ROUND = 50;
const CSV_BYTES = 100 * 1024 * 1024;
const SERVER_KEYS = {
  'X-App-Id': EMULATOR_DEFAULTS.serverKeys[0].appId,
  'X-App-Token': EMULATOR_DEFAULTS.serverKeys[0].appToken,
};

/** A multipart body with a generated CSV of `bytes` bytes in the field `file`, produced as it is read. */
function csvUpload(bytes: number): { body: ReadableStream<Uint8Array>; contentType: string } {
  const boundary = `----vc-bench-${Date.now()}`;
  const encoder = new TextEncoder();
  const head = encoder.encode(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\nSource_id,Name,Email,Address_City\n`,
  );
  const tail = encoder.encode(`\r\n--${boundary}--\r\n`);
  const rows = encoder.encode(
    Array.from(
      { length: 512 },
      (_, i) => `bench-${String(i).padStart(6, '0')},Bench Customer ${i},bench-${i}@example.com,Berlin\n`,
    ).join(''),
  );
  let sent = 0;
  let stage = 0;
  return {
    contentType: `multipart/form-data; boundary=${boundary}`,
    body: new ReadableStream<Uint8Array>({
      pull(controller) {
        if (stage === 0) {
          controller.enqueue(head);
          stage = 1;
        } else if (stage === 1) {
          const left = bytes - sent;
          const chunk = left >= rows.byteLength ? rows : rows.subarray(0, left);
          sent += chunk.byteLength;
          controller.enqueue(chunk);
          if (sent >= bytes) stage = 2;
        } else {
          controller.enqueue(tail);
          controller.close();
        }
      },
    }),
  };
}

export default async function workerBench(): Promise<BenchSection[]> {
  const emulator = await spawnEmulator({
    maxBodyBytes: 256 * 1024 * 1024,
    rateLimit: { limit: 10_000_000, windowMs: 60_000 },
  });
  const worker = await startWorker({
    upstreamUrl: emulator.url,
    vars: { LOG_LEVEL: 'warn', CSV_MAX_BYTES: String(256 * 1024 * 1024) },
  });
  try {
    const hotPath = await edgeHotPath(emulator.url);

    // One-click unsubscribe: fresh customers with consents given, one token each, every POST a real opt-out.
    const api = VoucherifyServerSide({
      applicationId: SERVER_KEYS['X-App-Id'],
      secretKey: SERVER_KEYS['X-App-Token'],
      baseUrl: emulator.url,
    });
    const ids: string[] = [];
    for (let i = 0; i < UNSUBSCRIBE_CUSTOMERS; i += 1) {
      const customer = await api.createCustomer({
        source_id: `bench-unsub-${i}`,
        email: `bench-unsub-${i}@example.com`,
      });
      await api.updateCustomersConsents(customer.id, {
        [SEED_CONSENT_IDS.newsletter]: true,
        [SEED_CONSENT_IDS.emailOffers]: true,
      });
      ids.push(customer.id);
    }
    const tokens = await Promise.all(ids.map((id) => devUnsubscribeToken(id)));
    const oneClick = (i: number): [string, RequestInit] => [
      `${worker.url}/unsubscribe/${tokens[i % tokens.length]}`,
      {
        method: 'POST',
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
    ];
    const firstClicks = await load(oneClick, { total: UNSUBSCRIBE_CUSTOMERS });
    const repeatClicks = await load(oneClick, { total: UNSUBSCRIBE_CUSTOMERS });

    // Consent writes, one client (a person saving), each one a real change: with the Durable Object every write for the
    // customer takes one more hop (worker → object) and appends its ledger record (SQLite) in the same step; the same
    // object with CONSENT_LEDGER=off shows what the ledger costs; without the binding the write runs in the worker.
    const plain = await startWorker({ upstreamUrl: emulator.url, durableObjects: false, vars: { LOG_LEVEL: 'warn' } });
    const unledgered = await startWorker({
      upstreamUrl: emulator.url,
      vars: { LOG_LEVEL: 'warn', CONSENT_LEDGER: 'off' },
    });
    let writes: { object: LoadResult; unledgered: LoadResult; plain: LoadResult };
    try {
      const bob = DEMO_CUSTOMERS.bob.id;
      const bobToken = await devSessionToken(bob);
      const write =
        (base: string) =>
        (i: number): [string, RequestInit] => [
          `${base}/v1/me/consents`,
          {
            method: 'PUT',
            headers: { authorization: `Bearer ${bobToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ [SEED_CONSENT_IDS.partners]: i % 2 === 0 }),
          },
        ];
      const sequential = (next: (i: number) => [string, RequestInit], total: number) =>
        load(next, { total, clients: 1 });
      await sequential(write(worker.url), 40);
      await sequential(write(unledgered.url), 40);
      await sequential(write(plain.url), 40);
      const objectRounds: LoadResult[] = [];
      const unledgeredRounds: LoadResult[] = [];
      const plainRounds: LoadResult[] = [];
      for (let round = 0; round < ROUNDS; round += 1) {
        objectRounds.push(await sequential(write(worker.url), WRITES_PER_ROUND));
        unledgeredRounds.push(await sequential(write(unledgered.url), WRITES_PER_ROUND));
        plainRounds.push(await sequential(write(plain.url), WRITES_PER_ROUND));
      }
      writes = { object: merge(objectRounds), unledgered: merge(unledgeredRounds), plain: merge(plainRounds) };
    } finally {
      await plain.close();
      await unledgered.close();
    }

    // 100 MB CSV through the back office, streamed; workerd's RSS sampled every 20 ms.
    const pids = childPids('workerd');
    const baseline = rss(pids);
    let peak = baseline;
    const sampler = setInterval(() => (peak = Math.max(peak, rss(pids))), 20);
    const upload = csvUpload(CSV_BYTES);
    const started = performance.now();
    const response = await fetch(`${worker.url}/v1/customers/importCSV`, {
      method: 'POST',
      headers: { 'x-app-id': 'edge-admin', 'x-app-token': 'edge-admin-token', 'content-type': upload.contentType },
      body: upload.body,
      duplex: 'half',
    } as RequestInit);
    const answer = await response.text();
    const uploadMs = performance.now() - started;
    clearInterval(sampler);
    peak = Math.max(peak, rss(pids));
    if (response.status !== 202) throw new Error(`CSV upload answered ${response.status}: ${answer.slice(0, 200)}`);

    const row = (name: string, run: LoadResult) => ({
      path: name,
      requests: run.requests,
      'req/s': Math.round(run.perSecond),
      p50: ms(run.p50),
      p95: ms(run.p95),
      errors: run.errors,
    });
    return [
      ...hotPath,
      {
        title: `Worker: one-click unsubscribe POSTs (${CONCURRENCY} concurrent, ${UNSUBSCRIBE_CUSTOMERS} customers)`,
        rows: [
          row(
            'first POST per token (read, snapshot, opt-out: 3 upstream calls, in the customer’s object)',
            firstClicks,
          ),
          row('repeated POST (already opted out: 1 upstream read)', repeatClicks),
        ],
      },
      {
        title: `Worker: PUT /v1/me/consents, one client, each write a change (${ROUNDS} alternating rounds of ${WRITES_PER_ROUND})`,
        rows: [
          row('through the customer’s Durable Object, with the consent ledger (default)', writes.object),
          row('through the customer’s Durable Object, CONSENT_LEDGER=off', writes.unledgered),
          row('the same worker without the binding (queued in the isolate, no durable ledger)', writes.plain),
          {
            path: 'ledger cost: p50 with − without',
            requests: '',
            'req/s': `${(writes.object.perSecond / writes.unledgered.perSecond).toFixed(2)}×`,
            p50: delta(writes.object.p50 - writes.unledgered.p50),
            p95: delta(writes.object.p95 - writes.unledgered.p95),
            errors: '',
          },
          {
            path: 'ratio object / without the binding',
            requests: '',
            'req/s': `${(writes.object.perSecond / writes.plain.perSecond).toFixed(2)}×`,
            p50: `${(writes.object.p50 / writes.plain.p50).toFixed(2)}×`,
            p95: `${(writes.object.p95 / writes.plain.p95).toFixed(2)}×`,
            errors: '',
          },
        ],
        notes: [
          'Each compares with the stored state first (3 upstream calls per change); the object adds one hop inside workerd.',
          'With the ledger, each change also hashes and stores one record (staged before the upstream write, kept after it).',
        ],
      },
      {
        title: `Worker: memory while streaming a ${mb(CSV_BYTES)} CSV upload through the back office`,
        rows: [
          { measure: 'workerd RSS before the upload', value: mb(baseline) },
          { measure: 'workerd peak RSS during the upload', value: mb(peak) },
          { measure: 'growth', value: mb(peak - baseline) },
          {
            measure: 'upload time to 202',
            value: `${(uploadMs / 1000).toFixed(2)} s (${(CSV_BYTES / 1024 / 1024 / (uploadMs / 1000)).toFixed(0)} MB/s)`,
          },
          { measure: 'workerd processes sampled', value: pids.length },
        ],
        notes: ['A growth far below the upload size shows the body is streamed, not buffered.'],
      },
    ];
  } finally {
    await worker.close();
    await emulator.close();
  }
}
