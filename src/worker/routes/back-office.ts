/**
 * The back office: Voucherify's server paths for customers, consents and async actions, wire-compatible, for
 * callers holding one of the worker's own `ADMIN_KEYS` pairs (`X-App-Id` / `X-App-Token`). The real keys are
 * swapped in by `secrets.ts`; only a few client headers go upstream; status, body and the useful headers come
 * back. Bodies stream: a CSV import is counted on its way through, never buffered. Off without `ADMIN_KEYS`.
 */
import { Hono } from 'hono';
import { mediaType, readCapped } from '../body.js';
import type { AppContext, AppEnv } from '../context.js';
import { setupOf } from '../context.js';
import { writeFor } from '../customer-object.js';
import { FORWARDED_REQUEST_HEADERS } from '../secrets.js';
import { forwardFailure, methodNotAllowed, notFound, tooLarge, unsupportedMediaType } from '../errors.js';
import { WireError } from '../../api/wire-error.js';

interface BackOfficeRoute {
  name: string;
  pattern: RegExp;
  methods: readonly string[];
  /** Multipart upload streamed through with the CSV cap. */
  upload?: boolean;
}

const SEGMENT = '[^/]+';
/** Every path of the Customers API, plus consents and async actions. Nothing else passes. */
export const BACK_OFFICE_ROUTES: readonly BackOfficeRoute[] = [
  { name: '/v1/customers', pattern: /^\/v1\/customers$/, methods: ['GET', 'POST'] },
  { name: '/v1/customers/importCSV', pattern: /^\/v1\/customers\/importCSV$/, methods: ['POST'], upload: true },
  { name: '/v1/customers/bulk/async', pattern: /^\/v1\/customers\/bulk\/async$/, methods: ['POST'] },
  { name: '/v1/customers/metadata/async', pattern: /^\/v1\/customers\/metadata\/async$/, methods: ['POST'] },
  { name: '/v1/customers/{id}', pattern: new RegExp(`^/v1/customers/${SEGMENT}$`), methods: ['GET', 'PUT', 'DELETE'] },
  {
    name: '/v1/customers/{id}/permanent-deletion',
    pattern: new RegExp(`^/v1/customers/${SEGMENT}/permanent-deletion$`),
    methods: ['POST'],
  },
  {
    name: '/v1/customers/{id}/activities',
    pattern: new RegExp(`^/v1/customers/${SEGMENT}/activities$`),
    methods: ['GET'],
  },
  { name: '/v1/customers/{id}/activity', pattern: new RegExp(`^/v1/customers/${SEGMENT}/activity$`), methods: ['GET'] },
  { name: '/v1/customers/{id}/segments', pattern: new RegExp(`^/v1/customers/${SEGMENT}/segments$`), methods: ['GET'] },
  {
    name: '/v1/customers/{id}/redeemables',
    pattern: new RegExp(`^/v1/customers/${SEGMENT}/redeemables$`),
    methods: ['GET'],
  },
  { name: '/v1/customers/{id}/consents', pattern: new RegExp(`^/v1/customers/${SEGMENT}/consents$`), methods: ['PUT'] },
  { name: '/v1/consents', pattern: /^\/v1\/consents$/, methods: ['GET'] },
  { name: '/v1/async-actions', pattern: /^\/v1\/async-actions$/, methods: ['GET'] },
  { name: '/v1/async-actions/{id}', pattern: new RegExp(`^/v1/async-actions/${SEGMENT}$`), methods: ['GET'] },
];

/** Response headers passed back from the upstream; everything else (cookies, server, …) stays behind. */
const RETURNED_HEADERS = [
  'content-type',
  'retry-after',
  'x-rate-limit-limit',
  'x-rate-limit-remaining',
  'x-rate-limit-retry',
  'x-rate-limit-type',
];
const MAX_URL_LENGTH = 8192;
/** Routes that write to one customer (their id is the fourth path segment). */
const CUSTOMER_WRITE_ROUTES = new Set([
  '/v1/customers/{id}',
  '/v1/customers/{id}/permanent-deletion',
  '/v1/customers/{id}/consents',
]);

/** A request meant for the back office: it carries admin credentials and the back office is on. */
export function isBackOfficeRequest(c: AppContext): boolean {
  const { secrets } = setupOf(c);
  return (
    secrets.backOfficeEnabled && (c.req.header('x-app-id') !== undefined || c.req.header('x-app-token') !== undefined)
  );
}

function adminRefused(): WireError {
  return new WireError({
    status: 401,
    key: 'unauthorized',
    message: 'Unauthorized',
    details: "Send one of the worker's admin key pairs as X-App-Id and X-App-Token.",
  });
}

function segmentsAreIds(pathname: string): boolean {
  return pathname.split('/').every((segment) => {
    let decoded: string;
    try {
      decoded = decodeURIComponent(segment);
    } catch {
      return false;
    }
    return decoded !== '.' && decoded !== '..';
  });
}

/** Counts bytes on their way through and errors the stream past `limit`. */
function byteCounter(limit: number, onTooLarge: () => void): TransformStream<Uint8Array, Uint8Array> {
  let total = 0;
  return new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      total += chunk.byteLength;
      if (total > limit) {
        onTooLarge();
        controller.error(tooLarge(limit));
        return;
      }
      controller.enqueue(chunk);
    },
  });
}

