/**
 * The back office in workerd: the kit's own server-side client (the official SDKs' method names) pointed at the
 * worker with one of its admin key pairs does the whole Customers API, a streamed CSV import followed to DONE
 * included; the upstream sees only the real server keys; wrong keys are 401; no admin keys, no back office.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { VoucherifyServerSide } from '../../src/api/server.js';
import { isVoucherifyError } from '../../src/api/errors.js';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import { startWorker } from '../support/worker.js';
import { json } from '../support/http.js';
import { startStack } from '../support/stack.js';
import type { Stack } from '../support/stack.js';

const ADMIN = { appId: 'edge-admin', appToken: 'edge-admin-token' };

function csvStream(rows: number, prefix: string): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let row = -1;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (row === -1) controller.enqueue(encoder.encode('Source_id,Name,Email,Address_City,tier\n'));
      else if (row < rows)
        controller.enqueue(encoder.encode(`${prefix}-${row},Imported ${row},${prefix}-${row}@example.com,Lyon,gold\n`));
      else controller.close();
      row += 1;
    },
  });
}

describe('back office through the worker', () => {
  let stack: Stack;
  let sdk: ReturnType<typeof VoucherifyServerSide>;
  before(async () => {
    stack = await startStack();
    sdk = VoucherifyServerSide({
      applicationId: ADMIN.appId,
      secretKey: ADMIN.appToken,
      baseUrl: stack.worker.url,
      retry: 0,
    });
  });
  after(() => stack.close());

  it('does every customer operation with the worker as the SDK’s base URL', async () => {
    stack.emulator.clearRequests();
    const created = await sdk.createCustomer({
      source_id: 'bo-1@example.com',
      name: 'Back Office',
      email: 'bo-1@example.com',
      metadata: { tier: 'gold' },
    });
    assert.match(created.id, /^cust_/);
    assert.equal((await sdk.getCustomer('bo-1@example.com')).id, created.id);
    assert.equal((await sdk.updateCustomer(created.id, { name: 'Back Office 2' })).name, 'Back Office 2');
    const list = await sdk.listCustomers({ limit: 100 });
    assert.ok(list.customers.some((customer) => customer.id === created.id));
    await sdk.updateCustomersConsents(created.id, { [SEED_CONSENT_IDS.newsletter]: true });
    assert.equal((await sdk.listConsents()).consents.total, 5);
    assert.ok((await sdk.listCustomerActivities(created.id)).data.length > 0);
    assert.ok((await sdk.listCustomerActivity(created.id)).data.length > 0);
    assert.ok(Array.isArray((await sdk.listCustomerSegments(created.id)).data));

    const bulk = await sdk.updateCustomersInBulk([{ source_id: 'bo-2@example.com', name: 'Bulk' }]);
    assert.equal(
      (await sdk.waitForAsyncAction(bulk.async_action_id, { intervalMs: 50, timeoutMs: 10_000 })).status,
      'DONE',
    );
    const metadata = await sdk.updateCustomersMetadataInBulk({
      source_ids: ['bo-1@example.com', 'bo-2@example.com'],
      metadata: { wave: 2 },
    });
    assert.equal(
      (await sdk.waitForAsyncAction(metadata.async_action_id, { intervalMs: 50, timeoutMs: 10_000 })).status,
      'DONE',
    );
    assert.equal((await sdk.getCustomer('bo-2@example.com')).metadata?.wave, 2);

    await sdk.deleteCustomer('bo-2@example.com');
    await assert.rejects(
      sdk.getCustomer('bo-2@example.com'),
      (error: unknown) => isVoucherifyError(error) && error.status === 404 && error.key === 'not_found',
    );
    const deletion = await sdk.customerPermanentlyDeletion(created.id);
    assert.equal(deletion.object, 'pernament_deletion');

    const calls = stack.upstream();
    assert.ok(calls.length >= 14);
    assert.ok(
      calls.every((call) => call.auth === 'server'),
      'every call reached the upstream with its real server keys',
    );
  });

  it('streams a CSV import through and follows its async action to DONE', async () => {
    const { async_action_id } = await sdk.importCustomersUsingCsv(csvStream(2_000, 'csv'), {
      filename: 'customers.csv',
    });
    assert.match(async_action_id, /^aa_/);
    const action = await sdk.waitForAsyncAction<{ done_count?: number; failed_count?: number }>(async_action_id, {
      intervalMs: 100,
      timeoutMs: 60_000,
    });
    assert.equal(action.status, 'DONE');
    assert.equal(action.result?.done_count, 2_000);
    assert.equal((await sdk.getCustomer('csv-1999')).metadata?.tier, 'gold');
  });

  it('passes upstream errors through wire-compatibly, and answers unknown paths and methods itself', async () => {
    const missing = await stack.fetch('/v1/customers/cust_missing000000000000000', {
      headers: { 'x-app-id': ADMIN.appId, 'x-app-token': ADMIN.appToken },
    });
    assert.equal(missing.status, 404);
    const body = await json(missing);
    assert.equal(body.key, 'not_found');
    assert.equal(body.resource_type, 'customer');
    const patch = await stack.fetch('/v1/customers/x', {
      method: 'PATCH',
      headers: { 'x-app-id': ADMIN.appId, 'x-app-token': ADMIN.appToken },
    });
    assert.equal(patch.status, 405);
    assert.equal(patch.headers.get('allow'), 'GET, PUT, DELETE');
    const vouchers = await stack.fetch('/v1/customers/x/vouchers', {
      headers: { 'x-app-id': ADMIN.appId, 'x-app-token': ADMIN.appToken },
    });
    assert.equal(vouchers.status, 404);
  });

  it('answers 401 to wrong, partial or missing admin keys, calling nothing upstream', async () => {
    stack.emulator.clearRequests();
    const attempts: Array<Record<string, string>> = [
      {},
      { 'x-app-id': ADMIN.appId },
      { 'x-app-id': ADMIN.appId, 'x-app-token': 'wrong-token-value' },
      { 'x-app-id': 'emulator-app-id', 'x-app-token': 'emulator-app-token' },
      { authorization: `Basic ${btoa(`${ADMIN.appId}:${ADMIN.appToken}`)}` },
    ];
    for (const headers of attempts) {
      const response = await stack.fetch(`/v1/customers/${DEMO_CUSTOMERS.alice.id}`, { headers });
      assert.equal(response.status, 401, JSON.stringify(headers));
      const body = await json(response);
      assert.equal(body.key, 'unauthorized');
      assert.doesNotMatch(JSON.stringify(body), /emulator-app|edge-admin-token/);
    }
    assert.deepEqual(stack.upstream(), []);
  });

  it('keeps GET /v1/consents public without keys, and a pass-through with them', async () => {
    const open = await stack.fetch('/v1/consents');
    assert.equal(open.status, 200);
    assert.equal(open.headers.get('cache-control'), 'public, max-age=60');
    const admin = await stack.fetch('/v1/consents', {
      headers: { 'x-app-id': ADMIN.appId, 'x-app-token': ADMIN.appToken },
    });
    assert.equal(admin.status, 200);
    assert.equal(admin.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await json(admin), await json(open));
    assert.equal(
      (await stack.fetch('/v1/consents', { headers: { 'x-app-id': ADMIN.appId, 'x-app-token': 'nope' } })).status,
      401,
    );
  });

  it('refuses a CSV upload over CSV_MAX_BYTES with 413 while streaming (no import starts)', async () => {
    const small = await startWorker({ upstreamUrl: stack.emulator.url, vars: { CSV_MAX_BYTES: String(64 * 1024) } });
    try {
      const client = VoucherifyServerSide({
        applicationId: ADMIN.appId,
        secretKey: ADMIN.appToken,
        baseUrl: small.url,
        retry: 0,
      });
      await assert.rejects(
        client.importCustomersUsingCsv(csvStream(5_000, 'big')),
        (error: unknown) => isVoucherifyError(error) && error.status === 413,
      );
      await assert.rejects(
        sdk.getCustomer('big-10'),
        (error: unknown) => isVoucherifyError(error) && error.status === 404,
      );
    } finally {
      await small.close();
    }
  });
});

describe('back office configuration', () => {
  it('does not exist without ADMIN_KEYS: every back office path is 404, even with keys', async () => {
    const stack = await startStack({ vars: { ADMIN_KEYS: undefined } });
    try {
      for (const [method, path] of [
        ['GET', '/v1/customers'],
        ['POST', '/v1/customers/importCSV'],
        ['GET', '/v1/async-actions/aa_1'],
        ['PUT', `/v1/customers/${DEMO_CUSTOMERS.alice.id}/consents`],
      ] as const) {
        const response = await stack.fetch(path, {
          method,
          headers: { 'x-app-id': ADMIN.appId, 'x-app-token': ADMIN.appToken },
        });
        assert.equal(response.status, 404, `${method} ${path}`);
      }
      assert.equal(
        (await stack.fetch('/v1/consents', { headers: { 'x-app-id': ADMIN.appId, 'x-app-token': ADMIN.appToken } }))
          .status,
        200,
      );
      assert.deepEqual(
        stack.upstream().map((call) => call.path),
        ['/v1/consents'],
      );
    } finally {
      await stack.close();
    }
  });

  it('forwards only Content-Type, Accept and the X-Voucherify-* headers, with the real keys in place of the admin pair', async () => {
    const seen: Array<Record<string, string | string[] | undefined>> = [];
    const upstream = createServer((request, response) => {
      seen.push(request.headers);
      response.writeHead(200, {
        'content-type': 'application/json',
        'set-cookie': 'upstream=1',
        server: 'upstream/1.0',
        'x-rate-limit-remaining': '99',
      });
      response.end('{"object":"list","data_ref":"customers","customers":[],"total":0}');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const worker = await startWorker({ upstreamUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` });
    try {
      const response = await fetch(`${worker.url}/v1/customers?limit=1`, {
        headers: {
          'x-app-id': ADMIN.appId,
          'x-app-token': ADMIN.appToken,
          accept: 'application/json',
          'x-voucherify-api-version': 'v2018-08-01',
          'x-voucherify-channel': 'test-sdk',
          cookie: 'session=secret',
          authorization: 'Bearer something',
          'x-forwarded-for': '10.0.0.1',
          'x-client-token': 'client',
        },
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('set-cookie'), null);
      assert.equal(response.headers.get('x-rate-limit-remaining'), '99');
      const headers = seen[0]!;
      assert.equal(headers['x-app-id'], 'emulator-app-id');
      assert.equal(headers['x-app-token'], 'emulator-app-token');
      assert.equal(headers['x-voucherify-api-version'], 'v2018-08-01');
      assert.equal(headers['x-voucherify-channel'], 'test-sdk');
      for (const name of ['cookie', 'authorization', 'x-forwarded-for', 'x-client-token'])
        assert.equal(headers[name], undefined, name);
      assert.ok(!JSON.stringify(headers).includes('edge-admin'));
    } finally {
      await worker.close();
      await new Promise((resolve) => upstream.close(resolve));
    }
  });
});
