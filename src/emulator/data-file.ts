/**
 * Durable persistence for `--data-file <file>`: a snapshot (`<file>`, one line per customer, activity and async action
 * after a header) and an append-only log of every change since (`<file>.log`). A change is on disk, fsynced, before the
 * emulator answers the request that made it. When the log is twice the snapshot (and past a floor), a new snapshot is written in the
 * background (compaction) while new changes go to `<file>.log.next`, which then replaces the log.
 *
 * Each snapshot has a generation, and each log names the generation it follows, so a start after a crash at any step
 * of a compaction knows which files to replay: the snapshot, then the logs that continue it.
 */
import { rename, rm, stat } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import type { ActivityRecord } from './activities.js';
import type { CustomerRecord } from './customer-record.js';
import { DataReplay, encodeEntry, type DataEntry } from './data-entries.js';
import { openIfExists, replaceFile, syncDirectory } from './files.js';
import { Journal } from './journal.js';
import { readLines } from './line-reader.js';
import { DATA_FORMAT, DataFileError, loadLegacyDataFile } from './persistence.js';

export const DATA_VERSION = 2;
const LOG_FORMAT = `${DATA_FORMAT}-log`;
/** Snapshot lines are written in pieces of about this size, so a compaction never holds the event loop for long. */
const SNAPSHOT_PIECE_BYTES = 1024 * 1024;
/** After a permanent deletion, the customer leaves the files at the next compaction: this soon. */
const FORGET_COMPACTION_DELAY_MS = 2_000;

/** What a snapshot holds, taken in one synchronous step (records are immutable; actions are encoded at once). */
export interface CapturedData {
  customers: CustomerRecord[];
  deleted: CustomerRecord[];
  activities: Iterable<ActivityRecord>;
  actions: string[];
}

export interface LoadedData {
  /** Undefined when there is no data yet (a new file). */
  replay: DataReplay | undefined;
  generation: number;
  /** The log to keep appending to, when the files need no repair. */
  resume: { log: string; bytes: number } | undefined;
  /** The highest generation any file names: a repair writes the next one. */
  highest: number;
}

const logName = (file: string) => `${file}.log`;
const nextLogName = (file: string) => `${file}.log.next`;
const logHeader = (generation: number) => JSON.stringify({ format: LOG_FORMAT, base: generation });

/** Reads the snapshot and the logs that continue it; refuses (DataFileError) anything it cannot trust. */
export async function loadData(file: string): Promise<LoadedData> {
  const replay = new DataReplay();
  const snapshot = await readSnapshot(file, replay);
  const log = await readLogBase(logName(file));
  const next = await readLogBase(nextLogName(file));
  if (!snapshot) {
    if (log !== undefined || next !== undefined)
      throw new DataFileError(file, `${logName(file)} exists without the data file it continues`);
    return { replay: undefined, generation: 0, resume: undefined, highest: 0 };
  }
  const generation = snapshot.generation;
  let logReplayed = false;
  let resume: LoadedData['resume'];
  if (log !== undefined && log === generation) {
    const { completeBytes } = await replayLog(logName(file), replay, file);
    logReplayed = true;
    resume = { log: logName(file), bytes: completeBytes };
  } else if (log !== undefined && log > generation) {
    throw new DataFileError(file, `${logName(file)} follows a newer snapshot than the data file`);
  }
  // A compaction was cut short: its log continues the old log, or the snapshot it had finished writing.
  if (next !== undefined) {
    if (next === generation || (next === generation + 1 && logReplayed))
      await replayLog(nextLogName(file), replay, file);
    resume = undefined;
  }
  const highest = Math.max(generation, log ?? 0, next ?? 0);
  return { replay, generation, resume, highest };
}

