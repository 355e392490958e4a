import ky, { HTTPError, TimeoutError } from 'ky';
import type { KyInstance, Options as KyOptions } from 'ky';
import { VoucherifyError, isVoucherifyError, parseErrorBody, parseJsonBody, retryAfterSeconds } from './errors.js';
import { IDEMPOTENT_METHODS, withRetry } from './retry.js';

/** Transport settings shared by every client (Voucherify server side, client side, the edge worker). */
export interface TransportOptions {
  /** Where the API lives: a Voucherify cluster, the emulator, or the edge worker. Default `https://api.voucherify.io`. */
  baseUrl?: string;
  /** Milliseconds to wait for each attempt's response headers. Default 10 000. */
  timeout?: number;
  /**
   * How many times an idempotent request (GET, PUT, DELETE) is retried on 408, 429, 5xx or a network error.
   * Default 2. Timeouts are not retried.
   */
  retry?: number;
  /** Retry POST requests as well. Off by default: a write that may have landed must not be repeated blindly. */
  retryWrites?: boolean;
  /**
   * Upper bound, in ms, for one backoff delay. A `Retry-After` longer than this is not waited for: the error is
   * thrown at once, with `retryAfter` set, for the caller to decide. Default 30 000.
   */
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
  /** A `ReadableStream` body is streamed, never buffered, and so never retried. */
  body?: BodyInit;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface Http {
  request<T>(method: HttpMethod, path: string, init?: HttpRequest): Promise<T>;
}

export const DEFAULT_BASE_URL = 'https://api.voucherify.io';

/** One attempt of a request: its response when the status is 2xx, else a thrown `VoucherifyError` (or the abort reason). */
export type Attempt = (method: HttpMethod, path: string, init: HttpRequest) => Promise<Response>;

/**
 * The one HTTP core: ky for URLs, JSON and per-attempt timeouts; the shared retry policy (`withRetry`, so that
 * `Retry-After` and Voucherify's `X-Rate-Limit-Retry` are honoured, or refused when too long) and Voucherify's errors.
 */
export function createHttp(options: TransportOptions & { headers: Record<string, string> }): Http {
  return httpOver(kyAttempt(options), options);
}

/** The retry policy and the reading of JSON answers, around one way of sending an attempt. */
export function httpOver(attempt: Attempt, options: TransportOptions): Http {
  const maxRetryDelay = options.maxRetryDelay ?? 30_000;
  const retryLimit = options.retry ?? 2;
  const retryMethods = options.retryWrites ? [...IDEMPOTENT_METHODS, 'POST'] : IDEMPOTENT_METHODS;
  return {
    async request<T>(method: HttpMethod, path: string, init: HttpRequest = {}): Promise<T> {
      const limit = retryMethods.includes(method) && !isStream(init.body) ? (init.retry ?? retryLimit) : 0;
      const policy = { limit, maxDelay: maxRetryDelay, signal: init.signal };
      const response = await withRetry(() => attempt(method, path, init), policy);
      return (await readJson(response, init.signal)) as T;
    },
  };
}

function kyAttempt(options: TransportOptions & { headers: Record<string, string> }): Attempt {
  const base: KyInstance = ky.create({
    prefixUrl: normalizeBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL),
    headers: options.headers,
    timeout: options.timeout ?? 10_000,
    retry: 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return async (method, path, init) => {
    const kyOptions: KyOptions = { method };
    if (init.signal) kyOptions.signal = init.signal;
    if (init.timeout !== undefined) kyOptions.timeout = init.timeout;
    if (init.headers) kyOptions.headers = init.headers;
    if (init.searchParams) kyOptions.searchParams = toSearchParams(init.searchParams);
    if (init.json !== undefined) kyOptions.json = init.json;
    else if (init.body !== undefined) kyOptions.fetch = sendBody(init.body, options.fetch);
    try {
      return await base(path.replace(/^\/+/, ''), kyOptions);
    } catch (error) {
      throw await toVoucherifyError(error, init.signal);
    }
  };
}

export function normalizeBaseUrl(baseUrl: string): string {
  let protocol = '';
  try {
    protocol = new URL(baseUrl).protocol;
  } catch {
    // not a URL at all
  }
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw new TypeError(`baseUrl must be an absolute http(s) URL, got ${JSON.stringify(baseUrl)}`);
  }
  return baseUrl.replace(/\/+$/, '');
}

export function isStream(body: BodyInit | undefined): boolean {
  return typeof ReadableStream === 'function' && body instanceof ReadableStream;
}

/**
 * What lets a request send a streamed body as it is read, without a copy. ky clones every request it makes (to retry
 * it), and cloning tees the body: the unread branch would hold a copy of the whole upload. Node's fetch also tees a
 * body unless the request refuses redirects and has no window, hence `redirect: 'error'` and `window: null` (a
 * streamed body cannot be replayed to follow a redirect anyway). workerd refuses `redirect: 'error'` (and does not
 * tee): there it is `manual`, and a redirect arrives as an error answer.
 */
export function streamingInit(): { redirect: RequestRedirect; window: null; duplex: 'half' } {
  const inWorkerd =
    (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === 'Cloudflare-Workers';
  return { redirect: inWorkerd ? 'manual' : 'error', window: null, duplex: 'half' };
}

/** A `fetch` for ky that sends `body` itself, streamed (`streamingInit`) rather than from ky's clone. */
function sendBody(body: BodyInit, customFetch: typeof fetch | undefined): typeof fetch {
  return (input, init) => {
    const request = input as Request;
    const requestInit: RequestInit & { duplex: 'half' } = {
      ...(init as RequestInit | undefined),
      method: request.method,
      headers: request.headers,
      signal: request.signal,
      body,
      ...streamingInit(),
    };
    return (customFetch ?? fetch)(request.url, requestInit);
  };
}

async function readJson(response: Response, signal: AbortSignal | undefined): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    // The connection broke (or the caller aborted) while the body was arriving.
    throw await toVoucherifyError(error, signal);
  }
  return parseJsonBody(text, response.status);
}

export async function toVoucherifyError(error: unknown, signal: AbortSignal | undefined): Promise<unknown> {
  if (signal?.aborted) return signal.reason ?? error;
  if (error instanceof HTTPError) return httpFailure(error.response, error);
  // ky's own timeout, or `AbortSignal.timeout()`'s.
  if (error instanceof TimeoutError || (error instanceof Error && error.name === 'TimeoutError'))
    return new VoucherifyError({ kind: 'timeout', cause: error });
  if (isVoucherifyError(error)) return error;
  return new VoucherifyError({
    kind: 'network',
    message: error instanceof Error && error.message ? `The network request failed: ${error.message}` : undefined,
    cause: error,
  });
}

/** The error of an answer outside 2xx, with Voucherify's error body and how long to wait before a retry. */
export async function httpFailure(response: Response, cause?: unknown): Promise<VoucherifyError> {
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
    retryAfter: retryAfterSeconds(response.headers, Date.now(), response.status),
    cause,
  });
}

export function toSearchParams(params: object): URLSearchParams {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params) as Array<[string, SearchValue]>) {
    if (value === undefined || value === null) continue;
    search.append(key, String(value));
  }
  return search;
}

export { path } from './path.js';
