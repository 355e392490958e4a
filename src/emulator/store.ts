/**
 * The emulator's customers: records, the indexes lists need (source_id, email, creation order), segment membership
 * and activities. Every write goes through here, so activities and segment changes are recorded in one place,
 * whichever route (or background job) made it.
 */
import type { CustomerPermanentDeletion } from '../api/types.js';
import { ActivityLog, type ActivityChannel, type ActivityRecord } from './activities.js';
import { ConsentCatalog } from './consents.js';
import { applyFields, makeRecord, ruleView, type AddressMode, type CustomerRecord } from './customer-record.js';
import { notFound } from './errors.js';
import { newCustomerId, newPermanentDeletionId } from './ids.js';
import { SegmentIndex, renderSegment, type SegmentDefinition } from './segments.js';
import type { CustomerFields } from './validation.js';

/** Who is writing: the request id becomes the activities' `group_id`. `at` (epoch ms) defaults to now. */
export interface WriteContext {
  requestId: string;
  channel: ActivityChannel;
  at?: number;
}

/**
 * One customer in creation order, pointing at its current record (lists walk these without map lookups);
 * `record` is unset once deleted, and the entry goes at the next compaction.
 */
interface OrderEntry {
  readonly id: string;
  readonly created_ms: number;
  record: CustomerRecord | undefined;
}

/** Identifiers of a permanently deleted customer, so other parts can forget them too. */
export interface ForgottenCustomer {
  id: string;
  source_id?: string;
  email?: string;
}

export class CustomerStore {
  readonly activities = new ActivityLog();
  readonly segments: SegmentIndex;
  private readonly live = new Map<string, CustomerRecord>();
  /** Soft-deleted by a plain DELETE: invisible to reads, its activities kept, until a permanent deletion. */
  private readonly deleted = new Map<string, CustomerRecord>();
  private readonly bySourceId = new Map<string, string>();
  /** One id, or several when customers share an email (a Set per email would cost a big import dearly). */
  private readonly byEmail = new Map<string, string | string[]>();
  private order: OrderEntry[] = [];
  private readonly entries = new Map<string, OrderEntry>();
  private lastCreatedMs = 0;
  private changeListener: () => void = () => {};
  private forgetListener: (customer: ForgottenCustomer) => void = () => {};

  constructor(
    readonly consents: ConsentCatalog,
    segments: readonly SegmentDefinition[],
  ) {
    this.segments = new SegmentIndex(segments);
  }

  /** Called after every change (persistence schedules a write). */
  onChange(listener: () => void): void {
    this.changeListener = listener;
  }

  /** Called when a customer is permanently deleted, with what must be forgotten elsewhere. */
  onForget(listener: (customer: ForgottenCustomer) => void): void {
    this.forgetListener = listener;
  }

  get size(): number {
    return this.live.size;
  }

  /** A live customer by `id`, else by `source_id`. */
  resolve(idOrSourceId: string): CustomerRecord | undefined {
    const byId = this.live.get(idOrSourceId);
    if (byId) return byId;
    const id = this.bySourceId.get(idOrSourceId);
    return id === undefined ? undefined : this.live.get(id);
  }

  /** Like `resolve`, but also finds a soft-deleted customer (its history outlives a plain DELETE). */
  resolveWithDeleted(idOrSourceId: string): CustomerRecord | undefined {
    const found = this.resolve(idOrSourceId) ?? this.deleted.get(idOrSourceId);
    if (found) return found;
    for (const record of this.deleted.values()) if (record.source_id === idOrSourceId) return record;
    return undefined;
  }

