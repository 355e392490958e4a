/**
 * One line per change, the same in the log and in a snapshot: a customer as it is now (`c`), or what changed since
 * its previous version (`p`: the fields that differ, and only the decisions that differ), soft-deleted (`d`), forgotten
 * (`f`), an activity (`a`), an async action as it is now (`j`), everything cleared (`x`). Replaying the lines in
 * order rebuilds the data; each line states a result, not an operation.
 */
import { showsSameCustomer, type ActivityRecord } from './activities.js';
import { makeRecord, type CustomerRecord } from './customer-record.js';
import type { AsyncActionRecord } from './jobs.js';

export type DataEntry =
  /** `previous`: the version this one replaces, when there is one (the line then holds only what differs). */
  | { kind: 'customer'; record: CustomerRecord; previous?: CustomerRecord }
  | { kind: 'deleted'; record: CustomerRecord }
  | { kind: 'forgotten'; id: string }
  | { kind: 'activity'; activity: ActivityRecord }
  | { kind: 'action'; action: AsyncActionRecord }
  | { kind: 'clear' };

/**
 * `current` answers a customer's record as the lines before this one left it: an activity about that record names it
 * by id instead of repeating it (most do), which keeps the file small and the loaded records shared. So does one
 * that shows the customer as that record would (a consent event shows name, email, source id and metadata): a
 * snapshot, where `current` is each customer's last version, holds a million consent events without a million past
 * versions of their customers.
 */
export function encodeEntry(entry: DataEntry, current: (id: string) => CustomerRecord | undefined): string {
  switch (entry.kind) {
    case 'customer':
      return entry.previous
        ? JSON.stringify({ k: 'p', ...patchOf(entry.previous, entry.record) })
        : `{"k":"c","r":${JSON.stringify(entry.record)}}`;
    case 'deleted':
      return `{"k":"d","r":${JSON.stringify(entry.record)}}`;
    case 'forgotten':
      return JSON.stringify({ k: 'f', id: entry.id });
    case 'activity': {
      const { activity } = entry;
      const { customer } = activity;
      const same = showsSameCustomer(activity, current(customer.id));
      // One literal (no spreads): the hot path of a big import writes hundreds of thousands of these.
      return JSON.stringify({
        k: 'a',
        id: activity.id,
        type: activity.type,
        created_at: activity.created_at,
        created_ms: activity.created_ms,
        group_id: activity.group_id,
        channel: activity.channel,
        segment: activity.segment,
        consents: activity.consents,
        c: same ? customer.id : undefined,
        r: same ? undefined : customer,
      });
    }
    case 'action':
      return `{"k":"j","a":${JSON.stringify(entry.action)}}`;
    case 'clear':
      return '{"k":"x"}';
  }
}

type Fields = Record<string, unknown>;

/**
 * What differs between two versions of a customer, compared by reference (a write copies what it does not change):
 * the changed fields in `s` (of `consents`, only the decisions that changed: decisions are never removed), the
 * fields that became absent in `u`.
 */
function patchOf(previous: CustomerRecord, record: CustomerRecord): { id: string; s: Fields; u?: string[] } {
  const set: Fields = {};
  const unset: string[] = [];
  const before = previous as unknown as Fields;
  for (const [key, value] of Object.entries(record)) {
    if (value === before[key]) continue;
    if (value === undefined) unset.push(key);
    else if (key === 'consents' && previous.consents)
      set.consents = changedDecisions(previous.consents, value as Fields);
    else set[key] = value;
  }
  return unset.length ? { id: record.id, s: set, u: unset } : { id: record.id, s: set };
}

function changedDecisions(before: Fields, after: Fields): Fields {
  const changed: Fields = {};
  for (const [id, decision] of Object.entries(after)) if (decision !== before[id]) changed[id] = decision;
  return changed;
}

/**
 * A record as saved. A file of the first format is re-read from the ISO strings, the truth in a (possibly hand-edited)
 * file; this format writes the epoch times alongside.
 */
export function savedRecord(raw: CustomerRecord, legacy = false): CustomerRecord {
  if (typeof raw?.id !== 'string' || typeof raw.created_at !== 'string' || Number.isNaN(Date.parse(raw.created_at)))
    throw new SyntaxError(`a customer has no valid id or created_at (${JSON.stringify(raw).slice(0, 80)})`);
  if (!legacy && typeof raw.created_ms === 'number') return makeRecord(raw);
  return makeRecord({
    ...raw,
    created_ms: Date.parse(raw.created_at),
    updated_ms: raw.updated_at ? Date.parse(raw.updated_at) : undefined,
  });
}

/** The next version of `previous` from a `p` line; unchanged parts stay shared with it. */
function patched(previous: CustomerRecord, set: Fields, unset: unknown): CustomerRecord {
  // One copy, changed in place: a replay makes a million of these.
  const next = makeRecord(previous) as unknown as Fields;
  for (const key in set)
    next[key] = key === 'consents' ? { ...previous.consents, ...(set.consents as Fields) } : set[key];
  if (Array.isArray(unset)) for (const key of unset) next[String(key)] = undefined;
  return next as unknown as CustomerRecord;
}

/** The data being rebuilt from lines, in plain maps; handed to the store and the job queue at the end. */
export class DataReplay {
  readonly customers = new Map<string, CustomerRecord>();
  readonly deleted = new Map<string, CustomerRecord>();
  readonly activities = new Map<string, ActivityRecord[]>();
  readonly actions = new Map<string, AsyncActionRecord>();
  entries = 0;
  /** Set while lines converted from a file of the first format are applied. */
  legacy = false;

  private current = (id: string) => this.customers.get(id) ?? this.deleted.get(id);

  /** Applies one line; throws a `SyntaxError` naming the problem when it is not one. */
  applyLine(line: string): void {
    const raw = JSON.parse(line) as Record<string, unknown>;
    this.entries++;
    switch (raw?.k) {
      case 'c': {
        const record = savedRecord(raw.r as CustomerRecord, this.legacy);
        this.deleted.delete(record.id);
        this.customers.set(record.id, record);
        return;
      }
      case 'p': {
        const previous = this.customers.get(String(raw.id));
        if (!previous || typeof raw.s !== 'object')
          throw new SyntaxError(`a change to unknown customer ${String(raw.id)}`);
        this.customers.set(previous.id, patched(previous, raw.s as Fields, raw.u));
        return;
      }
      case 'd': {
        const record = savedRecord(raw.r as CustomerRecord, this.legacy);
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
    const customer =
      typeof raw.c === 'string'
        ? this.current(raw.c)
        : raw.r
          ? savedRecord(raw.r as CustomerRecord, this.legacy)
          : undefined;
    if (!customer || typeof raw.id !== 'string')
      throw new SyntaxError(`an activity has no valid id or customer (${JSON.stringify(raw).slice(0, 80)})`);
    // Built field by field: every activity gets one shape, and nothing of the line's own keys is kept.
    const activity: Record<string, unknown> = {
      id: raw.id,
      type: raw.type,
      created_at: raw.created_at,
      created_ms: typeof raw.created_ms === 'number' ? raw.created_ms : Date.parse(String(raw.created_at)),
      group_id: raw.group_id,
      channel: raw.channel,
      customer,
      segment: raw.segment,
      consents: raw.consents,
    };
    const list = this.activities.get(customer.id);
    if (list) list.push(activity as unknown as ActivityRecord);
    else this.activities.set(customer.id, [activity as unknown as ActivityRecord]);
  }

  private forget(id: string): void {
    this.customers.delete(id);
    this.deleted.delete(id);
    this.activities.delete(id);
  }
}
