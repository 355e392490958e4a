/**
 * An error answer in Voucherify's wire format, `{code, key, message, details, request_id}`, thrown by the worker's and
 * the emulator's handlers and rendered once, with the request's id, by `wireResponse`. Server-side only: the
 * components and the browser client never import this module.
 */

export interface WireErrorInit {
  status: number;
  /** Voucherify's error key; a few of its answers (a 405, a 429) carry none (`''`). */
  key?: string;
  message: string;
  details?: string;
  headers?: Record<string, string>;
  /** More body fields after `details` (`resource_id`, `resource_type`). */
  fields?: Record<string, unknown>;
  /** A body outside that shape, sent as it is (plus `request_id` when it is an object); a string goes as plain text. */
  body?: string | Record<string, unknown>;
}

export class WireError extends Error {
  readonly status: number;
  readonly key: string;
  readonly details: string | undefined;
  readonly headers: Record<string, string>;
  readonly fields: Record<string, unknown>;
  readonly body: string | Record<string, unknown> | undefined;

  constructor(init: WireErrorInit) {
    super(init.message);
    this.name = 'WireError';
    this.status = init.status;
    this.key = init.key ?? '';
    this.details = init.details;
    this.headers = init.headers ?? {};
    this.fields = init.fields ?? {};
    this.body = init.body;
  }
}

/** The JSON body of an error answer: Voucherify's shape (or the error's own body) with the request id. */
export function wireBody(error: WireError, requestId: string): Record<string, unknown> {
  if (typeof error.body === 'object') return { ...error.body, request_id: requestId };
  return {
    code: error.status,
    ...(error.key ? { key: error.key } : {}),
    message: error.message,
    ...(error.details !== undefined ? { details: error.details } : {}),
    ...error.fields,
    request_id: requestId,
  };
}

/** The answer for an error: its status and headers, its body as JSON (`jsonType`), or as plain text when it is one. */
export function wireResponse(
  error: WireError,
  requestId: string,
  jsonType = 'application/json; charset=utf-8',
): Response {
  const headers = new Headers(error.headers);
  if (typeof error.body === 'string') {
    headers.set('Content-Type', 'text/plain; charset=UTF-8');
    return new Response(error.body, { status: error.status, headers });
  }
  headers.set('Content-Type', jsonType);
  return new Response(JSON.stringify(wireBody(error, requestId)), { status: error.status, headers });
}
