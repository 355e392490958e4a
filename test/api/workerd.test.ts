/** The client inside workerd (Cloudflare's runtime, through Miniflare) against the emulator. */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { DEMO_CUSTOMERS, startEmulator } from '../../src/emulator/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';

describe('the client in workerd', () => {
  let emulator: RunningEmulator;
  let miniflare: Miniflare;

  before(async () => {
    emulator = await startEmulator({ port: 0, quiet: true });
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL('../support/workerd-api-client.ts', import.meta.url))],
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      write: false,
      logLevel: 'silent',
    });
    miniflare = new Miniflare({
      modules: true,
      script: bundle.outputFiles[0]!.text,
      compatibilityDate: '2025-09-01',
      bindings: { API_URL: emulator.url, CUSTOMER_ID: DEMO_CUSTOMERS.alice.source_id },
      cf: false,
    });
  });
  after(async () => {
    await miniflare?.dispose();
    await emulator?.close();
  });

  test('reads, imports CSV from a Blob and a stream, follows jobs and reports errors', async () => {
    const response = await miniflare.dispatchFetch('http://worker.test/');
    const text = await response.text();
    assert.equal(response.status, 200, text);
    assert.deepEqual(JSON.parse(text), {
      customer: DEMO_CUSTOMERS.alice.id,
      consents: 5,
      statuses: ['DONE', 'DONE'],
      imported: ['From a Blob', 'From a stream'],
      notFound: { kind: 'http', status: 404, key: 'not_found' },
    });
  });
});
