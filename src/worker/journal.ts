/**
 * Appends the consent ledger's records around each upstream write that changes consents, in the same serialized
 * step of the customer's Durable Object:
 * - records are staged (`pending`) before the upstream write, so a ledger that cannot store them refuses the write;
 * - kept when the write succeeds, dropped when it fails (no record of a change that did not happen);
 * - a stage left behind by an interrupted step is kept on the next write if the stored state shows it happened.
 * Erasure deletes every record and leaves one `erasure` record without personal data.
 */
import type { ConsentChannel } from '../api/edge-types.js';
import type { CustomerConsentsState } from '../api/types.js';
import { GENESIS_HASH, recordHash, recordId, textVersion } from './ledger.js';
import type { LedgerRecord } from './ledger.js';
import type { LedgerStore } from './ledger-stores.js';

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

/** Appends a step's records around its upstream write. */
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
  async around<T>(
    change: ConsentChange,
    write: () => Promise<T>,
    fate: (value: T) => WriteFate = () => 'applied',
  ): Promise<T> {
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
    const happened = staged.every(
      (record) => record.event !== 'consent' || valueOf(stored, record.consent_id) === record.new_value,
    );
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
