/**
 * Reads a consent ledger export back into records, for `vc-consent ledger verify`: the JSON of
 * `GET /v1/consent-records` (or a bare array of records), or its CSV, whose cells are typed back as the hash needs them.
 */
import { parse } from 'csv-parse/sync';
import { RECORD_FIELDS, verifyRecords } from '../worker/ledger.js';
import type { LedgerRecord, VerifyResult } from '../worker/ledger.js';

export class LedgerFileError extends Error {
  override readonly name = 'LedgerFileError';
}

const BOOLEAN_FIELDS = new Set<string>(['old_value', 'new_value']);
const NUMBER_FIELDS = new Set<string>(['seq', 'erased_records']);
const NULLABLE_FIELDS = new Set<string>(['old_value', 'new_value', 'policy_version']);
/** The export escapes cells that a spreadsheet would run as a formula with a leading `'`; this takes it off again. */
const ESCAPED_FORMULA = /^'[=+\-@\t\r]/;

function cell(field: string, raw: string, row: number): unknown {
  const value = ESCAPED_FORMULA.test(raw) ? raw.slice(1) : raw;
  if (value === '' && NULLABLE_FIELDS.has(field)) return null;
  if (BOOLEAN_FIELDS.has(field)) {
    if (value === 'true' || value === 'false') return value === 'true';
    throw new LedgerFileError(`row ${row}: ${field} must be true, false or empty`);
  }
  if (NUMBER_FIELDS.has(field)) {
    if (!/^\d+$/.test(value)) throw new LedgerFileError(`row ${row}: ${field} must be a whole number`);
    return Number(value);
  }
  return value;
}

function fromCsv(text: string): LedgerRecord[] {
  let rows: string[][];
  try {
    rows = parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (error) {
    throw new LedgerFileError(`not valid CSV (${error instanceof Error ? error.message : String(error)})`);
  }
  const [header, ...body] = rows;
  const missing = RECORD_FIELDS.filter((field) => !header?.includes(field));
  if (!header || missing.length) throw new LedgerFileError(`the CSV header lacks ${missing.join(', ')}`);
  return body.map((row, index) => {
    const record: Record<string, unknown> = {};
    for (const field of RECORD_FIELDS) record[field] = cell(field, row[header.indexOf(field)] ?? '', index + 2);
    return record as unknown as LedgerRecord;
  });
}

function fromJson(text: string): LedgerRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LedgerFileError(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const data = Array.isArray(parsed) ? parsed : (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data) || !data.every((item) => item && typeof item === 'object' && !Array.isArray(item))) {
    throw new LedgerFileError(
      'expected the JSON of GET /v1/consent-records (an object with data: [records]) or an array of records',
    );
  }
  return data as LedgerRecord[];
}

/** The records of an export, in file order; JSON when it starts with `{` or `[`, CSV otherwise. */
export function readLedgerExport(text: string): { format: 'json' | 'csv'; records: LedgerRecord[] } {
  const start = text.replace(/^\uFEFF/, '').trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return { format: 'json', records: fromJson(start) };
  return { format: 'csv', records: fromCsv(text) };
}

/** Verifies an export's text; see `verifyRecords`. */
export async function verifyLedgerExport(text: string): Promise<VerifyResult & { format: 'json' | 'csv' }> {
  const { format, records } = readLedgerExport(text);
  return { format, ...(await verifyRecords(records)) };
}
