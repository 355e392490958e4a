/**
 * Bodies at the edges of HTTP: deeply nested JSON (`[[[[…]]]]`, `{"a":{"a":…}}`) is refused as 400 `invalid_payload`
 * on every JSON route, instead of overflowing the stack later (validation, storage or the answer) and answering 500;
 * answers without a body name no media type.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningEmulator } from '../../src/emulator/index.js';
import { MAX_JSON_DEPTH } from '../../src/emulator/body.js';
import { call, start } from '../support/emulator.js';

let emulator: RunningEmulator;
before(async () => (emulator = await start()));
after(() => emulator.close());

const deepArray = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const deepObject = (levels: number) => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

const ROUTES: Array<[method: string, path: string]> = [
  ['POST', '/v1/customers'],
  ['PUT', '/v1/customers/alice@example.com'],
  ['PUT', '/v1/customers/alice@example.com/consents'],
  ['POST', '/v1/customers/bulk/async'],
  ['POST', '/v1/customers/metadata/async'],
  ['POST', '/_emulator/faults'],
];

describe('deeply nested JSON', () => {
  for (const [method, path] of ROUTES) {
    test(`${method} ${path}: 100,000 levels of arrays or objects is a 400, and the emulator keeps answering`, async () => {
      for (const body of [deepArray(100_000), deepObject(100_000), `{"metadata":${deepObject(MAX_JSON_DEPTH)}}`]) {
        const answer = await call(emulator, method, path, {
          body,
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(answer.status, 400, `${answer.status} ${answer.text.slice(0, 200)}`);
        assert.equal(answer.body.key, 'invalid_payload');
        assert.match(answer.body.details, /nested more than 64 levels/);
      }
      const alive = await call(emulator, 'GET', '/v1/customers/alice@example.com');
      assert.equal(alive.status, 200);
    });
  }

  test('nesting up to the limit is accepted as before', async () => {
    const metadata = JSON.parse(deepObject(MAX_JSON_DEPTH - 2));
    const answer = await call(emulator, 'PUT', '/v1/customers/alice@example.com', { json: { metadata } });
    assert.equal(answer.status, 200, answer.text.slice(0, 200));
  });
});

describe('answers without a body', () => {
  test('a 204 (consents PUT, permanent delete, CORS preflight) carries no Content-Type', async () => {
    const consents = await call(emulator, 'PUT', '/v1/customers/bob@example.com/consents', {
      json: { unsubscribed: true },
    });
    const preflight = await fetch(`${emulator.url}/client/v1/consents`, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:8000', 'access-control-request-method': 'GET' },
    });
    const deleted = await call(emulator, 'DELETE', '/v1/customers/bob@example.com');
    for (const answer of [consents, preflight, deleted]) {
      assert.equal(answer.status, 204);
      assert.equal(answer.headers.get('content-type'), null);
    }
  });
});
