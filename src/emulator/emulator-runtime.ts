/**
 * One emulator's state and its lifecycle: the customer store, the job queue, faults, the request log, the rate
 * limiter and persistence, wired so that a permanent deletion is forgotten everywhere.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConsentCatalog } from './consents.js';
import { FaultSet } from './faults.js';
import { observeOrderedId } from './ids.js';
import { JobQueue } from './jobs.js';
import type { ResolvedOptions } from './options.js';
import { DATA_FORMAT, DATA_VERSION, DataFileWriter, loadDataFile, type PersistedData } from './persistence.js';
import { RateLimiter } from './rate-limit.js';
import { RequestLog } from './request-log.js';
import { SEED_CONSENTS, SEED_CONSENT_GROUPS, SEED_SEGMENTS } from './seed.js';
import { applySeed } from './apply-seed.js';
import { CustomerStore } from './store.js';

export class EmulatorRuntime {
  readonly store = new CustomerStore(new ConsentCatalog(SEED_CONSENTS, SEED_CONSENT_GROUPS), SEED_SEGMENTS);
  readonly jobs: JobQueue;
  readonly faults = new FaultSet();
  readonly log = new RequestLog();
  readonly limiter: RateLimiter;
  /** Aborted on close: pending injected latencies stop waiting. */
  readonly lifetime = new AbortController();
  private writer: DataFileWriter | undefined;
  private uploads: string | undefined;

  constructor(readonly options: ResolvedOptions) {
    this.limiter = new RateLimiter(options);
    this.jobs = new JobQueue(options.jobStepDelayMs, () => this.changed());
    this.store.onChange(() => this.changed());
    this.store.onForget((customer) => {
      this.jobs.scrub(customer);
      this.log.redact(customer);
    });
  }

  /** Loads the data file when there is one, else the seed. */
  async init(): Promise<void> {
    this.uploads = await mkdtemp(path.join(os.tmpdir(), 'vc-emulator-uploads-'));
    const file = this.options.dataFile;
    const saved = file ? await loadDataFile(file) : undefined;
    if (saved) {
      for (const activity of saved.activities) observeOrderedId(activity.id);
      for (const action of saved.async_actions) observeOrderedId(action.id);
      this.store.restore({
        customers: saved.customers,
        deleted: saved.deleted_customers,
        activities: saved.activities,
      });
      this.jobs.restore(saved.async_actions);
    } else if (this.options.seed) {
      applySeed(this.store);
    }
    if (file) {
      this.writer = new DataFileWriter(file, () => this.snapshot());
      if (!saved) this.writer.schedule();
    }
  }

  /** Where uploads wait for their import job. */
  get uploadDirectory(): string {
    if (!this.uploads) throw new Error('The emulator runtime is not initialised');
    return this.uploads;
  }

  /** Back to the seed: data, jobs, faults, the request log and rate-limit counters. */
  async reset(): Promise<void> {
    await this.jobs.cancelAll('Cancelled: the emulator was reset', true);
    this.store.clear();
    if (this.options.seed) applySeed(this.store);
    this.faults.clear();
    this.log.clear();
    this.limiter.clear();
    this.changed();
    await this.writer?.flush();
  }

  async close(): Promise<void> {
    this.lifetime.abort();
    await this.jobs.cancelAll('Cancelled: the emulator stopped before this job finished');
    await this.writer?.flush();
    if (this.uploads) await rm(this.uploads, { recursive: true, force: true });
  }

  snapshot(): PersistedData {
    const { customers, deleted, activities } = this.store.snapshot();
    return {
      format: DATA_FORMAT,
      version: DATA_VERSION,
      saved_at: new Date().toISOString(),
      customers,
      deleted_customers: deleted,
      activities,
      async_actions: this.jobs.snapshot(),
    };
  }

  private changed(): void {
    this.writer?.schedule();
  }
}
