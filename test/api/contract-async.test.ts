/** Contract: async jobs — CSV import (Blob, Node stream, web stream), bulk upserts, metadata in bulk, async actions. */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import type {
  AsyncAction,
  CustomersBulkUpdateResult,
  CustomersImportCsvResult,
  CustomersMetadataUpdateResult,
} from '../../src/api/types.js';
import { contract, rejectsWith } from '../support/contract.js';
import type { Target } from '../support/contract.js';

const CSV_HEADER = 'Source_id,Name,Email,Address_City,Favourite_colour\n';

function csvRows(target: Target, count: number, label: string): { sourceIds: string[]; lines: string[] } {
  const sourceIds = Array.from({ length: count }, (_, i) => target.unique(`${label}-${i}`));
  const lines = sourceIds.map((id, i) => `${id},Row ${i},${id}@example.com,Lyon,${i % 2 ? 'green' : 'blue'}\n`);
  return { sourceIds, lines };
}

const interval = (target: Target) => (target.name === 'emulator' ? 20 : 1000);

/** Follows a job to its end, keeping every state `onProgress` saw. */
async function follow<R>(
  target: Target,
  asyncActionId: string,
): Promise<{ action: AsyncAction<R>; seen: Array<AsyncAction<R>> }> {
  const seen: Array<AsyncAction<R>> = [];
  const action = await target.server().waitForAsyncAction<R>(asyncActionId, {
    intervalMs: interval(target),
    onProgress: (state) => seen.push(state),
  });
  return { action, seen };
}

function assertProgressSeen(seen: AsyncAction[], action: AsyncAction): void {
  assert.ok(seen.length >= 1);
  assert.equal(seen.at(-1), action, 'the last state seen is the one resolved');
  const progress = seen.map((state) => state.progress ?? 0);
  assert.deepEqual(
    progress,
    [...progress].sort((a, b) => a - b),
    'progress never goes back',
  );
  for (const state of seen) assert.ok(['ENQUEUED', 'IN_PROGRESS', 'DONE', 'FAILED'].includes(state.status));
}

contract('CSV import', (it) => {
  it('importCustomersUsingCsv uploads a Blob; the job ends DONE and the customers exist', async (target) => {
    const server = target.server();
    const { sourceIds, lines } = csvRows(target, 3, 'blob');
    const created = await server.importCustomersUsingCsv(new Blob([CSV_HEADER, ...lines], { type: 'text/csv' }));
    assert.match(created.async_action_id, /^aa_[0-9a-f]+$/);
    const { action, seen } = await follow<CustomersImportCsvResult>(target, created.async_action_id);
    assertProgressSeen(seen, action);
    assert.equal(action.status, 'DONE');
    assert.equal(action.type, 'CUSTOMERS.IMPORT_CSV');
    assert.equal(action.object, 'async_action');
    assert.equal(action.progress, 100);
    assert.equal(action.result?.done_count, 3);
    assert.equal(action.result?.failed_count, 0);
    const customer = await server.getCustomer(sourceIds[1]!);
    target.track(customer.id);
    assert.equal(customer.name, 'Row 1');
    assert.equal(customer.email, `${sourceIds[1]}@example.com`);
    assert.equal(customer.address?.city, 'Lyon');
    assert.equal(customer.metadata?.Favourite_colour ?? customer.metadata?.favourite_colour, 'green');
    for (const source_id of [sourceIds[0]!, sourceIds[2]!]) target.track((await server.getCustomer(source_id)).id);
  });

  it('importCustomersUsingCsv streams a Node stream of 2 000 rows, progress seen to the end', async (target) => {
    const server = target.server();
    const { sourceIds, lines } = csvRows(target, 2000, 'node');
    const source = Readable.from([CSV_HEADER, ...lines].map((line) => Buffer.from(line)));
    const created = await server.importCustomersUsingCsv(source, { filename: 'customers.csv' });
    const { action, seen } = await follow<CustomersImportCsvResult>(target, created.async_action_id);
    assertProgressSeen(seen, action);
    assert.equal(action.status, 'DONE');
    assert.equal(action.result?.done_count, 2000);
    if (target.name === 'emulator') {
      assert.ok(
        seen.some((state) => state.status !== 'DONE'),
        'the job was seen before it ended',
      );
    }
    const last = await server.getCustomer(sourceIds.at(-1)!);
    assert.equal(last.name, 'Row 1999');
    for await (const customer of server.iterateCustomers({ city: 'Lyon' })) {
      if (customer.source_id?.includes('-node-')) target.track(customer.id);
    }
  });

  it('importCustomersUsingCsv streams a web ReadableStream', async (target) => {
    const server = target.server();
    const { sourceIds, lines } = csvRows(target, 2, 'web');
    const encoder = new TextEncoder();
    const chunks = [CSV_HEADER, ...lines];
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        const next = chunks.shift();
        if (next === undefined) controller.close();
        else controller.enqueue(encoder.encode(next));
      },
    });
    const created = await server.importCustomersUsingCsv(stream);
    const { action } = await follow<CustomersImportCsvResult>(target, created.async_action_id);
    assert.equal(action.status, 'DONE');
    assert.equal(action.result?.done_count, 2);
    for (const source_id of sourceIds) target.track((await server.getCustomer(source_id)).id);
  });

  it('importCustomersUsingCsv reports rows it cannot import in result.failed', async (target) => {
    const server = target.server();
    const good = target.unique('good');
    const csv = `Source_id,Name,Birthdate\n${good},Good,1990-01-01\n${target.unique('bad')},Bad,not-a-date\n`;
    const created = await server.importCustomersUsingCsv(new Blob([csv]), { filename: 'mixed.csv' });
    const { action } = await follow<CustomersImportCsvResult>(target, created.async_action_id);
    assert.ok(action.status === 'DONE' || action.status === 'FAILED');
    assert.equal(action.result?.done_count, 1);
    assert.equal(action.result?.failed_count, 1);
    assert.equal(action.result?.failed?.[0]?.row, 2);
    target.track((await server.getCustomer(good)).id);
  });

  it('importCustomersUsingCsv refuses what is not a file before any request', async (target) => {
    await assert.rejects(target.server().importCustomersUsingCsv('a,b\n' as unknown as Blob), /needs a Blob/);
  });
});