/** Refuses (401) a request without one of the worker's admin key pairs; 404 when the back office is off. */
export async function requireAdmin(c: AppContext): Promise<void> {
  const { secrets, log } = setupOf(c);
  if (!secrets.backOfficeEnabled) throw notFound();
  const state = c.get('state');
  if (!(await secrets.isAdmin(c.req.header('x-app-id') ?? '', c.req.header('x-app-token') ?? ''))) {
    log.warn('back office refused', { request_id: state.requestId, route: state.route });
    throw adminRefused();
  }
}

export async function forwardBackOffice(c: AppContext): Promise<Response> {
  const { secrets, config, log } = setupOf(c);
  const state = c.get('state');
  await requireAdmin(c);
  const url = new URL(c.req.url);
  const target = BACK_OFFICE_ROUTES.filter((candidate) => candidate.pattern.test(url.pathname));
  if (target.length === 0 || !segmentsAreIds(url.pathname)) throw notFound();
  const method = c.req.method === 'HEAD' ? 'GET' : c.req.method;
  const match = target.find((candidate) => candidate.methods.includes(method));
  if (!match) throw methodNotAllowed(c.req.method, [...new Set(target.flatMap((candidate) => candidate.methods))]);
  state.route = `${method} ${match.name} (back office)`;
  if (url.pathname.length + url.search.length > MAX_URL_LENGTH) {
    throw new WireError({
      status: 414,
      key: 'uri_too_long',
      message: 'URI Too Long',
      details: `Keep the path and query under ${MAX_URL_LENGTH} characters.`,
    });
  }

  const request = c.req.raw;
  let body: Uint8Array | ReadableStream<Uint8Array> | null = null;
  let exceeded = false;
  if (match.upload) {
    if (mediaType(request) !== 'multipart/form-data')
      throw unsupportedMediaType('multipart/form-data with the CSV in the field "file"');
    const declared = Number(request.headers.get('content-length') ?? 'NaN');
    if (Number.isFinite(declared) && declared > config.csvMaxBytes) throw tooLarge(config.csvMaxBytes);
    if (!request.body)
      throw new WireError({
        status: 400,
        key: 'invalid_payload',
        message: 'Invalid payload',
        details: 'The CSV upload is empty.',
      });
    body = request.body.pipeThrough(byteCounter(config.csvMaxBytes, () => (exceeded = true)));
  } else if (method === 'POST' || method === 'PUT') {
    const bytes = await readCapped(request, config.backOfficeMaxJsonBytes);
    body = bytes.byteLength ? bytes : null;
  }

  const customerId = customerWriteTarget(match.name, method, url.pathname);
  if (customerId !== null) {
    // A write to one customer goes through their Durable Object, after the writes before it (and consents compared).
    const answer = await writeFor(c, customerId, {
      kind: 'forward',
      consents: match.name === '/v1/customers/{id}/consents',
      request: {
        method,
        pathAndQuery: url.pathname + url.search,
        headers: [...request.headers].filter(([name]) => FORWARDED_REQUEST_HEADERS.includes(name)),
        body: body instanceof Uint8Array ? new TextDecoder().decode(body) : null,
      },
    });
    return answerOf(c, answer.status, new Headers(answer.headers), answer.body);
  }

  const result = await secrets.forward({
    method,
    pathAndQuery: url.pathname + url.search,
    headers: request.headers,
    body,
    signal: request.signal,
  });
  if (exceeded) throw tooLarge(config.csvMaxBytes);
  if (!result.ok) {
    log.warn('back office upstream failed', { request_id: state.requestId, route: state.route, kind: result.kind });
    throw forwardFailure(result.kind);
  }
  const upstream = result.response;
  return answerOf(c, upstream.status, upstream.headers, upstream.body);
}

/** The customer a back office request writes to, or null (reads, lists, bulk jobs and creation are not per customer). */
function customerWriteTarget(route: string, method: string, pathname: string): string | null {
  if (method === 'GET' || !CUSTOMER_WRITE_ROUTES.has(route)) return null;
  return decodeURIComponent(pathname.split('/')[3]!);
}

/** The upstream's answer with only the headers worth returning; a redirect is refused, a bodiless status stays empty. */
async function answerOf(
  c: AppContext,
  status: number,
  upstreamHeaders: Headers,
  body: ReadableStream<Uint8Array> | string | null,
): Promise<Response> {
  const { log } = setupOf(c);
  const state = c.get('state');
  const headers = new Headers();
  for (const name of RETURNED_HEADERS) {
    const value = upstreamHeaders.get(name);
    if (value !== null) headers.set(name, value);
  }
  const discard = () => (body instanceof ReadableStream ? body.cancel().catch(() => undefined) : undefined);
  if (status >= 500)
    log.warn('back office upstream error', {
      request_id: state.requestId,
      route: state.route,
      upstream_status: status,
    });
  if (status >= 300 && status < 400) {
    await discard();
    throw new WireError({
      status: 502,
      key: 'bad_gateway',
      message: 'Bad Gateway',
      details: 'Voucherify answered with a redirect.',
    });
  }
  const empty = c.req.method === 'HEAD' || status === 204 || status === 304;
  if (empty) await discard();
  return new Response(empty ? null : body, { status, headers });
}

export function backOfficeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const handler = async (c: AppContext) => {
    const { secrets } = setupOf(c);
    c.get('state').route = `${c.req.method} back office`;
    // Off: these paths do not exist. On: credentials first, then the route table.
    if (!secrets.backOfficeEnabled) throw notFound();
    return forwardBackOffice(c);
  };
  app.all('/v1/customers', handler);
  app.all('/v1/customers/*', handler);
  app.all('/v1/async-actions', handler);
  app.all('/v1/async-actions/*', handler);

  return app;
}
