/**
 * The worker's own errors, answered in Voucherify's error shape (`WireError`) with the worker's request id. Upstream
 * failures are translated here, and nothing of the upstream's answer (its messages, ids, internals) is passed on to a
 * customer.
 */
import { isVoucherifyError } from '../api/errors.js';
import { WireError } from '../api/wire-error.js';

export const invalidPayload = (details: string): WireError =>
  new WireError({ status: 400, key: 'invalid_payload', message: 'Invalid payload', details });

export const invalidQuery = (details: string): WireError =>
  new WireError({ status: 400, key: 'invalid_query_params', message: 'Invalid query params', details });

/** Refuses (400) query parameters other than `allowed`, naming them; no `allowed` = a route that takes none. */
export function onlyQueryParams(query: URLSearchParams, allowed: readonly string[] = []): void {
  const unknown = [...new Set(query.keys())].filter((key) => !allowed.includes(key));
  if (unknown.length === 0) return;
  if (allowed.length === 0) throw invalidQuery(`This route takes no query parameters (got ${unknown.join(', ')}).`);
  throw invalidQuery(`Unknown query parameters: ${unknown.join(', ')}. Allowed: ${allowed.join(', ')}.`);
}

export const notFound = (details = 'The requested resource does not exist.'): WireError =>
  new WireError({ status: 404, key: 'not_found', message: 'Resource not found', details });

export const unauthorized = (details: string): WireError =>
  new WireError({
    status: 401,
    key: 'unauthorized',
    message: 'Unauthorized',
    details,
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  });

export const forbiddenScope = (scope: string): WireError =>
  new WireError({
    status: 403,
    key: 'forbidden',
    message: 'Forbidden',
    details: `The session token lacks the "${scope}" scope.`,
    headers: { 'WWW-Authenticate': `Bearer error="insufficient_scope", scope="${scope}"` },
  });

/** A known path with a method it does not have: 405 with `Allow`, in Voucherify's words. */
export const methodNotAllowed = (method: string, allow: readonly string[]): WireError =>
  new WireError({
    status: 405,
    key: 'method_not_allowed',
    message: 'HTTP Method Not Allowed',
    details: `${method} is not supported by this endpoint. Did you mean ${allow.join(' or ')}?`,
    headers: { Allow: allow.join(', ') },
  });

export const tooLarge = (limit: number): WireError =>
  new WireError({
    status: 413,
    key: 'request_entity_too_large',
    message: 'Request Entity Too Large',
    details: `The request body is larger than ${limit} bytes.`,
  });

export const unsupportedMediaType = (expected: string): WireError =>
  new WireError({
    status: 415,
    key: 'unsupported_media_type',
    message: 'Unsupported Media Type',
    details: `Send ${expected}.`,
  });

export const rateLimited = (retryAfter: number): WireError =>
  new WireError({
    status: 429,
    key: 'too_many_requests',
    message: 'Too many requests hit the API too quickly.',
    details: `Try again in ${retryAfter} seconds.`,
    headers: { 'Retry-After': String(retryAfter) },
  });

/** A back office call that got no answer from Voucherify: 504 when it timed out, 502 when it could not be reached. */
export const forwardFailure = (kind: 'network' | 'timeout'): WireError =>
  kind === 'timeout'
    ? new WireError({
        status: 504,
        key: 'gateway_timeout',
        message: 'Gateway Timeout',
        details: 'Voucherify did not answer in time.',
      })
    : new WireError({
        status: 502,
        key: 'bad_gateway',
        message: 'Bad Gateway',
        details: 'Voucherify could not be reached.',
      });

export interface UpstreamFailureOptions {
  /** The details of a 404. */
  notFoundDetails?: string;
  /** What a 400 means for this request, when the route knows better than "the change was refused". */
  badRequest?: () => WireError;
}

/** What a customer route answers when the upstream failed (after the client's retries). */
export function upstreamFailure(error: unknown, options: UpstreamFailureOptions = {}): WireError {
  if (error instanceof WireError) return error;
  if (!isVoucherifyError(error)) {
    return new WireError({
      status: 502,
      key: 'bad_gateway',
      message: 'Bad Gateway',
      details: 'The customer service answered something unexpected.',
    });
  }
  if (error.kind === 'timeout') {
    return new WireError({
      status: 504,
      key: 'gateway_timeout',
      message: 'Gateway Timeout',
      details: 'The customer service did not answer in time. Try again.',
    });
  }
  if (error.kind === 'network') {
    return new WireError({
      status: 502,
      key: 'bad_gateway',
      message: 'Bad Gateway',
      details: 'The customer service could not be reached. Try again.',
    });
  }
  if (error.status === 404) return notFound(options.notFoundDetails);
  if (error.status === 429 || error.status === 503) {
    const retryAfter = Math.max(1, Math.ceil(error.retryAfter ?? 30));
    return new WireError({
      status: 503,
      key: 'service_unavailable',
      message: 'Service Unavailable',
      details: `The customer service is busy. Try again in ${retryAfter} seconds.`,
      headers: { 'Retry-After': String(retryAfter) },
    });
  }
  if (error.status === 400 && options.badRequest) return options.badRequest();
  if (error.status === 400 || error.status === 422) {
    // The worker validated the request, so the upstream refusing it is about the data (e.g. a metadata schema rule).
    return invalidPayload('The customer service refused the change.');
  }
  return new WireError({
    status: 502,
    key: 'bad_gateway',
    message: 'Bad Gateway',
    details: 'The customer service failed to answer. Try again.',
  });
}
