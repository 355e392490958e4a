/**
 * The emulator's customers: every write to them, soft-deleted ones, segment membership and activities (the live
 * customers' indexes are in `customer-index.ts`). Every write goes through here, so activities and segment changes are recorded in one place,
 * whichever route (or background job) made it.
 */
import type { CustomerPermanentDeletion } from '../api/types.js';
import { ActivityLog, type ActivityChannel, type ActivityRecord } from './activities.js';
import type { ConsentCatalog } from './consents.js';
import { CustomerIndex } from './customer-index.js';
import { applyFields, makeRecord, ruleView, type AddressMode, type CustomerRecord } from './customer-record.js';
import type { DataEntry } from './data-entries.js';
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

/** Identifiers of a permanently deleted customer, so other parts can forget them too. */
export interface ForgottenCustomer {
  id: string;
  source_id?: string;
  email?: string;
}

export class CustomerStore {
  readonly activities = new ActivityLog();
  readonly segments: SegmentIndex;
  /** The live customers, for reads. */
  readonly index = new CustomerIndex();
  /** Soft-deleted by a plain DELETE: invisible to reads, its activities kept, until a permanent deletion. */
  private readonly deleted = new Map<string, CustomerRecord>();
  private lastCreatedMs = 0;
  private changeListener: (change: DataEntry) => void = () => {};
  private forgetListener: (customer: ForgottenCustomer) => void = () => {};

  constructor(
    readonly consents: ConsentCatalog,
    segments: readonly SegmentDefinition[],
  ) {
    this.segments = new SegmentIndex(segments);
  }

  /** Told every change as it happens, in order (persistence logs them). */
  onChange(listener: (change: DataEntry) => void): void {
    this.changeListener = listener;
  }

  /** A customer's current record by `id`, live or soft-deleted. */
  recordOf(id: string): CustomerRecord | undefined {
    return this.index.get(id) ?? this.deleted.get(id);
  }

  /** Called when a customer is permanently deleted, with what must be forgotten elsewhere. */
  onForget(listener: (customer: ForgottenCustomer) => void): void {
    this.forgetListener = listener;
  }

  /** A live customer by `id`, else by `source_id`. */
  resolve(idOrSourceId: string): CustomerRecord | undefined {
    return this.index.get(idOrSourceId) ?? this.index.bySource(idOrSourceId);
  }

