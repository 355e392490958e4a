/**
 * The worker's middleware, as small factories with named inner functions (the Hono way): request context and
 * response hygiene, the configuration gate, CORS with exact origins, session tokens with scopes, rate limits.
 */
import type { MiddlewareHandler } from 'hono';
import type { Scope } from '../api/edge-types.js';
import type { AppContext, AppEnv, RequestState } from './context.js';
import { loadSetup, newRequestId, setupOf } from './context.js';
import { ConfigError } from './env.js';
import { isLocalHost } from './dev-keys.js';
import type { Env } from './env.js';
import { EdgeError, errorBody, forbiddenScope, onlyQueryParams, rateLimited, unauthorized } from './errors.js';
import { createLogger } from './log.js';
import { TokenError } from './tokens.js';

/** Headers every response carries. Routes may set their own CSP and Cache-Control first; these fill the rest. */
const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};
const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/** A Voucherify-shaped JSON error answer carrying the request id. */
export function errorResponse(c: AppContext, error: EdgeError): Response {
  const headers = new Headers({ 'Content-Type': 'application/json; charset=utf-8', ...error.headers });
  return new Response(JSON.stringify(errorBody(error, c.get('state').requestId)), { status: error.status, headers });
}

function misconfigured(problems: ConfigError['problems']): EdgeError {
  return new EdgeError({
    status: 500,
    key: 'misconfigured',
    message: 'The worker is misconfigured',
    details: problems.map((problem) => `${problem.variable} ${problem.reason}`).join('; '),
  });
}

/** Turns anything thrown into an answer: our errors as they are, a bad configuration as 500, the rest as a logged 500. */
export function handleError(error: unknown, c: AppContext): Response {
  if (error instanceof EdgeError) return errorResponse(c, error);
  if (error instanceof ConfigError) return errorResponse(c, misconfigured(error.problems));
  const state = c.get('state');
  const log = state?.setup?.log ?? createLogger('error');
  log.error('unhandled error', { request_id: state?.requestId, route: state?.route, reason: error instanceof Error ? error.name : typeof error });
  return errorResponse(
    c,
    new EdgeError({ status: 500, key: 'internal_error', message: 'Internal Server Error', details: 'The worker failed to answer. Try again.' }),
  );
}

function withHeaders(response: Response): Response {
  try {
    response.headers.set('X-Request-Id', response.headers.get('X-Request-Id') ?? '');
    return response;
  } catch {
    // Immutable headers (a Response straight from fetch or the cache): copy it.
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers: new Headers(response.headers) });
  }
}

/** Request id, timing, one log line per request, and the security headers on every answer. */
export function requestContext(): MiddlewareHandler<AppEnv> {
  return async function requestContextMiddleware(c, next) {
    const state: RequestState = { requestId: newRequestId(), startedAt: Date.now(), route: 'unmatched', setup: null };
    c.set('state', state);
    await next();
    const response = withHeaders(c.res);
    const headers = response.headers;
    headers.set('X-Request-Id', state.requestId);
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
    if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', DEFAULT_CSP);
    if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
    headers.delete('Server');
    headers.delete('Set-Cookie');
    c.res = response;
    state.setup?.log.info('request', {
      request_id: state.requestId,
      method: c.req.method,
      route: state.route,
      status: response.status,
      ms: Date.now() - state.startedAt,
      ...(state.customer ? { customer: state.customer } : {}),
    });
  };
}

/**
 * Validates configuration and secrets once; a misconfigured worker answers 500 `misconfigured`, naming the variables.
 * So does a worker holding a published development key (`.dev.vars.example`) on any host but localhost.
 */
export function configurationGate(): MiddlewareHandler<AppEnv> {
  return async function configurationGateMiddleware(c, next) {
    const env: Env = c.env ?? {};
    try {
      const setup = await loadSetup(env);
      // The keys of `.dev.vars.example` are public: serve with them on localhost only (local development, tests).
      if (setup.secrets.publishedKeys.length && !isLocalHost(new URL(c.req.url).hostname)) throw new ConfigError([...setup.secrets.publishedKeys]);
      c.get('state').setup = setup;
    } catch (error) {
      if (error instanceof ConfigError) {
        createLogger('error').error('misconfigured', { request_id: c.get('state').requestId, reason: error.problems.map((p) => p.variable).join(',') });
      }
      throw error;
    }
    await next();
  };
}

/** Names the route for logs (a template, never the raw path). */
export function route(name: string): MiddlewareHandler<AppEnv> {
  return async function routeMiddleware(c, next) {
    c.get('state').route = name;
    await next();
  };
}

export interface CorsOptions {
  /** Refuse (403) a request whose `Origin` is present and not allowed. Off for routes mail servers call. */
  enforce: boolean;
  /** Also accept the worker's own pages (their forms post to it): its origin, or `null` from the same origin. */
  allowSelf?: boolean;
  methods: string;
}

/**
 * CORS with exact origins from `ALLOWED_ORIGINS`: no wildcard, no reflection of unknown origins, no credentials,
 * `Vary: Origin` always; preflights answered here (204, or 403 for an origin not on the list).
 */
