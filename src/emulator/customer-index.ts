/**
 * The live customers and the indexes reads need: by id, by `source_id`, by email, and in creation order. Kept apart
 * from the writes (`store.ts`), which keep it current.
 */
import type { CustomerRecord } from './customer-record.js';

/**
 * One customer in creation order, pointing at its current record (lists walk these without map lookups);
 * `record` is unset once deleted, and the entry goes at the next compaction.
 */
interface OrderEntry {
  readonly id: string;
  readonly created_ms: number;
  record: CustomerRecord | undefined;
}

export class CustomerIndex {
  private readonly live = new Map<string, CustomerRecord>();
  private readonly bySourceId = new Map<string, string>();
  /** One id, or several when customers share an email (a Set per email would cost a big import dearly). */
  private readonly byEmail = new Map<string, string | string[]>();
  private order: OrderEntry[] = [];
  private readonly entries = new Map<string, OrderEntry>();

  get size(): number {
    return this.live.size;
  }

  get(id: string): CustomerRecord | undefined {
    return this.live.get(id);
  }

  bySource(sourceId: string): CustomerRecord | undefined {
    const id = this.bySourceId.get(sourceId);
    return id === undefined ? undefined : this.live.get(id);
  }

  idsWithEmail(email: string): readonly string[] {
    const ids = this.byEmail.get(email);
    return ids === undefined ? [] : typeof ids === 'string' ? [ids] : ids;
  }

  /**
   * Visits live customers in creation order (ascending `created_at`, or descending) from `fromIndex`, until `visit`
   * returns false. A plain loop: lists walk every customer, and generators cost more than the filtering.
   */
  walkCreationOrder(descending: boolean, visit: (record: CustomerRecord) => boolean | void, fromIndex?: number): void {
    const order = this.order;
    if (descending) {
      for (let i = fromIndex ?? order.length - 1; i >= 0; i--) {
        const record = order[i]!.record;
        if (record && visit(record) === false) return;
      }
    } else {
      for (let i = fromIndex ?? 0; i < order.length; i++) {
        const record = order[i]!.record;
        if (record && visit(record) === false) return;
      }
    }
  }

  /** Live customers in creation order. */
  inCreationOrder(): CustomerRecord[] {
    const out: CustomerRecord[] = [];
    this.walkCreationOrder(false, (record) => void out.push(record));
    return out;
  }

  /** Index of the first order entry created after `ms` (binary search; creation order is sorted by time). */
  indexCreatedAfter(ms: number): number {
    let low = 0;
    let high = this.order.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.order[mid]!.created_ms <= ms) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** A new customer, last in creation order. */
  add(record: CustomerRecord): void {
    const entry: OrderEntry = { id: record.id, created_ms: record.created_ms, record: undefined };
    this.order.push(entry);
    this.entries.set(record.id, entry);
    this.put(record);
  }

  /** A customer's record after a write. */
  replace(before: CustomerRecord, after: CustomerRecord): void {
    this.remove(before);
    this.put(after);
  }

  /** Drops a customer from every index (its order entry goes at the next compaction). */
  remove(record: CustomerRecord): void {
    this.live.delete(record.id);
    const entry = this.entries.get(record.id);
    if (entry) entry.record = undefined;
    if (record.source_id !== undefined && this.bySourceId.get(record.source_id) === record.id)
      this.bySourceId.delete(record.source_id);
    if (typeof record.email === 'string') {
      const ids = this.byEmail.get(record.email);
      if (ids === record.id) this.byEmail.delete(record.email);
      else if (Array.isArray(ids)) {
        const rest = ids.filter((id) => id !== record.id);
        this.byEmail.set(record.email, rest.length === 1 ? rest[0]! : rest);
      }
    }
  }

  clear(): void {
    this.live.clear();
    this.bySourceId.clear();
    this.byEmail.clear();
    this.order = [];
    this.entries.clear();
  }

  private put(record: CustomerRecord): void {
    this.live.set(record.id, record);
    const entry = this.entries.get(record.id);
    if (entry) entry.record = record;
    if (record.source_id !== undefined) this.bySourceId.set(record.source_id, record.id);
    if (typeof record.email === 'string') {
      const ids = this.byEmail.get(record.email);
      if (ids === undefined) this.byEmail.set(record.email, record.id);
      else if (typeof ids === 'string') this.byEmail.set(record.email, [ids, record.id]);
      else ids.push(record.id);
    }
  }

  /** Drops entries of deleted customers once they are a good part of the creation-order list. */
  compact(): void {
    if (this.order.length > 64 && this.order.length > 2 * this.live.size) {
      this.order = this.order.filter((entry) => {
        if (!entry.record) this.entries.delete(entry.id);
        return entry.record !== undefined;
      });
    }
  }
}
