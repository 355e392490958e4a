/**
 * `createHttp`'s contract over the platform's `fetch` alone, for the edge worker's upstream calls: ky builds, clones
 * and hooks a `Request` per attempt, work a worker pays on every call for features it does not use. Same retry
 * policy, same errors; the one difference is that the timeout bounds the whole attempt, body included.
 */
import type { Attempt, Http, TransportOptions } from './http.js';
import {
  DEFAULT_BASE_URL,
  httpFailure,
  httpOver,
  isStream,
  normalizeBaseUrl,
  streamingInit,
  toSearchParams,
  toVoucherifyError,
} from './http.js';

export function createFetchHttp(options: TransportOptions & { headers: Record<string, string> }): Http {
  return httpOver(fetchAttempt(options), options);
}

function fetchAttempt(options: TransportOptions & { headers: Record<string, string> }): Attempt {
  const prefix = `${normalizeBaseUrl(options.baseUrl ?? DEFAULT_BASE_URL)}/`;
  const send = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  return async (method, path, init) => {
    let url = prefix + path.replace(/^\/+/, '');
    if (init.searchParams) {
      const query = toSearchParams(init.searchParams).toString();
      if (query) url += `?${query}`;
    }
    const headers = new Headers(options.headers);
    for (const [name, value] of Object.entries(init.headers ?? {})) headers.set(name, value);
    let body = init.body;
    if (init.json !== undefined) {
      body = JSON.stringify(init.json);
      headers.set('content-type', 'application/json');
    }
    const timeout = AbortSignal.timeout(init.timeout ?? options.timeout ?? 10_000);
    const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
    const request: RequestInit = { method, headers, signal };
    if (body !== undefined) request.body = body;
    if (isStream(body)) Object.assign(request, streamingInit());
    let response: Response;
    try {
      response = await send(url, request);
    } catch (error) {
      throw await toVoucherifyError(error, init.signal);
    }
    if (!response.ok) throw await httpFailure(response);
    return response;
  };
}