  /** Like `resolve`, but also finds a soft-deleted customer (its history outlives a plain DELETE). */
  resolveWithDeleted(idOrSourceId: string): CustomerRecord | undefined {
    const found = this.resolve(idOrSourceId) ?? this.deleted.get(idOrSourceId);
    if (found) return found;
    for (const record of this.deleted.values()) if (record.source_id === idOrSourceId) return record;
    return undefined;
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
      const existing = this.index.get(match.id);
      if (!existing) throw notFound('customer', match.id);
      return { record: this.update(existing, fields, addressMode, context), found: true };
    }
    const existing = match.source_id === undefined ? undefined : this.index.bySource(match.source_id);
    if (existing) return { record: this.update(existing, fields, addressMode, context), found: true };
    return { record: this.create(match.source_id, fields, context), found: false };
  }

  create(
    sourceId: string | undefined,
    fields: CustomerFields,
    context: WriteContext,
    extra: { id?: string; loyalty_points?: number } = {},
  ): CustomerRecord {
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
    this.index.add(record);
    this.lastCreatedMs = createdMs;
    this.changeListener({ kind: 'customer', record });
    this.recordActivity('customer.created', record, { ...context, at: createdMs });
    this.afterWrite(record, { ...context, at: createdMs });
    return record;
  }

  update(
    record: CustomerRecord,
    fields: CustomerFields,
    addressMode: AddressMode,
    context: WriteContext,
  ): CustomerRecord {
    const at = context.at ?? Date.now();
    this.assertCurrent(record);
    const next = applyFields(record, fields, addressMode);
    this.touch(next, at);
    this.index.replace(record, next);
    this.changeListener({ kind: 'customer', record: next, previous: record });
    this.recordActivity('customer.updated', next, { ...context, at });
    this.afterWrite(next, { ...context, at });
    return next;
  }

  /** Applies a validated consent body; records `customer.consents.given|revoked` for values that changed. */
  setConsents(record: CustomerRecord, decisions: Record<string, boolean>, context: WriteContext): CustomerRecord {
    const at = context.at ?? Date.now();
    this.assertCurrent(record);
    const { state, given, revoked } = this.consents.apply(record.consents, decisions, new Date(at).toISOString());
    const next = makeRecord({ ...record, consents: state });
    this.touch(next, at);
    this.index.replace(record, next);
    this.changeListener({ kind: 'customer', record: next, previous: record });
    const changeContext = { ...context, at };
    if (given.length)
      this.recordActivity('customer.consents.given', next, changeContext, {
        consents: given.map((id) => this.consents.simple(id)),
      });
    if (revoked.length)
      this.recordActivity('customer.consents.revoked', next, changeContext, {
        consents: revoked.map((id) => this.consents.simple(id)),
      });
    this.afterWrite(next, changeContext);
    return next;
  }

  /** Plain DELETE: gone from every read, history kept. */
  softDelete(record: CustomerRecord, context: WriteContext): void {
    const at = context.at ?? Date.now();
    this.assertCurrent(record);
    this.index.remove(record);
    const removed = makeRecord({ ...record, deleted_at: new Date(at).toISOString() });
    this.deleted.set(record.id, removed);
    this.changeListener({ kind: 'deleted', record: removed });
    this.recordActivity('customer.deleted', removed, { ...context, at });
    for (const segment of this.segments.segmentsOf(record.id)) {
      this.recordActivity('customer.segment.left', removed, { ...context, at }, { segment: renderSegment(segment) });
    }
    this.segments.remove(record.id);
    this.index.compact();
  }

  /**
   * GDPR forget: the customer, its activities, consents and memberships are removed for good. Also answers what was
   * forgotten, for the caller to redact its own traces.
   */
  permanentlyDelete(
    record: CustomerRecord,
    context: WriteContext,
  ): { deletion: CustomerPermanentDeletion; forgotten: ForgottenCustomer } {
    const at = context.at ?? Date.now();
    if (this.recordOf(record.id) !== record) throw new Error(`Stale record of customer ${record.id}`);
    if (this.index.get(record.id) === record) this.index.remove(record);
    this.deleted.delete(record.id);
    const segments = this.segments.remove(record.id);
    const customerEvents = this.activities.remove(record.id);
    this.index.compact();
    const forgotten: ForgottenCustomer = { id: record.id };
    if (record.source_id !== undefined) forgotten.source_id = record.source_id;
    if (typeof record.email === 'string') forgotten.email = record.email;
    this.changeListener({ kind: 'forgotten', id: record.id });
    this.forgetListener(forgotten);
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
    this.index.clear();
    this.deleted.clear();
    this.lastCreatedMs = 0;
    this.activities.clear();
    this.segments.clear();
  }

  /** Everything persistence keeps, in creation order, as one consistent view (records are immutable). */
  capture(): { customers: CustomerRecord[]; deleted: CustomerRecord[]; activities: ActivityRecord[] } {
    return {
      customers: this.index.inCreationOrder(),
      deleted: [...this.deleted.values()],
      activities: [...this.activities.all()],
    };
  }

  /**
   * Replaces everything with loaded records and each customer's activities (nothing is recorded or announced for
   * them). A customer's list is taken as it is when already in id order, as a log replays it.
   */
  load(data: {
    customers: Iterable<CustomerRecord>;
    deleted: Iterable<CustomerRecord>;
    activities: Map<string, ActivityRecord[]>;
  }): void {
    this.clear();
    const customers = [...data.customers].sort((a, b) => a.created_ms - b.created_ms);
    for (const record of customers) {
      this.index.add(record);
      this.lastCreatedMs = Math.max(this.lastCreatedMs, record.created_ms);
      this.segments.update(record.id, ruleView(record));
    }
    for (const record of data.deleted) {
      this.deleted.set(record.id, record);
      this.lastCreatedMs = Math.max(this.lastCreatedMs, record.created_ms);
    }
    for (const [customerId, list] of data.activities) {
      if (list.every((activity, i) => i === 0 || list[i - 1]!.id < activity.id))
        this.activities.adopt(customerId, list);
      else for (const activity of list) this.activities.add(activity);
    }
  }

  /**
   * Writes start from the customer's current record: one taken before an await (a request body still arriving) may
   * be stale, and writing it would lose a change made meanwhile or bring back a deleted customer.
   */
  private assertCurrent(record: CustomerRecord): void {
    if (this.index.get(record.id) !== record) throw new Error(`Stale record of customer ${record.id}`);
  }

  private touch(record: { updated_at?: string; updated_ms?: number; created_ms: number }, at: number): void {
    const ms = Math.max(at, record.created_ms);
    record.updated_ms = ms;
    record.updated_at = new Date(ms).toISOString();
  }

  /** Re-evaluates segments (recording entered/left) and announces the change. */
  private afterWrite(record: CustomerRecord, context: WriteContext & { at: number }): void {
    const { entered, left } = this.segments.update(record.id, ruleView(record));
    for (const segment of entered)
      this.recordActivity('customer.segment.entered', record, context, { segment: renderSegment(segment) });
    for (const segment of left)
      this.recordActivity('customer.segment.left', record, context, { segment: renderSegment(segment) });
  }

  private recordActivity(
    type: string,
    customer: CustomerRecord,
    context: WriteContext & { at: number },
    extra: Pick<ActivityRecord, 'segment' | 'consents'> = {},
  ): void {
    const activity = this.activities.record({
      type,
      customer,
      group_id: context.requestId,
      channel: context.channel,
      at: context.at,
      ...extra,
    });
    this.changeListener({ kind: 'activity', activity });
  }
}
