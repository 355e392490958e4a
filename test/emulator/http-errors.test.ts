import assert from 'node:assert/strict';
import { getRequestListener } from '@hono/node-server';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { createApp } from '../../src/emulator/app.js';
import { DEMO_CUSTOMERS, type RunningEmulator } from '../../src/emulator/index.js';
import { resolveOptions } from '../../src/emulator/options.js';
import { EmulatorRuntime } from '../../src/emulator/emulator-runtime.js';
import { REQUEST_ID, SERVER_HEADERS, call, csvForm, start } from '../support/emulator.js';

let emulator: RunningEmulator;
before(async () => (emulator = await start({ maxBodyBytes: 64 * 1024 })));
after(() => emulator.close());

/** A body sent chunk by chunk, without Content-Length. */
function streamed(chunks: number, chunkBytes: number, fill = 'a'): ReadableStream<Uint8Array> {
  let sent = 0;
  return new ReadableStream({
    pull(controller) {
      if (sent++ === chunks) return controller.close();
      controller.enqueue(new TextEncoder().encode(fill.repeat(chunkBytes)));
    },
  });
}

describe('unknown routes and methods', () => {
  test('an unknown route is 404 not_found in Voucherify’s shape', async () => {
    for (const path of ['/v1/vouchers', '/nowhere', '/v1/customers/x/y/z']) {
      const { status, body } = await call(emulator, 'GET', path);
      assert.equal(status, 404, path);
      assert.equal(body.code, 404);
      assert.equal(body.key, 'not_found');
      assert.match(body.request_id, REQUEST_ID);
    }
  });

  test('a known path with the wrong method is 405 with the allowed methods', async () => {
    const { status, body, headers } = await call(emulator, 'PATCH', `/v1/customers/${DEMO_CUSTOMERS.alice.id}`, {
      json: {},
    });
    assert.equal(status, 405);
    assert.deepEqual(
      { code: body.code, message: body.message, details: body.details },
      {
        code: 405,
        message: 'HTTP Method Not Allowed',
        details: 'PATCH is not supported by this endpoint. Did you mean GET, PUT or DELETE?',
      },
    );
    assert.match(body.request_id, REQUEST_ID);
    assert.equal(headers.get('allow'), 'GET, PUT, DELETE');
    const consents = await call(emulator, 'POST', '/v1/consents');
    assert.equal(consents.status, 405);
    assert.equal(consents.body.details, 'POST is not supported by this endpoint. Did you mean GET?');
    const bulk = await call(emulator, 'GET', '/v1/customers/bulk/async');
    assert.equal(bulk.headers.get('allow'), 'POST');
  });
});

describe('body size limit', () => {
  test('a declared Content-Length over the limit is 413 Hapi-style before reading', async () => {
    const { status, body } = await call(emulator, 'POST', '/v1/customers', {
      body: JSON.stringify({ name: 'x'.repeat(70 * 1024) }),
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(status, 413);
    assert.equal(body.statusCode, 413);
    assert.equal(body.error, 'Request Entity Too Large');
    assert.equal(body.message, `Payload content length greater than maximum allowed: ${64 * 1024}`);
    assert.match(body.request_id, REQUEST_ID);
  });

  test('a streamed JSON body is counted as it arrives: 413 past the limit', async () => {
    const response = await fetch(`${emulator.url}/v1/customers/bulk/async`, {
      method: 'POST',
      headers: { ...SERVER_HEADERS, 'Content-Type': 'application/json' },
      body: streamed(40, 4096),
      duplex: 'half',
    } as RequestInit);
    assert.equal(response.status, 413);
    assert.equal(((await response.json()) as { statusCode: number }).statusCode, 413);
  });

  test('a streamed CSV upload is counted too, and the emulator keeps serving afterwards', async () => {
    const boundary = 'vcboundary';
    const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.csv"\r\nContent-Type: text/csv\r\n\r\nSource_id\n`;
    const encoder = new TextEncoder();
    let step = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (step === 0) controller.enqueue(encoder.encode(head));
        else if (step <= 40) controller.enqueue(encoder.encode('row-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n'.repeat(100)));
        else {
          controller.enqueue(encoder.encode(`\r\n--${boundary}--\r\n`));
          controller.close();
        }
        step++;
      },
    });
    const response = await fetch(`${emulator.url}/v1/customers/importCSV`, {
      method: 'POST',
      headers: { ...SERVER_HEADERS, 'Content-Type': `multipart/form-data; boundary=${boundary}` },
      body,
      duplex: 'half',
    } as RequestInit);
    assert.equal(response.status, 413);
    await response.arrayBuffer();
    assert.equal((await call(emulator, 'GET', '/v1/customers/row-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')).status, 404);
    const small = await call(emulator, 'POST', '/v1/customers/importCSV', { body: csvForm('Source_id\nsmall-one\n') });
    assert.equal(small.status, 202);
  });

  test('the default limit is 10 MiB', async () => {
    const defaults = await start();
    try {
      const { status, body } = await call(defaults, 'POST', '/v1/customers/metadata/async', {
        body: JSON.stringify({ source_ids: ['a'], metadata: { blob: 'x'.repeat(10 * 1024 * 1024) } }),
        headers: { 'Content-Type': 'application/json' },
      });
      assert.equal(status, 413);
      assert.equal(body.message, 'Payload content length greater than maximum allowed: 10485760');
    } finally {
      await defaults.close();
    }
  });
});

