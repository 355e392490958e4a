/**
 * `POST /v1/customers/importCSV`: the multipart upload is streamed by busboy to a temporary file (never held in
 * memory, its size counted against the body limit), then a background job streams that file through csv-parse and
 * upserts row by row, reporting per-row failures the way Voucherify does.
 */
import busboy from 'busboy';
import { parse } from 'csv-parse';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { IncomingHttpHeaders } from 'node:http';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Address, CustomersImportCsvResult } from '../api/types.js';
import { WireError } from '../api/wire-error.js';
import { invalidPayload, payloadTooLarge } from './errors.js';
import { JobFailure, type JobControl, type JobOutcome } from './jobs.js';
import type { CustomerStore, WriteContext } from './store.js';
import { dateProblem, emailProblem, type CustomerFields } from './validation.js';

export interface ReceivedCsv {
  path: string;
  bytes: number;
}

/** A stream stage that fails with a 413 once more than `maxBytes` went through. */
export function byteLimit(maxBytes: number, onBytes?: (total: number) => void): Transform {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      onBytes?.(total);
      if (total > maxBytes) callback(payloadTooLarge(maxBytes));
      else callback(null, chunk);
    },
  });
}

/** Streams the `file` field of a multipart body into `directory`; 400 when it is not multipart or has no file. */
export async function receiveCsvUpload(
  headers: IncomingHttpHeaders,
  body: Readable,
  options: { maxBytes: number; directory: string; name: string },
): Promise<ReceivedCsv> {
  if (!/^multipart\/form-data\b/i.test(headers['content-type'] ?? '')) {
    throw invalidPayload('The request must be multipart/form-data with the CSV file in the "file" field');
  }
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers, limits: { fieldSize: 1024 * 1024 } });
  } catch (error) {
    throw invalidPayload(`Malformed multipart request: ${(error as Error).message}`);
  }
  const target = path.join(options.directory, `${options.name}.csv`);
  let fileBytes = 0;
  let fileWritten: Promise<void> | undefined;
  parser.on('file', (field, stream) => {
    if (field !== 'file' || fileWritten) {
      stream.resume();
      return;
    }
    stream.on('data', (chunk: Buffer) => (fileBytes += chunk.length));
    fileWritten = pipeline(stream, createWriteStream(target));
    fileWritten.catch(() => {});
  });
  // The request stream is piped, not pipelined: on a 413 it must stay open so the answer can still be sent.
  const limiter = byteLimit(options.maxBytes);
  body.on('error', (error) => limiter.destroy(error));
  body.on('close', () => {
    if (!body.readableEnded) limiter.destroy(new Error('the request body ended early'));
  });
  body.pipe(limiter);
  try {
    await pipeline(limiter, parser);
    await fileWritten;
  } catch (error) {
    await rm(target, { force: true });
    if (error instanceof WireError) throw error;
    throw invalidPayload(`Malformed multipart request: ${(error as Error).message}`);
  }
  if (!fileWritten) throw invalidPayload('file: the CSV file is required, send it in the multipart field "file"');
  return { path: target, bytes: fileBytes };
}

type ColumnTarget =
  | { kind: 'id' | 'source_id' }
  | { kind: 'field'; field: 'name' | 'email' | 'phone' | 'birthdate' | 'description' }
  | { kind: 'address'; field: keyof Address }
  | { kind: 'metadata'; key: string };

/** Standard columns, case-insensitive; both spellings of the address columns appear in Voucherify's material. */
const STANDARD_COLUMNS: Record<string, ColumnTarget> = {
  id: { kind: 'id' },
  source_id: { kind: 'source_id' },
  name: { kind: 'field', field: 'name' },
  email: { kind: 'field', field: 'email' },
  phone: { kind: 'field', field: 'phone' },
  birthdate: { kind: 'field', field: 'birthdate' },
  description: { kind: 'field', field: 'description' },
  address_line_1: { kind: 'address', field: 'line_1' },
  address_line_2: { kind: 'address', field: 'line_2' },
  line_1: { kind: 'address', field: 'line_1' },
  line_2: { kind: 'address', field: 'line_2' },
  address_city: { kind: 'address', field: 'city' },
  city: { kind: 'address', field: 'city' },
  address_state: { kind: 'address', field: 'state' },
  state: { kind: 'address', field: 'state' },
  address_country: { kind: 'address', field: 'country' },
  country: { kind: 'address', field: 'country' },
  address_postal_code: { kind: 'address', field: 'postal_code' },
  postal_code: { kind: 'address', field: 'postal_code' },
};

