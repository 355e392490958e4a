import type { RequestOptions } from './http.js';
import type {
  AsyncActionCreated,
  CustomersMetadataUpdateInBulkRequestBody,
  CustomersUpdateInBulkItem,
} from './types.js';

/** Records Voucherify accepts in one bulk request (`400 too_many_customers` beyond). */
export const BULK_LIMIT = 100;

export interface ChunkedOptions extends RequestOptions {
  /** Records per call, 1..100. Default 100. */
  chunkSize?: number;
  /** Called after each accepted call, e.g. to follow or record its async action before the next call is sent. */
  onChunk?: (created: AsyncActionCreated, index: number, chunks: number) => void;
}

/** Splits `items` into arrays of at most `size`. */
export function chunk<T>(items: readonly T[], size = BULK_LIMIT): T[][] {
  if (!Number.isInteger(size) || size < 1 || size > BULK_LIMIT) {
    throw new RangeError(`chunkSize must be an integer from 1 to ${BULK_LIMIT}, got ${size}`);
  }
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/**
 * Sends each chunk in turn (Voucherify queues bulk jobs anyway, and one call at a time spares the bulk rate limit).
 * If a call fails, the error is thrown and the later chunks are not sent; `onChunk` has seen the ones that were.
 */
async function sendChunks<T>(
  chunks: T[],
  send: (chunk: T, options: RequestOptions) => Promise<AsyncActionCreated>,
  options: ChunkedOptions,
): Promise<AsyncActionCreated[]> {
  const { chunkSize: _chunkSize, onChunk, ...requestOptions } = options;
  const created: AsyncActionCreated[] = [];
  for (const [index, part] of chunks.entries()) {
    const action = await send(part, requestOptions);
    created.push(action);
    onChunk?.(action, index, chunks.length);
  }
  return created;
}

export function updateCustomersInBulkChunked(
  send: (items: CustomersUpdateInBulkItem[], options: RequestOptions) => Promise<AsyncActionCreated>,
  items: readonly CustomersUpdateInBulkItem[],
  options: ChunkedOptions = {},
): Promise<AsyncActionCreated[]> {
  return sendChunks(chunk(items, options.chunkSize), send, options);
}

export function updateCustomersMetadataInBulkChunked(
  send: (body: CustomersMetadataUpdateInBulkRequestBody, options: RequestOptions) => Promise<AsyncActionCreated>,
  body: CustomersMetadataUpdateInBulkRequestBody,
  options: ChunkedOptions = {},
): Promise<AsyncActionCreated[]> {
  const bodies = chunk(body.source_ids, options.chunkSize).map((source_ids) => ({ ...body, source_ids }));
  return sendChunks(bodies, send, options);
}