async function readSnapshot(file: string, replay: DataReplay): Promise<{ generation: number } | undefined> {
  let generation: number | undefined;
  let legacy = false;
  let read;
  try {
    read = await readLines(file, (line, lineNumber) => {
      if (legacy) return;
      if (lineNumber === 1) {
        const header = parseHeader(line);
        if (header === 'legacy') legacy = true;
        else generation = header;
        return;
      }
      replay.applyLine(line);
    });
  } catch (error) {
    if (error instanceof SyntaxError) throw new DataFileError(file, `a line is not valid (${error.message})`);
    throw new DataFileError(file, (error as Error).message);
  }
  if (!read) return undefined;
  if (legacy || generation === undefined) {
    // A data file of the first format (one JSON document), or not an emulator file at all: the old loader says which.
    const data = await loadLegacyDataFile(file);
    replay.legacy = true;
    for (const record of [...data.customers, ...data.deleted_customers]) {
      const line = encodeEntry({ kind: record.deleted_at ? 'deleted' : 'customer', record }, () => undefined);
      replay.applyLine(line);
    }
    for (const activity of data.activities)
      replay.applyLine(encodeEntry({ kind: 'activity', activity }, () => undefined));
    for (const action of data.async_actions) replay.applyLine(encodeEntry({ kind: 'action', action }, () => undefined));
    replay.legacy = false;
    return { generation: 0 };
  }
  if (read.tail.trim() !== '') throw new DataFileError(file, 'it ends in the middle of a line');
  return { generation };
}

/** The snapshot's generation, or 'legacy' for a first line that is not a snapshot header. */
function parseHeader(line: string): number | 'legacy' {
  try {
    const header = JSON.parse(line) as { format?: unknown; version?: unknown; generation?: unknown };
    if (header?.format !== DATA_FORMAT || header.version !== DATA_VERSION) return 'legacy';
    return typeof header.generation === 'number' ? header.generation : 'legacy';
  } catch {
    return 'legacy';
  }
}

