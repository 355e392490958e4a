/**
 * `POST /v1/customers/bulk/async` and `POST /v1/customers/metadata/async`: bodies checked when the request arrives
 * (a 400 names the record and property), then applied by a background job in chunks. The job's result has the
 * current spec's shape (`done_count`, `failed_count`, `reports`, `reports_available_till`, `errors`); the per-record
 * `found`/`updated` columns live in Voucherify's report file, which the emulator does not write.
 */
import type { CustomersBulkUpdateResult, CustomersMetadataUpdateResult } from '../api/types.js';
import { WireError } from '../api/wire-error.js';
import { invalidPayload, tooManyCustomers } from './errors.js';
import type { JobControl, JobOutcome } from './jobs.js';
import type { CustomerStore, WriteContext } from './store.js';
import { describe, isPlainObject, validateCustomerFields, type CustomerFields } from './validation.js';

/** "a maximum of 100 records" in one request (the spec of 2023-02-08; the API's `too_many_customers` beyond). */
export const MAX_BULK_RECORDS = 100;
const CHUNK = 10;
const REPORTS_KEPT_MS = 7 * 86_400_000;

export interface BulkRecord {
  source_id: string;
  fields: CustomerFields;
}

export interface MetadataUpdate {
  source_ids: string[];
  metadata: Record<string, unknown>;
}

export function validateBulkBody(body: unknown): BulkRecord[] {
  if (!Array.isArray(body))
    throw invalidPayload(`The payload must be an array of customers (actual value is ${describe(body)})`);
  if (body.length === 0) throw invalidPayload('The payload cannot be empty');
  if (body.length > MAX_BULK_RECORDS) throw tooManyCustomers();
  return body.map((item, index) => {
    if (!isPlainObject(item)) throw invalidPayload(`[${index}]: must be an object (actual value is ${describe(item)})`);
    if (typeof item.source_id !== 'string' || item.source_id === '') {
      throw invalidPayload(
        `[${index}].source_id: must be a non-empty string (actual value is ${describe(item.source_id)})`,
      );
    }
    return { source_id: item.source_id, fields: validateCustomerFields(item, `[${index}].`) };
  });
}

export function validateMetadataBody(body: unknown): MetadataUpdate {
  if (!isPlainObject(body))
    throw invalidPayload(
      `The payload must be an object with source_ids and metadata (actual value is ${describe(body)})`,
    );
  const { source_ids: sourceIds, metadata } = body;
  if (!Array.isArray(sourceIds))
    throw invalidPayload(
      `source_ids: must be an array of strings, property is required (actual value is ${describe(sourceIds)})`,
    );
  if (sourceIds.length === 0) throw invalidPayload('source_ids: must contain at least one source id');
  if (sourceIds.length > MAX_BULK_RECORDS) throw tooManyCustomers();
  sourceIds.forEach((value, index) => {
    if (typeof value !== 'string' || value === '')
      throw invalidPayload(`source_ids[${index}]: must be a non-empty string (actual value is ${describe(value)})`);
  });
  if (!isPlainObject(metadata))
    throw invalidPayload(`metadata: must be an object, property is required (actual value is ${describe(metadata)})`);
  return { source_ids: sourceIds as string[], metadata };
}

type Report = Pick<
  CustomersBulkUpdateResult,
  'done_count' | 'failed_count' | 'reports' | 'reports_available_till' | 'errors'
>;

async function applyInChunks(
  control: JobControl,
  sourceIds: string[],
  apply: (sourceId: string, index: number) => void,
): Promise<JobOutcome> {
  const report: Report = {
    done_count: 0,
    failed_count: 0,
    reports: [],
    reports_available_till: '',
    errors: [],
  };
  for (let start = 0; start < sourceIds.length; start += CHUNK) {
    await control.step();
    sourceIds.slice(start, start + CHUNK).forEach((sourceId, offset) => {
      try {
        apply(sourceId, start + offset);
        report.done_count++;
      } catch (error) {
        if (!(error instanceof WireError) || typeof error.body === 'string') throw error;
        report.errors.push({
          message: error.message,
          details: error.details ?? '',
          key: error.key,
          source_id: sourceId,
        });
        report.failed_count++;
      }
    });
    control.setProgress(((start + CHUNK) / sourceIds.length) * 100);
  }
  report.reports_available_till = new Date(Date.now() + REPORTS_KEPT_MS).toISOString();
  return { result: report, operationStatus: report.failed_count === 0 ? 'SUCCESS' : 'FAILED' };
}

/** Upserts by source_id; a record's address is stored exactly as sent (observed on the real API). */
export function runBulkUpdate(store: CustomerStore, records: BulkRecord[], context: Omit<WriteContext, 'at'>) {
  return (control: JobControl): Promise<JobOutcome> =>
    applyInChunks(
      control,
      records.map((record) => record.source_id),
      (sourceId, index) => store.upsert({ source_id: sourceId }, records[index]!.fields, 'replace', context),
    ) as Promise<JobOutcome & { result: CustomersBulkUpdateResult }>;
}

/** Upserts by source_id and merges the metadata key by key; `null` values are stored (observed on the real API). */
export function runMetadataUpdate(store: CustomerStore, update: MetadataUpdate, context: Omit<WriteContext, 'at'>) {
  return (control: JobControl): Promise<JobOutcome> =>
    applyInChunks(control, update.source_ids, (sourceId) =>
      store.upsert({ source_id: sourceId }, { metadata: update.metadata }, 'merge', context),
    ) as Promise<JobOutcome & { result: CustomersMetadataUpdateResult }>;
}
