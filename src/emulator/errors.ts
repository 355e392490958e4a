/**
 * Voucherify's error answers. Handlers throw `ApiError`; the app renders it with the request id, so every error body
 * carries `request_id` and every status has the shape the real API uses for it.
 */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** Body without `request_id` (added when rendered). A string body is sent as plain text. */
    readonly body: Record<string, unknown> | string,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof body === 'string' ? body : String(body.details ?? body.message ?? status));
    this.name = 'ApiError';
  }
}

export const isApiError = (value: unknown): value is ApiError => value instanceof ApiError;

export function notFound(resourceType: string, resourceId: string): ApiError {
  return new ApiError(404, {
    code: 404,
    key: 'not_found',
    message: 'Resource not found',
    details: `Cannot find ${resourceType} with id ${resourceId}`,
    resource_id: resourceId,
    resource_type: resourceType,
  });
}

export function routeNotFound(method: string, path: string): ApiError {
  return new ApiError(404, {
    code: 404,
    key: 'not_found',
    message: 'Resource not found',
    details: `There is no ${method} ${path} endpoint`,
  });
}

export function invalidPayload(details: string): ApiError {
  return new ApiError(400, { code: 400, key: 'invalid_payload', message: 'Invalid payload', details });
}

export function invalidQueryParams(details: string): ApiError {
  return new ApiError(400, { code: 400, key: 'invalid_query_params', message: 'Invalid query params', details });
}

export function tooManyCustomers(): ApiError {
  return new ApiError(400, {
    code: 400,
    key: 'too_many_customers',
    message: 'Too many customers',
    details: 'Specify at most 100 customers',
  });
}

export function unauthorized(details: string): ApiError {
  return new ApiError(401, { code: 401, key: 'unauthorized', message: 'Unauthorized', details });
}

export function forbidden(details: string): ApiError {
  return new ApiError(403, { code: 403, key: 'forbidden', message: 'Forbidden', details });
}

/** `PATCH is not supported by this endpoint. Did you mean GET or PUT?` plus an `Allow` header. */
export function methodNotAllowed(method: string, allowed: string[]): ApiError {
  const list = allowed.length > 1 ? `${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)}` : (allowed[0] ?? '');
  return new ApiError(
    405,
    {
      code: 405,
      message: 'HTTP Method Not Allowed',
      details: `${method} is not supported by this endpoint. Did you mean ${list}?`,
    },
    { Allow: allowed.join(', ') },
  );
}

/** Voucherify's gateway answers an oversized body Hapi-style. */
export function payloadTooLarge(maxBytes: number): ApiError {
  return new ApiError(413, {
    statusCode: 413,
    error: 'Request Entity Too Large',
    message: `Payload content length greater than maximum allowed: ${maxBytes}`,
  });
}

export function unsupportedMediaType(contentType: string | undefined): ApiError {
  return new ApiError(415, {
    code: 415,
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

export function tooManyRequests(retryAfterSeconds: number, clientSide: boolean): ApiError {
  const headers = { 'Retry-After': String(retryAfterSeconds) };
  return clientSide
    ? new ApiError(429, CLIENT_TOO_MANY_REQUESTS_TEXT, headers)
    : new ApiError(429, { code: 429, message: TOO_MANY_REQUESTS_MESSAGE }, headers);
}

export function internalError(): ApiError {
  return new ApiError(500, {
    code: 500,
    key: 'internal_server_error',
    message: 'Internal Server Error',
    details: 'The emulator failed to handle this request; see its log',
  });
}

/** Default body of an injected status fault. */
export function faultBody(status: number): Record<string, unknown> {
  if (status === 429) return { code: 429, message: TOO_MANY_REQUESTS_MESSAGE };
  const messages: Record<number, string> = {
    500: 'Internal Server Error',
    502: 'Bad Gateway',
    503: 'Service Unavailable',
    504: 'Gateway Timeout',
  };
  return { code: status, key: 'injected_fault', message: messages[status] ?? `HTTP ${status}`, details: 'Injected by the emulator' };
}

/** Renders an error with the request id. Plain-text bodies stay plain text. */
export function errorResponse(error: ApiError, requestId: string): Response {
  const headers = new Headers(error.headers);
  if (typeof error.body === 'string') {
    headers.set('Content-Type', 'text/plain; charset=UTF-8');
    return new Response(error.body, { status: error.status, headers });
  }
  headers.set('Content-Type', 'application/json');
  return new Response(JSON.stringify({ ...error.body, request_id: requestId }), { status: error.status, headers });
}
