/**
 * The consent ledger: proof of every consent change the worker makes (GDPR Art. 7(1)), one record per changed consent
 * per write, with the fields of ISO/IEC TS 27560 consent records that apply. It lives in the customer's Durable Object
 * (SQLite storage), appended in the same serialized step as the upstream write:
 * - records are staged (`pending`) before the upstream write, so a ledger that cannot store them refuses the write;
 * - kept when the write succeeds, dropped when it fails (no record of a change that did not happen);
 * - a stage left behind by an interrupted step is kept on the next write if the stored state shows it happened.
 *
 * Tamper-evident: each record carries the SHA-256 of the one before it (`prev_hash`) and its own (`hash`), over a
 * canonical form that an export (JSON or CSV) reproduces, so `vc-consent ledger verify` can check a file offline.
 * No IP address or user agent is stored. Erasure deletes every record and leaves one `erasure` record without
 * personal data (when, how, how many records went).
 */
import type { ConsentChannel } from '../api/edge-types.js';
import type { CustomerConsentsState } from '../api/types.js';

export const GENESIS_HASH = '0'.repeat(64);
const HASH_FORMAT = 'vc-ledger-v1';

export interface LedgerRecord {
  /** Position in this customer's ledger, from 1 (an erasure starts a new chain at the next number). */
  seq: number;
  /** `crec_…`. */
  id: string;
  event: 'consent' | 'erasure';
  /** The Voucherify customer id (empty in an erasure record). */
  customer_id: string;
  /** A consent id, or `unsubscribed` for the opt-out of everything (empty in an erasure record). */
  consent_id: string;
  /** The name as the customer saw it. */
  consent_name: string;
  old_value: boolean | null;
  /** The new value (null in an erasure record). */
  new_value: boolean | null;
  at: string;
  channel: ConsentChannel;
  policy_version: string | null;
  /** The worker's request id (`v-…`), as in its logs and error bodies. */
  request_id: string;
  /** SHA-256 (hex) of the consent's name and description as shown: which text the person agreed to. */
  text_version: string;
  /** Records removed by an erasure (0 in consent records). */
  erased_records: number;
  prev_hash: string;
  hash: string;
}

