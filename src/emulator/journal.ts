/**
 * The append-only log behind a data file: lines are queued in the order the changes happened (synchronously, as the
 * store makes them) and written by one loop, many at a time, each batch followed by an fdatasync. `durable()` resolves
 * once everything queued before it is on disk: the emulator answers a write only then (group commit, so a burst of
 * writes shares one sync).
 */
import { open, truncate, type FileHandle } from 'node:fs/promises';
import { syncDirectory } from './files.js';

/** Above this many queued bytes a writer (an import job) waits for the disk before making more changes. */
const BACKLOG_BYTES = 8 * 1024 * 1024;

interface Rotation {
  path: string;
  header: string;
  opened: (bytes: number) => void;
}

export class Journal {
  private handle: FileHandle;
  private queued: Array<string | Rotation> = [];
  private queuedBytes = 0;
  private waiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  /** Writers held back by `backpressure`, told when the loop takes the queue. */
  private takers: Array<() => void> = [];
  private running: Promise<void> | undefined;
  private kickPending = false;
  private failure: unknown;
  /** Bytes in the current file (its header included). */
  bytes: number;

  private constructor(handle: FileHandle, bytes: number) {
    this.handle = handle;
    this.bytes = bytes;
  }

  /** Continues the log at `path`, which holds `bytes` bytes of complete lines. */
  static async continue(path: string, bytes: number): Promise<Journal> {
    // Cut off a line a crash left half written, then append after the last whole one.
    await truncate(path, bytes);
    return new Journal(await open(path, 'a'), bytes);
  }

  /** Starts a new log at `path` with its header line, on disk before this resolves. */
  static async create(path: string, header: string): Promise<Journal> {
    const handle = await createLog(path, header);
    return new Journal(handle, Buffer.byteLength(header) + 1);
  }

  append(line: string): void {
    if (this.failure) throw this.failure;
    this.queued.push(line);
    this.queuedBytes += line.length + 1;
    // Lines nobody waits for (an import's rows) still go to disk soon, together with the rest of this turn's.
    if (!this.running && !this.kickPending) {
      this.kickPending = true;
      setImmediate(() => {
        this.kickPending = false;
        this.kick();
      });
    }
  }

  /** From the next line on, the log continues in a new file (compaction); `opened` is told when it exists. */
  rotate(path: string, header: string): Promise<number> {
    const opened = new Promise<number>((resolve) => this.queued.push({ path, header, opened: resolve }));
    this.kick();
    return opened;
  }

  /** Resolves when everything appended so far is on disk; rejects if the disk refused it. */
  durable(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.queued.length === 0 && !this.running) return Promise.resolve();
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.kick();
    return done;
  }

  /**
   * For writers that make many changes at once: waits while too much is queued, so memory stays bounded (a batch
   * being written and one queued). Only until the loop takes the queue: the writer goes on while the disk works.
   */
  async backpressure(): Promise<void> {
    while (this.queuedBytes > BACKLOG_BYTES && !this.failure) {
      const taken = new Promise<void>((resolve) => this.takers.push(resolve));
      this.kick();
      await taken;
    }
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    await this.durable().catch(() => {});
    await this.handle.close();
  }

  private kick(): void {
    if (!this.running && !this.failure) this.running = this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.queued.length || this.waiters.length) {
        const batch = this.queued;
        const waiters = this.waiters;
        this.queued = [];
        this.queuedBytes = 0;
        this.waiters = [];
        this.release();
        await this.write(batch);
        for (const waiter of waiters) waiter.resolve();
      }
    } catch (error) {
      // A log that could not be written is not trusted again: every later write fails loudly.
      this.failure = error;
      for (const waiter of this.waiters) waiter.reject(error);
      this.waiters = [];
      this.release();
      console.error('[emulator] writing the data log failed; further writes are refused:', error);
    } finally {
      this.running = undefined;
    }
  }

  private release(): void {
    const takers = this.takers;
    this.takers = [];
    for (const taker of takers) taker();
  }

  private async write(batch: Array<string | Rotation>): Promise<void> {
    let lines: string[] = [];
    const flush = async () => {
      if (!lines.length) return;
      const text = lines.join('\n') + '\n';
      lines = [];
      await this.handle.write(text);
      this.bytes += Buffer.byteLength(text);
    };
    for (const item of batch) {
      if (typeof item === 'string') {
        lines.push(item);
        continue;
      }
      await flush();
      await this.handle.datasync();
      await this.handle.close();
      this.handle = await createLog(item.path, item.header);
      this.bytes = Buffer.byteLength(item.header) + 1;
      item.opened(this.bytes);
    }
    await flush();
    await this.handle.datasync();
  }
}

async function createLog(path: string, header: string): Promise<FileHandle> {
  const handle = await open(path, 'w');
  await handle.write(header + '\n');
  await handle.sync();
  await syncDirectory(path);
  return handle;
}
