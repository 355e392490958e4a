/**
 * Voucherify's error answers, as the emulator gives them. Handlers throw a `WireError`; the app renders it with the
 * request id, so every error body carries `request_id` and every status has the shape the real API uses for it.
 */
import { WireError, wireResponse } from '../api/wire-error.js';

export function notFound(resourceType: string, resourceId: string): WireError {
  return new WireError({
    status: 404,
    key: 'not_found',
    message: 'Resource not found',
    details: `Cannot find ${resourceType} with id ${resourceId}`,
    fields: { resource_id: resourceId, resource_type: resourceType },
  });
}

export function routeNotFound(method: string, path: string): WireError {
  return new WireError({
    status: 404,
    key: 'not_found',
    message: 'Resource not found',
    details: `There is no ${method} ${path} endpoint`,
  });
}

export function invalidPayload(details: string): WireError {
  return new WireError({ status: 400, key: 'invalid_payload', message: 'Invalid payload', details });
}

export function invalidQueryParams(details: string): WireError {
  return new WireError({ status: 400, key: 'invalid_query_params', message: 'Invalid query params', details });
}

/** Key and details as a Voucherify reviewer quoted the API (voucherify-java-sdk PR #113); the message is ours. */
export function tooManyCustomers(): WireError {
  return new WireError({
    status: 400,
    key: 'too_many_customers',
    message: 'Too many customers',
    details: 'Specify at most 100 customers',
  });
}

export function unauthorized(details: string): WireError {
  return new WireError({ status: 401, key: 'unauthorized', message: 'Unauthorized', details });
}

export function forbidden(details: string): WireError {
  return new WireError({ status: 403, key: 'forbidden', message: 'Forbidden', details });
}

/** `PATCH is not supported by this endpoint. Did you mean GET or PUT?` plus an `Allow` header (and no key). */
export function methodNotAllowed(method: string, allowed: readonly string[]): WireError {
  const list = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}` : (allowed[0] ?? '');
  return new WireError({
    status: 405,
    message: 'HTTP Method Not Allowed',
    details: `${method} is not supported by this endpoint. Did you mean ${list}?`,
    headers: { Allow: allowed.join(', ') },
  });
}

/** Voucherify's gateway answers an oversized body Hapi-style. */
export function payloadTooLarge(maxBytes: number): WireError {
  const message = `Payload content length greater than maximum allowed: ${maxBytes}`;
  return new WireError({ status: 413, message, body: { statusCode: 413, error: 'Request Entity Too Large', message } });
}

export function unsupportedMediaType(contentType: string | undefined): WireError {
  return new WireError({
    status: 415,
    key: 'unsupported_media_type',
    message: 'Unsupported Media Type',
    details: contentType
      ? `Content-Type ${contentType} is not supported, send application/json`
      : 'Missing Content-Type header, send application/json',
  });
}

export const TOO_MANY_REQUESTS_MESSAGE = 'Too many requests hit the API too quickly.';
/** What Voucherify's client-side throttle answers, as plain text. */
export const CLIENT_TOO_MANY_REQUESTS_TEXT = 'API calls limit exceeded.';

export function tooManyRequests(retryAfterSeconds: number, clientSide: boolean): WireError {
  const headers = { 'Retry-After': String(retryAfterSeconds) };
  return clientSide
    ? new WireError({
        status: 429,
        message: CLIENT_TOO_MANY_REQUESTS_TEXT,
        body: CLIENT_TOO_MANY_REQUESTS_TEXT,
        headers,
      })
    : new WireError({ status: 429, message: TOO_MANY_REQUESTS_MESSAGE, headers });
}

/**
 * Once the billing cycle's calls are used up. Voucherify documents that access is blocked (a 429 whose
 * `X-Rate-Limit-Type` is `api_calls_cycle`) but not the body: this is the 429's shape, saying what happened.
 */
export function cycleQuotaExceeded(quota: number, resetsAt: number, retryAfterSeconds: number): WireError {
  return new WireError({
    status: 429,
    message: 'API calls limit of the billing cycle exceeded',
    details: `All ${quota} API calls of this billing cycle are used; API access resumes when it resets at ${new Date(resetsAt).toISOString()}`,
    headers: { 'Retry-After': String(retryAfterSeconds) },
  });
}

export function internalError(): WireError {
  return new WireError({
    status: 500,
    key: 'internal_server_error',
    message: 'Internal Server Error',
    details: 'The emulator failed to handle this request; see its log',
  });
}

const FAULT_MESSAGES: Record<number, string> = {
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** An injected status fault without a body of its own. */
export function injectedFault(status: number, headers: Record<string, string>): WireError {
  if (status === 429) return new WireError({ status, message: TOO_MANY_REQUESTS_MESSAGE, headers });
  return new WireError({
    status,
    key: 'injected_fault',
    message: FAULT_MESSAGES[status] ?? `HTTP ${status}`,
    details: 'Injected by the emulator',
    headers,
  });
}

/** Renders an error with the request id, as the real API labels its JSON. */
export function errorResponse(error: WireError, requestId: string): Response {
  return wireResponse(error, requestId, 'application/json');
}
