/**
 * The data file's first format (one JSON document, written whole by earlier versions), still loaded so an existing
 * file keeps its data: the next start rewrites it in the current format (`data-file.ts`). Also the error every
 * refused data file gives.
 */
import { readFile } from 'node:fs/promises';
import type { ActivityRecord } from './activities.js';
import type { CustomerRecord } from './customer-record.js';
import type { AsyncActionRecord } from './jobs.js';

export const DATA_FORMAT = 'vc-consent-emulator';
const LEGACY_VERSION = 1;

export interface PersistedData {
  format: typeof DATA_FORMAT;
  version: typeof LEGACY_VERSION;
  saved_at: string;
  customers: CustomerRecord[];
  deleted_customers: CustomerRecord[];
  activities: ActivityRecord[];
  async_actions: AsyncActionRecord[];
}

export class DataFileError extends Error {
  constructor(file: string, problem: string, advice = 'Fix the file or move it away; it was left untouched.') {
    super(`Cannot load the emulator data file ${file}: ${problem}. ${advice}`);
    this.name = 'DataFileError';
  }
}

export async function loadLegacyDataFile(file: string): Promise<PersistedData> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DataFileError(file, (error as Error).message);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new DataFileError(file, `it is not valid JSON (${(error as Error).message})`);
  }
  const record = data as Partial<PersistedData> | null;
  if (typeof record !== 'object' || record === null || record.format !== DATA_FORMAT) {
    throw new DataFileError(file, `it is not an emulator data file (expected "format": "${DATA_FORMAT}")`);
  }
  if (record.version !== LEGACY_VERSION) throw new DataFileError(file, `unsupported version ${String(record.version)}`);
  for (const key of ['customers', 'deleted_customers', 'activities', 'async_actions'] as const) {
    if (!Array.isArray(record[key])) throw new DataFileError(file, `"${key}" must be an array`);
  }
  const badCustomer = [...record.customers!, ...record.deleted_customers!].find(
    (customer) =>
      typeof customer?.id !== 'string' ||
      typeof customer.created_at !== 'string' ||
      Number.isNaN(Date.parse(customer.created_at)),
  );
  if (badCustomer)
    throw new DataFileError(
      file,
      `a customer has no valid id or created_at (${JSON.stringify(badCustomer).slice(0, 80)})`,
    );
  const badActivity = record.activities!.find(
    (activity) => typeof activity?.id !== 'string' || typeof activity.customer?.id !== 'string',
  );
  if (badActivity)
    throw new DataFileError(
      file,
      `an activity has no valid id or customer (${JSON.stringify(badActivity).slice(0, 80)})`,
    );
  return record as PersistedData;
}
