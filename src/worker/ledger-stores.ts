/**
 * Where a customer's consent ledger is kept: SQLite in their Durable Object, or memory in a worker without the
 * binding. Records are staged (`pending`) before the upstream write, then kept or dropped (see `journal.ts`).
 */
import type { LedgerRecord } from './ledger.js';

/** Where a customer's records are kept: SQLite in their Durable Object, or memory in a worker without the binding. */
export interface LedgerStore {
  /** The last record (kept or staged). */
  last(): LedgerRecord | null;
  /** Records staged by a step that did not finish. */
  staged(): LedgerRecord[];
  stage(records: readonly LedgerRecord[]): void;
  keep(): void;
  drop(): void;
  /** Kept records, oldest first: the newest `limit` (all without a limit). */
  list(limit?: number): LedgerRecord[];
  count(): number;
  /** Replaces every record with `record`. */
  replaceAll(record: LedgerRecord): void;
}

/** The minimum of Cloudflare's `SqlStorage` the ledger uses. */
export interface SqlLike {
  exec(query: string, ...bindings: unknown[]): { toArray(): Array<Record<string, unknown>> };
}

export class SqlLedgerStore implements LedgerStore {
  readonly #sql: SqlLike;

  constructor(sql: SqlLike) {
    this.#sql = sql;
    sql.exec(
      'CREATE TABLE IF NOT EXISTS consent_ledger (seq INTEGER PRIMARY KEY, record TEXT NOT NULL, pending INTEGER NOT NULL)',
    );
    // Staged records are few and looked up on every write: a partial index keeps that lookup off the whole ledger.
    sql.exec('CREATE INDEX IF NOT EXISTS consent_ledger_staged ON consent_ledger (seq) WHERE pending = 1');
  }

  #records(query: string, ...bindings: unknown[]): LedgerRecord[] {
    return this.#sql
      .exec(query, ...bindings)
      .toArray()
      .map((row) => JSON.parse(String(row.record)) as LedgerRecord);
  }

  last(): LedgerRecord | null {
    return this.#records('SELECT record FROM consent_ledger ORDER BY seq DESC LIMIT 1')[0] ?? null;
  }

  staged(): LedgerRecord[] {
    return this.#records('SELECT record FROM consent_ledger WHERE pending = 1 ORDER BY seq');
  }

  stage(records: readonly LedgerRecord[]): void {
    for (const record of records)
      this.#sql.exec(
        'INSERT INTO consent_ledger (seq, record, pending) VALUES (?, ?, 1)',
        record.seq,
        JSON.stringify(record),
      );
  }

  keep(): void {
    this.#sql.exec('UPDATE consent_ledger SET pending = 0 WHERE pending = 1');
  }

  drop(): void {
    this.#sql.exec('DELETE FROM consent_ledger WHERE pending = 1');
  }

  list(limit?: number): LedgerRecord[] {
    if (limit === undefined) return this.#records('SELECT record FROM consent_ledger WHERE pending = 0 ORDER BY seq');
    return this.#records(
      'SELECT record FROM consent_ledger WHERE pending = 0 ORDER BY seq DESC LIMIT ?',
      limit,
    ).reverse();
  }

  count(): number {
    return Number(this.#sql.exec('SELECT COUNT(*) AS n FROM consent_ledger WHERE pending = 0').toArray()[0]?.n ?? 0);
  }

  replaceAll(record: LedgerRecord): void {
    this.#sql.exec('DELETE FROM consent_ledger');
    this.#sql.exec(
      'INSERT INTO consent_ledger (seq, record, pending) VALUES (?, ?, 0)',
      record.seq,
      JSON.stringify(record),
    );
  }
}

export class MemoryLedgerStore implements LedgerStore {
  #records: Array<{ record: LedgerRecord; pending: boolean }> = [];

  last(): LedgerRecord | null {
    return this.#records.at(-1)?.record ?? null;
  }

  staged(): LedgerRecord[] {
    return this.#records.filter((entry) => entry.pending).map((entry) => entry.record);
  }

  stage(records: readonly LedgerRecord[]): void {
    this.#records.push(...records.map((record) => ({ record, pending: true })));
  }

  keep(): void {
    for (const entry of this.#records) entry.pending = false;
  }

  drop(): void {
    this.#records = this.#records.filter((entry) => !entry.pending);
  }

  list(limit?: number): LedgerRecord[] {
    const kept = this.#records.filter((entry) => !entry.pending).map((entry) => entry.record);
    return limit === undefined ? kept : kept.slice(-limit);
  }

  count(): number {
    return this.list().length;
  }

  replaceAll(record: LedgerRecord): void {
    this.#records = [{ record, pending: false }];
  }
}
