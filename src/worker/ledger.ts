/**
 * The records of the consent ledger: proof of every consent change the worker makes (GDPR Art. 7(1)), one record per
 * changed consent per write, with the fields of ISO/IEC TS 27560 consent records that apply. They live in the
 * customer's Durable Object (`ledger-stores.ts`), appended around each upstream write (`journal.ts`).
 *
 * Tamper-evident: each record carries the SHA-256 of the one before it (`prev_hash`) and its own (`hash`), over a
 * canonical form that an export (JSON or CSV) reproduces, so `vc-consent ledger verify` can check a file offline.
 * No IP address or user agent is stored. An erasure leaves one `erasure` record without personal data (when, how,
 * how many records went).
 */
import type { ConsentChannel } from '../api/edge-types.js';
import { randomHex, sha256Hex } from '../api/hex.js';

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

// ---------------------------------------------------------------------------------------------------------------
// Hashes

/** The canonical form a record's hash is taken over: every field but `hash`, in a fixed order. */
function canonical(record: Omit<LedgerRecord, 'hash'>): string {
  return JSON.stringify([
    HASH_FORMAT,
    ...RECORD_FIELDS.filter((field) => field !== 'hash').map((field) => record[field as keyof typeof record]),
  ]);
}

export const recordHash = (record: Omit<LedgerRecord, 'hash'>): Promise<string> => sha256Hex(canonical(record));

/** Which text a consent was given or withdrawn under: the hash of its name and description as shown. */
export const textVersion = (name: string, description: string): Promise<string> => sha256Hex(`${name}\n${description}`);

/** A new record's id. */
export function recordId(): string {
  return `crec_${randomHex(10)}`;
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
      if (record.seq !== previous.seq + 1)
        return broken(`it follows record ${previous.seq} (a record is missing or out of order)`);
      if (record.prev_hash !== previous.hash) return broken('its prev_hash is not the hash of the record before it');
    } else if (record.seq === 1 && record.prev_hash !== GENESIS_HASH) {
      return broken('the first record does not start the chain');
    }
    previous = record;
  }
  return { ok: true, records: records.length, from: records[0]?.seq ?? 0, erasures };
}
