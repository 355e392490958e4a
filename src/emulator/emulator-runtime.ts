/**
 * One emulator's state and its lifecycle: the customer store, the job queue, faults, the request log, the rate
 * limiter and persistence, wired so that a permanent deletion is forgotten everywhere.
 */
import { ConsentCatalog } from './consents.js';
import { DataFile, loadData, type CapturedData } from './data-file.js';
import { lockDataFile } from './data-lock.js';
import { encodeEntry, type DataEntry } from './data-entries.js';
import { FaultSet } from './faults.js';
import { observeOrderedId } from './ids.js';
import { JobQueue, type AsyncActionRecord } from './jobs.js';
import type { ResolvedOptions } from './options.js';
import { RateLimiter } from './rate-limit.js';
import { RequestLog } from './request-log.js';
import { SEED_CONSENTS, SEED_CONSENT_GROUPS, SEED_SEGMENTS } from './seed.js';
import { applySeed } from './apply-seed.js';
import { CustomerStore } from './store.js';
import { createUploadDirectory, removeUploadDirectory } from './uploads.js';
import { WebhookSender } from './webhooks.js';

/** How long a reset waits for the receiver to acknowledge its webhooks before answering anyway. */
export const RESET_WEBHOOK_WAIT_MS = 30_000;

/** Whether the receiver acknowledged every event a reset sent (`off` without webhooks). */
export interface ResetOutcome {
  webhooks: 'off' | 'delivered' | 'undelivered';
}

export class EmulatorRuntime {
  readonly store = new CustomerStore(new ConsentCatalog(SEED_CONSENTS, SEED_CONSENT_GROUPS), SEED_SEGMENTS);
  readonly jobs: JobQueue;
  readonly faults = new FaultSet();
  readonly log = new RequestLog();
  readonly limiter: RateLimiter;
  /** Aborted on close: pending injected latencies stop waiting. */
  readonly lifetime = new AbortController();
  /** Set once the data is loaded: what the emulator starts with is not announced, no receiver can hold it yet. */
  private webhooks: WebhookSender | undefined;
  private data: DataFile | undefined;
  private uploads: string | undefined;
  /** Gives back the data file's lock (see `data-lock.ts`). */
  private unlock: (() => Promise<void>) | undefined;

  constructor(readonly options: ResolvedOptions) {
    this.limiter = new RateLimiter(options);
    this.jobs = new JobQueue(options.jobStepDelayMs, {
      changed: (action) => this.record({ kind: 'action', action }),
      durable: () => this.durable(),
      pace: () => this.data?.backpressure() ?? Promise.resolve(),
    });
    this.store.onChange((change) => {
      this.record(change);
      this.webhooks?.notice(change);
    });
    this.store.onForget((customer) => {
      for (const action of this.jobs.scrub(customer)) this.record({ kind: 'action', action });
      this.log.redact(customer);
    });
  }

  /** Loads the data file when there is one (else the seed), then keeps it: every change logged before it is answered. */
  async init(): Promise<void> {
    const file = this.options.dataFile;
    if (file) this.unlock = await lockDataFile(file);
    try {
      await this.load(file);
    } catch (error) {
      await this.unlock?.();
      throw error;
    }
    // Made last: a refused data file leaves no folder behind.
    this.uploads = await createUploadDirectory();
    const { webhook } = this.options;
    if (webhook) this.webhooks = new WebhookSender(webhook.url, webhook.secret);
  }

  private async load(file: string | undefined): Promise<void> {
    const loaded = file ? await loadData(file) : undefined;
    let interrupted: AsyncActionRecord[] = [];
    if (loaded?.replay) {
      const { replay } = loaded;
      // Ids grow with time: each customer's newest activity is enough to go on from.
      for (const list of replay.activities.values()) if (list.length) observeOrderedId(list[list.length - 1]!.id);
      for (const action of replay.actions.values()) observeOrderedId(action.id);
      this.store.load({
        customers: replay.customers.values(),
        deleted: replay.deleted.values(),
        activities: replay.activities,
      });
      interrupted = this.jobs.restore([...replay.actions.values()]);
    } else if (this.options.seed) {
      applySeed(this.store);
    }
    if (file && loaded) this.data = await this.startData(file, loaded);
    // Logged once the log is open: a restart finds them failed too.
    for (const action of interrupted) this.record({ kind: 'action', action });
  }

  /** Where uploads wait for their import job. */
  get uploadDirectory(): string {
    if (!this.uploads) throw new Error('The emulator runtime is not initialised');
    return this.uploads;
  }

  /** Resolves once every change made so far is on disk (at once without a data file). */
  durable(): Promise<void> {
    return this.data?.durable() ?? Promise.resolve();
  }

  /**
   * Back to the seed: data, jobs, faults, the request log and rate-limit counters. With webhooks, every customer
   * there before or after gets an event, and this waits for the receiver to acknowledge them, so a reset followed by
   * a read through the worker does not race its cache. The wait ends early when a delivery fails (the receiver is
   * down or refusing) and after `RESET_WEBHOOK_WAIT_MS` at most; the answer says which.
   */
  async reset(): Promise<ResetOutcome> {
    await this.jobs.cancelAll('Cancelled: the emulator was reset', true);
    const before = this.webhooks ? this.store.index.inCreationOrder().map((record) => record.id) : [];
    this.store.clear();
    this.record({ kind: 'clear' });
    if (this.options.seed) applySeed(this.store);
    this.webhooks?.afterReset(before, (id) => this.store.index.get(id) !== undefined);
    this.faults.clear();
    this.log.clear();
    this.limiter.clear();
    await this.durable();
    // What came before the reset need not stay on disk.
    await this.data?.compact();
    if (!this.webhooks) return { webhooks: 'off' };
    return { webhooks: (await this.webhooks.idle(RESET_WEBHOOK_WAIT_MS)) ? 'delivered' : 'undelivered' };
  }

  async close(): Promise<void> {
    this.lifetime.abort();
    this.webhooks?.close();
    await this.jobs.cancelAll('Cancelled: the emulator stopped before this job finished');
    await this.data?.close();
    await this.unlock?.();
    if (this.uploads) await removeUploadDirectory(this.uploads);
  }

  /** One consistent view of everything kept, for a snapshot. */
  capture(): CapturedData {
    const { customers, deleted, activities } = this.store.capture();
    const actions = this.jobs.snapshot().map((action) => encodeEntry({ kind: 'action', action }, () => undefined));
    return { customers, deleted, activities, actions };
  }

  private startData(file: string, loaded: Awaited<ReturnType<typeof loadData>>): Promise<DataFile> {
    return DataFile.start(
      file,
      loaded,
      () => this.capture(),
      (id) => this.store.recordOf(id),
      this.options.compactionBytes,
    );
  }

  private record(change: DataEntry): void {
    this.data?.record(change);
  }
}
