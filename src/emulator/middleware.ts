/**
 * The layers every API request passes, outermost first: request id and log, CORS headers (client paths), rate
 * limit, injected faults, CORS preflight, body size, keys. Control routes (`/_emulator/…`) skip all but the request id.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { MiddlewareHandler } from 'hono';
import { checkClientKeys, checkOrigin, checkServerKeys, originAllowed } from './auth.js';
import type { WireError } from '../api/wire-error.js';
import { cycleQuotaExceeded, forbidden, injectedFault, payloadTooLarge, tooManyRequests } from './errors.js';
import type { FaultPhase } from './faults.js';
import { rawTarget, type EmulatorEnv } from './http-context.js';
import { newRequestId } from './ids.js';
import { redactEntry } from './request-log.js';
import type { EmulatorRuntime } from './emulator-runtime.js';
import type { RateLimitState } from './rate-limit.js';

type Middleware = MiddlewareHandler<EmulatorEnv>;

const CONTROL_PREFIX = '/_emulator/';
const isControl = (path: string) => path.startsWith(CONTROL_PREFIX);
const isClientPath = (path: string) => path === '/client' || path.startsWith('/client/');

const CORS_ALLOW_METHODS = 'GET, POST, PUT, DELETE, OPTIONS';
const CORS_ALLOW_HEADERS =
  'Content-Type, X-Client-Application-Id, X-Client-Token, X-Voucherify-Channel, X-Voucherify-API-Version';
const CORS_EXPOSE_HEADERS =
  'X-Rate-Limit-Limit, X-Rate-Limit-Remaining, X-Rate-Limit-Retry, X-Rate-Limit-Type, Retry-After, X-Request-Id';
const CORS_MAX_AGE = '600';

/** Request id on every answer; API requests are logged (and recorded for tests) with their final status. */
export function requestContext(runtime: EmulatorRuntime): Middleware {
  return async function requestContextMiddleware(c, next) {
    const requestId = newRequestId();
    c.set('requestId', requestId);
    c.set('auth', 'none');
    c.set('dropped', false);
    c.set('forgotten', undefined);
    const started = performance.now();
    await next();
    const dropped = c.get('dropped');
    if (!dropped) c.res.headers.set('X-Request-Id', requestId);
    const { path, query } = rawTarget(c);
    if (isControl(c.req.path)) return;
    const status = dropped ? 0 : c.res.status;
    const entry = {
      method: c.req.method,
      path,
      query,
      auth: c.get('auth'),
      status,
      at: new Date().toISOString(),
      requestId,
    };
    const forgotten = c.get('forgotten');
    runtime.log.add(forgotten ? redactEntry(entry, forgotten) : entry);
    if (!runtime.options.quiet) {
      const shown = forgotten ? redactEntry(entry, forgotten) : entry;
      console.log(
        `${c.req.method} ${shown.path}${shown.query ? `?${shown.query}` : ''} ${dropped ? 'dropped' : status} ${Math.round(performance.now() - started)}ms`,
      );
    }
  };
}

/** On client paths, answers (errors included) carry CORS headers for allowed origins. */
export function corsHeaders(runtime: EmulatorRuntime): Middleware {
  return async function corsHeadersMiddleware(c, next) {
    await next();
    if (!isClientPath(c.req.path) || c.get('dropped')) return;
    c.res.headers.append('Vary', 'Origin');
    const origin = c.req.header('origin');
    if (origin && originAllowed(runtime.options.allowedOrigins, origin)) {
      c.res.headers.set('Access-Control-Allow-Origin', origin);
      c.res.headers.set('Access-Control-Expose-Headers', CORS_EXPOSE_HEADERS);
    }
  };
}

/**
 * Injected latency, error statuses and dropped connections: before the route runs, or (rules with `after`) once it ran,
 * in place of its answer.
 */
export function faultInjection(runtime: EmulatorRuntime): Middleware {
  return async function faultInjectionMiddleware(c, next) {
    if (isControl(c.req.path)) return next();
    const { before, after } = runtime.faults.decide(c.req.method, rawTarget(c).path);
    const fault = async (phase: FaultPhase): Promise<Response | undefined> => {
      // Awaiting a timer never blocks other requests; closing the emulator cuts the wait short.
      if (phase.latencyMs > 0)
        await sleep(phase.latencyMs, undefined, { signal: runtime.lifetime.signal }).catch(() => {});
      const rule = phase.terminal;
      if (!rule) return undefined;
      if (rule.kind === 'drop') {
        c.env.incoming.socket.destroy();
        c.set('dropped', true);
        // Tells @hono/node-server that there is nothing to write.
        return new Response(null, { headers: { 'x-hono-already-sent': '1' } });
      }
      const status = rule.status ?? 500;
      const headers: Record<string, string> =
        rule.retryAfter !== undefined ? { 'Retry-After': String(rule.retryAfter) } : {};
      if (rule.body === undefined) throw injectedFault(status, headers);
      // A custom body is sent exactly as given: a string as text, anything else as JSON.
      if (typeof rule.body === 'string') return c.text(rule.body, status as 500, headers);
      return c.json(rule.body as object, status as 500, headers);
    };
    const instead = await fault(before);
    if (instead) return instead;
    await next();
    const lost = await fault(after);
    if (lost) c.res = lost;
  };
}