const columnTarget = (header: string): ColumnTarget =>
  STANDARD_COLUMNS[header.trim().toLowerCase()] ?? { kind: 'metadata', key: header.trim() };

interface ParsedRow {
  id?: string;
  source_id?: string;
  fields: CustomerFields;
}

/** Builds one row's upsert, or a failure reason in Voucherify's `field: problem (actual value is …)` style. */
function readRow(columns: ColumnTarget[], cells: string[]): ParsedRow | string {
  if (cells.length !== columns.length) return `row has ${cells.length} columns, the header has ${columns.length}`;
  const row: ParsedRow = { fields: {} };
  const address: Address = {};
  // Entries, not assignments: a column named `__proto__` must become a metadata key like any other.
  const metadata: Array<[string, string]> = [];
  for (let i = 0; i < columns.length; i++) {
    const value = cells[i]!;
    if (value === '') continue; // empty cells set nothing
    const column = columns[i]!;
    switch (column.kind) {
      case 'id':
      case 'source_id':
        row[column.kind] = value;
        break;
      case 'field': {
        const problem =
          column.field === 'email'
            ? emailProblem(value)
            : column.field === 'birthdate'
              ? dateProblem(value)
              : undefined;
        if (problem) return `${column.field}: ${problem}`;
        row.fields[column.field] = value;
        break;
      }
      case 'address':
        address[column.field] = value;
        break;
      case 'metadata':
        metadata.push([column.key, value]);
        break;
    }
  }
  if (Object.keys(address).length) row.fields.address = address;
  if (metadata.length) row.fields.metadata = Object.fromEntries(metadata);
  return row;
}

const ROWS_PER_CHUNK = 250;
/**
 * A chunk ends after at least this much work: short enough that other requests wait little, long enough that the
 * pause between chunks does not dominate a big import.
 */
const CHUNK_WORK_MS = 20;

/** The background half: parse the stored file and upsert each row (match by `Id`, else `Source_id`). */
export function runCsvImport(store: CustomerStore, file: ReceivedCsv, context: Omit<WriteContext, 'at'>) {
  return async (control: JobControl): Promise<JobOutcome> => {
    const failed: NonNullable<CustomersImportCsvResult['failed']> = [];
    let done = 0;
    let columns: ColumnTarget[] | undefined;
    let row = 0;
    let chunkStarted = performance.now();
    const summary = (): CustomersImportCsvResult => ({
      message: `${done} customer(s) imported successfully, ${failed.length} failed.`,
      failed,
      done_count: done,
      failed_count: failed.length,
    });
    // `info` snapshots give each record's end offset: progress follows the rows handled, not the chunks read.
    const parser = parse({ bom: true, relax_column_count: true, skip_empty_lines: true, trim: true, info: true });
    const source = createReadStream(file.path);
    source.pipe(parser);
    source.on('error', (error) => parser.destroy(error));
    try {
      for await (const { record: cells, info } of parser as AsyncIterable<{
        record: string[];
        info: { bytes: number };
      }>) {
        if (!columns) {
          columns = cells.map(columnTarget);
          continue;
        }
        row++;
        const parsed = readRow(columns, cells);
        const sourceId =
          typeof parsed === 'string'
            ? (cells[columns.findIndex((c) => c.kind === 'source_id')] ?? '')
            : (parsed.source_id ?? '');
        if (typeof parsed === 'string') {
          failed.push({ source_id: sourceId, row, reason: parsed });
        } else {
          try {
            const match =
              parsed.id !== undefined
                ? { id: parsed.id }
                : parsed.source_id !== undefined
                  ? { source_id: parsed.source_id }
                  : {};
            store.upsert(match, parsed.fields, 'merge', context);
            done++;
          } catch (error) {
            if (!(error instanceof WireError)) throw error;
            failed.push({
              source_id: sourceId,
              row,
              reason:
                parsed.id !== undefined ? `id: customer ${parsed.id} does not exist` : (error.details ?? error.message),
            });
          }
        }
        if (row % ROWS_PER_CHUNK === 0 && performance.now() - chunkStarted >= CHUNK_WORK_MS) {
          control.setProgress((info.bytes / Math.max(1, file.bytes)) * 100);
          await control.step();
          chunkStarted = performance.now();
        }
      }
    } catch (error) {
      if (error instanceof JobFailure || control.signal.aborted) throw error;
      throw new JobFailure({ ...summary(), message: `The CSV file could not be parsed: ${(error as Error).message}` });
    } finally {
      source.destroy();
    }
    if (!columns) throw new JobFailure({ ...summary(), message: 'The CSV file is empty: a header row is required' });
    return { result: summary() };
  };
}
