/** Constructing the two clients: keys, headers, the browser guard and `origin`. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { VoucherifyClientSide } from '../../src/api/client-side.js';
import { VERSION } from '../../src/api/environment.js';
import { VoucherifyServerSide } from '../../src/api/server.js';
import { sendJson, tinyServer } from '../support/tiny-server.js';
import type { TinyServer } from '../support/tiny-server.js';

/** Makes the global scope look like a web page for the duration of `run`. */
function asBrowser<T>(run: () => T): T {
  const scope = globalThis as { window?: unknown; document?: unknown };
  scope.window = globalThis;
  scope.document = {};
  try {
    return run();
  } finally {
    delete scope.window;
    delete scope.document;
  }
}

describe('client setup', () => {
  let server: TinyServer;
  before(async () => {
    server = await tinyServer((_request, response) => {
      sendJson(response, 200, { groups: { data: [] }, consents: { data: [] } });
    });
  });
  after(() => server.close());
  const lastHeaders = () => server.requests.at(-1)?.headers ?? {};

  test('VERSION is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    assert.equal(VERSION, pkg.version);
  });

  test('server side sends its keys, the channel and the API version, and custom headers last', async () => {
    const client = VoucherifyServerSide({
      baseUrl: server.url,
      applicationId: 'app-id',
      secretKey: 'app-token',
      apiVersion: 'v2018-08-01',
      headers: { 'X-Trace': 'abc' },
    });
    await client.listConsents();
    const headers = lastHeaders();
    assert.equal(headers['x-app-id'], 'app-id');
    assert.equal(headers['x-app-token'], 'app-token');
    assert.equal(headers['x-voucherify-api-version'], 'v2018-08-01');
    assert.equal(headers['x-voucherify-channel'], `vc-consent-ServerSide/${VERSION}`);
    assert.equal(headers['x-trace'], 'abc');
    assert.equal(server.requests.at(-1)?.url, '/v1/consents');
  });

  test('server side sends no API version header unless asked', async () => {
    await VoucherifyServerSide({ baseUrl: server.url, applicationId: 'a', secretKey: 'b' }).listConsents();
    assert.equal(lastHeaders()['x-voucherify-api-version'], undefined);
  });

  test('server side needs both keys', () => {
    assert.throws(() => VoucherifyServerSide({ applicationId: '', secretKey: 'b' }), /applicationId/);
    assert.throws(() => VoucherifyServerSide({ applicationId: 'a', secretKey: '' }), /secretKey/);
  });

  test('server side refuses to be constructed in a browser', () => {
    assert.throws(
      () => asBrowser(() => VoucherifyServerSide({ applicationId: 'a', secretKey: 'b' })),
      /must not run in a browser.*dangerouslySetSecretKeyInBrowser/s,
    );
  });

  test('server side runs in a browser when explicitly told to', () => {
    const client = asBrowser(() =>
      VoucherifyServerSide({ applicationId: 'a', secretKey: 'b', dangerouslySetSecretKeyInBrowser: true }),
    );
    assert.equal(typeof client.getCustomer, 'function');
  });

  test('client side sends its keys, the channel and origin outside a browser', async () => {
    const client = VoucherifyClientSide({
      baseUrl: server.url,
      clientApplicationId: 'client-id',
      clientSecretKey: 'client-token',
      origin: 'https://shop.example',
    });
    await client.listConsents();
    const headers = lastHeaders();
    assert.equal(headers['x-client-application-id'], 'client-id');
    assert.equal(headers['x-client-token'], 'client-token');
    assert.equal(headers['x-voucherify-channel'], `vc-consent-ClientSide/${VERSION}`);
    assert.equal(headers.origin, 'https://shop.example');
    assert.equal(headers['x-app-token'], undefined);
    assert.equal(server.requests.at(-1)?.url, '/client/v1/consents');
  });

  test('client side needs origin outside a browser, with a clear message', () => {
    assert.throws(
      () => VoucherifyClientSide({ clientApplicationId: 'a', clientSecretKey: 'b' }),
      /needs `origin` outside a browser/,
    );
  });

  test('client side in a browser needs no origin and does not set one', async () => {
    const client = asBrowser(() =>
      VoucherifyClientSide({
        baseUrl: server.url,
        clientApplicationId: 'a',
        clientSecretKey: 'b',
        origin: 'https://x.example',
      }),
    );
    await client.listConsents();
    assert.equal(lastHeaders().origin, undefined);
    assert.doesNotThrow(() =>
      asBrowser(() => VoucherifyClientSide({ clientApplicationId: 'a', clientSecretKey: 'b' })),
    );
  });

  test('client side needs both client keys', () => {
    assert.throws(
      () => VoucherifyClientSide({ clientApplicationId: '', clientSecretKey: 'b', origin: 'x' }),
      /clientApplicationId/,
    );
  });
});