  get(id: string): CustomerRecord | undefined {
    return this.live.get(id);
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

  /**
   * Create (POST /v1/customers, bulk, CSV): match by `id` when given (it must exist), else by `source_id`;
   * a match is updated with the fields sent, otherwise a customer is created.
   */
  upsert(
    match: { id?: string; source_id?: string },
    fields: CustomerFields,
    addressMode: AddressMode,
    context: WriteContext,
  ): { record: CustomerRecord; found: boolean } {
    if (match.id !== undefined) {
      const existing = this.live.get(match.id);
      if (!existing) throw notFound('customer', match.id);
      return { record: this.update(existing, fields, addressMode, context), found: true };
    }
    const existing = match.source_id === undefined ? undefined : this.resolveSourceId(match.source_id);
    if (existing) return { record: this.update(existing, fields, addressMode, context), found: true };
    return { record: this.create(match.source_id, fields, context), found: false };
  }

  create(sourceId: string | undefined, fields: CustomerFields, context: WriteContext, extra: { id?: string; loyalty_points?: number } = {}): CustomerRecord {
    const at = context.at ?? Date.now();
    // Distinct creation times keep the `starting_after` date cursor from skipping customers created in the same ms.
    const createdMs = Math.max(at, this.lastCreatedMs + 1);
    const base: CustomerRecord = {
      id: extra.id ?? newCustomerId(),
      ...(sourceId !== undefined ? { source_id: sourceId } : {}),
      address: null,
      loyalty_points: extra.loyalty_points ?? 0,
      created_at: new Date(createdMs).toISOString(),
      created_ms: createdMs,
    };
    const record = applyFields(base, fields, 'replace');
    this.addEntry(record);
    this.index(record);
    this.lastCreatedMs = createdMs;
    this.recordActivity('customer.created', record, { ...context, at: createdMs });
    this.afterWrite(record, { ...context, at: createdMs });
    return record;
  }

  update(record: CustomerRecord, fields: CustomerFields, addressMode: AddressMode, context: WriteContext): CustomerRecord {
    const at = context.at ?? Date.now();
    const next = applyFields(record, fields, addressMode);
    this.touch(next, at);
    this.reindex(record, next);
    this.recordActivity('customer.updated', next, { ...context, at });
    this.afterWrite(next, { ...context, at });
    return next;
  }

  /** Applies a validated consent body; records `customer.consents.given|revoked` for values that changed. */
  setConsents(record: CustomerRecord, decisions: Record<string, boolean>, context: WriteContext): CustomerRecord {
    const at = context.at ?? Date.now();
    const { state, given, revoked } = this.consents.apply(record.consents, decisions, new Date(at).toISOString());
    const next = makeRecord({ ...record, consents: state });
    this.touch(next, at);
    this.reindex(record, next);
    const changeContext = { ...context, at };
    if (given.length) this.recordActivity('customer.consents.given', next, changeContext, { consents: given.map((id) => this.consents.simple(id)) });
    if (revoked.length) this.recordActivity('customer.consents.revoked', next, changeContext, { consents: revoked.map((id) => this.consents.simple(id)) });
    this.afterWrite(next, changeContext);
    return next;
  }

  /** Plain DELETE: gone from every read, history kept. */
  softDelete(record: CustomerRecord, context: WriteContext): void {
    const at = context.at ?? Date.now();
    this.unindex(record);
    const removed = makeRecord({ ...record, deleted_at: new Date(at).toISOString() });
    this.deleted.set(record.id, removed);
    this.recordActivity('customer.deleted', removed, { ...context, at });
    for (const segment of this.segments.segmentsOf(record.id)) {
      this.recordActivity('customer.segment.left', removed, { ...context, at }, { segment: renderSegment(segment) });
    }
    this.segments.remove(record.id);
    this.compactOrder();
    this.changeListener();
  }

  /**
   * GDPR forget: the customer, its activities, consents and memberships are removed for good. Also answers what was
   * forgotten, for the caller to redact its own traces.
   */
  permanentlyDelete(record: CustomerRecord, context: WriteContext): { deletion: CustomerPermanentDeletion; forgotten: ForgottenCustomer } {
    const at = context.at ?? Date.now();
    if (this.live.get(record.id) === record) this.unindex(record);
    this.deleted.delete(record.id);
    const segments = this.segments.remove(record.id);
    const customerEvents = this.activities.remove(record.id);
    this.compactOrder();
    const forgotten: ForgottenCustomer = { id: record.id };
    if (record.source_id !== undefined) forgotten.source_id = record.source_id;
    if (typeof record.email === 'string') forgotten.email = record.email;
    this.forgetListener(forgotten);
    this.changeListener();
    const deletion: CustomerPermanentDeletion = {
      id: newPermanentDeletionId(),
      created_at: new Date(at).toISOString(),
      related_object_id: record.id,
      related_object: 'customer',
      status: 'DONE',
      data_json: {
        events: 0,
        customer_events: customerEvents,
        daily_events: 0,
        segments,
        orders: 0,
        order_events: 0,
        customer: 1,
      },
      object: 'pernament_deletion',
    };
    return { deletion, forgotten };
  }

  clear(): void {
    this.live.clear();
    this.deleted.clear();
    this.bySourceId.clear();
    this.byEmail.clear();
    this.order = [];
    this.entries.clear();
    this.lastCreatedMs = 0;
    this.activities.clear();
    this.segments.clear();
  }

  /** Everything persistence needs, in creation order. */
  snapshot(): { customers: CustomerRecord[]; deleted: CustomerRecord[]; activities: ActivityRecord[] } {
    return { customers: this.inCreationOrder(), deleted: [...this.deleted.values()], activities: [...this.activities.all()] };
  }

  /** Replaces everything with loaded data (no activities are recorded for it). */
  restore(data: { customers: CustomerRecord[]; deleted: CustomerRecord[]; activities: ActivityRecord[] }): void {
    this.clear();
    // Times are re-read from the ISO strings: they are the truth in a (possibly hand-edited) data file.
    const fromSaved = (record: CustomerRecord) =>
      makeRecord({ ...record, created_ms: Date.parse(record.created_at), updated_ms: record.updated_at ? Date.parse(record.updated_at) : undefined });
    const customers = data.customers.map(fromSaved).sort((a, b) => a.created_ms - b.created_ms);
    for (const record of customers) {
      this.addEntry(record);
      this.index(record);
      this.lastCreatedMs = Math.max(this.lastCreatedMs, record.created_ms);
      this.segments.update(record.id, ruleView(record));
    }
    for (const record of data.deleted.map(fromSaved)) {
      this.deleted.set(record.id, record);
      this.lastCreatedMs = Math.max(this.lastCreatedMs, record.created_ms);
    }
    for (const activity of data.activities) this.activities.add(activity);
  }

  private resolveSourceId(sourceId: string): CustomerRecord | undefined {
    const id = this.bySourceId.get(sourceId);
    return id === undefined ? undefined : this.live.get(id);
  }

  private touch(record: { updated_at?: string; updated_ms?: number; created_ms: number }, at: number): void {
    const ms = Math.max(at, record.created_ms);
    record.updated_ms = ms;
    record.updated_at = new Date(ms).toISOString();
  }

  private addEntry(record: CustomerRecord): void {
    const entry: OrderEntry = { id: record.id, created_ms: record.created_ms, record: undefined };
    this.order.push(entry);
    this.entries.set(record.id, entry);
  }

  private index(record: CustomerRecord): void {
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

  private unindex(record: CustomerRecord): void {
    this.live.delete(record.id);
    const entry = this.entries.get(record.id);
    if (entry) entry.record = undefined;
    if (record.source_id !== undefined && this.bySourceId.get(record.source_id) === record.id) this.bySourceId.delete(record.source_id);
    if (typeof record.email === 'string') {
      const ids = this.byEmail.get(record.email);
      if (ids === record.id) this.byEmail.delete(record.email);
      else if (Array.isArray(ids)) {
        const rest = ids.filter((id) => id !== record.id);
        this.byEmail.set(record.email, rest.length === 1 ? rest[0]! : rest);
      }
    }
  }

  private reindex(before: CustomerRecord, after: CustomerRecord): void {
    this.unindex(before);
    this.index(after);
  }

  /** Re-evaluates segments (recording entered/left) and announces the change. */
  private afterWrite(record: CustomerRecord, context: WriteContext & { at: number }): void {
    const { entered, left } = this.segments.update(record.id, ruleView(record));
    for (const segment of entered) this.recordActivity('customer.segment.entered', record, context, { segment: renderSegment(segment) });
    for (const segment of left) this.recordActivity('customer.segment.left', record, context, { segment: renderSegment(segment) });
    this.changeListener();
  }

  private recordActivity(
    type: string,
    customer: CustomerRecord,
    context: WriteContext & { at: number },
    extra: Pick<ActivityRecord, 'segment' | 'consents'> = {},
  ): void {
    this.activities.record({ type, customer, group_id: context.requestId, channel: context.channel, at: context.at, ...extra });
  }

  /** Drops entries of deleted customers once they are a good part of the creation-order list. */
  private compactOrder(): void {
    if (this.order.length > 64 && this.order.length > 2 * this.live.size) {
      this.order = this.order.filter((entry) => {
        if (!entry.record) this.entries.delete(entry.id);
        return entry.record !== undefined;
      });
    }
  }
}
