/**
 * The consent ledger, read back (see `ledger.ts`):
 * - `GET /v1/me/consents/history` — the session's customer's changes, as they can be shown to them;
 * - `GET /v1/consent-records?customer=<id>[&format=json|csv]` — every record of one customer with all its fields and
 *   hashes, for the shop's proof of consent, with the worker's admin keys. CSV is streamed; either format can be
 *   checked offline with `vc-consent ledger verify <file>`.
 */
import { Hono } from 'hono';
import { accepts } from 'hono/accepts';
import type { AcceptEntry } from '../body.js';
import { SCOPES } from '../../api/edge-types.js';
import type { EdgeConsentHistory, EdgeConsentRecord } from '../../api/edge-types.js';
import type { AppContext, AppEnv } from '../context.js';
import { recordsFor } from '../customer-object.js';
import { invalidQuery, onlyQueryParams } from '../errors.js';
import { RECORD_FIELDS } from '../ledger.js';
import type { LedgerRecord } from '../ledger.js';
import { cors, route, session } from '../middleware.js';
import { isValidCustomerId } from '../tokens.js';
import { requireAdmin } from './back-office.js';

export const HISTORY_DEFAULT_LIMIT = 100;
export const HISTORY_MAX_LIMIT = 500;
const CSV_ROWS_PER_CHUNK = 200;

/** `?limit=` (1-500, default 100), and no other parameter. */
export function historyLimit(query: URLSearchParams): number {
  onlyQueryParams(query, ['limit']);
  const raw = query.get('limit');
  if (raw === null) return HISTORY_DEFAULT_LIMIT;
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > HISTORY_MAX_LIMIT)
    throw invalidQuery(`limit must be a whole number from 1 to ${HISTORY_MAX_LIMIT}.`);
  return limit;
}

/** A customer's history as they may see it: their consent changes, without hashes or request ids. */
export async function consentHistory(c: AppContext, customerId: string, limit: number): Promise<EdgeConsentHistory> {
  const { records, total } = await recordsFor(c, customerId, limit);
  const data = records
    .filter((record) => record.event === 'consent')
    .map((record): EdgeConsentRecord => ({
      id: record.id,
      consent_id: record.consent_id,
      consent_name: record.consent_name,
      old_value: record.old_value,
      new_value: record.new_value ?? false,
      at: record.at,
      channel: record.channel,
      policy_version: record.policy_version,
    }));
  return { object: 'list', data, has_more: total > records.length };
}

/**
 * One RFC 4180 cell: quoted when it holds a comma, quote or line break; a value a spreadsheet would run as a formula
 * gets a leading `'` (which `ledger verify` takes off again). Written by hand because csv-stringify needs Node's
 * `Buffer`, a large polyfill in the worker; the CLI reads these files back with csv-parse, and a test round-trips them.
 */
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Booleans and numbers as JSON writes them, null as an empty cell. */
export function csvRows(records: readonly LedgerRecord[], header: boolean): string {
  const rows = records.map((record) =>
    RECORD_FIELDS.map((field) => csvCell(record[field] === null ? '' : String(record[field]))).join(','),
  );
  return [...(header ? [RECORD_FIELDS.join(',')] : []), ...rows].map((row) => `${row}\r\n`).join('');
}

function csvStream(records: readonly LedgerRecord[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = records.slice(offset, offset + CSV_ROWS_PER_CHUNK);
      controller.enqueue(encoder.encode(csvRows(chunk, offset === 0)));
      offset += CSV_ROWS_PER_CHUNK;
      if (offset >= records.length) controller.close();
    },
  });
}

function exportFormat(c: AppContext, query: URLSearchParams): 'json' | 'csv' {
  const format = query.get('format');
  if (format === 'csv' || format === 'json') return format;
  if (format !== null) throw invalidQuery('format must be json or csv.');
  // CSV whenever the client names it at all (a spreadsheet tool sending `text/csv, */*`).
  const match = (list: AcceptEntry[]) =>
    list.some((accept) => accept.type.toLowerCase() === 'text/csv') ? 'csv' : 'json';
  return accepts(c, { header: 'Accept', supports: ['csv', 'json'], default: 'json', match }) === 'csv' ? 'csv' : 'json';
}

export function consentRecordRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('/v1/me/consents/history', cors({ enforce: true, methods: 'GET, OPTIONS' }));
  app.get('/v1/me/consents/history', route('GET /v1/me/consents/history'), session(SCOPES.consentsRead), async (c) => {
    const limit = historyLimit(new URL(c.req.url).searchParams);
    return c.json(await consentHistory(c, c.get('session').customerId, limit));
  });

  app.get('/v1/consent-records', route('GET /v1/consent-records'), async (c) => {
    await requireAdmin(c);
    const query = new URL(c.req.url).searchParams;
    onlyQueryParams(query, ['customer', 'format']);
    const customer = query.get('customer');
    if (!isValidCustomerId(customer))
      throw invalidQuery('customer must be a customer id or source id (1-200 characters).');
    const format = exportFormat(c, query);
    const { records } = await recordsFor(c, customer);
    const headers = { 'Cache-Control': 'no-store' };
    if (format === 'json')
      return c.json({ object: 'list', customer, total: records.length, data: records }, 200, headers);
    return new Response(csvStream(records), {
      headers: {
        ...headers,
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': 'attachment; filename="consent-records.csv"',
      },
    });
  });

  return app;
}