/** The columns of a CSV export, in order; a verifier reads records back from them. */
export const RECORD_FIELDS = [
  'seq',
  'id',
  'event',
  'customer_id',
  'consent_id',
  'consent_name',
  'old_value',
  'new_value',
  'at',
  'channel',
  'policy_version',
  'request_id',
  'text_version',
  'erased_records',
  'prev_hash',
  'hash',
] as const satisfies ReadonlyArray<keyof LedgerRecord>;

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
    sql.exec('CREATE TABLE IF NOT EXISTS consent_ledger (seq INTEGER PRIMARY KEY, record TEXT NOT NULL, pending INTEGER NOT NULL)');
    // Staged records are few and looked up on every write: a partial index keeps that lookup off the whole ledger.
    sql.exec('CREATE INDEX IF NOT EXISTS consent_ledger_staged ON consent_ledger (seq) WHERE pending = 1');
  }

  #records(query: string, ...bindings: unknown[]): LedgerRecord[] {
    return this.#sql.exec(query, ...bindings).toArray().map((row) => JSON.parse(String(row.record)) as LedgerRecord);
  }

  last(): LedgerRecord | null {
    return this.#records('SELECT record FROM consent_ledger ORDER BY seq DESC LIMIT 1')[0] ?? null;
  }

  staged(): LedgerRecord[] {
    return this.#records('SELECT record FROM consent_ledger WHERE pending = 1 ORDER BY seq');
  }

  stage(records: readonly LedgerRecord[]): void {
    for (const record of records) this.#sql.exec('INSERT INTO consent_ledger (seq, record, pending) VALUES (?, ?, 1)', record.seq, JSON.stringify(record));
  }

  keep(): void {
    this.#sql.exec('UPDATE consent_ledger SET pending = 0 WHERE pending = 1');
  }

  drop(): void {
    this.#sql.exec('DELETE FROM consent_ledger WHERE pending = 1');
  }

  list(limit?: number): LedgerRecord[] {
    if (limit === undefined) return this.#records('SELECT record FROM consent_ledger WHERE pending = 0 ORDER BY seq');
    return this.#records('SELECT record FROM consent_ledger WHERE pending = 0 ORDER BY seq DESC LIMIT ?', limit).reverse();
  }

  count(): number {
    return Number(this.#sql.exec('SELECT COUNT(*) AS n FROM consent_ledger WHERE pending = 0').toArray()[0]?.n ?? 0);
  }

  replaceAll(record: LedgerRecord): void {
    this.#sql.exec('DELETE FROM consent_ledger');
    this.#sql.exec('INSERT INTO consent_ledger (seq, record, pending) VALUES (?, ?, 0)', record.seq, JSON.stringify(record));
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

// ---------------------------------------------------------------------------------------------------------------
// Hashes

async function sha256(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The canonical form a record's hash is taken over: every field but `hash`, in a fixed order. */
function canonical(record: Omit<LedgerRecord, 'hash'>): string {
  return JSON.stringify([HASH_FORMAT, ...RECORD_FIELDS.filter((field) => field !== 'hash').map((field) => record[field as keyof typeof record])]);
}

export const recordHash = (record: Omit<LedgerRecord, 'hash'>): Promise<string> => sha256(canonical(record));

/** Which text a consent was given or withdrawn under: the hash of its name and description as shown. */
export const textVersion = (name: string, description: string): Promise<string> => sha256(`${name}\n${description}`);

function recordId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(10));
  return `crec_${[...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Appending

/** One upstream write as the ledger sees it: the stored state before, and what it will be after. */
export interface ConsentChange {
  customerId: string;
  before: CustomerConsentsState;
  after: CustomerConsentsState;
  date: string;
  policyVersion: string | null;
}

export interface ConsentText {
  name: string;
  description: string;
}

export interface JournalContext {
  requestId: string;
  /** The channel of a change; a double opt-in's depends on whether the customer had decided anything before. */
  channel: (change: ConsentChange) => ConsentChannel;
  /** The consents' names and descriptions, by id. */
  texts: () => Promise<Map<string, ConsentText>>;
  /** Whether a failed write surely changed nothing (a refusal); otherwise (a timeout, a 5xx) it may have happened. */
  refused: (error: unknown) => boolean;
}

/** What became of an upstream write that answered. */
export type WriteFate = 'applied' | 'refused' | 'unknown';

export class LedgerUnavailable extends Error {
  override readonly name = 'LedgerUnavailable';
}

const OPT_OUT_TEXT: ConsentText = { name: 'Unsubscribed from everything', description: '' };

const valueOf = (state: CustomerConsentsState, id: string): boolean | null => state[id]?.value ?? null;

/** The decisions that differ between two states (a consent first declined, never decided before, is one). */
function changedIds(change: ConsentChange): string[] {
  return Object.keys(change.after).filter((id) => valueOf(change.before, id) !== change.after[id]!.value);
}

/** Appends a step's records around its upstream write; see the module comment for the order of things. */
export class Journal {
  readonly #store: LedgerStore;
  readonly #context: JournalContext;

  constructor(store: LedgerStore, context: JournalContext) {
    this.#store = store;
    this.#context = context;
  }

  /**
   * Runs `write` with the records of `change` staged: kept when it was applied, dropped when it was refused, left
   * staged when nobody knows (the next write settles them against the stored state). Throws `LedgerUnavailable`, with
   * nothing written, when the records cannot be staged.
   */
  async around<T>(change: ConsentChange, write: () => Promise<T>, fate: (value: T) => WriteFate = () => 'applied'): Promise<T> {
    this.#settleStaged(change.before);
    const ids = changedIds(change);
    if (ids.length === 0) return write();
    const records = await this.#records(change, ids);
    try {
      this.#store.stage(records);
    } catch (error) {
      throw new LedgerUnavailable('the consent ledger could not store the change', { cause: error });
    }
    let value: T;
    try {
      value = await write();
    } catch (error) {
      if (this.#context.refused(error)) this.#store.drop();
      throw error;
    }
    const outcome = fate(value);
    if (outcome === 'applied') this.#store.keep();
    else if (outcome === 'refused') this.#store.drop();
    return value;
  }

  /** Deletes every record, leaving one that says an erasure happened (no customer id, no consent, no values). */
  async erase(at: string, channel: ConsentChannel): Promise<void> {
    const last = this.#store.last();
    const record: Omit<LedgerRecord, 'hash'> = {
      seq: (last?.seq ?? 0) + 1,
      id: recordId(),
      event: 'erasure',
      customer_id: '',
      consent_id: '',
      consent_name: '',
      old_value: null,
      new_value: null,
      at,
      channel,
      policy_version: null,
      request_id: this.#context.requestId,
      text_version: '',
      erased_records: this.#store.count(),
      prev_hash: GENESIS_HASH,
    };
    this.#store.replaceAll({ ...record, hash: await recordHash(record) });
  }

  /** A stage left by a step that never finished: kept if the stored state now shows its values, dropped otherwise. */
  #settleStaged(stored: CustomerConsentsState): void {
    const staged = this.#store.staged();
    if (staged.length === 0) return;
    const happened = staged.every((record) => record.event !== 'consent' || valueOf(stored, record.consent_id) === record.new_value);
    if (happened) this.#store.keep();
    else this.#store.drop();
  }

  async #records(change: ConsentChange, ids: string[]): Promise<LedgerRecord[]> {
    const texts = await this.#context.texts();
    const channel = this.#context.channel(change);
    const last = this.#store.last();
    let seq = last?.seq ?? 0;
    let prevHash = last?.hash ?? GENESIS_HASH;
    const records: LedgerRecord[] = [];
    // The opt-out first, then consents by id: one deterministic order for one step.
    for (const id of ids.sort((a, b) => (a === 'unsubscribed' ? -1 : b === 'unsubscribed' ? 1 : a < b ? -1 : 1))) {
      const text = id === 'unsubscribed' ? OPT_OUT_TEXT : (texts.get(id) ?? { name: id, description: '' });
      const record: Omit<LedgerRecord, 'hash'> = {
        seq: (seq += 1),
        id: recordId(),
        event: 'consent',
        customer_id: change.customerId,
        consent_id: id,
        consent_name: text.name,
        old_value: valueOf(change.before, id),
        new_value: change.after[id]!.value,
        at: change.date,
        channel,
        policy_version: change.policyVersion,
        request_id: this.#context.requestId,
        text_version: await textVersion(text.name, text.description),
        erased_records: 0,
        prev_hash: prevHash,
      };
      const hash = await recordHash(record);
      records.push({ ...record, hash });
      prevHash = hash;
    }
    return records;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Verifying an export

export type VerifyResult =
  | { ok: true; records: number; from: number; erasures: number }
  | { ok: false; records: number; broken: { index: number; id: string; seq: number | null; reason: string } };

/**
 * Checks a customer's records in order: each record's hash matches its fields, and each links to the one before. A
 * file that starts mid-ledger (seq > 1) is checked from there. Names the first broken record.
 */
export async function verifyRecords(records: readonly LedgerRecord[]): Promise<VerifyResult> {
  let previous: LedgerRecord | null = null;
  let erasures = 0;
  for (const [index, record] of records.entries()) {
    const broken = (reason: string): VerifyResult => ({
      ok: false,
      records: records.length,
      broken: { index, id: String(record.id ?? ''), seq: Number.isInteger(record.seq) ? record.seq : null, reason },
    });
    const { hash, ...rest } = record;
    if ((await recordHash(rest)) !== hash) return broken('its hash does not match its fields (the record was changed)');
    if (record.event === 'erasure') {
      erasures += 1;
      if (record.prev_hash !== GENESIS_HASH) return broken('an erasure record must start a new chain');
    } else if (previous) {
      if (record.seq !== previous.seq + 1) return broken(`it follows record ${previous.seq} (a record is missing or out of order)`);
      if (record.prev_hash !== previous.hash) return broken('its prev_hash is not the hash of the record before it');
    } else if (record.seq === 1 && record.prev_hash !== GENESIS_HASH) {
      return broken('the first record does not start the chain');
    }
    previous = record;
  }
  return { ok: true, records: records.length, from: records[0]?.seq ?? 0, erasures };
}
