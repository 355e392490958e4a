/**
 * Bad input never makes the worker fail: malformed JSON, oversized bodies, odd ids and paths, wrong content types
 * and methods all get a 4xx in Voucherify's shape (with a request id and the security headers), never a 5xx.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { DEMO_CUSTOMERS } from '../../src/emulator/index.js';
import { devSessionToken, devUnsubscribeToken } from '../support/tokens.js';
import { startStack } from '../support/stack.js';
import type { Stack } from '../support/stack.js';

const ALICE = DEMO_CUSTOMERS.alice;
const ADMIN = { 'x-app-id': 'edge-admin', 'x-app-token': 'edge-admin-token' };

interface Case {
  name: string;
  path: string;
  init?: RequestInit;
  /** Expected status; default: any 4xx. */
  status?: number;
}

describe('bad input', () => {
  let stack: Stack;
  let auth: Record<string, string>;
  before(async () => {
    stack = await startStack({ vars: { BACKOFFICE_MAX_JSON_BYTES: String(64 * 1024) } });
    auth = { authorization: `Bearer ${await devSessionToken(ALICE.id)}` };
  });
  after(() => stack.close());

  const cases = (): Case[] => [
    {
      name: 'malformed JSON on PUT /v1/me',
      path: '/v1/me',
      init: { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: '{"name": "A",' },
      status: 400,
    },
    {
      name: 'invalid UTF-8 JSON',
      path: '/v1/me',
      init: {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json' },
        body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      },
      status: 400,
    },
    {
      name: 'a JSON string instead of an object',
      path: '/v1/me',
      init: { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: '"name"' },
      status: 400,
    },
    {
      name: 'an empty JSON body',
      path: '/v1/me/consents',
      init: { method: 'PUT', headers: { ...auth, 'content-type': 'application/json' }, body: '' },
      status: 400,
    },
    {
      name: 'text/plain on PUT /v1/me',
      path: '/v1/me',
      init: { method: 'PUT', headers: { ...auth, 'content-type': 'text/plain' }, body: '{"name":"A"}' },
      status: 415,
    },
    {
      name: 'form data on PUT /v1/me/consents',
      path: '/v1/me/consents',
      init: { method: 'PUT', headers: auth, body: new URLSearchParams({ a: 'b' }) },
      status: 415,
    },
    {
      name: 'a body over 16 KiB with Content-Length',
      path: '/v1/me',
      init: {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'x'.repeat(20_000) }),
      },
      status: 413,
    },
    {
      name: 'deeply nested JSON',
      path: '/v1/me',
      init: {
        method: 'PUT',
        headers: { ...auth, 'content-type': 'application/json' },
        body: `${'['.repeat(5000)}${']'.repeat(5000)}`,
      },
      status: 400,
    },
    {
      name: 'a 5 KB bearer token',
      path: '/v1/me',
      init: { headers: { authorization: `Bearer ${'a'.repeat(5000)}` } },
      status: 401,
    },
    {
      name: 'a token with odd characters',
      path: '/v1/me',
      init: { headers: { authorization: 'Bearer e30.e30.<script>' } },
      status: 401,
    },
    { name: 'DELETE /v1/me', path: '/v1/me', init: { method: 'DELETE', headers: auth }, status: 405 },
    { name: 'POST /v1/me/segments', path: '/v1/me/segments', init: { method: 'POST', headers: auth }, status: 405 },
    { name: 'PUT /healthz', path: '/healthz', init: { method: 'PUT' }, status: 405 },
    { name: 'a trailing slash', path: '/v1/me/', init: { headers: auth }, status: 404 },
    { name: 'a double slash', path: '//v1/me', init: { headers: auth }, status: 404 },
    { name: 'an unknown path', path: '/wp-admin/install.php', status: 404 },
    { name: 'a percent-encoded NUL in a back office id', path: '/v1/customers/a%00b', init: { headers: ADMIN } },
    {
      name: 'an encoded slash in a back office id',
      path: '/v1/customers/a%2Fb',
      init: { headers: ADMIN },
      status: 404,
    },
    {
      name: 'a malformed percent escape in a back office id',
      path: '/v1/customers/%E0%A4%A',
      init: { headers: ADMIN },
      status: 404,
    },
    { name: 'a 9 000-character back office id', path: `/v1/customers/${'x'.repeat(9_000)}`, init: { headers: ADMIN } },
    {
      name: 'malformed JSON to the back office',
      path: '/v1/customers',
      init: { method: 'POST', headers: { ...ADMIN, 'content-type': 'application/json' }, body: '{"name":' },
      status: 400,
    },
    {
      name: 'an oversized back office JSON body',
      path: '/v1/customers/bulk/async',
      init: {
        method: 'POST',
        headers: { ...ADMIN, 'content-type': 'application/json' },
        body: `[${'{"source_id":"x"},'.repeat(5000)}{}]`,
      },
      status: 413,
    },
    {
      name: 'a CSV import that is not multipart',
      path: '/v1/customers/importCSV',
      init: { method: 'POST', headers: { ...ADMIN, 'content-type': 'text/csv' }, body: 'Source_id\na\n' },
      status: 415,
    },
    { name: 'an unsubscribe token of 10 000 characters', path: `/unsubscribe/${'a'.repeat(10_000)}`, status: 400 },
    {
      name: 'an unsubscribe token with unicode',
      path: `/unsubscribe/${encodeURIComponent('tøken.ünïcode.✓')}`,
      status: 400,
    },
    { name: 'an unsubscribe path with a NUL', path: '/unsubscribe/%00', init: { method: 'POST' }, status: 400 },
    { name: 'PUT on an unsubscribe link', path: '/unsubscribe/abc', init: { method: 'PUT' }, status: 405 },
    { name: 'a preferences token of 10 000 characters', path: `/preferences/${'a'.repeat(10_000)}`, status: 400 },
    {
      name: 'a preferences path with a NUL',
      path: '/preferences/%00',
      init: { method: 'POST', body: new URLSearchParams({ action: 'save' }) },
      status: 400,
    },
    {
      name: 'a preferences token with unicode, to the API',
      path: `/preferences/${encodeURIComponent('tøken.ünïcode.✓')}/consents`,
      status: 400,
    },
    { name: 'PUT on a preferences page', path: '/preferences/abc', init: { method: 'PUT' }, status: 405 },
    {
      name: 'DELETE on the preferences API',
      path: '/preferences/abc/consents',
      init: { method: 'DELETE' },
      status: 405,
    },
    { name: 'a path under a preferences link', path: '/preferences/abc/consents/x/y', status: 404 },
    {
      name: 'activities with a huge limit',
      path: '/v1/me/activities?limit=99999999999999999999',
      init: { headers: auth },
      status: 400,
    },
    {
      name: 'activities with a query param named like a prototype',
      path: '/v1/me/activities?__proto__=1&constructor=2',
      init: { headers: auth },
      status: 400,
    },
  ];

  it('answers every bad request with a 4xx in Voucherify’s shape, a request id and the security headers', async () => {
    const failures: string[] = [];
    for (const test of cases()) {
      let response: Response;
      try {
        response = await stack.fetch(test.path, test.init);
      } catch (error) {
        failures.push(`${test.name}: the request failed (${(error as Error).cause ?? error})`);
        continue;
      }
      const text = await response.text();
      const ok =
        test.status === undefined ? response.status >= 400 && response.status < 500 : response.status === test.status;
      if (!ok) failures.push(`${test.name}: ${response.status} ${text.slice(0, 200)}`);
      if (!response.headers.get('x-request-id')?.startsWith('v-')) failures.push(`${test.name}: no request id`);
      if (response.headers.get('x-content-type-options') !== 'nosniff') failures.push(`${test.name}: no nosniff`);
      if (response.headers.get('content-type')?.startsWith('application/json')) {
        const body = JSON.parse(text) as Record<string, unknown>;
        if (body.code !== response.status || typeof body.key !== 'string' || typeof body.message !== 'string')
          failures.push(`${test.name}: not Voucherify's error shape: ${text}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  /**
   * Sends the body in 1 KiB chunks until the server answers (it may answer, and close, before the end). A server that
   * closes with body bytes unread may reset the connection before its answer reaches the client (TCP discards it): that
   * attempt says nothing, so it is tried again, a few times.
   */
  async function statusWhileStreaming(
    path: string,
    headers: Record<string, string>,
    bytes: number,
  ): Promise<{ status: number; body: string }> {
    for (let attempt = 1; ; attempt += 1) {
      const answer = await streamOnce(path, headers, bytes);
      if (answer) return answer;
      if (attempt === 5) throw new Error('the connection was reset before any answer, 5 times');
    }
  }

  function streamOnce(
    path: string,
    headers: Record<string, string>,
    bytes: number,
  ): Promise<{ status: number; body: string } | null> {
    const url = new URL(stack.url(path));
    return new Promise((resolve, reject) => {
      let answered = false;
      const request = httpRequest(
        { host: url.hostname, port: url.port, path: url.pathname, method: 'PUT', headers, agent: false },
        (response) => {
          answered = true;
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
          response.on('error', () => resolve({ status: response.statusCode ?? 0, body }));
        },
      );
      // An early answer may close the connection mid-body: EPIPE then is the server's doing, not a failure.
      request.on('error', (error: NodeJS.ErrnoException) =>
        error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error),
      );
      request.on('close', () => {
        if (!answered) resolve(null);
      });
      let sent = 0;
      const pump = () => {
        while (sent < bytes && !request.destroyed) {
          const chunk = `{"name":"${'x'.repeat(1000)}",`.slice(0, Math.min(1024, bytes - sent));
          sent += chunk.length;
          if (!request.write(chunk)) return request.once('drain', pump);
        }
        if (!request.destroyed) request.end();
      };
      pump();
    });
  }

  it('refuses a chunked body over 16 KiB (no Content-Length) with 413 in Voucherify’s shape', async () => {
    const { status, body } = await statusWhileStreaming(
      '/v1/me',
      { ...auth, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      40_000,
    );
    assert.equal(status, 413);
    assert.equal((JSON.parse(body) as { code: number }).code, 413);
  });

  it('refuses a CSV import declaring 10 GB with 413 before reading it', async () => {
    const url = new URL(stack.url('/v1/customers/importCSV'));
    const status = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          agent: false,
          headers: {
            ...ADMIN,
            'content-type': 'multipart/form-data; boundary=x',
            'content-length': String(10 * 1024 ** 3),
          },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
          request.destroy();
        },
      );
      request.on('error', (error) => (request.destroyed ? undefined : reject(error)));
      request.write('--x\r\n');
    });
    assert.equal(status, 413);
  });

  it('leaves the customer unchanged after all of it, and still serves', async () => {
    const response = await stack.fetch('/v1/me', { headers: auth });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { name: string }).name, ALICE.name);
    const page = await stack.fetch(`/unsubscribe/${await devUnsubscribeToken(ALICE.id)}`);
    assert.equal(page.status, 200);
  });
});