/** CORS preflight for client paths: 204 with the allow-lists for an allowed origin, 403 without them otherwise. */
export function preflight(runtime: EmulatorRuntime): Middleware {
  return async function preflightMiddleware(c, next) {
    if (c.req.method !== 'OPTIONS' || !isClientPath(c.req.path)) return next();
    const origin = c.req.header('origin');
    if (!origin || !originAllowed(runtime.options.allowedOrigins, origin)) {
      throw forbidden(
        origin ? `Origin ${origin} is not allowed; add it to the allowed origins` : 'Missing Origin header',
      );
    }
    return c.body(null, 204, {
      'Access-Control-Allow-Methods': CORS_ALLOW_METHODS,
      'Access-Control-Allow-Headers': CORS_ALLOW_HEADERS,
      'Access-Control-Max-Age': CORS_MAX_AGE,
    });
  };
}

/**
 * Voucherify's limits: a fixed window per caller (server side per app id, client side per IP address, as Voucherify
 * throttles them) and, under a plan, the billing cycle's server-side calls, after which every server-side call is
 * refused until the cycle resets. Every answer carries `X-Rate-Limit-*`; a refusal adds `Retry-After` and, on server
 * paths, which limit was reached (`X-Rate-Limit-Type`).
 */
export function rateLimit(runtime: EmulatorRuntime): Middleware {
  return async function rateLimitMiddleware(c, next) {
    const client = isClientPath(c.req.path);
    if (isControl(c.req.path) || (client && c.req.method === 'OPTIONS')) return next();
    const { limiter } = runtime;
    const now = Date.now();
    const retryAfter = (resetAt: number) => Math.max(1, Math.ceil((resetAt - now) / 1000));
    const cycle = client ? undefined : limiter.cycle?.usage(now);
    if (cycle?.blocked) {
      const error = cycleQuotaExceeded(cycle.quota, cycle.resetsAt, retryAfter(cycle.resetsAt));
      throw withLimitHeaders(error, { limit: cycle.quota, remaining: 0, resetAt: cycle.resetsAt }, 'api_calls_cycle');
    }
    const ip = c.env.incoming.socket.remoteAddress ?? 'unknown';
    const state = client
      ? limiter.client.hit(`ip:${ip}`, now)
      : limiter.server.hit(c.req.header('x-app-id') ?? ip, now);
    if (state.limited) {
      const error = tooManyRequests(retryAfter(state.resetAt), client);
      throw withLimitHeaders(error, state, client ? undefined : 'api_calls');
    }
    if (!client) limiter.cycle?.take(now);
    await next();
    if (!c.get('dropped')) setLimitHeaders(c.res.headers, state);
  };
}

type LimitHeaderState = Pick<RateLimitState, 'limit' | 'remaining' | 'resetAt'>;

/** `X-Rate-Limit-Retry` is when the next call can be made, in epoch seconds. */
function setLimitHeaders(headers: Headers | Record<string, string>, state: LimitHeaderState): void {
  const values = {
    'X-Rate-Limit-Limit': String(state.limit),
    'X-Rate-Limit-Remaining': String(state.remaining),
    'X-Rate-Limit-Retry': String(Math.ceil(state.resetAt / 1000)),
  };
  if (headers instanceof Headers) for (const [name, value] of Object.entries(values)) headers.set(name, value);
  else Object.assign(headers, values);
}

function withLimitHeaders(error: WireError, state: LimitHeaderState, type?: string): WireError {
  setLimitHeaders(error.headers, { ...state, remaining: 0 });
  if (type) error.headers['X-Rate-Limit-Type'] = type;
  return error;
}

/** A declared body over the limit is refused before reading it; streamed bodies are counted as they are read. */
export function bodyLimit(runtime: EmulatorRuntime): Middleware {
  return async function bodyLimitMiddleware(c, next) {
    const declared = Number(c.req.header('content-length'));
    if (Number.isFinite(declared) && declared > runtime.options.maxBodyBytes)
      throw payloadTooLarge(runtime.options.maxBodyBytes);
    return next();
  };
}

/** Server keys on `/v1`, client keys plus an allowed origin on `/client/v1`. */
export function authentication(runtime: EmulatorRuntime): Middleware {
  return async function authenticationMiddleware(c, next) {
    const path = c.req.path;
    const header = (name: string) => c.req.header(name);
    if (path === '/v1' || path.startsWith('/v1/')) {
      checkServerKeys(runtime.options.serverKeys, header);
      c.set('auth', 'server');
    } else if (isClientPath(path)) {
      checkClientKeys(runtime.options.clientKeys, header);
      checkOrigin(runtime.options.allowedOrigins, header('origin'));
      c.set('auth', 'client');
    }
    return next();
  };
}
