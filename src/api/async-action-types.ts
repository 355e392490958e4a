/** Async actions: CSV import and bulk updates answer 202 with an id, then report their result. */
import type { DateTimeString } from './types.js';

/** 202 answer of CSV import and both bulk endpoints. */
export interface AsyncActionCreated {
  async_action_id: string;
}

export type AsyncActionStatus = 'ENQUEUED' | 'IN_PROGRESS' | 'DONE' | 'FAILED';

export type AsyncActionType =
  | 'CUSTOMERS.IMPORT_CSV'
  | 'CUSTOMERS.BULK_UPDATE'
  | 'CUSTOMERS.METADATA_UPDATE'
  | 'CUSTOMERS.METADATA_KEY_PURGE'
  | (string & {});

export interface CustomersImportCsvResult {
  message?: string;
  failed?: Array<{ source_id?: string; row?: number; reason?: string }>;
  done_count?: number;
  failed_count?: number;
}

export interface CustomersBulkUpdateResult {
  done_count: number;
  failed_count: number;
  reports: string[];
  reports_available_till: DateTimeString;
  errors: Array<{ message: string; details: string; key: string; source_id: string }>;
  /** Per-record report, as the seed describes it (`found: false, updated: true` for an upsert). */
  results?: Array<{ source_id: string; found: boolean; updated: boolean }>;
}

export interface CustomersMetadataUpdateResult {
  done_count?: number;
  failed_count?: number;
  reports?: string[];
  reports_available_till?: DateTimeString;
  errors: Array<{ message: string; details: string; key: string; source_id?: string }>;
  results?: Array<{ source_id: string; found: boolean; updated: boolean }>;
}

export interface AsyncAction<Result = unknown> {
  id: string;
  type: AsyncActionType;
  status: AsyncActionStatus;
  operation_status?: 'SUCCESS' | 'FAILED' | 'UNKNOWN';
  created_at: DateTimeString;
  updated_at?: DateTimeString | null;
  request_id: string;
  processing_time?: number;
  /** 0..100 */
  progress?: number;
  object: 'async_action';
  result?: Result;
}