describe('bad input never crashes the emulator', () => {
  test('garbage bodies, odd headers and odd query strings all answer 4xx', async () => {
    const attempts: Array<Parameters<typeof call>> = [
      [emulator, 'POST', '/v1/customers', { body: '\u0000\u0001', headers: { 'Content-Type': 'application/json' } }],
      [
        emulator,
        'POST',
        '/v1/customers',
        { body: '{"a":', headers: { 'Content-Type': 'application/json; charset=utf-8' } },
      ],
      [emulator, 'POST', '/v1/customers', { body: '{"name":"x"}' }],
      [
        emulator,
        'PUT',
        `/v1/customers/${DEMO_CUSTOMERS.bob.id}/consents`,
        { body: 'true', headers: { 'Content-Type': 'application/json' } },
      ],
      [emulator, 'POST', '/v1/customers/bulk/async', { body: '"x"', headers: { 'Content-Type': 'application/json' } }],
      [emulator, 'GET', '/v1/customers?limit=%ZZ', {}],
      [emulator, 'GET', '/v1/customers?created_at[after]=nonsense&created_at[after]=2020-01-01T00:00:00Z', {}],
      [emulator, 'GET', `/v1/customers/${'x'.repeat(5000)}`, {}],
    ];
    for (const args of attempts) {
      const { status } = await call(...args);
      assert.ok(status >= 400 && status < 500, `${args[1]} ${args[2].slice(0, 60)} → ${status}`);
    }
    assert.equal((await call(emulator, 'GET', '/_emulator/health')).body.ok, true);
  });

  test('a client that goes away mid-body leaves the emulator serving, for JSON and CSV uploads', async () => {
    for (const [path, contentType] of [
      ['/v1/customers', 'application/json'],
      ['/v1/customers/importCSV', 'multipart/form-data; boundary=x'],
    ] as const) {
      const controller = new AbortController();
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(stream) {
          if (sent++ < 2)
            stream.enqueue(
              new TextEncoder().encode(
                sent === 1 ? '--x\r\nContent-Disposition: form-data; name="file"\r\n\r\n{"a' : 'bcd',
              ),
            );
          // then stall: the request is aborted while the emulator waits for more
          else if (sent === 3) setImmediate(() => controller.abort());
        },
      });
      const request = fetch(`${emulator.url}${path}`, {
        method: 'POST',
        headers: { ...SERVER_HEADERS, 'Content-Type': contentType },
        body,
        duplex: 'half',
        signal: controller.signal,
      } as RequestInit);
      await assert.rejects(request);
      assert.equal((await call(emulator, 'GET', '/v1/consents')).status, 200, path);
    }
  });

  test('a handler that throws unexpectedly answers 500 Voucherify-style and the server keeps going', async () => {
    const runtime = new EmulatorRuntime(resolveOptions({ quiet: true }));
    await runtime.init();
    const app = createApp(runtime);
    app.get('/v1/boom', () => {
      throw new Error('kaboom');
    });
    const server = createServer(getRequestListener(app.fetch));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const originalError = console.error;
    const logged: unknown[] = [];
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      const response = await fetch(`${url}/v1/boom`, { headers: SERVER_HEADERS });
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(response.status, 500);
      assert.equal(body.code, 500);
      assert.equal(body.message, 'Internal Server Error');
      assert.match(String(body.request_id), REQUEST_ID);
      assert.equal(logged.length, 1);
      assert.equal((await fetch(`${url}/v1/consents`, { headers: SERVER_HEADERS })).status, 200);
    } finally {
      console.error = originalError;
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await runtime.close();
    }
  });
});
