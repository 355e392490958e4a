/**
 * `iterateCustomers` where customers share a `created_at` millisecond. The emulator gives every customer its own
 * millisecond, so ties come from a tiny real server that lists like Voucherify does (`starting_after` exclusive,
 * descending by default, ascending with `order=created_at`; `created_at[after|before]` exclusive; `has_more` absent).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { VoucherifyServerSide } from '../../src/api/server.js';
import type { IterateCustomersParams } from '../../src/api/pagination.js';
import { sendJson, tinyServer } from '../support/tiny-server.js';
import type { TinyServer } from '../support/tiny-server.js';

interface Row {
  id: string;
  created_ms: number;
  city: string;
}

const T0 = Date.parse('2025-03-01T10:00:00.000Z');
const rows: Row[] = [];
// 150 customers created three per millisecond, so ties straddle every page boundary…
for (let i = 0; i < 150; i++)
  rows.push({
    id: `cust_a${String(i).padStart(3, '0')}`,
    created_ms: T0 + Math.floor(i / 3),
    city: i % 2 ? 'Berlin' : 'Paris',
  });
// …then 130 from one import in the same millisecond: more than a page…
for (let i = 0; i < 130; i++)
  rows.push({ id: `cust_b${String(i).padStart(3, '0')}`, created_ms: T0 + 1000, city: i % 2 ? 'Berlin' : 'Paris' });
// …and a few more after it.
for (let i = 0; i < 20; i++)
  rows.push({ id: `cust_c${String(i).padStart(3, '0')}`, created_ms: T0 + 2000 + i, city: 'Paris' });

function list(query: URLSearchParams): { status: number; body: unknown } {
  const limit = Number(query.get('limit') ?? 10);
  const page = Number(query.get('page') ?? 1);
  if (!(limit >= 1 && limit <= 100) || !(page >= 1 && page <= 99)) {
    return { status: 400, body: { code: 400, key: 'invalid_query_params', message: 'Invalid query params' } };
  }
  const ascending = query.get('order') === 'created_at';
  const cursor = query.get('starting_after');
  const after = query.get('created_at[after]');
  const before = query.get('created_at[before]');
  const city = query.get('city');
  const matching = rows
    .filter((row) =>
      cursor === null ? true : ascending ? row.created_ms > Date.parse(cursor) : row.created_ms < Date.parse(cursor),
    )
    .filter((row) => after === null || row.created_ms > Date.parse(after))
    .filter((row) => before === null || row.created_ms < Date.parse(before))
    .filter((row) => city === null || row.city === city)
    // Ties come back in id order, whichever the direction: the client must not assume more.
    .sort((a, b) => (ascending ? a.created_ms - b.created_ms : b.created_ms - a.created_ms) || (a.id < b.id ? -1 : 1));
  const customers = matching.slice((page - 1) * limit, page * limit).map((row) => ({
    id: row.id,
    created_at: new Date(row.created_ms).toISOString(),
    address: { city: row.city },
    summary: null,
    loyalty: null,
    referrals: null,
    object: 'customer',
  }));
  return { status: 200, body: { object: 'list', data_ref: 'customers', customers, total: matching.length } };
}

describe('iterateCustomers with created_at ties', () => {
  let server: TinyServer;
  before(async () => {
    server = await tinyServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://x');
      const { status, body } = list(url.searchParams);
      sendJson(response, status, body);
    });
  });
  after(() => server.close());

  async function collect(params: IterateCustomersParams) {
    const client = VoucherifyServerSide({ baseUrl: server.url, applicationId: 'a', secretKey: 'b' });
    const seen: Array<{ id: string; at: number }> = [];
    for await (const customer of client.iterateCustomers(params)) {
      seen.push({ id: customer.id, at: Date.parse(customer.created_at ?? '') });
    }
    return seen;
  }

  function assertEachOnce(seen: Array<{ id: string; at: number }>, expected: Row[], ascending: boolean) {
    const ids = seen.map((entry) => entry.id);
    assert.equal(new Set(ids).size, ids.length, 'no customer twice');
    assert.deepEqual([...ids].sort(), expected.map((row) => row.id).sort(), 'every customer');
    for (let i = 1; i < seen.length; i++) {
      const [previous, current] = [seen[i - 1]!, seen[i]!];
      assert.ok(ascending ? previous.at <= current.at : previous.at >= current.at, `out of order at ${i}`);
    }
  }

  test('a plain last-date cursor would skip customers here', () => {
    // The data is only worth testing with if the naive cursor loses customers at page boundaries.
    const firstPage = list(new URLSearchParams({ limit: '100' })).body as { customers: Array<{ created_at: string }> };
    const cursor = firstPage.customers.at(-1)!.created_at;
    const secondPage = list(new URLSearchParams({ limit: '100', starting_after: cursor })).body as { total: number };
    assert.ok(100 + secondPage.total < rows.length);
  });

  test('yields every customer exactly once, newest first', async () => {
    assertEachOnce(await collect({}), rows, false);
  });

  test('yields every customer exactly once, oldest first', async () => {
    assertEachOnce(await collect({ order: 'created_at' }), rows, true);
  });

  test('yields every customer exactly once with small pages', async () => {
    assertEachOnce(await collect({ limit: 7 }), rows, false);
    assertEachOnce(await collect({ limit: 7, order: 'created_at' }), rows, true);
  });

  test('keeps the caller filters on every page, the tie pages included', async () => {
    const berlin = rows.filter((row) => row.city === 'Berlin');
    assertEachOnce(await collect({ city: 'Berlin', limit: 20 }), berlin, false);
    const requests = server.requests.filter((request) => request.url.includes('city=Berlin'));
    assert.ok(
      requests.some((request) => request.url.includes('page=')),
      'the tie group was read by page number',
    );
  });

  test('never asks for a page beyond 99', async () => {
    await collect({ limit: 1 });
    for (const request of server.requests) {
      const page = new URL(request.url, 'http://x').searchParams.get('page');
      assert.ok(page === null || Number(page) <= 99, request.url);
    }
  });

  test('refuses an order the date cursor cannot follow', async () => {
    const client = VoucherifyServerSide({ baseUrl: server.url, applicationId: 'a', secretKey: 'b' });
    const iterator = client.iterateCustomers({ order: 'source_id' } as unknown as IterateCustomersParams);
    await assert.rejects(async () => {
      for await (const _customer of iterator) break;
    }, /order must be 'created_at' or '-created_at'/);
  });
});
