/**
 * Async actions: a FIFO queue that runs one job at a time in the background, in chunks, so `status` and `progress`
 * can be watched moving (ENQUEUED → IN_PROGRESS → DONE, or FAILED on a job-level error).
 */
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';
import type { AsyncAction, AsyncActionStatus } from '../api/types.js';
import { newAsyncActionId } from './ids.js';
import type { ForgottenCustomer } from './store.js';

export interface AsyncActionRecord {
  id: string;
  type: string;
  status: AsyncActionStatus;
  /** Only on bulk types. */
  operation_status?: 'SUCCESS' | 'FAILED' | 'UNKNOWN';
  result?: unknown;
  created_at: string;
  created_ms: number;
  updated_at?: string;
  request_id: string;
  progress: number;
  processing_time?: number;
}

/** What a job body gets: progress reporting and a pacing point between chunks that also notices cancellation. */
export interface JobControl {
  readonly action: AsyncActionRecord;
  readonly signal: AbortSignal;
  /** 0..100; kept below 100 until the job is done. */
  setProgress(percent: number): void;
  /** Call between chunks: waits `jobStepDelayMs` (or yields) and throws if the job was cancelled. */
  step(): Promise<void>;
}

export interface JobOutcome {
  result: unknown;
  /** For bulk types: SUCCESS when nothing failed. */
  operationStatus?: 'SUCCESS' | 'FAILED';
}

/** A job-level failure: the action ends FAILED with this result. */
export class JobFailure extends Error {
  constructor(readonly result: unknown) {
    super(typeof result === 'object' && result && 'message' in result ? String(result.message) : 'Job failed');
  }
}

interface QueuedJob {
  action: AsyncActionRecord;
  run: (control: JobControl) => Promise<JobOutcome>;
  cleanup?: () => Promise<void> | void;
}

const BULK_TYPES = new Set(['CUSTOMERS.BULK_UPDATE', 'CUSTOMERS.METADATA_UPDATE']);

/** How the queue tells persistence about its actions, and waits for it. */
export interface JobHooks {
  /** An action's status or result changed (not its progress, which a restart discards anyway). */
  changed?(action: AsyncActionRecord): void;
  /** Resolves when every change made so far is on disk: a job is DONE only once its rows are. */
  durable?(): Promise<void>;
  /** Called between chunks: waits while persistence is behind, so a big import cannot outrun the disk. */
  pace?(): Promise<void>;
}

