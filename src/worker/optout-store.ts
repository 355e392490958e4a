/**
 * The one-click opt-outs of one customer, in the SQLite storage of their Durable Object: at most one pending at a
 * time (a click while one is pending changes nothing), then marked applied, cancelled by the token's undo, or dropped
 * when Voucherify can never take it. Rows are keyed by the link token's `jti`, so a token's undo spent on a pending
 * opt-out is remembered after it.
 */
import type { SqlLike } from './ledger-stores.js';

export type OptOutState = 'pending' | 'applied' | 'cancelled' | 'dropped';

export interface QueuedOptOut {
  jti: string;
  customerId: string;
  /** When the person clicked: the decision's date, whenever it reaches Voucherify. */
  decidedAt: string;
  /** The request id of the click, so the ledger and the logs point to it. */
  requestId: string;
  state: OptOutState;
  /** Tries that failed so far. */
  attempts: number;
  /** This token's one undo was used on a pending opt-out. */
  undoUsed: boolean;
}

export type NewOptOut = Pick<QueuedOptOut, 'jti' | 'customerId' | 'decidedAt' | 'requestId'>;

/** Settled rows kept per customer, for the undo marks; older ones are deleted. */
const SETTLED_KEPT = 20;

const COLUMNS = 'jti, customer_id, decided_at, request_id, state, attempts, undo_used';

function rowOf(row: Record<string, unknown>): QueuedOptOut {
  return {
    jti: String(row.jti),
    customerId: String(row.customer_id),
    decidedAt: String(row.decided_at),
    requestId: String(row.request_id),
    state: String(row.state) as OptOutState,
    attempts: Number(row.attempts),
    undoUsed: Number(row.undo_used) === 1,
  };
}

export class OptOutStore {
  readonly #sql: SqlLike;

  constructor(sql: SqlLike) {
    this.#sql = sql;
    sql.exec(
      `CREATE TABLE IF NOT EXISTS optout_queue (jti TEXT PRIMARY KEY, customer_id TEXT NOT NULL,
        decided_at TEXT NOT NULL, request_id TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL,
        undo_used INTEGER NOT NULL, updated_at TEXT NOT NULL)`,
    );
  }

  #one(query: string, ...bindings: unknown[]): QueuedOptOut | null {
    const row = this.#sql.exec(query, ...bindings).toArray()[0];
    return row ? rowOf(row) : null;
  }

  pending(): QueuedOptOut | null {
    return this.#one(`SELECT ${COLUMNS} FROM optout_queue WHERE state = 'pending' LIMIT 1`);
  }

  find(jti: string): QueuedOptOut | null {
    return this.#one(`SELECT ${COLUMNS} FROM optout_queue WHERE jti = ?`, jti);
  }

  /**
   * Records a click and answers the pending opt-out: this one, or the one already pending (left as it was, so one
   * customer never has two). A token clicked again keeps its undo mark.
   */
  add(click: NewOptOut): { row: QueuedOptOut; added: boolean } {
    const pending = this.pending();
    if (pending) return { row: pending, added: false };
    this.#sql.exec(
      `INSERT INTO optout_queue (${COLUMNS}, updated_at) VALUES (?, ?, ?, ?, 'pending', 0, 0, ?)
        ON CONFLICT (jti) DO UPDATE SET customer_id = excluded.customer_id, decided_at = excluded.decided_at,
        request_id = excluded.request_id, state = 'pending', attempts = 0, updated_at = excluded.updated_at`,
      click.jti,
      click.customerId,
      click.decidedAt,
      click.requestId,
      new Date().toISOString(),
    );
    return { row: this.find(click.jti)!, added: true };
  }

  /** A failed try: answers how many there have been. */
  retried(jti: string): number {
    this.#sql.exec(
      'UPDATE optout_queue SET attempts = attempts + 1, updated_at = ? WHERE jti = ?',
      new Date().toISOString(),
      jti,
    );
    return this.find(jti)?.attempts ?? 0;
  }

  settle(jti: string, state: Exclude<OptOutState, 'pending'>): void {
    this.#sql.exec(
      'UPDATE optout_queue SET state = ?, undo_used = undo_used OR ?, updated_at = ? WHERE jti = ?',
      state,
      state === 'cancelled' ? 1 : 0,
      new Date().toISOString(),
      jti,
    );
    this.#sql.exec(
      `DELETE FROM optout_queue WHERE state != 'pending' AND jti NOT IN
        (SELECT jti FROM optout_queue WHERE state != 'pending' ORDER BY updated_at DESC LIMIT ?)`,
      SETTLED_KEPT,
    );
  }

  /** Drops whatever is pending (the customer was erased). */
  dropPending(): void {
    const pending = this.pending();
    if (pending) this.settle(pending.jti, 'dropped');
  }
}