export function cors(options: CorsOptions): MiddlewareHandler<AppEnv> {
  return async function corsMiddleware(c, next) {
    const { config } = setupOf(c);
    const origin = c.req.header('origin');
    const self = options.allowSelf && origin !== undefined && isSelf(c, origin);
    const allowed = origin !== undefined && config.allowedOrigins.has(origin);
    if (c.req.method === 'OPTIONS') {
      if (!allowed || !c.req.header('access-control-request-method')) {
        const response = errorResponse(c, originRefused());
        response.headers.set('Vary', 'Origin');
        return response;
      }
      return new Response(null, {
        status: 204,
        headers: {
          'Access-Control-Allow-Origin': origin,
          'Access-Control-Allow-Methods': options.methods,
          'Access-Control-Allow-Headers': 'Authorization, Content-Type, Accept, Accept-Language',
          'Access-Control-Max-Age': '600',
          Vary: 'Origin',
        },
      });
    }
    if (options.enforce && origin !== undefined && !allowed && !self) throw originRefused();
    await next();
    const headers = c.res.headers;
    const vary = headers.get('Vary');
    if (!vary?.split(',').some((item) => item.trim().toLowerCase() === 'origin')) headers.set('Vary', vary ? `${vary}, Origin` : 'Origin');
    if (allowed) {
      headers.set('Access-Control-Allow-Origin', origin);
      headers.set('Access-Control-Expose-Headers', 'X-Request-Id, Retry-After');
    }
  };
}

/**
 * A request from the worker's own pages. They are `Referrer-Policy: no-referrer` (their URLs hold tokens), so a browser
 * posting their forms sends `Origin: null`; `Sec-Fetch-Site: same-origin`, which no page can forge, tells that apart
 * from a sandboxed frame or another site, which also send `null`.
 */
function isSelf(c: AppContext, origin: string): boolean {
  if (origin === 'null') return c.req.header('sec-fetch-site') === 'same-origin';
  return origin === new URL(c.req.url).origin;
}

function originRefused(): EdgeError {
  return new EdgeError({ status: 403, key: 'origin_not_allowed', message: 'Forbidden', details: 'This origin is not allowed to call the worker.' });
}

const BEARER = /^Bearer[ ]+([A-Za-z0-9_.~+/-]+=*)[ ]*$/i;

function tokenProblem(reason: TokenError['reason']): string {
  if (reason === 'expired') return 'The session token has expired.';
  if (reason === 'not_yet_valid') return 'The session token is not valid yet.';
  if (reason === 'too_long_lived') return 'The session token lives longer than this worker allows.';
  return 'The session token is invalid.';
}

/** Requires a valid session token carrying `scope`; the customer of the request is the token's `sub`, only. */
export function session(scope: Scope): MiddlewareHandler<AppEnv> {
  return async function sessionMiddleware(c, next) {
    const { secrets, log } = setupOf(c);
    const state = c.get('state');
    const header = c.req.header('authorization');
    if (!header) throw unauthorized('Send a session token: Authorization: Bearer <token>.');
    const match = header.length <= 5000 ? BEARER.exec(header) : null;
    if (!match) throw unauthorized('The Authorization header must be "Bearer <session token>".');
    try {
      c.set('session', await secrets.verifySession(match[1]!));
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
      log.info('session refused', { request_id: state.requestId, route: state.route, reason: error.reason });
      throw unauthorized(tokenProblem(error.reason));
    }
    const verified = c.get('session');
    state.customer = await secrets.customerRef(verified.customerId);
    if (!verified.scopes.has(scope)) throw forbiddenScope(scope);
    await next();
  };
}

/** The client's address as Cloudflare reports it; IPv6 addresses reduced to their /64. */
export function clientAddress(c: AppContext): string {
  const raw = (c.req.header('cf-connecting-ip') ?? '').trim();
  if (!raw.includes(':')) return raw || 'unknown';
  return ipv6Prefix64(raw);
}

export function ipv6Prefix64(address: string): string {
  const clean = address.replace(/^\[|\]$/g, '').split('%')[0]!.toLowerCase();
  const [head = '', tail] = clean.split('::');
  const headParts = head ? head.split(':') : [];
  const tailParts = tail ? tail.split(':') : [];
  const missing = Math.max(0, 8 - headParts.length - tailParts.length);
  const groups = tail === undefined ? headParts : [...headParts, ...Array<string>(missing).fill('0'), ...tailParts];
  return `${groups
    .slice(0, 4)
    .map((group) => (group || '0').replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

/**
 * Counts one request against a Workers rate-limit binding (`sub` for writes, the client's /64 for unsubscribe).
 * Inert when the binding is not configured; fails open (and logs) if the binding itself fails.
 */
export async function enforceRateLimit(c: AppContext, binding: 'WRITE_LIMITER' | 'UNSUBSCRIBE_LIMITER', key: string): Promise<void> {
  const limiter = c.env?.[binding];
  if (!limiter || typeof limiter.limit !== 'function') return;
  const { config, log } = setupOf(c);
  let success = true;
  try {
    ({ success } = await limiter.limit({ key }));
  } catch {
    log.warn('rate limiter failed; letting the request through', { request_id: c.get('state').requestId, route: c.get('state').route });
  }
  if (!success) throw rateLimited(config.rateLimitPeriod);
}

export function rateLimit(binding: 'WRITE_LIMITER' | 'UNSUBSCRIBE_LIMITER', key: (c: AppContext) => string): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    await enforceRateLimit(c, binding, key(c));
    await next();
  };
}

/** Refuses (400) any query parameter on a route that takes none. */
export function noQuery(c: AppContext): void {
  onlyQueryParams(new URL(c.req.url).searchParams);
}
