import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS, type RunningEmulator } from '../../src/emulator/index.js';
import { CLIENT_HEADERS, REQUEST_ID, SERVER_HEADERS, call, start } from '../support/emulator.js';

let emulator: RunningEmulator;
before(
  async () =>
    (emulator = await start({
      allowedOrigins: ['localhost', '.shop.example', 'partner.example:8443', 'https://exact.example'],
    })),
);
after(() => emulator.close());

const consentsPut = `/client/v1/customers/${DEMO_CUSTOMERS.bob.id}/consents`;

describe('server keys on /v1', () => {
  test('missing or wrong keys are 401 unauthorized with a request id', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { 'X-App-Id': 'emulator-app-id' },
      { ...SERVER_HEADERS, 'X-App-Token': 'wrong' },
    ];
    for (const headers of attempts) {
      const { status, body } = await call(emulator, 'GET', '/v1/customers', { keys: 'none', headers });
      assert.equal(status, 401);
      assert.equal(body.code, 401);
      assert.equal(body.key, 'unauthorized');
      assert.equal(body.message, 'Unauthorized');
      assert.equal(typeof body.details, 'string');
      assert.match(body.request_id, REQUEST_ID);
    }
  });

  test('client keys on a server path are 401', async () => {
    const { status } = await call(emulator, 'GET', '/v1/consents', { keys: 'client' });
    assert.equal(status, 401);
  });

  test('other server keys can be configured', async () => {
    const custom = await start({ serverKeys: [{ appId: 'a', appToken: 'b' }] });
    try {
      assert.equal(
        (await call(custom, 'GET', '/v1/consents', { keys: 'none', headers: { 'X-App-Id': 'a', 'X-App-Token': 'b' } }))
          .status,
        200,
      );
      assert.equal((await call(custom, 'GET', '/v1/consents')).status, 401);
    } finally {
      await custom.close();
    }
  });
});

describe('client keys and origins on /client/v1', () => {
  const withOrigin = (origin: string | undefined) => {
    const { Origin: _ignored, ...keys } = CLIENT_HEADERS;
    return { keys: 'none' as const, headers: origin === undefined ? keys : { ...keys, Origin: origin } };
  };

  test('server keys on a client path are 401', async () => {
    const { status, body } = await call(emulator, 'GET', '/client/v1/consents', {
      keys: 'server',
      headers: { Origin: 'http://localhost' },
    });
    assert.equal(status, 401);
    assert.equal(body.key, 'unauthorized');
  });

  test('origins are matched by hostname with Voucherify whitelist patterns', async () => {
    const allowed = [
      'http://localhost:8000',
      'http://localhost',
      'localhost',
      'https://shop.example',
      'https://www.shop.example',
      'https://a.b.shop.example:444',
      'https://partner.example:8443',
      'partner.example:8443',
      'https://exact.example',
    ];
    for (const origin of allowed) {
      const { status } = await call(emulator, 'GET', '/client/v1/consents', withOrigin(origin));
      assert.equal(status, 200, origin);
    }
    const refused = [
      'https://evil.example',
      'https://notshop.example',
      'https://partner.example',
      'http://exact.example',
      'null',
      'https://localhost.evil.example',
    ];
    for (const origin of refused) {
      const { status, body } = await call(emulator, 'GET', '/client/v1/consents', withOrigin(origin));
      assert.equal(status, 403, origin);
      assert.equal(body.key, 'forbidden');
      assert.match(body.details, /not allowed/);
    }
  });

  test('a missing origin is 403 (the lowercase origin header a Node client sends counts)', async () => {
    const missing = await call(emulator, 'GET', '/client/v1/consents', withOrigin(undefined));
    assert.equal(missing.status, 403);
    const lowercase = await call(emulator, 'GET', '/client/v1/consents', {
      keys: 'none',
      headers: { ...withOrigin(undefined).headers, origin: 'localhost' },
    });
    assert.equal(lowercase.status, 200);
  });

  test('missing client keys are 401 even from an allowed origin', async () => {
    const { status } = await call(emulator, 'GET', '/client/v1/consents', {
      keys: 'none',
      headers: { Origin: 'http://localhost' },
    });
    assert.equal(status, 401);
  });
});

