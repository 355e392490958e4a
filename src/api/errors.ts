import type { VoucherifyErrorBody } from './types.js';

/** What went wrong: the API answered with an error (`http`), no answer came (`network`), or it came too late (`timeout`). */
export type VoucherifyErrorKind = 'http' | 'network' | 'timeout';

// A registered symbol survives realms (iframes, workerd isolates, duplicated bundles) where `instanceof` does not.
const BRAND = Symbol.for('vc-consent.VoucherifyError');

export interface VoucherifyErrorInit {
  kind: VoucherifyErrorKind;
  status?: number;
  body?: Partial<VoucherifyErrorBody> | null;
  message?: string;
  retryAfter?: number | null;
  cause?: unknown;
}

/**
 * The one error every API call throws: an error answer from Voucherify (or the emulator, or the edge worker),
 * a network failure or a timeout. A caller's own `AbortSignal` is not an error of the API: it rejects with the
 * platform's `AbortError` untouched.
 */
export class VoucherifyError extends Error {
  readonly kind: VoucherifyErrorKind;
  /** HTTP status; 0 when no answer came. */
  readonly status: number;
  /** Voucherify's `code` (the HTTP status in every known answer). */
  readonly code: number;
  readonly key: string | undefined;
  readonly details: string | undefined;
  readonly request_id: string | undefined;
  readonly resource_id: string | undefined;
  readonly resource_type: string | undefined;
  readonly related_object_ids: string[] | undefined;
  readonly related_object_type: string | undefined;
  readonly related_object_total: number | undefined;
  /** Seconds the server asked us to wait (`Retry-After`), when it said. */
  readonly retryAfter: number | null;
  /** The error body as parsed, for anything not copied above. */
  readonly body: Partial<VoucherifyErrorBody> | null;

  constructor(init: VoucherifyErrorInit) {
    const body = init.body ?? null;
    super(init.message ?? body?.message ?? defaultMessage(init), { cause: init.cause });
    Object.defineProperty(this, BRAND, { value: true });
    this.name = 'VoucherifyError';
    this.kind = init.kind;
    this.status = init.status ?? 0;
    this.code = typeof body?.code === 'number' ? body.code : this.status;
    this.key = body?.key;
    this.details = body?.details;
    this.request_id = body?.request_id;
    this.resource_id = body?.resource_id;
    this.resource_type = body?.resource_type;
    this.related_object_ids = body?.related_object_ids;
    this.related_object_type = body?.related_object_type;
    this.related_object_total = body?.related_object_total;
    this.retryAfter = init.retryAfter ?? null;
    this.body = body;
  }
}

function defaultMessage(init: VoucherifyErrorInit): string {
  if (init.kind === 'timeout') return 'The request timed out';
  if (init.kind === 'network') return 'The network request failed';
  return `Unexpected status code: ${init.status ?? 0}`;
}

/**
 * A success's body as JSON (`undefined` when empty). Anything else, e.g. a web page served at a wrong base URL, is an
 * `invalid_response` error rather than a value the caller would misread.
 */
export function parseJsonBody(text: string, status: number): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch (cause) {
    throw new VoucherifyError({
      kind: 'http',
      status,
      body: { code: status, key: 'invalid_response', message: 'The response is not valid JSON' },
      cause,
    });
  }
}

/** Type guard that works across realms and bundle copies. */
export function isVoucherifyError(value: unknown): value is VoucherifyError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}

const STATUS_KEYS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'request_entity_too_large',
  415: 'unsupported_media_type',
  429: 'too_many_requests',
  500: 'internal_server_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

/**
 * Reads any error body Voucherify is known to send: its standard `{code, key, message, …}`, the Hapi-style 413
 * `{statusCode, error, message}`, the plain-text 429 ("API calls limit exceeded."), or nothing at all.
 */
export function parseErrorBody(status: number, text: string): Partial<VoucherifyErrorBody> {
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const raw = parsed as Record<string, unknown>;
    const body: Partial<VoucherifyErrorBody> = { ...(raw as Partial<VoucherifyErrorBody>) };
    if (typeof raw.code !== 'number') {
      const code = Number(raw.code ?? raw.statusCode);
      body.code = Number.isInteger(code) && code > 0 ? code : status;
    }
    if (typeof raw.message !== 'string') {
      body.message = typeof raw.error === 'string' ? raw.error : `Unexpected status code: ${status}`;
    }
    if (typeof raw.key !== 'string') body.key = STATUS_KEYS[status];
    // Hapi puts the short reason in `error` and the explanation in `message`.
    if (typeof raw.statusCode === 'number' && typeof raw.error === 'string' && body.details === undefined) {
      body.details = typeof raw.message === 'string' ? raw.message : undefined;
      body.message = raw.error;
    }
    return body;
  }
  const plain = (typeof parsed === 'string' ? parsed : text).trim();
  return {
    code: status,
    key: STATUS_KEYS[status],
    message: plain && plain.length <= 500 && !plain.startsWith('<') ? plain : `Unexpected status code: ${status}`,
  };
}

/**
 * Seconds the server asked us to wait: `Retry-After` (seconds or HTTP date); for a 429 without it, Voucherify's
 * `X-Rate-Limit-Retry` (epoch seconds). That one comes with every answer, as the end of the current rate-limit
 * window, so it says nothing about when to retry any other status.
 */
export function retryAfterSeconds(headers: Headers, now = Date.now(), status = 429): number | null {
  const value = headers.get('retry-after');
  if (value) {
    const seconds = Number(value);
    if (Number.isFinite(seconds)) return Math.max(0, seconds);
    const date = Date.parse(value);
    if (!Number.isNaN(date)) return Math.max(0, Math.ceil((date - now) / 1000));
  }
  const epoch = Number(headers.get('x-rate-limit-retry'));
  if (status === 429 && headers.has('x-rate-limit-retry') && Number.isFinite(epoch) && epoch > 0) {
    return Math.max(0, Math.ceil(epoch - now / 1000));
  }
  return null;
}
