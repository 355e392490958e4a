import ky, { HTTPError, TimeoutError } from 'ky';
import type { KyInstance, Options as KyOptions } from 'ky';
import { VoucherifyError, isVoucherifyError, parseErrorBody, retryAfterSeconds } from './errors.js';

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

// 408/429/503 say "not now"; 500/502/504 are worth one more try for a request that may safely be repeated.
const RETRY_STATUSES = [408, 429, 500, 502, 503, 504];
const IDEMPOTENT: HttpMethod[] = ['GET', 'PUT', 'DELETE'];
const BACKOFF_BASE_MS = 300;

/**
 * The one HTTP core: ky for URLs, JSON and per-attempt timeouts; our own retry loop (so that `Retry-After` and
 * Voucherify's `X-Rate-Limit-Retry` are honoured, or refused when too long) and Voucherify's errors.
 */
export function createHttp(options: TransportOptions & { headers: Record<string, string> }): Http {
  const prefixUrl = normalizeBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL);
  const maxRetryDelay = options.maxRetryDelay ?? 30_000;
  const retryLimit = options.retry ?? 2;
  const retryMethods = options.retryWrites ? [...IDEMPOTENT, 'POST'] : IDEMPOTENT;
  const base: KyInstance = ky.create({
    prefixUrl,
    headers: options.headers,
    timeout: options.timeout ?? 10_000,
    retry: 0,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });

  async function attempt(method: HttpMethod, path: string, init: HttpRequest): Promise<Response> {
    const kyOptions: KyOptions = { method };
    if (init.signal) kyOptions.signal = init.signal;
    if (init.timeout !== undefined) kyOptions.timeout = init.timeout;
    if (init.headers) kyOptions.headers = init.headers;
    if (init.searchParams) kyOptions.searchParams = toSearchParams(init.searchParams);
    if (init.json !== undefined) kyOptions.json = init.json;
    else if (init.body !== undefined) kyOptions.fetch = sendBody(init.body, options.fetch);
    return base(path.replace(/^\/+/, ''), kyOptions);
  }

  return {
    async request<T>(method: HttpMethod, path: string, init: HttpRequest = {}): Promise<T> {
      const limit = retryMethods.includes(method) && !isStream(init.body) ? (init.retry ?? retryLimit) : 0;
      for (let retries = 0; ; retries++) {
        let response: Response;
        try {
          response = await attempt(method, path, init);
        } catch (raw) {
          const error = await toVoucherifyError(raw, init.signal);
          const wait = isVoucherifyError(error) && retries < limit ? retryDelay(error, retries, maxRetryDelay) : null;
          if (wait === null) throw error;
          await sleep(wait, init.signal);
          continue;
        }
        return (await readJson(response, init.signal)) as T;
      }
    },
  };
}

function normalizeBaseUrl(baseUrl: string): string {
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

/**
 * How long to wait before retrying after `error`, or null when it must not be retried: the server's `Retry-After`
 * (refused when longer than `max`), else exponential backoff with jitter, capped at `max`.
 */
function retryDelay(error: VoucherifyError, retries: number, max: number): number | null {
  if (error.kind === 'timeout') return null;
  if (error.kind === 'http' && !RETRY_STATUSES.includes(error.status)) return null;
  if (error.retryAfter !== null) return error.retryAfter * 1000 <= max ? error.retryAfter * 1000 : null;
  return Math.min(max, BACKOFF_BASE_MS * 2 ** retries * (0.8 + Math.random() * 0.4));
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    function onAbort(): void {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function isStream(body: BodyInit | undefined): boolean {
  return typeof ReadableStream === 'function' && body instanceof ReadableStream;
}

/**
 * A `fetch` for ky that sends `body` itself. ky clones every request it makes (to retry it), and cloning tees the
 * body: the unread branch would hold a copy of the whole upload. Node's fetch also tees a body unless the request
 * refuses redirects and has no window, hence `redirect: 'error'` and `window: null` (a streamed body cannot be
 * replayed to follow a redirect anyway). workerd refuses `redirect: 'error'` (and does not tee): there it is
 * `manual`, and a redirect arrives as an error answer.
 */
function sendBody(body: BodyInit, customFetch: typeof fetch | undefined): typeof fetch {
  const redirect: RequestRedirect =
    (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent === 'Cloudflare-Workers' ? 'manual' : 'error';
  return (input, init) => {
    const request = input as Request;
    const requestInit: RequestInit & { duplex: 'half' } = {
      ...(init as RequestInit | undefined),
      method: request.method,
      headers: request.headers,
      signal: request.signal,
      body,
      redirect,
      window: null,
      duplex: 'half',
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
      retryAfter: retryAfterSeconds(response.headers, Date.now(), response.status),
      cause: error,
    });
  }
  if (error instanceof TimeoutError) return new VoucherifyError({ kind: 'timeout', cause: error });
  if (isVoucherifyError(error)) return error;
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

export { path } from './path.js';
