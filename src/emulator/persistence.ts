/**
 * Optional persistence to one JSON file: loaded at start (a corrupt file stops the start with a clear error rather
 * than being overwritten), written after changes — debounced, one write at a time, atomically (temp file + rename).
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ActivityRecord } from './activities.js';
import type { CustomerRecord } from './customer-record.js';
import type { AsyncActionRecord } from './jobs.js';

export const DATA_FORMAT = 'vc-consent-emulator';
export const DATA_VERSION = 1;

export interface PersistedData {
  format: typeof DATA_FORMAT;
  version: typeof DATA_VERSION;
  saved_at: string;
  customers: CustomerRecord[];
  deleted_customers: CustomerRecord[];
  activities: ActivityRecord[];
  async_actions: AsyncActionRecord[];
}

export class DataFileError extends Error {
  constructor(file: string, problem: string) {
    super(
      `Cannot load the emulator data file ${file}: ${problem}. Fix the file or move it away; it was left untouched.`,
    );
    this.name = 'DataFileError';
  }
}

/** Undefined when the file does not exist yet. */
export async function loadDataFile(file: string): Promise<PersistedData | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
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
  if (record.version !== DATA_VERSION) throw new DataFileError(file, `unsupported version ${String(record.version)}`);
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

export class DataFileWriter {
  private timer: NodeJS.Timeout | undefined;
  private firstPendingAt = 0;
  private writing: Promise<void> | undefined;
  private dirty = false;

  constructor(
    private readonly file: string,
    private readonly snapshot: () => PersistedData,
    private readonly debounceMs = 100,
    /** Even under a steady stream of changes, write at least this often. */
    private readonly maxWaitMs = 1_000,
  ) {}

  schedule(): void {
    this.dirty = true;
    const now = Date.now();
    if (!this.timer) this.firstPendingAt = now;
    clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(this.debounceMs, this.firstPendingAt + this.maxWaitMs - now));
    this.timer = setTimeout(
      () => void this.flush().catch((error) => console.error('[emulator] saving data failed:', error)),
      wait,
    );
    this.timer.unref();
  }

  /** Writes now if anything changed, after any write in progress. */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.writing) await this.writing;
    if (!this.dirty) return;
    this.dirty = false;
    this.writing = this.write().finally(() => (this.writing = undefined));
    await this.writing;
  }

  private async write(): Promise<void> {
    const json = JSON.stringify(this.snapshot());
    await mkdir(path.dirname(this.file), { recursive: true });
    const temp = `${this.file}.tmp`;
    await writeFile(temp, json);
    await rename(temp, this.file);
  }
}
