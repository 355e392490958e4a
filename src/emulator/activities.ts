/**
 * Customer activities, recorded as things happen, and the two list endpoints over them: the deprecated
 * `/activities` (`total`, date or id cursor, 12 orders) and its replacement `/activity` (`has_more`,
 * `more_starting_after`). Activity ids grow with time, so id order is creation order.
 */
import type { CustomerActivity, EventSource, SimpleConsent, SimpleSegment } from '../api/types.js';
import { renderCustomer, renderSimpleCustomer, type CustomerRecord } from './customer-record.js';
import { invalidQueryParams } from './errors.js';
import { newActivityId } from './ids.js';
import { describe, QueryReader } from './validation.js';

export type ActivityChannel = EventSource['channel'];

export interface ActivityRecord {
  readonly id: string;
  readonly type: string;
  readonly created_at: string;
  readonly created_ms: number;
  /** The request that caused it. */
  readonly group_id: string;
  readonly channel: ActivityChannel;
  /** The customer as it was when this happened. */
  readonly customer: CustomerRecord;
  readonly segment?: SimpleSegment;
  readonly consents?: SimpleConsent[];
}

export const CAMPAIGN_TYPES = [
  'PROMOTION',
  'GIFT_VOUCHERS',
  'REFERRAL_PROGRAM',
  'DISCOUNT_COUPONS',
  'LOYALTY_PROGRAM',
] as const;

/** The `type` filter's values in the current spec, plus the consent events of the 2024 spec. */
export const ACTIVITY_TYPES: readonly string[] = [
  ...['confirmed', 'created', 'updated', 'deleted', 'referred', 'custom_event', 'segment.entered', 'segment.left'],
  ...['sms', 'email', 'activecampaign', 'braze', 'mailchimp', 'intercom', 'shopify', 'klaviyo', 'batch'].flatMap(
    (channel) => ['sent', 'recovered', 'failed'].map((outcome) => `${channel}.${outcome}`),
  ),
  ...['rewarded', 'rewarded.loyalty_points', 'voucher.gift.balance_added'],
  ...['points_added', 'points_transferred', 'points_expired'].map((event) => `voucher.loyalty_card.${event}`),
  ...['voucher.deleted', 'publication.succeeded', 'publication.failed', 'validation.succeeded', 'validation.failed'],
  ...['failed', 'succeeded', 'rollback.failed', 'rollback.succeeded'].map((event) => `redemption.${event}`),
  ...['canceled', 'created', 'fulfilled', 'paid', 'processing', 'updated'].map((event) => `order.${event}`),
  ...['created', 'pending', 'completed', 'rolledback'].map((event) => `reward_redemptions.${event}`),
  'loyalty.updated',
  ...['upgraded', 'downgraded', 'prolonged', 'expiration.changed', 'joined', 'left'].map(
    (event) => `loyalty.tier.${event}`,
  ),
  'consents.given',
  'consents.revoked',
].map((type) => `customer.${type}`);

/** What a caller did is an ACTION; what followed from it (segment changes) is an EFFECT. */
export const categoryOf = (type: string): 'ACTION' | 'EFFECT' =>
  type.startsWith('customer.segment.') ? 'EFFECT' : 'ACTION';

/**
 * Events whose data holds the full customer (`CustomerWithSummaryLoyaltyReferrals` in the spec's `EventCustomer*`
 * schemas); the consent events of the 2024 spec hold a `SimpleCustomer`.
 */
const FULL_CUSTOMER_EVENTS = new Set([
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'customer.segment.entered',
  'customer.segment.left',
]);

/**
 * Whether `other` stands for the activity's customer as the API shows it: the very record, or, for an event that shows
 * only the simple customer (the consent events), a version that agrees on the fields shown.
 */
export function showsSameCustomer(activity: ActivityRecord, other: CustomerRecord | undefined): boolean {
  const { customer } = activity;
  if (other === customer) return true;
  if (!other || other.id !== customer.id || FULL_CUSTOMER_EVENTS.has(activity.type)) return false;
  return (
    other.name === customer.name &&
    other.email === customer.email &&
    other.source_id === customer.source_id &&
    (other.metadata === customer.metadata || JSON.stringify(other.metadata) === JSON.stringify(customer.metadata))
  );
}

export function renderActivity(activity: ActivityRecord): CustomerActivity {
  const full = FULL_CUSTOMER_EVENTS.has(activity.type);
  const data: Record<string, unknown> = {
    customer: full ? renderCustomer(activity.customer) : renderSimpleCustomer(activity.customer),
  };
  if (activity.segment) data.segment = activity.segment;
  if (activity.consents) data.consents = activity.consents;
  return {
    id: activity.id,
    type: activity.type,
    data: { data, event_source: { channel: activity.channel } },
    created_at: activity.created_at,
    group_id: activity.group_id,
  };
}

export class ActivityLog {
  private readonly byCustomer = new Map<string, ActivityRecord[]>();

  record(input: Omit<ActivityRecord, 'id' | 'created_at' | 'created_ms'> & { at: number }): ActivityRecord {
    const { at, ...rest } = input;
    const activity: ActivityRecord = {
      id: newActivityId(at),
      created_at: new Date(at).toISOString(),
      created_ms: at,
      ...rest,
    };
    this.add(activity);
    return activity;
  }