/** The generation a log follows, from its first line; undefined without a (complete) header. */
async function readLogBase(path: string): Promise<number | undefined> {
  const handle = await openIfExists(path);
  if (!handle) return undefined;
  try {
    const buffer = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const end = buffer.subarray(0, bytesRead).indexOf(10);
    if (end === -1) return undefined;
    const header = JSON.parse(buffer.toString('utf8', 0, end)) as { format?: unknown; base?: unknown };
    return header?.format === LOG_FORMAT && typeof header.base === 'number' ? header.base : undefined;
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

/**
 * Replays a log after its header. A line a crash cut short, at the very end, is left out (and
 * cut off when the log is continued); an unreadable line with readable lines after it means damage: refused.
 */
async function replayLog(path: string, replay: DataReplay, file: string): Promise<{ completeBytes: number }> {
  let broken: { lineNumber: number; startByte: number; problem: string } | undefined;
  const read = await readLines(path, (line, lineNumber, startByte) => {
    if (broken) throw new DataFileError(file, `${path} line ${broken.lineNumber} is damaged (${broken.problem})`);
    if (lineNumber === 1) return;
    try {
      replay.applyLine(line);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      broken = { lineNumber, startByte, problem: error.message };
    }
  });
  if (!read) throw new DataFileError(file, `${path} disappeared while it was read`);
  return { completeBytes: broken ? broken.startByte : read.completeBytes };
}

export class DataFile {
  private compacting: Promise<void> | undefined;
  private compactionTimer: NodeJS.Timeout | undefined;
  /** A permanently deleted customer is still in the files (until the next snapshot). */
  private forgetPending = false;
  private broken = false;

  private constructor(
    private readonly file: string,
    private journal: Journal,
    private generation: number,
    private snapshotBytes: number,
    private readonly capture: () => CapturedData,
    private readonly current: (id: string) => CustomerRecord | undefined,
    private readonly compactionBytes: number,
  ) {}

  /**
   * Continues the loaded files, or (new file, old format, a compaction cut short) first writes a snapshot of the
   * loaded state and a fresh log.
   */
  static async start(
    file: string,
    loaded: LoadedData,
    capture: () => CapturedData,
    current: (id: string) => CustomerRecord | undefined,
    compactionBytes: number,
  ): Promise<DataFile> {
    if (loaded.resume) {
      const journal = await Journal.continue(loaded.resume.log, loaded.resume.bytes);
      const { size } = await stat(file);
      return new DataFile(file, journal, loaded.generation, size, capture, current, compactionBytes);
    }
    const generation = loaded.highest + 1;
    // The folder exists: the data file's lock (`data-lock.ts`) was taken in it first.
    const snapshotBytes = await writeSnapshot(file, generation, capture());
    const journal = await Journal.create(logName(file), logHeader(generation));
    await rm(nextLogName(file), { force: true });
    return new DataFile(file, journal, generation, snapshotBytes, capture, current, compactionBytes);
  }

  /** Queues one change; it is on disk once `durable()` resolves. */
  record(entry: DataEntry): void {
    this.journal.append(encodeEntry(entry, this.current));
    if (entry.kind === 'forgotten') this.compactSoon();
    // Twice the snapshot: a growing data set is rewritten a bounded number of times (amortized, like a growing array).
    if (this.journal.bytes > Math.max(this.compactionBytes, 2 * this.snapshotBytes)) void this.compact();
  }

  durable(): Promise<void> {
    return this.journal.durable();
  }

  backpressure(): Promise<void> {
    return this.journal.backpressure();
  }

  /** Writes a new snapshot in the background; changes made meanwhile go to the next log. */
  compact(): Promise<void> {
    if (this.compacting || this.broken) return this.compacting ?? Promise.resolve();
    clearTimeout(this.compactionTimer);
    this.forgetPending = false;
    const generation = this.generation + 1;
    const captured = this.capture();
    const opened = this.journal.rotate(nextLogName(this.file), logHeader(generation));
    this.compacting = (async () => {
      await opened;
      this.snapshotBytes = await writeSnapshot(this.file, generation, captured);
      await rename(nextLogName(this.file), logName(this.file));
      await syncDirectory(this.file);
      this.generation = generation;
    })()
      .catch((error: unknown) => {
        // The files stay consistent (a start replays both logs); only further compactions stop.
        this.broken = true;
        console.error('[emulator] compacting the data file failed; the log keeps growing:', error);
      })
      .finally(() => (this.compacting = undefined));
    return this.compacting;
  }

  async close(): Promise<void> {
    clearTimeout(this.compactionTimer);
    await this.compacting;
    // A stop does not keep a forgotten customer on disk.
    if (this.forgetPending) await this.compact();
    await this.journal.close();
  }

  private compactSoon(): void {
    this.forgetPending = true;
    clearTimeout(this.compactionTimer);
    this.compactionTimer = setTimeout(() => void this.compact(), FORGET_COMPACTION_DELAY_MS);
    this.compactionTimer.unref();
  }
}

/** Writes the captured data as the snapshot of `generation`, atomically; answers its size. */
async function writeSnapshot(file: string, generation: number, data: CapturedData): Promise<number> {
  let bytes = 0;
  await replaceFile(file, async (handle) => {
    const writer = new PieceWriter(handle);
    await writer.line(
      JSON.stringify({ format: DATA_FORMAT, version: DATA_VERSION, generation, saved_at: new Date().toISOString() }),
    );
    // Activities name the record written here by id: the snapshot's own records, not the live ones.
    const written = new Map<string, CustomerRecord>();
    const current = (id: string) => written.get(id);
    for (const record of data.customers) {
      written.set(record.id, record);
      await writer.line(encodeEntry({ kind: 'customer', record }, current));
    }
    for (const record of data.deleted) {
      written.set(record.id, record);
      await writer.line(encodeEntry({ kind: 'deleted', record }, current));
    }
    for (const activity of data.activities) await writer.line(encodeEntry({ kind: 'activity', activity }, current));
    for (const action of data.actions) await writer.line(action);
    bytes = await writer.end();
  });
  return bytes;
}

/** Collects lines and writes them a piece at a time (each write lets other work run). */
class PieceWriter {
  private pending: string[] = [];
  private pendingLength = 0;
  private total = 0;

  constructor(private readonly handle: FileHandle) {}

  async line(text: string): Promise<void> {
    this.pending.push(text);
    this.pendingLength += text.length + 1;
    if (this.pendingLength >= SNAPSHOT_PIECE_BYTES) await this.flush();
  }

  async end(): Promise<number> {
    await this.flush();
    return this.total;
  }

  private async flush(): Promise<void> {
    if (!this.pending.length) return;
    const text = this.pending.join('\n') + '\n';
    this.pending = [];
    this.pendingLength = 0;
    const { bytesWritten } = await this.handle.write(text);
    this.total += bytesWritten;
  }
}