export class JobQueue {
  private readonly actions = new Map<string, AsyncActionRecord>();
  private queue: QueuedJob[] = [];
  private running: { job: QueuedJob; controller: AbortController; done: Promise<void> } | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly stepDelayMs: number,
    private readonly hooks: JobHooks = {},
  ) {}

  private changed(action: AsyncActionRecord): void {
    this.hooks.changed?.(action);
  }

  enqueue(type: string, requestId: string, run: QueuedJob['run'], cleanup?: QueuedJob['cleanup']): AsyncActionRecord {
    const now = Date.now();
    const action: AsyncActionRecord = {
      id: newAsyncActionId(),
      type,
      status: 'ENQUEUED',
      ...(BULK_TYPES.has(type) ? { operation_status: 'UNKNOWN' as const } : {}),
      created_at: new Date(now).toISOString(),
      created_ms: now,
      request_id: requestId,
      progress: 0,
    };
    this.actions.set(action.id, action);
    this.queue.push({ action, run, ...(cleanup ? { cleanup } : {}) });
    this.changed(action);
    queueMicrotask(() => this.pump());
    return action;
  }

  get(id: string): AsyncActionRecord | undefined {
    return this.actions.get(id);
  }

  /** Newest first, created before `endMs` when given. */
  list(limit: number, endMs?: number): { actions: AsyncActionRecord[]; hasMore: boolean } {
    const matching = [...this.actions.values()]
      .filter((action) => endMs === undefined || action.created_ms < endMs)
      .reverse();
    return { actions: matching.slice(0, limit), hasMore: matching.length > limit };
  }

  /** Resolves when no job is running or waiting. */
  idle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Stops the running job and drops the waiting ones (their actions end FAILED), cleaning up their files.
   * With `forget`, the actions are removed as well (reset).
   */
  async cancelAll(reason: string, forget = false): Promise<void> {
    const waiting = this.queue;
    this.queue = [];
    for (const job of waiting) {
      this.fail(job.action, { message: reason });
      this.changed(job.action);
      await job.cleanup?.();
    }
    if (this.running) {
      this.running.controller.abort(new JobFailure({ message: reason }));
      await this.running.done;
    }
    if (forget) this.actions.clear();
  }

  /** Removes a permanently deleted customer's traces from job results; answers the actions that changed. */
  scrub(customer: ForgottenCustomer): AsyncActionRecord[] {
    const identifiers = new Set(
      [customer.id, customer.source_id, customer.email].filter((value): value is string => !!value),
    );
    const keep = (entry: unknown) =>
      !(
        typeof entry === 'object' &&
        entry !== null &&
        identifiers.has(String((entry as Record<string, unknown>).source_id))
      );
    const changed: AsyncActionRecord[] = [];
    for (const action of this.actions.values()) {
      const result = action.result as Record<string, unknown> | undefined;
      if (!result || typeof result !== 'object') continue;
      // `results` is only in bulk results saved by earlier emulator versions.
      for (const key of ['results', 'errors', 'failed']) {
        const list = result[key];
        if (!Array.isArray(list)) continue;
        const kept = list.filter(keep);
        if (kept.length === list.length) continue;
        result[key] = kept;
        if (!changed.includes(action)) changed.push(action);
      }
    }
    return changed;
  }

  snapshot(): AsyncActionRecord[] {
    return [...this.actions.values()];
  }

  /** Loads saved actions; any that were unfinished when the data was saved are marked FAILED (and answered). */
  restore(actions: AsyncActionRecord[]): AsyncActionRecord[] {
    this.actions.clear();
    const interrupted: AsyncActionRecord[] = [];
    for (const action of actions) {
      this.actions.set(action.id, action);
      if (action.status === 'ENQUEUED' || action.status === 'IN_PROGRESS') {
        this.fail(action, { message: 'Interrupted: the emulator stopped before this job finished' });
        interrupted.push(action);
      }
    }
    return interrupted;
  }

  private pump(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
      return;
    }
    const controller = new AbortController();
    const done = this.execute(job, controller.signal).finally(() => {
      this.running = undefined;
      this.pump();
    });
    this.running = { job, controller, done };
  }

  private async execute(job: QueuedJob, signal: AbortSignal): Promise<void> {
    const { action } = job;
    const started = Date.now();
    action.status = 'IN_PROGRESS';
    action.updated_at = new Date(started).toISOString();
    this.changed(action);
    const control: JobControl = {
      action,
      signal,
      setProgress: (percent) => {
        const next = Math.max(0, Math.min(99, Math.floor(percent)));
        if (next === action.progress) return;
        action.progress = next;
        action.updated_at = new Date().toISOString();
      },
      step: async () => {
        if (this.stepDelayMs > 0) await sleep(this.stepDelayMs, undefined, { signal }).catch(() => {});
        else await yieldToEventLoop();
        await this.hooks.pace?.();
        if (signal.aborted) throw signal.reason;
      },
    };
    try {
      const outcome = await job.run(control);
      await this.hooks.durable?.();
      const finished = Date.now();
      action.status = 'DONE';
      action.progress = 100;
      action.result = outcome.result;
      if (outcome.operationStatus && action.operation_status) action.operation_status = outcome.operationStatus;
      action.updated_at = new Date(finished).toISOString();
      action.processing_time = finished - started;
    } catch (error) {
      if (!(error instanceof JobFailure)) console.error(`[emulator] async action ${action.id} crashed:`, error);
      this.fail(
        action,
        error instanceof JobFailure ? error.result : { message: 'Internal error while processing the job' },
        started,
      );
    } finally {
      await job.cleanup?.();
      this.changed(action);
    }
  }

  private fail(action: AsyncActionRecord, result: unknown, started?: number): void {
    const now = Date.now();
    action.status = 'FAILED';
    action.result = result;
    if (action.operation_status) action.operation_status = 'FAILED';
    action.updated_at = new Date(now).toISOString();
    if (started !== undefined) action.processing_time = now - started;
  }
}

/** The async action answer; the list endpoint leaves `result` out. */
export function renderAsyncAction(action: AsyncActionRecord, withResult = true): AsyncAction {
  const out: Record<string, unknown> = { id: action.id, type: action.type, status: action.status };
  if (action.operation_status) out.operation_status = action.operation_status;
  if (withResult && action.result !== undefined) out.result = action.result;
  out.created_at = action.created_at;
  if (action.updated_at) out.updated_at = action.updated_at;
  out.request_id = action.request_id;
  out.progress = action.progress;
  if (action.processing_time !== undefined) out.processing_time = action.processing_time;
  out.object = 'async_action';
  return out as unknown as AsyncAction;
}
