/**
 * What a customer may see of themselves and change: projections from Voucherify's customer, activity and segment
 * objects to the edge contract (`src/api/edge-types.ts`), and validation of `PUT /v1/me` and the activity query.
 * Projections copy allow-listed fields one by one, so a field Voucherify adds tomorrow does not leak.
 */
import type {
  Address,
  Customer,
  CustomerActivity,
  CustomerSegmentsList,
  ListCustomerActivitiesParams,
} from '../api/types.js';
import type { EdgeActivity, EdgeProfile, EdgeProfileUpdate, EdgeSegmentList } from '../api/edge-types.js';
import {
  ADDRESS_FIELDS,
  EARLIEST_BIRTHDATE,
  MAX_LENGTH,
  PHONE_PATTERN,
  PROFILE_UPDATE_FIELDS as UPDATE_FIELDS,
  today,
} from '../api/profile-rules.js';
import { invalidPayload, invalidQuery, onlyQueryParams } from './errors.js';

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function projectAddress(value: unknown): Address | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const source = value as Record<string, unknown>;
  const address: Address = {};
  for (const field of ADDRESS_FIELDS) if (field in source) address[field] = stringOrNull(source[field]);
  return address;
}

export function projectProfile(customer: Customer, metadataKeys: readonly string[]): EdgeProfile {
  const metadata: Record<string, unknown> = {};
  const source =
    customer.metadata && typeof customer.metadata === 'object' && !Array.isArray(customer.metadata)
      ? customer.metadata
      : {};
  for (const key of metadataKeys) if (Object.hasOwn(source, key)) metadata[key] = source[key];
  const points = customer.loyalty && typeof customer.loyalty.points === 'number' ? customer.loyalty.points : 0;
  return {
    id: customer.id,
    source_id: stringOrNull(customer.source_id),
    name: stringOrNull(customer.name),
    email: stringOrNull(customer.email),
    phone: stringOrNull(customer.phone),
    birthdate: stringOrNull(customer.birthdate ?? customer.birthday),
    address: projectAddress(customer.address),
    metadata,
    loyalty: points > 0 ? { points } : null,
    created_at: stringOrNull(customer.created_at),
    updated_at: stringOrNull(customer.updated_at),
  };
}

// ---------------------------------------------------------------------------------------------------------------

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/u;
const PHONE = new RegExp(`^(?:${PHONE_PATTERN})$`);

export function isDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

function checkText(field: string, value: unknown, max: number): string | null {
  if (value === null) return null;
  if (typeof value !== 'string') throw invalidPayload(`${field} must be a string or null.`);
  if (value.length > max) throw invalidPayload(`${field} must be at most ${max} characters.`);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what this refuses
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value))
    throw invalidPayload(`${field} contains control characters.`);
  return value;
}

/**
 * Validates a `PUT /v1/me` body: only the allow-listed fields, only the shop's metadata keys, each value of the
 * right type. Errors name the offending fields. Identity fields (`id`, `source_id`) are refused like any other
 * unknown field: the customer is always the session's.
 */
export function parseProfileUpdate(body: Record<string, unknown>, metadataKeys: readonly string[]): EdgeProfileUpdate {
  const unknown = Object.keys(body).filter((key) => !(UPDATE_FIELDS as readonly string[]).includes(key));
  if (unknown.length)
    throw invalidPayload(`Unknown or read-only fields: ${unknown.join(', ')}. Allowed: ${UPDATE_FIELDS.join(', ')}.`);
  if (Object.keys(body).length === 0) throw invalidPayload('The payload cannot be empty.');
  const update: EdgeProfileUpdate = {};
  if ('name' in body) update.name = checkText('name', body.name, MAX_LENGTH.name);
  if ('email' in body) {
    const email = checkText('email', body.email, MAX_LENGTH.email);
    if (email !== null && !EMAIL.test(email)) throw invalidPayload('email is not a valid email address.');
    update.email = email;
  }
  if ('phone' in body) {
    const phone = checkText('phone', body.phone, MAX_LENGTH.phone);
    if (phone !== null && !PHONE.test(phone))
      throw invalidPayload('phone may hold only digits, spaces and + ( ) . / -');
    update.phone = phone;
  }
  if ('birthdate' in body) {
    const birthdate = checkText('birthdate', body.birthdate, MAX_LENGTH.birthdate);
    if (birthdate !== null && (!isDate(birthdate) || birthdate < EARLIEST_BIRTHDATE || birthdate > today())) {
      throw invalidPayload('birthdate must be a past date in the form YYYY-MM-DD.');
    }
    update.birthdate = birthdate;
  }
  if ('address' in body) {
    const address = body.address;
    if (address === null) update.address = null;
    else if (!isPlainObject(address)) throw invalidPayload('address must be an object or null.');
    else {
      const extra = Object.keys(address).filter((key) => !(ADDRESS_FIELDS as readonly string[]).includes(key));
      if (extra.length)
        throw invalidPayload(`Unknown address fields: ${extra.join(', ')}. Allowed: ${ADDRESS_FIELDS.join(', ')}.`);
      const clean: Address = {};
      for (const field of ADDRESS_FIELDS)
        if (field in address) clean[field] = checkText(`address.${field}`, address[field], MAX_LENGTH.address);
      update.address = clean;
    }
  }
  if ('metadata' in body) {
    const metadata = body.metadata;
    if (!isPlainObject(metadata)) throw invalidPayload('metadata must be an object.');
    const refused = Object.keys(metadata).filter((key) => !metadataKeys.includes(key));
    if (refused.length) {
      throw invalidPayload(
        `These metadata keys may not be changed: ${refused.join(', ')}.` +
          (metadataKeys.length ? ` Allowed: ${metadataKeys.join(', ')}.` : ' No metadata key is editable.'),
      );
    }
    const clean: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(metadata)) {
      if (value === null || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value)))
        clean[key] = value;
      else if (typeof value === 'string') clean[key] = checkText(`metadata.${key}`, value, MAX_LENGTH.metadata);
      else throw invalidPayload(`metadata.${key} must be a string, number, boolean or null.`);
    }
    update.metadata = clean;
  }
  return update;
}

