/**
 * One line per change, the same in the log and in a snapshot: a customer as it is now (`c`), soft-deleted (`d`),
 * forgotten (`f`), an activity (`a`), an async action as it is now (`j`), everything cleared (`x`). Replaying the
 * lines in order rebuilds the data; each line states a result, not an operation, so replaying one twice is harmless.
 */
import type { ActivityRecord } from './activities.js';
import { makeRecord, type CustomerRecord } from './customer-record.js';
import type { AsyncActionRecord } from './jobs.js';

export type DataEntry =
  | { kind: 'customer'; record: CustomerRecord }
  | { kind: 'deleted'; record: CustomerRecord }
  | { kind: 'forgotten'; id: string }
  | { kind: 'activity'; activity: ActivityRecord }
  | { kind: 'action'; action: AsyncActionRecord }
  | { kind: 'clear' };

/**
 * `current` answers a customer's record as the lines before this one left it: an activity about that very record
 * names it by id instead of repeating it (most do), which keeps the file small and the loaded records shared.
 */
export function encodeEntry(entry: DataEntry, current: (id: string) => CustomerRecord | undefined): string {
  switch (entry.kind) {
    case 'customer':
      return `{"k":"c","r":${JSON.stringify(entry.record)}}`;
    case 'deleted':
      return `{"k":"d","r":${JSON.stringify(entry.record)}}`;
    case 'forgotten':
      return JSON.stringify({ k: 'f', id: entry.id });
    case 'activity': {
      const { customer, ...rest } = entry.activity;
      const about = current(customer.id) === customer ? { c: customer.id } : { r: customer };
      return JSON.stringify({ k: 'a', ...rest, ...about });
    }
    case 'action':
      return `{"k":"j","a":${JSON.stringify(entry.action)}}`;
    case 'clear':
      return '{"k":"x"}';
  }
}

/** A record as saved: times re-read from the ISO strings, which are the truth in a (possibly hand-edited) file. */
export function savedRecord(raw: CustomerRecord): CustomerRecord {
  if (typeof raw?.id !== 'string' || typeof raw.created_at !== 'string' || Number.isNaN(Date.parse(raw.created_at)))
    throw new SyntaxError(`a customer has no valid id or created_at (${JSON.stringify(raw).slice(0, 80)})`);
  return makeRecord({
    ...raw,
    created_ms: Date.parse(raw.created_at),
    updated_ms: raw.updated_at ? Date.parse(raw.updated_at) : undefined,
  });
}

/** The data being rebuilt from lines, in plain maps; handed to the store and the job queue at the end. */
export class DataReplay {
  readonly customers = new Map<string, CustomerRecord>();
  readonly deleted = new Map<string, CustomerRecord>();
  readonly activities = new Map<string, ActivityRecord[]>();
  readonly actions = new Map<string, AsyncActionRecord>();
  entries = 0;

  private current = (id: string) => this.customers.get(id) ?? this.deleted.get(id);

  /** Applies one line; throws a `SyntaxError` naming the problem when it is not one. */
  applyLine(line: string): void {
    const raw = JSON.parse(line) as Record<string, unknown>;
    this.entries++;
    switch (raw?.k) {
      case 'c': {
        const record = savedRecord(raw.r as CustomerRecord);
        this.deleted.delete(record.id);
        this.customers.set(record.id, record);
        return;
      }
      case 'd': {
        const record = savedRecord(raw.r as CustomerRecord);
        this.customers.delete(record.id);
        this.deleted.set(record.id, record);
        return;
      }
      case 'f':
        this.forget(String(raw.id));
        return;
      case 'a':
        this.addActivity(raw);
        return;
      case 'j': {
        const action = raw.a as AsyncActionRecord;
        if (typeof action?.id !== 'string') throw new SyntaxError('an async action has no id');
        this.actions.set(action.id, action);
        return;
      }
      case 'x':
        this.customers.clear();
        this.deleted.clear();
        this.activities.clear();
        this.actions.clear();
        return;
      default:
        throw new SyntaxError(`unknown entry ${JSON.stringify(raw).slice(0, 80)}`);
    }
  }

  addActivity(raw: Record<string, unknown>): void {
    const { k: _kind, c: customerId, r: embedded, ...fields } = raw;
    const customer =
      typeof customerId === 'string'
        ? this.current(customerId)
        : embedded
          ? savedRecord(embedded as CustomerRecord)
          : undefined;
    if (!customer || typeof fields.id !== 'string')
      throw new SyntaxError(`an activity has no valid id or customer (${JSON.stringify(raw).slice(0, 80)})`);
    const activity = { ...fields, customer } as unknown as ActivityRecord;
    const list = this.activities.get(customer.id);
    if (list) list.push(activity);
    else this.activities.set(customer.id, [activity]);
  }

  private forget(id: string): void {
    this.customers.delete(id);
    this.deleted.delete(id);
    this.activities.delete(id);
  }
}
