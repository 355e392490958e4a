/**
 * `GET /v1/customers`: filters, the six orders, page/limit and the `starting_after` date cursor. Creation order is
 * kept as an index, so the default and `created_at` orders walk it without sorting; `total` counts every match.
 */
import type { CustomersList, CustomersListOrder } from '../api/types.js';
import { renderCustomer, type CustomerRecord } from './customer-record.js';
import type { CustomerStore } from './store.js';
import { QueryReader } from './validation.js';

const ORDERS: readonly CustomersListOrder[] = [
  'created_at',
  '-created_at',
  'updated_at',
  '-updated_at',
  'source_id',
  '-source_id',
];

/** A never-updated customer was last touched when it was created. */
const updatedMs = (record: CustomerRecord): number => record.updated_ms ?? record.created_ms;

export function listCustomers(store: CustomerStore, params: URLSearchParams): CustomersList {
  const query = new QueryReader(params);
  const limit = query.integer('limit', 1, 100) ?? 10;
  const page = query.integer('page', 1, 99) ?? 1;
  const order = query.oneOf('order', ORDERS);
  const email = query.string('email');
  const city = query.string('city');
  const name = query.string('name');
  const segmentId = query.string('segment_id');
  const createdBefore = query.date('created_at[before]');
  const createdAfter = query.date('created_at[after]');
  const updatedBefore = query.date('updated_at[before]');
  const updatedAfter = query.date('updated_at[after]');
  const startingAfter = query.date('starting_after');

  // With order=created_at|updated_at the cursor means "after", ascending; otherwise "before", descending.
  const cursorOnUpdated = order === 'updated_at' || order === '-updated_at';
  const cursorField = cursorOnUpdated ? updatedMs : (record: CustomerRecord) => record.created_ms;
  const cursorAscending = order === 'created_at' || order === 'updated_at';
  const members = segmentId === undefined ? undefined : store.segments.membersOf(segmentId);

  const predicates: Array<(record: CustomerRecord) => boolean> = [];
  if (email !== undefined) predicates.push((record) => record.email === email);
  if (city !== undefined) predicates.push((record) => record.address?.city === city);
  if (name !== undefined) predicates.push((record) => record.name === name);
  if (members) predicates.push((record) => members.has(record.id));
  if (createdBefore !== undefined) predicates.push((record) => record.created_ms < createdBefore);
  if (createdAfter !== undefined) predicates.push((record) => record.created_ms > createdAfter);
  if (updatedBefore !== undefined) predicates.push((record) => updatedMs(record) < updatedBefore);
  if (updatedAfter !== undefined) predicates.push((record) => updatedMs(record) > updatedAfter);
  if (startingAfter !== undefined) {
    predicates.push(
      cursorAscending
        ? (record) => cursorField(record) > startingAfter
        : (record) => cursorField(record) < startingAfter,
    );
  }
  const matches = (record: CustomerRecord) => {
    for (let i = 0; i < predicates.length; i++) if (!predicates[i]!(record)) return false;
    return true;
  };

  const offset = (page - 1) * limit;
  const window: CustomerRecord[] = [];
  let total = 0;
  const take = (record: CustomerRecord) => {
    if (total >= offset && window.length < limit) window.push(record);
    total++;
  };

  if (order === undefined || order === 'created_at' || order === '-created_at') {
    const ascending = order === 'created_at';
    if (email !== undefined) {
      // Few customers share an email: sort those instead of walking everyone.
      const candidates = store.index
        .idsWithEmail(email)
        .map((id) => store.index.get(id)!)
        .filter(matches);
      candidates.sort((a, b) => (ascending ? a.created_ms - b.created_ms : b.created_ms - a.created_ms));
      candidates.forEach(take);
    } else if (predicates.length === 0) {
      // Nothing to filter: total is known, and the walk stops at the end of the page.
      total = store.index.size;
      let index = 0;
      store.index.walkCreationOrder(!ascending, (record) => {
        if (index++ >= offset) window.push(record);
        return window.length < limit;
      });
    } else {
      // The date cursor is a binary search away in creation order.
      let from: number | undefined;
      if (startingAfter !== undefined) {
        from = ascending
          ? store.index.indexCreatedAfter(startingAfter)
          : store.index.indexCreatedAfter(startingAfter - 1) - 1;
      }
      store.index.walkCreationOrder(!ascending, (record) => void (matches(record) && take(record)), from);
    }
  } else {
    const all = store.index.inCreationOrder().filter(matches);
    const key = order.replace(/^-/, '');
    const sign = order.startsWith('-') ? -1 : 1;
    all.sort((a, b) => {
      const diff =
        key === 'source_id' ? compareText(a.source_id ?? '', b.source_id ?? '') : updatedMs(a) - updatedMs(b);
      return sign * (diff || a.created_ms - b.created_ms);
    });
    all.forEach(take);
  }

  return {
    object: 'list',
    data_ref: 'customers',
    customers: window.map(renderCustomer),
    total,
    has_more: offset + window.length < total,
  };
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