// ---------------------------------------------------------------------------------------------------------------
// Activities and segments

export const ACTIVITY_QUERY_PARAMS = [
  'limit',
  'order',
  'starting_after',
  'starting_after_id',
  'start_date',
  'end_date',
  'campaign_type',
  'campaign_id',
  'product_id',
] as const;
const ACTIVITY_ORDERS = ['created_at', 'updated_at', 'type', 'code', 'campaign', 'category'];
const CAMPAIGN_TYPES = ['PROMOTION', 'GIFT_VOUCHERS', 'REFERRAL_PROGRAM', 'DISCOUNT_COUPONS', 'LOYALTY_PROGRAM'];
const ID_PARAM = /^[A-Za-z0-9_.:-]{1,100}$/;

function isDateTime(value: string): boolean {
  return (
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) &&
    !Number.isNaN(Date.parse(value))
  );
}

/** Validates the seed's activity filters. `limit` defaults to 10 (1..100). Unknown parameters are refused. */
export function parseActivityQuery(query: URLSearchParams): ListCustomerActivitiesParams & { limit: number } {
  onlyQueryParams(query, ACTIVITY_QUERY_PARAMS);
  for (const key of new Set(query.keys()))
    if (query.getAll(key).length > 1) throw invalidQuery(`${key} may be given once.`);
  const params: ListCustomerActivitiesParams & { limit: number } = { limit: 10 };
  const limit = query.get('limit');
  if (limit !== null) {
    const value = Number(limit);
    if (!/^\d{1,3}$/.test(limit) || value < 1 || value > 100)
      throw invalidQuery('limit must be a whole number from 1 to 100.');
    params.limit = value;
  }
  const order = query.get('order');
  if (order !== null) {
    if (!ACTIVITY_ORDERS.includes(order.replace(/^-/, '')))
      throw invalidQuery(`order must be one of ${ACTIVITY_ORDERS.join(', ')} (optionally prefixed with -).`);
    params.order = order as NonNullable<ListCustomerActivitiesParams['order']>;
  }
  for (const key of ['starting_after', 'start_date', 'end_date'] as const) {
    const value = query.get(key);
    if (value === null) continue;
    if (!isDateTime(value)) throw invalidQuery(`${key} must be an ISO 8601 date-time.`);
    params[key] = value;
  }
  for (const key of ['starting_after_id', 'campaign_id', 'product_id'] as const) {
    const value = query.get(key);
    if (value === null) continue;
    if (!ID_PARAM.test(value)) throw invalidQuery(`${key} must be an id (letters, digits, _ . : -).`);
    params[key] = value;
  }
  const campaignType = query.get('campaign_type');
  if (campaignType !== null) {
    if (!CAMPAIGN_TYPES.includes(campaignType))
      throw invalidQuery(`campaign_type must be one of ${CAMPAIGN_TYPES.join(', ')}.`);
    params.campaign_type = campaignType as NonNullable<ListCustomerActivitiesParams['campaign_type']>;
  }
  return params;
}

function activityPayload(activity: CustomerActivity): Record<string, unknown> {
  const data = activity.data as unknown;
  if (Array.isArray(data)) return isPlainObject(data[0]) ? data[0] : {};
  if (!isPlainObject(data)) return {};
  return isPlainObject(data.data) ? data.data : data;
}

/** One activity as its customer may see it: type, date, and the segment or consents it names. */
export function projectActivity(activity: CustomerActivity): EdgeActivity {
  const projected: EdgeActivity = {
    id: String(activity.id),
    type: String(activity.type),
    created_at: String(activity.created_at),
  };
  const payload = activityPayload(activity);
  const segment = payload.segment;
  if (isPlainObject(segment) && typeof segment.id === 'string') {
    projected.segment = { id: segment.id, name: typeof segment.name === 'string' ? segment.name : '' };
  }
  if (Array.isArray(payload.consents)) {
    projected.consents = payload.consents
      .filter((consent): consent is Record<string, unknown> => isPlainObject(consent) && typeof consent.id === 'string')
      .map((consent) => ({ id: consent.id as string, name: typeof consent.name === 'string' ? consent.name : '' }));
  }
  return projected;
}

export function projectSegments(list: CustomerSegmentsList): EdgeSegmentList {
  const data = (Array.isArray(list?.data) ? list.data : [])
    .filter((segment) => isPlainObject(segment) && typeof segment.id === 'string')
    .map((segment) => ({ id: segment.id, name: typeof segment.name === 'string' ? segment.name : '' }));
  return { object: 'list', data, total: data.length };
}
