/**
 * The client in a real browser (Debian's Chromium through playwright-core) against the emulator, cross-origin:
 * the page is served from http://localhost, the API from http://127.0.0.1, so CORS, the browser's own `Origin` and
 * the server-side guard are the real ones. Skipped when no Chromium is installed.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { VoucherifyServerSide } from '../../src/api/server.js';
import { DEMO_CUSTOMERS, EMULATOR_DEFAULTS, SEED_CONSENT_IDS, startEmulator } from '../../src/emulator/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { findChromium, launchBrowser, noChromium } from '../support/chromium.js';
import { tinyServer } from '../support/tiny-server.js';
import type { TinyServer } from '../support/tiny-server.js';
import type * as VcApi from '../../src/api/index.js';

const chromePath = findChromium();
const skip = chromePath ? undefined : noChromium();

declare global {
  interface Window {
    vc: typeof VcApi;
  }
}

describe('the client in a browser', { skip }, () => {
  let emulator: RunningEmulator;
  let site: TinyServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    emulator = await startEmulator({ port: 0, quiet: true });
    const bundle = await build({
      entryPoints: [fileURLToPath(new URL('../../src/api/index.ts', import.meta.url))],
      bundle: true,
      format: 'iife',
      globalName: 'vc',
      platform: 'browser',
      write: false,
      logLevel: 'silent',
    });
    const script = bundle.outputFiles[0]!.text;
    site = await tinyServer((request, response) => {
      if (request.url === '/client.js') {
        response.writeHead(200, { 'content-type': 'text/javascript' });
        return response.end(script);
      }
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><title>shop</title><script src="/client.js"></script>');
    });
    browser = await launchBrowser();
    page = await browser.newPage();
    // The page's origin is localhost (allowed by the emulator); the API is on 127.0.0.1, another origin.
    await page.goto(site.url.replace('127.0.0.1', 'localhost'));
  });
  after(async () => {
    await browser?.close();
    await site?.close();
    await emulator?.close();
  });

  test('client side lists consents and saves a decision cross-origin, with the browser Origin', async () => {
    const keys = EMULATOR_DEFAULTS.clientKeys[0];
    const answer = await page.evaluate(
      async ({ apiUrl, keys, customer, consent }) => {
        // No `origin` option: in a browser it is neither needed nor sent.
        const client = window.vc.VoucherifyClientSide({
          baseUrl: apiUrl,
          clientApplicationId: keys.clientApplicationId,
          clientSecretKey: keys.clientToken,
        });
        const list = await client.listConsents();
        const saved = await client.updateCustomersConsentsClientSide(customer, { [consent]: true });
        return { total: list.consents.total, saved: saved === undefined ? 'undefined' : saved };
      },
      { apiUrl: emulator.url, keys, customer: DEMO_CUSTOMERS.bob.source_id, consent: SEED_CONSENT_IDS.partners },
    );
    assert.deepEqual(answer, { total: 5, saved: 'undefined' });
    const server = VoucherifyServerSide({
      baseUrl: emulator.url,
      applicationId: 'emulator-app-id',
      secretKey: 'emulator-app-token',
    });
    const bob = await server.getCustomer(DEMO_CUSTOMERS.bob.id);
    const consents = Array.isArray(bob.system_metadata) ? {} : (bob.system_metadata?.consents ?? {});
    assert.equal(consents[SEED_CONSENT_IDS.partners]?.value, true);
  });

  test('client-side errors arrive as VoucherifyError with the body read through CORS', async () => {
    const error = await page.evaluate(async (apiUrl) => {
      const client = window.vc.VoucherifyClientSide({
        baseUrl: apiUrl,
        clientApplicationId: 'emulator-client-id',
        clientSecretKey: 'wrong',
      });
      try {
        await client.listConsents();
        return 'resolved';
      } catch (error) {
        return window.vc.isVoucherifyError(error)
          ? { kind: error.kind, status: error.status, key: error.key }
          : String(error);
      }
    }, emulator.url);
    assert.deepEqual(error, { kind: 'http', status: 401, key: 'unauthorized' });
  });

  test('server side refuses to be constructed in the page unless dangerously told to', async () => {
    const outcome = await page.evaluate(() => {
      const options = { applicationId: 'a', secretKey: 'b' };
      let refused = '';
      try {
        window.vc.VoucherifyServerSide(options);
      } catch (error) {
        refused = (error as Error).message;
      }
      const allowed = typeof window.vc.VoucherifyServerSide({ ...options, dangerouslySetSecretKeyInBrowser: true })
        .getCustomer;
      return { refused, allowed };
    });
    assert.match(outcome.refused, /must not run in a browser/);
    assert.equal(outcome.allowed, 'function');
  });
});
