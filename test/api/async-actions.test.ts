/**
 * `waitForAsyncAction` against a tiny real server whose job never finishes on its own (the emulator's always do),
 * so giving up and aborting can be tested without racing a real job.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isVoucherifyError } from '../../src/api/errors.js';
import { VoucherifyServerSide } from '../../src/api/server.js';
import type { AsyncAction } from '../../src/api/types.js';
import { sendJson, tinyServer } from '../support/tiny-server.js';
import type { TinyServer } from '../support/tiny-server.js';

describe('waitForAsyncAction', () => {
  let server: TinyServer;
  const reads = new Map<string, number>();
  before(async () => {
    server = await tinyServer((request, response) => {
      const id = decodeURIComponent((request.url ?? '').split('/').at(-1) ?? '');
      const read = (reads.get(id) ?? 0) + 1;
      reads.set(id, read);
      // `aa_finishes_<n>` is DONE on its n-th read, FAILED for `aa_fails_<n>`; anything else runs forever.
      const [, outcome, after] = /^aa_(finishes|fails)_(\d+)$/.exec(id) ?? [];
      const ended = outcome !== undefined && read >= Number(after);
      sendJson(response, 200, {
        id,
        type: 'CUSTOMERS.IMPORT_CSV',
        status: ended ? (outcome === 'fails' ? 'FAILED' : 'DONE') : read === 1 ? 'ENQUEUED' : 'IN_PROGRESS',
        progress: ended ? 100 : Math.min(90, (read - 1) * 10),
        created_at: '2026-01-01T00:00:00.000Z',
        request_id: 'v-0a885062c80375740f',
        object: 'async_action',
        ...(ended ? { result: { done_count: 1, failed_count: outcome === 'fails' ? 1 : 0 } } : {}),
      });
    });
  });
  after(() => server.close());
  const client = () => VoucherifyServerSide({ baseUrl: server.url, applicationId: 'a', secretKey: 'b' });

  test('reads until DONE, showing every state to onProgress, in order', async () => {
    const seen: AsyncAction[] = [];
    const action = await client().waitForAsyncAction('aa_finishes_4', {
      intervalMs: 10,
      onProgress: (state) => seen.push(state),
    });
    assert.equal(action.status, 'DONE');
    assert.deepEqual(
      seen.map((state) => [state.status, state.progress]),
      [
        ['ENQUEUED', 0],
        ['IN_PROGRESS', 10],
        ['IN_PROGRESS', 20],
        ['DONE', 100],
      ],
    );
  });

  test('resolves, not rejects, with a FAILED job', async () => {
    const action = await client().waitForAsyncAction('aa_fails_2', { intervalMs: 10 });
    assert.equal(action.status, 'FAILED');
    assert.deepEqual(action.result, { done_count: 1, failed_count: 1 });
  });

  test('waits intervalMs between reads', async () => {
    const start = Date.now();
    await client().waitForAsyncAction('aa_finishes_3', { intervalMs: 150 });
    assert.ok(Date.now() - start >= 300);
  });

  test('gives up after timeoutMs with a timeout VoucherifyError naming the action', async () => {
    const start = Date.now();
    try {
      await client().waitForAsyncAction('aa_forever_1', { intervalMs: 50, timeoutMs: 200 });
      assert.fail('expected a timeout');
    } catch (error) {
      assert.ok(isVoucherifyError(error));
      assert.equal(error.kind, 'timeout');
      assert.equal(error.resource_id, 'aa_forever_1');
      assert.equal(error.resource_type, 'async_action');
      assert.match(error.message, /still IN_PROGRESS after 200 ms/);
    }
    const elapsed = Date.now() - start;
    assert.ok(elapsed >= 200 && elapsed < 600, `gave up after ${elapsed} ms`);
  });

  test('stops at once when its signal aborts, with the abort reason', async () => {
    const controller = new AbortController();
    const seen: AsyncAction[] = [];
    setTimeout(() => controller.abort(new Error('user left')), 120);
    const start = Date.now();
    await assert.rejects(
      client().waitForAsyncAction('aa_forever_2', {
        intervalMs: 1000,
        signal: controller.signal,
        onProgress: (s) => seen.push(s),
      }),
      /user left/,
    );
    assert.ok(Date.now() - start < 500);
    assert.equal(seen.length, 1);
  });

  test('encodes the async action id in the path', async () => {
    const action = await client().getAsyncAction('aa/../x');
    assert.equal(action.id, 'aa/../x');
    assert.ok(server.requests.some((request) => request.url === '/v1/async-actions/aa%2F..%2Fx'));
  });
});
