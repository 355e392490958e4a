import ky, { HTTPError, TimeoutError } from 'ky';
import type { KyInstance, Options as KyOptions } from 'ky';
import { VoucherifyError, parseErrorBody, retryAfterSeconds } from './errors.js';

/** Transport settings shared by every client (Voucherify server side, client side, the edge worker). */
export interface TransportOptions {
  /** Where the API lives: a Voucherify cluster, the emulator, or the edge worker. Default `https://api.voucherify.io`. */
  baseUrl?: string;
  /** Milliseconds to wait for each attempt. Default 10 000. */
  timeout?: number;
  /** How many times an idempotent request (GET, PUT, DELETE) is retried on 429, 5xx or a network error. Default 2. */
  retry?: number;
  /** Retry POST requests as well. Off by default: a write that may have landed must not be repeated blindly. */
  retryWrites?: boolean;
  /** Upper bound, in ms, for one backoff delay and for an honoured `Retry-After`. Default 30 000. */
  maxRetryDelay?: number;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** A `fetch` to use instead of the global one (tests, instrumentation). */
  fetch?: typeof fetch;
}

/** Per-call options accepted by every method. */
export interface RequestOptions {
  signal?: AbortSignal;
  /** Overrides the client's per-attempt timeout for this call. */
  timeout?: number;
  /** Overrides the client's retry limit for this call (0 disables retries). */
  retry?: number;
  headers?: Record<string, string>;
}

type SearchValue = string | number | boolean | null | undefined;

export interface HttpRequest extends RequestOptions {
  searchParams?: object;
  json?: unknown;
  body?: BodyInit;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Http {
  request<T>(method: HttpMethod, path: string, init?: HttpRequest): Promise<T>;
}

export const DEFAULT_BASE_URL = 'https://api.voucherify.io';

// Voucherify signals overload with 429 and 503 and may say when to come back; 500 is retried with plain backoff.
const RETRY_STATUSES = [408, 429, 500, 502, 503, 504];
const RETRY_AFTER_STATUSES = [429, 503];

/** The one HTTP core: ky with Voucherify's errors, retries and timeouts. */
export function createHttp(options: TransportOptions & { headers: Record<string, string> }): Http {
  const maxRetryDelay = options.maxRetryDelay ?? 30_000;
  const base: KyInstance = ky.create({
    prefixUrl: (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/+$/, ''),
    headers: options.headers,
    timeout: options.timeout ?? 10_000,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  const retryLimit = options.retry ?? 2;
  const methods: Array<'get' | 'put' | 'delete' | 'post'> = ['get', 'put', 'delete'];
  if (options.retryWrites) methods.push('post');

  return {
    async request<T>(method: HttpMethod, path: string, init: HttpRequest = {}): Promise<T> {
      const kyOptions: KyOptions = {
        method,
        retry: {
          limit: init.retry ?? retryLimit,
          methods,
          statusCodes: RETRY_STATUSES,
          afterStatusCodes: RETRY_AFTER_STATUSES,
          maxRetryAfter: maxRetryDelay,
          backoffLimit: maxRetryDelay,
          jitter: (delay) => delay * (0.8 + Math.random() * 0.4),
        },
      };
      if (init.signal) kyOptions.signal = init.signal;
      if (init.timeout !== undefined) kyOptions.timeout = init.timeout;
      if (init.headers) kyOptions.headers = init.headers;
      if (init.searchParams) kyOptions.searchParams = toSearchParams(init.searchParams);
      if (init.json !== undefined) kyOptions.json = init.json;
      else if (init.body !== undefined) kyOptions.body = init.body;

      let response: Response;
      try {
        response = await base(path.replace(/^\/+/, ''), kyOptions);
      } catch (error) {
        throw await toVoucherifyError(error, init.signal);
      }
      return (await readJson(response)) as T;
    },
  };
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new VoucherifyError({
      kind: 'http',
      status: response.status,
      body: { code: response.status, key: 'invalid_response', message: 'The response is not valid JSON' },
      cause,
    });
  }
}

async function toVoucherifyError(error: unknown, signal: AbortSignal | undefined): Promise<unknown> {
  if (signal?.aborted) return signal.reason ?? error;
  if (error instanceof HTTPError) {
    const { response } = error;
    let text = '';
    try {
      text = await response.text();
    } catch {
      // The body may already be gone (connection dropped mid-body); the status still tells what happened.
    }
    return new VoucherifyError({
      kind: 'http',
      status: response.status,
      body: parseErrorBody(response.status, text),
      retryAfter: retryAfterSeconds(response.headers),
      cause: error,
    });
  }
  if (error instanceof TimeoutError) return new VoucherifyError({ kind: 'timeout', cause: error });
  if (error instanceof VoucherifyError) return error;
  return new VoucherifyError({
    kind: 'network',
    message: error instanceof Error && error.message ? `The network request failed: ${error.message}` : undefined,
    cause: error,
  });
}

function toSearchParams(params: object): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params) as Array<[string, SearchValue]>) {
    if (value === undefined || value === null) continue;
    search.append(key, String(value));
  }
  return search;
}

/**
 * Builds a path whose interpolated values are each one URL-encoded segment, so an email, a unicode name or `../`
 * stays an id. `.` and `..` cannot be sent as a segment at all (URL parsers resolve them), so they are refused.
 */
export function path(strings: TemplateStringsArray, ...ids: string[]): string {
  return strings.reduce((out, part, i) => {
    if (i === 0) return part;
    const id = ids[i - 1];
    if (typeof id !== 'string' || id === '' || id === '.' || id === '..') {
      throw new TypeError(`Invalid id in path: ${JSON.stringify(id)}`);
    }
    return out + encodeURIComponent(id) + part;
  }, '');
}