  /** Takes a customer's loaded activities, already in id order, as they are. */
  adopt(customerId: string, activities: ActivityRecord[]): void {
    this.byCustomer.set(customerId, activities);
  }

  /** Adds a recorded (or loaded) activity, keeping each customer's list in id order. */
  add(activity: ActivityRecord): void {
    const list = this.byCustomer.get(activity.customer.id);
    if (!list) {
      this.byCustomer.set(activity.customer.id, [activity]);
    } else if (list.length === 0 || list[list.length - 1]!.id < activity.id) {
      list.push(activity);
    } else {
      list.push(activity);
      list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
  }

  of(customerId: string): readonly ActivityRecord[] {
    return this.byCustomer.get(customerId) ?? [];
  }

  /** Forgets every activity of a customer; returns how many there were. */
  remove(customerId: string): number {
    const count = this.byCustomer.get(customerId)?.length ?? 0;
    this.byCustomer.delete(customerId);
    return count;
  }

  *all(): Iterable<ActivityRecord> {
    for (const list of this.byCustomer.values()) yield* list;
  }

  clear(): void {
    this.byCustomer.clear();
  }
}

/** Filters shared by both list endpoints. Our activities belong to no campaign or product. */
function commonFilters(query: QueryReader): (activity: ActivityRecord) => boolean {
  query.integer('limit', 1, 100);
  const start = query.date('start_date');
  const end = query.date('end_date');
  const campaignType = query.oneOf('campaign_type', CAMPAIGN_TYPES);
  const campaignId = query.string('campaign_id');
  return (activity) =>
    (start === undefined || activity.created_ms >= start) &&
    (end === undefined || activity.created_ms <= end) &&
    campaignType === undefined &&
    campaignId === undefined;
}

/**
 * `starting_after_id`, which must name one of the customer's own activities: an unknown id is refused rather than
 * read as a position in id order (which would silently restart the list or end it).
 */
function cursorId(query: QueryReader, activities: readonly ActivityRecord[]): string | undefined {
  const id = query.string('starting_after_id');
  if (id === undefined || activities.some((activity) => activity.id === id)) return id;
  throw invalidQueryParams(
    `Property .starting_after_id must be the id of one of this customer's activities (actual value is ${describe(id)})`,
  );
}

/** `GET /v1/customers/{id}/activity` */
export function listActivity(activities: readonly ActivityRecord[], params: URLSearchParams) {
  const query = new QueryReader(params);
  const limit = query.integer('limit', 1, 100) ?? 10;
  const order = query.oneOf('order', ['created_at', '-created_at'] as const) ?? '-created_at';
  const category = query.oneOf('category', ['ACTION', 'EFFECT'] as const);
  const type = query.oneOf('type', ACTIVITY_TYPES);
  const after = cursorId(query, activities);
  const common = commonFilters(query);
  const ascending = order === 'created_at';

  const page: ActivityRecord[] = [];
  let hasMore = false;
  for (let i = 0; i < activities.length; i++) {
    const activity = activities[ascending ? i : activities.length - 1 - i]!;
    if (after !== undefined && (ascending ? activity.id <= after : activity.id >= after)) continue;
    if (!common(activity) || (type !== undefined && activity.type !== type)) continue;
    if (category !== undefined && categoryOf(activity.type) !== category) continue;
    if (page.length === limit) {
      hasMore = true;
      break;
    }
    page.push(activity);
  }
  return {
    object: 'list' as const,
    data_ref: 'data' as const,
    data: page.map(renderActivity),
    has_more: hasMore,
    ...(hasMore ? { more_starting_after: page[page.length - 1]!.id } : {}),
  };
}

const DEPRECATED_ORDERS = ['created_at', 'updated_at', 'type', 'code', 'campaign', 'category'].flatMap((key) => [
  key,
  `-${key}`,
]);

/** `GET /v1/customers/{id}/activities` (deprecated) */
export function listActivities(activities: readonly ActivityRecord[], params: URLSearchParams) {
  const query = new QueryReader(params);
  const limit = query.integer('limit', 1, 100) ?? 10;
  const order = query.oneOf('order', DEPRECATED_ORDERS) ?? '-created_at';
  const startingAfter = query.date('starting_after');
  const afterId = cursorId(query, activities);
  const productId = query.string('product_id');
  const common = commonFilters(query);
  const descending = order.startsWith('-');
  const key = order.replace(/^-/, '');

  let matches = activities.filter(
    (activity) =>
      common(activity) &&
      productId === undefined &&
      (startingAfter === undefined ||
        (descending ? activity.created_ms < startingAfter : activity.created_ms > startingAfter)) &&
      (afterId === undefined || (descending ? activity.id < afterId : activity.id > afterId)),
  );
  // Activities carry no code or campaign; those orders fall back to creation order.
  const sortKey =
    key === 'type'
      ? (a: ActivityRecord) => a.type
      : key === 'category'
        ? (a: ActivityRecord) => categoryOf(a.type)
        : undefined;
  if (sortKey) matches = [...matches].sort((a, b) => sortKey(a).localeCompare(sortKey(b)) || (a.id < b.id ? -1 : 1));
  if (descending) matches = [...matches].reverse();
  return {
    object: 'list' as const,
    data_ref: 'data' as const,
    data: matches.slice(0, limit).map(renderActivity),
    total: matches.length,
  };
}
