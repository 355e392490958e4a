/**
 * `npm start` redacts tokens from everything it prints (demo/redact.ts): link tokens in worker paths, session tokens
 * wherever they appear, bearer headers and the demo's session cookie. Route templates and ordinary text stay.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { redactTokens, redactWrites } from '../../demo/redact.js';
import { DEMO_CUSTOMERS } from '../../src/emulator/seed.js';
import { devPreferencesToken, devSessionToken, devUnsubscribeToken } from '../support/tokens.js';

const alice = DEMO_CUSTOMERS.alice.id;

test('link tokens in paths and URLs are redacted, whatever their form', async () => {
  const unsubscribe = await devUnsubscribeToken(alice);
  const preferences = await devPreferencesToken(alice);
  const lines = [
    `GET /unsubscribe/${unsubscribe} 200`,
    `POST http://127.0.0.1:8787/unsubscribe/${unsubscribe}/undo`,
    `fetch failed: http://127.0.0.1:8787/preferences/${preferences}/consents?x=1`,
    'GET /confirm/not-even-a-jwt_but-secret 400',
    `{"url":"/unsubscribe/${unsubscribe}"}`,
  ];
  for (const line of lines) {
    const out = redactTokens(line);
    assert.ok(!out.includes(unsubscribe) && !out.includes(preferences), out);
    assert.ok(!out.includes('not-even-a-jwt_but-secret'), out);
    assert.match(out, /\/(unsubscribe|preferences|confirm)\/\[redacted\]/);
  }
});

test('session tokens, bearer headers, cookies and token query parameters are redacted', async () => {
  const session = await devSessionToken(alice);
  const out = redactTokens(
    [
      `authorization: Bearer ${session}`,
      'Authorization: Bearer opaque-secret-value',
      `{"token":"${session}"}`,
      'cookie: demo_session=Zm9vYmFyYmF6cXV4; other=1',
      'GET /api/session?token=abc123secret&x=1',
    ].join('\n'),
  );
  for (const secret of [session, 'opaque-secret-value', 'Zm9vYmFyYmF6cXV4', 'abc123secret']) {
    assert.ok(!out.includes(secret), out);
  }
  assert.match(out, /other=1/);
  assert.match(out, /&x=1/);
});

test('route templates and ordinary lines are left alone', () => {
  const line = '{"level":"info","message":"request","route":"POST /unsubscribe/{token}","status":202,"ms":4}';
  assert.equal(redactTokens(line), line);
  assert.equal(
    redactTokens('npm start: the worker is back on http://127.0.0.1:8787'),
    'npm start: the worker is back on http://127.0.0.1:8787',
  );
});

test('redactWrites redacts strings and buffers written to a stream', async () => {
  const session = await devSessionToken(alice);
  const stream = new PassThrough();
  let written = '';
  stream.on('data', (chunk: Buffer) => (written += chunk.toString()));
  redactWrites(stream as unknown as NodeJS.WriteStream);
  stream.write(`as text: Bearer ${session}\n`);
  stream.write(Buffer.from(`as bytes: /unsubscribe/${session}\n`));
  await new Promise((resolve) => setImmediate(resolve));
  assert.ok(!written.includes(session), written);
  assert.match(written, /as text: Bearer \[redacted\]\nas bytes: \/unsubscribe\/\[redacted\]\n/);
});
