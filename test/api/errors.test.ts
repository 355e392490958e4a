import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VoucherifyError, isVoucherifyError, parseErrorBody, retryAfterSeconds } from '../../src/api/errors.js';
import type * as ErrorsModule from '../../src/api/errors.js';

describe('parseErrorBody', () => {
  test('keeps every field of Voucherify standard error body', () => {
    const body = parseErrorBody(
      404,
      JSON.stringify({
        code: 404,
        key: 'not_found',
        message: 'Resource not found',
        details: 'Cannot find customer with id cust_sehkNIi8Uq2qQuRqSr7xn4Z',
        request_id: 'v-0b4c590350857970df',
        resource_id: 'cust_sehkNIi8Uq2qQuRqSr7xn4Z',
        resource_type: 'customer',
      }),
    );
    assert.deepEqual(body, {
      code: 404,
      key: 'not_found',
      message: 'Resource not found',
      details: 'Cannot find customer with id cust_sehkNIi8Uq2qQuRqSr7xn4Z',
      request_id: 'v-0b4c590350857970df',
      resource_id: 'cust_sehkNIi8Uq2qQuRqSr7xn4Z',
      resource_type: 'customer',
    });
  });

  test('reads the Hapi-style 413 body: short reason as message, explanation as details', () => {
    const body = parseErrorBody(
      413,
      '{"statusCode":413,"error":"Request Entity Too Large","message":"Payload content length greater than maximum allowed: 10485760"}',
    );
    assert.equal(body.code, 413);
    assert.equal(body.key, 'request_entity_too_large');
    assert.equal(body.message, 'Request Entity Too Large');
    assert.equal(body.details, 'Payload content length greater than maximum allowed: 10485760');
  });

  test('reads the plain-text 429 of the client-side throttle', () => {
    const body = parseErrorBody(429, 'API calls limit exceeded.');
    assert.deepEqual(body, { code: 429, key: 'too_many_requests', message: 'API calls limit exceeded.' });
  });

  test('turns the bulk 429 string code into a number and derives its key', () => {
    const body = parseErrorBody(429, '{"code":"429","message":"Too many requests hit the API too quickly."}');
    assert.equal(body.code, 429);
    assert.equal(body.key, 'too_many_requests');
    assert.equal(body.message, 'Too many requests hit the API too quickly.');
  });

  test('gives an empty body a message from the status', () => {
    assert.deepEqual(parseErrorBody(502, ''), {
      code: 502,
      key: 'bad_gateway',
      message: 'Unexpected status code: 502',
    });
  });

  test('does not put a proxy HTML page into the message', () => {
    const body = parseErrorBody(
      503,
      '<html><head><title>503 Service Unavailable</title></head><body>nginx</body></html>',
    );
    assert.equal(body.message, 'Unexpected status code: 503');
    assert.equal(body.code, 503);
    assert.equal(body.key, 'service_unavailable');
  });

  test('reads a JSON string body as the message', () => {
    assert.equal(parseErrorBody(429, '"API calls limit exceeded."').message, 'API calls limit exceeded.');
  });

  test('does not invent a key for a status it does not know', () => {
    const body = parseErrorBody(418, '');
    assert.equal(body.key, undefined);
    assert.equal(body.code, 418);
  });
});

describe('retryAfterSeconds', () => {
  const now = Date.parse('2026-01-01T00:00:00.000Z');

  test('reads Retry-After in seconds', () => {
    assert.equal(retryAfterSeconds(new Headers({ 'retry-after': '7' }), now), 7);
  });

  test('reads Retry-After as an HTTP date', () => {
    const headers = new Headers({ 'retry-after': new Date(now + 4000).toUTCString() });
    assert.equal(retryAfterSeconds(headers, now), 4);
  });

  test("falls back to Voucherify's X-Rate-Limit-Retry epoch seconds", () => {
    const headers = new Headers({ 'x-rate-limit-retry': String(now / 1000 + 12) });
    assert.equal(retryAfterSeconds(headers, now), 12);
  });

  test('ignores X-Rate-Limit-Retry, the end of the rate-limit window, on answers other than 429', () => {
    const headers = new Headers({ 'x-rate-limit-retry': String(now / 1000 + 50) });
    assert.equal(retryAfterSeconds(headers, now, 503), null);
    assert.equal(retryAfterSeconds(headers, now, 429), 50);
  });

  test('prefers Retry-After over X-Rate-Limit-Retry', () => {
    const headers = new Headers({ 'retry-after': '2', 'x-rate-limit-retry': String(now / 1000 + 12) });
    assert.equal(retryAfterSeconds(headers, now), 2);
  });

  test('never answers a negative wait for a date in the past', () => {
    assert.equal(retryAfterSeconds(new Headers({ 'retry-after': new Date(now - 60_000).toUTCString() }), now), 0);
  });

  test('is null when the server said nothing', () => {
    assert.equal(retryAfterSeconds(new Headers(), now), null);
    assert.equal(retryAfterSeconds(new Headers({ 'retry-after': 'soon' }), now), null);
  });
});

describe('VoucherifyError', () => {
  test('copies the body fields and takes code from the status when the body has none', () => {
    const error = new VoucherifyError({
      kind: 'http',
      status: 404,
      body: { key: 'not_found', message: 'Resource not found', resource_id: 'x', resource_type: 'customer' },
      retryAfter: 3,
    });
    assert.equal(error.message, 'Resource not found');
    assert.equal(error.name, 'VoucherifyError');
    assert.equal(error.code, 404);
    assert.equal(error.status, 404);
    assert.equal(error.key, 'not_found');
    assert.equal(error.resource_id, 'x');
    assert.equal(error.resource_type, 'customer');
    assert.equal(error.retryAfter, 3);
    assert.ok(error instanceof Error);
  });

  test('says what happened when no answer came', () => {
    assert.equal(new VoucherifyError({ kind: 'timeout' }).message, 'The request timed out');
    assert.equal(new VoucherifyError({ kind: 'network' }).status, 0);
  });

  test('isVoucherifyError accepts errors from another copy of the module, where instanceof fails', async () => {
    const copy = (await import(`../../src/api/errors.ts?copy=${Date.now()}`)) as typeof ErrorsModule;
    const foreign = new copy.VoucherifyError({ kind: 'network' });
    assert.notEqual(copy.VoucherifyError, VoucherifyError);
    assert.equal(foreign instanceof VoucherifyError, false);
    assert.equal(isVoucherifyError(foreign), true);
  });

  test('isVoucherifyError refuses look-alikes', () => {
    assert.equal(isVoucherifyError(new Error('x')), false);
    assert.equal(isVoucherifyError({ name: 'VoucherifyError', kind: 'http', status: 404 }), false);
    assert.equal(isVoucherifyError(null), false);
    assert.equal(isVoucherifyError('VoucherifyError'), false);
  });
});
