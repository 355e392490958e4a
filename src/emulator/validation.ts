/**
 * Checks of request bodies and query strings. Each failure names the property, in the `field: reason (actual value
 * is …)` style of Voucherify's own validation messages, and becomes a 400.
 */
import type { Address } from '../api/types.js';
import { invalidPayload, invalidQueryParams } from './errors.js';

/** Customer fields a caller may write (create, update, bulk, CSV). */
export interface CustomerFields {
  name?: string | null;
  description?: string | null;
  email?: string | null;
  phone?: string | null;
  birthday?: string | null;
  birthdate?: string | null;
  address?: Address | null;
  metadata?: Record<string, unknown>;
}

const STRING_FIELDS = ['name', 'description', 'phone'] as const;
const ADDRESS_FIELDS = ['city', 'state', 'line_1', 'line_2', 'country', 'postal_code'] as const;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

export function describe(value: unknown): string {
  const text = typeof value === 'string' ? `'${value}'` : (JSON.stringify(value) ?? String(value));
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A reason when `value` is not a `YYYY-MM-DD` calendar date, else undefined. */
export function dateProblem(value: string): string | undefined {
  const match = DATE.exec(value);
  if (match) {
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const date = new Date(Date.UTC(year, month - 1, day));
    if (date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day)
      return undefined;
  }
  return `must be a valid date in format YYYY-MM-DD (actual value is ${describe(value)})`;
}

export function emailProblem(value: string): string | undefined {
  return EMAIL.test(value) ? undefined : `must be a valid email address (actual value is ${describe(value)})`;
}

/** Parses an ISO 8601 date or date-time to epoch ms; undefined when it is not one. */
export function parseIsoDate(value: string): number | undefined {
  if (!ISO_DATE_TIME.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Validates the writable customer fields of `body` (other keys are left to the caller). `path` prefixes property
 * names in messages, e.g. `[3].` for the fourth bulk record.
 */
export function validateCustomerFields(body: Record<string, unknown>, path = ''): CustomerFields {
  const fields: CustomerFields = {};
  const fail = (property: string, reason: string) => invalidPayload(`${path}${property}: ${reason}`);

  for (const key of STRING_FIELDS) {
    if (!(key in body)) continue;
    const value = body[key];
    if (value !== null && typeof value !== 'string')
      throw fail(key, `must be a string or null (actual value is ${describe(value)})`);
    fields[key] = value;
  }
  if ('email' in body) {
    const value = body.email;
    if (value !== null && typeof value !== 'string')
      throw fail('email', `must be a string or null (actual value is ${describe(value)})`);
    if (typeof value === 'string') {
      const problem = emailProblem(value);
      if (problem) throw fail('email', problem);
    }
    fields.email = value;
  }
  for (const key of ['birthdate', 'birthday'] as const) {
    if (!(key in body)) continue;
    const value = body[key];
    if (value !== null && typeof value !== 'string')
      throw fail(key, `must be a string or null (actual value is ${describe(value)})`);
    if (typeof value === 'string') {
      const problem = dateProblem(value);
      if (problem) throw fail(key, problem);
    }
    fields[key] = value;
  }
  if ('address' in body) {
    const value = body.address;
    if (value === null) {
      fields.address = null;
    } else if (!isPlainObject(value)) {
      throw fail('address', `must be an object or null (actual value is ${describe(value)})`);
    } else {
      const address: Address = {};
      for (const [key, part] of Object.entries(value)) {
        if (!(ADDRESS_FIELDS as readonly string[]).includes(key)) {
          throw fail(`address.${key}`, `is not allowed, use one of ${ADDRESS_FIELDS.join(', ')}`);
        }
        if (part !== null && typeof part !== 'string') {
          throw fail(`address.${key}`, `must be a string or null (actual value is ${describe(part)})`);
        }
        address[key as keyof Address] = part;
      }
      fields.address = address;
    }
  }
  if ('metadata' in body) {
    const value = body.metadata;
    if (!isPlainObject(value)) throw fail('metadata', `must be an object (actual value is ${describe(value)})`);
    fields.metadata = value;
  }
  return fields;
}

/** Query-string reading with Voucherify's `invalid_query_params` answers. */
export class QueryReader {
  constructor(private readonly params: URLSearchParams) {}

  string(name: string): string | undefined {
    const value = this.params.get(name);
    return value === null ? undefined : value;
  }

  integer(name: string, min: number, max: number): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
      throw invalidQueryParams(
        `Property .${name} must be an integer between ${min} and ${max} (actual value is ${describe(raw)})`,
      );
    }
    return value;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(raw)) {
      throw invalidQueryParams(
        `Property .${name} must be one of ${allowed.join(', ')} (actual value is ${describe(raw)})`,
      );
    }
    return raw as T;
  }

  /** ISO 8601 date or date-time, as epoch ms. */
  date(name: string): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const ms = parseIsoDate(raw);
    if (ms === undefined)
      throw invalidQueryParams(`Property .${name} cannot be recognized as a ISO-8601 compliant date`);
    return ms;
  }
}
