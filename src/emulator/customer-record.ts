/**
 * How the emulator keeps a customer, and how it answers one. Records are immutable: every change makes a new record,
 * so an activity can hold the customer "as it was" without copying it.
 */
import type { Address, Customer, CustomerConsentsState, CustomerSummary, SimpleCustomer } from '../api/types.js';
import type { CustomerFields } from './validation.js';

export interface CustomerRecord {
  readonly id: string;
  /** Absent when never set. */
  readonly source_id?: string;
  readonly name?: string | null;
  readonly description?: string | null;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly birthdate?: string | null;
  readonly birthday?: string | null;
  /** `null` until an address is sent (observed on the real API). */
  readonly address: Address | null;
  /** Absent until metadata is sent (observed on the real API). */
  readonly metadata?: Readonly<Record<string, unknown>>;
  /** `system_metadata.consents` */
  readonly consents?: Readonly<CustomerConsentsState>;
  readonly loyalty_points: number;
  readonly created_at: string;
  /** `created_at` as epoch ms: unique per customer, so the `starting_after` cursor never skips one. */
  readonly created_ms: number;
  readonly updated_at?: string;
  readonly updated_ms?: number;
  /** Set by a plain DELETE: the record is kept (with its activities) until a permanent deletion. */
  readonly deleted_at?: string;
}

/** How a write treats `address`: merged field by field (create, PUT, CSV) or replaced as sent (bulk). */
export type AddressMode = 'merge' | 'replace';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Every record gets the same keys in the same order (absent = undefined): V8 then gives all records one hidden
 * class, and a list filter over 10,000 of them stays a fast loop instead of a megamorphic lookup per record.
 */
export function makeRecord(from: CustomerRecord): Mutable<CustomerRecord> {
  return {
    id: from.id,
    source_id: from.source_id,
    name: from.name,
    description: from.description,
    email: from.email,
    phone: from.phone,
    birthdate: from.birthdate,
    birthday: from.birthday,
    address: from.address ?? null,
    metadata: from.metadata,
    consents: from.consents,
    loyalty_points: from.loyalty_points ?? 0,
    created_at: from.created_at,
    created_ms: from.created_ms,
    updated_at: from.updated_at,
    updated_ms: from.updated_ms,
    deleted_at: from.deleted_at,
  };
}

export function applyFields(
  record: CustomerRecord,
  fields: CustomerFields,
  addressMode: AddressMode,
): Mutable<CustomerRecord> {
  const next = makeRecord(record);
  for (const key of ['name', 'description', 'email', 'phone', 'birthdate', 'birthday'] as const) {
    if (key in fields) next[key] = fields[key];
  }
  if (fields.address !== undefined) {
    next.address =
      fields.address === null
        ? null
        : addressMode === 'replace'
          ? { ...fields.address }
          : { ...record.address, ...fields.address };
  }
  // Key-wise merge; a `null` value is stored, not a deletion (observed on the real API).
  if (fields.metadata !== undefined) next.metadata = { ...record.metadata, ...fields.metadata };
  return next;
}

const emptySummary = (): CustomerSummary => ({
  redemptions: {
    total_redeemed: 0,
    total_failed: 0,
    total_succeeded: 0,
    total_rolled_back: 0,
    total_rollback_failed: 0,
    total_rollback_succeeded: 0,
    gift: { redeemed_amount: 0, amount_to_go: 0 },
    loyalty_card: { redeemed_points: 0, points_to_go: 0 },
  },
  orders: { total_amount: 0, total_count: 0, average_amount: 0, last_order_amount: 0 },
});

/** The `CustomerWithSummaryLoyaltyReferrals` answer, keys in the order of the spec's example. */
export function renderCustomer(record: CustomerRecord): Customer {
  const out: Record<string, unknown> = { id: record.id };
  if (record.source_id !== undefined) out.source_id = record.source_id;
  for (const key of ['name', 'description', 'email', 'phone', 'birthdate', 'birthday'] as const) {
    if (record[key] !== undefined) out[key] = record[key];
  }
  out.address = record.address ? { ...record.address } : null;
  out.summary = emptySummary();
  out.loyalty = { points: record.loyalty_points, referred_customers: 0, campaigns: {} };
  out.referrals = { total: 0, campaigns: [] };
  if (record.metadata !== undefined) out.metadata = { ...record.metadata };
  out.system_metadata = record.consents ? { consents: structuredClone(record.consents) } : {};
  out.created_at = record.created_at;
  if (record.updated_at !== undefined) out.updated_at = record.updated_at;
  out.object = 'customer';
  return out as unknown as Customer;
}

export function renderSimpleCustomer(record: CustomerRecord): SimpleCustomer {
  const out: SimpleCustomer = { id: record.id };
  if (typeof record.name === 'string') out.name = record.name;
  if (typeof record.email === 'string') out.email = record.email;
  if (record.source_id !== undefined) out.source_id = record.source_id;
  out.metadata = { ...record.metadata };
  out.object = 'customer';
  return out;
}

/** What segment rules read (`address.city`, `metadata.vip`, `system_metadata.consents.<id>.value`). */
export function ruleView(
  record: Pick<CustomerRecord, 'address' | 'metadata' | 'consents'> & Partial<CustomerRecord>,
): Record<string, unknown> {
  return { ...record, system_metadata: record.consents ? { consents: record.consents } : {} };
}
