import type { RequestOptions } from './http.js';
import type {
  Customer,
  CustomerActivity,
  CustomerActivityList,
  CustomersList,
  ListCustomerActivityParams,
  ListCustomersParams,
} from './types.js';

/**
 * `iterateCustomers` filters: those of `listCustomers` except the paging ones. Only creation order can be paged
 * with the `starting_after` cursor (it is a `created_at` date): newest first (default) or `order: 'created_at'`.
 */
export type IterateCustomersParams = Omit<ListCustomersParams, 'page' | 'starting_after' | 'order'> & {
  order?: 'created_at' | '-created_at';
};

export type IterateCustomerActivityParams = Omit<ListCustomerActivityParams, 'starting_after_id'>;

type ListCustomers = (params: ListCustomersParams, options?: RequestOptions) => Promise<CustomersList>;
type ListCustomerActivity = (
  customerId: string,
  params: ListCustomerActivityParams,
  options?: RequestOptions,
) => Promise<CustomerActivityList>;

/** Pages `GET /v1/customers` can reach with `page` (1..99), and the largest `limit`. */
const MAX_PAGE = 99;
const MAX_LIMIT = 100;

function shift(date: string, ms: number): string {
  const time = Date.parse(date);
  if (Number.isNaN(time))
    throw new TypeError(`Cannot page past a customer whose created_at is ${JSON.stringify(date)}`);
  return new Date(time + ms).toISOString();
}

/**
 * Every customer matching `params`, each exactly once, however many there are.
 *
 * Pages with the `starting_after` date cursor, never with page numbers (capped at 99). Several customers can share a
 * `created_at` millisecond, and the cursor is exclusive, so a plain "last date seen" cursor skips those left over at
 * a page boundary. Instead each next page starts one millisecond before (ascending; after, descending) the last
 * date, re-reading the boundary, and the ids already yielded at that date are dropped. When a whole page shares one
 * date, the cursor cannot move: that date is then read with `page` numbers inside a two-millisecond
 * `created_at[after]`/`created_at[before]` window, and the cursor jumps past it.
 */
export async function* iterateCustomers(
  listCustomers: ListCustomers,
  params: IterateCustomersParams = {},
  options: RequestOptions = {},
): AsyncGenerator<Customer, void, undefined> {
  // `page` and `starting_after` are the iterator's own; JavaScript callers may still pass them.
  const { order, page: _page, starting_after: _cursor, ...filters } = params as ListCustomersParams;
  if (order !== undefined && order !== 'created_at' && order !== '-created_at') {
    throw new TypeError(`iterateCustomers pages by creation date: order must be 'created_at' or '-created_at'`);
  }
  const ascending = order === 'created_at';
  // Descending is the API's default order for the cursor, so it is not sent.
  const base: ListCustomersParams = { ...filters, limit: filters.limit ?? MAX_LIMIT, ...(ascending ? { order } : {}) };
  const limit = base.limit ?? MAX_LIMIT;
  // Toward the dates already read: one millisecond earlier when ascending, later when descending.
  const back = ascending ? -1 : 1;

  let cursor: string | undefined;
  // The date of the last customer yielded and the ids yielded at that date.
  let at: string | undefined;
  let idsAt = new Set<string>();

  function fresh(customer: Customer): boolean {
    if (customer.created_at === at) {
      if (idsAt.has(customer.id)) return false;
      idsAt.add(customer.id);
      return true;
    }
    at = customer.created_at;
    idsAt = new Set([customer.id]);
    return true;
  }

  for (;;) {
    const page = await listCustomers(cursor === undefined ? base : { ...base, starting_after: cursor }, options);
    for (const customer of page.customers) if (fresh(customer)) yield customer;
    const last = page.customers.at(-1);
    if (!last || page.customers.length < limit || page.has_more === false) return;
    if (last.created_at === undefined) throw new TypeError('Cannot page past a customer without created_at');

    const next = shift(last.created_at, back);
    if (next !== cursor) {
      cursor = next;
      continue;
    }
    // A full page at one date: read that date by page numbers (the largest pages, whatever the caller's limit),
    // then continue strictly past it.
    const date = last.created_at;
    for (let number = 1; ; number++) {
      if (number > MAX_PAGE) {
        throw new RangeError(
          `More than ${MAX_PAGE * MAX_LIMIT} customers share created_at ${date}; they cannot all be listed`,
        );
      }
      const window: ListCustomersParams = {
        ...base,
        limit: MAX_LIMIT,
        page: number,
        'created_at[after]': shift(date, -1),
        'created_at[before]': shift(date, 1),
      };
      const tied = await listCustomers(window, options);
      for (const customer of tied.customers) if (customer.created_at === date && fresh(customer)) yield customer;
      if (tied.customers.length < MAX_LIMIT || tied.has_more === false) break;
    }
    cursor = date;
  }
}

/** Every activity of a customer from `GET /v1/customers/{id}/activity`, following `more_starting_after`. */
export async function* iterateCustomerActivity(
  listCustomerActivity: ListCustomerActivity,
  customerId: string,
  params: IterateCustomerActivityParams = {},
  options: RequestOptions = {},
): AsyncGenerator<CustomerActivity, void, undefined> {
  const base: ListCustomerActivityParams = { ...params, limit: params.limit ?? 100 };
  let cursor: string | undefined;
  for (;;) {
    const page = await listCustomerActivity(
      customerId,
      cursor === undefined ? base : { ...base, starting_after_id: cursor },
      options,
    );
    yield* page.data;
    if (!page.has_more || !page.more_starting_after || page.more_starting_after === cursor) return;
    cursor = page.more_starting_after;
  }
}