contract('bulk updates', (it) => {
  it('updateCustomersInBulk with more than 100 records is refused with too_many_customers', async (target) => {
    const items = Array.from({ length: 101 }, (_, i) => ({ source_id: target.unique(`over-${i}`) }));
    const error = await rejectsWith(target.server().updateCustomersInBulk(items));
    assert.equal(error.status, 400);
    assert.equal(error.key, 'too_many_customers');
  });

  it('updateCustomersMetadataInBulk with more than 100 source ids is refused with too_many_customers', async (target) => {
    const source_ids = Array.from({ length: 101 }, (_, i) => target.unique(`over-meta-${i}`));
    const error = await rejectsWith(target.server().updateCustomersMetadataInBulk({ source_ids, metadata: { a: 1 } }));
    assert.equal(error.status, 400);
    assert.equal(error.key, 'too_many_customers');
  });

  it('updateCustomersInBulkChunked sends 150 records as 100 + 50 and upserts them all', async (target) => {
    const server = target.server();
    const existing = await server.createCustomer({ source_id: target.unique('existing'), name: 'Old name' });
    target.track(existing.id);
    const items = [
      { source_id: existing.source_id!, name: 'New name' },
      ...Array.from({ length: 149 }, (_, i) => ({ source_id: target.unique(`bulk-${i}`), name: `Bulk ${i}` })),
    ];
    const chunks: number[] = [];
    const created = await server.updateCustomersInBulkChunked(items, {
      onChunk: (_action, index) => chunks.push(index),
    });
    assert.equal(created.length, 2);
    assert.deepEqual(chunks, [0, 1]);
    const results = [];
    for (const { async_action_id } of created) {
      const { action } = await follow<CustomersBulkUpdateResult>(target, async_action_id);
      assert.equal(action.status, 'DONE');
      assert.equal(action.type, 'CUSTOMERS.BULK_UPDATE');
      results.push(action.result!);
    }
    assert.equal(results[0]!.done_count, 100);
    assert.equal(results[1]!.done_count, 50);
    assert.equal(results[0]!.failed_count + results[1]!.failed_count, 0);
    if (results[0]!.results) {
      assert.deepEqual(results[0]!.results[0], { source_id: existing.source_id, found: true, updated: true });
      assert.deepEqual(results[0]!.results[1], { source_id: items[1]!.source_id, found: false, updated: true });
    }
    assert.equal((await server.getCustomer(existing.id)).name, 'New name');
    const upserted = await server.getCustomer(items[149]!.source_id);
    target.track(upserted.id);
    assert.equal(upserted.name, 'Bulk 148');
    for (const item of items.slice(1, 149)) target.track((await server.getCustomer(item.source_id)).id);
    if (target.emulator) {
      const posts = target.emulator.requests().filter((request) => request.path === '/v1/customers/bulk/async');
      assert.ok(posts.length >= 2);
    }
  });

  it('updateCustomersInBulkChunked sends nothing for no records and refuses a chunk size over 100', async (target) => {
    const server = target.server();
    assert.deepEqual(await server.updateCustomersInBulkChunked([]), []);
    await assert.rejects(server.updateCustomersInBulkChunked([{ source_id: 'x' }], { chunkSize: 101 }), RangeError);
  });

  it('updateCustomersMetadataInBulk sets metadata on existing customers and upserts unknown source ids', async (target) => {
    const server = target.server();
    const known = await server.createCustomer({ source_id: target.unique('meta'), metadata: { lang: 'en' } });
    target.track(known.id);
    const unknown = target.unique('meta-new');
    const created = await server.updateCustomersMetadataInBulk({
      source_ids: [known.source_id!, unknown],
      metadata: { tier: 'gold', score: null },
    });
    const { action } = await follow<CustomersMetadataUpdateResult>(target, created.async_action_id);
    assert.equal(action.status, 'DONE');
    assert.equal(action.type, 'CUSTOMERS.METADATA_UPDATE');
    const updated = await server.getCustomer(known.id);
    assert.equal(updated.metadata?.tier, 'gold');
    assert.equal(updated.metadata?.lang, 'en', 'other metadata keys are kept');
    assert.ok(
      updated.metadata && 'score' in updated.metadata && updated.metadata.score === null,
      'null is stored, not removed',
    );
    const upserted = await server.getCustomer(unknown);
    target.track(upserted.id);
    assert.equal(upserted.metadata?.tier, 'gold');
  });

  it('updateCustomersMetadataInBulkChunked splits 150 source ids into 100 + 50', async (target) => {
    const server = target.server();
    const sourceIds = Array.from({ length: 150 }, (_, i) => target.unique(`meta-${i}`));
    const created = await server.updateCustomersMetadataInBulkChunked({ source_ids: sourceIds, metadata: { wave: 1 } });
    assert.equal(created.length, 2);
    const counts = [];
    for (const { async_action_id } of created) {
      const { action } = await follow<CustomersMetadataUpdateResult>(target, async_action_id);
      assert.equal(action.status, 'DONE');
      counts.push(action.result?.done_count);
    }
    assert.deepEqual(counts, [100, 50]);
    for (const source_id of sourceIds) target.track((await server.getCustomer(source_id)).id);
  });
});

contract('async actions', (it) => {
  it('getAsyncAction of an unknown id is not_found for an async_action', async (target) => {
    const error = await rejectsWith(target.server().getAsyncAction('aa_0000000000000000ff'));
    assert.equal(error.status, 404);
    assert.equal(error.key, 'not_found');
    assert.equal(error.resource_type, 'async_action');
    assert.equal(error.resource_id, 'aa_0000000000000000ff');
  });

  it('getAsyncAction reads a job with its envelope', async (target) => {
    const server = target.server();
    const source_id = target.unique('one');
    const { async_action_id } = await server.updateCustomersInBulk([{ source_id, name: 'One' }]);
    await server.waitForAsyncAction(async_action_id, { intervalMs: interval(target) });
    const action = await server.getAsyncAction<CustomersBulkUpdateResult>(async_action_id);
    assert.equal(action.id, async_action_id);
    assert.equal(action.object, 'async_action');
    assert.equal(action.status, 'DONE');
    assert.equal(action.operation_status, 'SUCCESS');
    assert.match(action.request_id, /^v-/);
    assert.equal(action.result?.done_count, 1);
    target.track((await server.getCustomer(source_id)).id);
  });
});