describe('CORS on /client/v1', () => {
  test('a preflight from an allowed origin is 204 with the allow-lists', async () => {
    const response = await fetch(`${emulator.url}${consentsPut}`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://www.shop.example',
        'Access-Control-Request-Method': 'PUT',
        'Access-Control-Request-Headers': 'content-type,x-client-token',
      },
    });
    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://www.shop.example');
    assert.match(response.headers.get('access-control-allow-methods')!, /PUT/);
    for (const header of [
      'Content-Type',
      'X-Client-Application-Id',
      'X-Client-Token',
      'X-Voucherify-Channel',
      'X-Voucherify-API-Version',
    ]) {
      assert.match(response.headers.get('access-control-allow-headers')!, new RegExp(header));
    }
    assert.ok(Number(response.headers.get('access-control-max-age')) > 0);
    assert.match(response.headers.get('vary')!, /Origin/);
  });

  test('a preflight from another origin is 403 without Access-Control-Allow-Origin', async () => {
    const response = await fetch(`${emulator.url}${consentsPut}`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'PUT' },
    });
    assert.equal(response.status, 403);
    assert.equal(response.headers.get('access-control-allow-origin'), null);
    await response.arrayBuffer();
  });

  test('answers, errors included, carry ACAO and expose the rate-limit headers for allowed origins', async () => {
    const ok = await call(emulator, 'PUT', consentsPut, { json: { [SEED_CONSENT_IDS.newsletter]: true } });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'http://localhost:8000');
    assert.match(ok.headers.get('access-control-expose-headers')!, /X-Rate-Limit-Remaining/);
    assert.match(ok.headers.get('access-control-expose-headers')!, /Retry-After/);
    const error = await call(emulator, 'PUT', consentsPut, { json: {} });
    assert.equal(error.status, 400);
    assert.equal(error.headers.get('access-control-allow-origin'), 'http://localhost:8000');
    const unauthorized = await call(emulator, 'PUT', consentsPut, {
      keys: 'none',
      headers: { Origin: 'http://localhost:8000' },
      json: {},
    });
    assert.equal(unauthorized.status, 401);
    assert.equal(unauthorized.headers.get('access-control-allow-origin'), 'http://localhost:8000');
  });

  test('server paths carry no CORS headers', async () => {
    const { headers } = await call(emulator, 'GET', '/v1/consents', { headers: { Origin: 'http://localhost' } });
    assert.equal(headers.get('access-control-allow-origin'), null);
  });
});

describe('rate limits', () => {
  test('every answer carries X-Rate-Limit-* and a request id', async () => {
    for (const path of ['/v1/customers', '/client/v1/consents', '/v1/nothing-here']) {
      const { headers } = await call(emulator, 'GET', path);
      assert.ok(Number(headers.get('x-rate-limit-limit')) > 0, path);
      assert.ok(headers.get('x-rate-limit-remaining') !== null, path);
      assert.ok(Number(headers.get('x-rate-limit-retry')) > Date.now() / 1000 - 1, path);
      assert.match(headers.get('x-request-id')!, REQUEST_ID);
    }
  });

  test('over the limit: 429 with Retry-After, JSON on server paths and plain text on client paths', async () => {
    const limited = await start({ rateLimit: { limit: 2, windowMs: 60_000 } });
    try {
      const first = await call(limited, 'GET', '/v1/consents');
      assert.equal(first.headers.get('x-rate-limit-remaining'), '1');
      await call(limited, 'GET', '/v1/consents');
      const over = await call(limited, 'GET', '/v1/consents');
      assert.equal(over.status, 429);
      assert.equal(over.body.code, 429);
      assert.equal(over.body.message, 'Too many requests hit the API too quickly.');
      assert.match(over.body.request_id, REQUEST_ID);
      assert.ok(Number(over.headers.get('retry-after')) >= 1);
      assert.equal(over.headers.get('x-rate-limit-remaining'), '0');

      await call(limited, 'GET', '/client/v1/consents');
      await call(limited, 'GET', '/client/v1/consents');
      const client = await call(limited, 'GET', '/client/v1/consents');
      assert.equal(client.status, 429);
      assert.equal(client.text, 'API calls limit exceeded.');
      assert.match(client.headers.get('content-type')!, /text\/plain/);
      assert.equal(client.headers.get('access-control-allow-origin'), 'http://localhost:8000');
    } finally {
      await limited.close();
    }
  });

  test('the window resets after windowMs', async () => {
    const limited = await start({ rateLimit: { limit: 1, windowMs: 150 } });
    try {
      await call(limited, 'GET', '/v1/consents');
      const over = await call(limited, 'GET', '/v1/consents');
      assert.equal(over.status, 429);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal((await call(limited, 'GET', '/v1/consents')).status, 200);
    } finally {
      await limited.close();
    }
  });
});
