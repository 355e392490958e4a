/**
 * The worker's middleware, as small factories with named inner functions (the Hono way): request context and
 * response hygiene, the configuration gate, CORS with exact origins, session tokens with scopes, rate limits.
 */
import type { MiddlewareHandler } from 'hono';
import { cors as honoCors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import type { Scope } from '../api/edge-types.js';
import { WireError, wireResponse } from '../api/wire-error.js';
import type { AppContext, AppEnv, RequestState } from './context.js';
import { loadSetup, loggedCustomer, newRequestId, setupOf } from './context.js';
import { ConfigError } from './env.js';
import { isLocalHost } from './dev-keys.js';
import type { Env } from './env.js';
import { forbiddenScope, onlyQueryParams, rateLimited, unauthorized } from './errors.js';
import { createLogger } from './log.js';
import { errorPage, wantsErrorPage } from './pages/error-answer.js';
import { TokenError } from './tokens.js';

const DEFAULT_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/** A Voucherify-shaped JSON error answer carrying the request id. */
export function errorResponse(c: AppContext, error: WireError): Response {
  return wireResponse(error, c.get('state').requestId);
}

/** An error answer as the client asks for it: a localized page for a browser on the worker's pages, JSON otherwise. */
export function errorAnswer(c: AppContext, error: WireError): Response | Promise<Response> {
  return wantsErrorPage(c) ? errorPage(c, error) : errorResponse(c, error);
}

function misconfigured(problems: ConfigError['problems']): WireError {
  return new WireError({
    status: 500,
    key: 'misconfigured',
    message: 'The worker is misconfigured',
    details: problems.map((problem) => `${problem.variable} ${problem.reason}`).join('; '),
  });
}

/** Turns anything thrown into an answer: our errors as they are, a bad configuration as 500, the rest as a logged 500. */
export function handleError(error: unknown, c: AppContext): Response | Promise<Response> {
  if (error instanceof WireError) return errorAnswer(c, error);
  if (error instanceof ConfigError) return errorAnswer(c, misconfigured(error.problems));
  const state = c.get('state');
  const log = state?.setup?.log ?? createLogger('error');
  log.error('unhandled error', {
    request_id: state?.requestId,
    route: state?.route,
    reason: error instanceof Error ? error.name : typeof error,
  });
  return errorAnswer(
    c,
    new WireError({
      status: 500,
      key: 'internal_error',
      message: 'Internal Server Error',
      details: 'The worker failed to answer. Try again.',
    }),
  );
}

function withHeaders(response: Response): Response {
  try {
    response.headers.set('X-Request-Id', response.headers.get('X-Request-Id') ?? '');
    return response;
  } catch {
    // Immutable headers (a Response straight from fetch or the cache): copy it.
    return new Response(response.body, {
      status: response.status,
      statusText: response.statusText,
      headers: new Headers(response.headers),
    });
  }
}

/**
 * The security headers every answer carries, whatever a route set. (The CSP and Cache-Control a route sets are its
 * own: `requestContext` only fills them in.)
 */
export function securityHeaders(): MiddlewareHandler<AppEnv> {
  return secureHeaders({
    xContentTypeOptions: 'nosniff',
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
    strictTransportSecurity: 'max-age=31536000; includeSubDomains',
    crossOriginOpenerPolicy: 'same-origin',
    permissionsPolicy: { camera: false, microphone: false, geolocation: false, payment: false },
    crossOriginResourcePolicy: false,
    originAgentCluster: false,
    xDnsPrefetchControl: false,
    xDownloadOptions: false,
    xPermittedCrossDomainPolicies: false,
    xXssProtection: false,
  });
}

/** Request id, timing, one log line per request, and a default CSP and Cache-Control on every answer. */
export function requestContext(): MiddlewareHandler<AppEnv> {
  return async function requestContextMiddleware(c, next) {
    const state: RequestState = { requestId: newRequestId(), startedAt: Date.now(), route: 'unmatched', setup: null };
    c.set('state', state);
    await next();
    const response = withHeaders(c.res);
    const headers = response.headers;
    headers.set('X-Request-Id', state.requestId);
    if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', DEFAULT_CSP);
    if (!headers.has('Cache-Control')) headers.set('Cache-Control', 'no-store');
    headers.delete('Server');
    headers.delete('Set-Cookie');
    // Hono's setter copies the answer and its headers again: only needed when `withHeaders` had to copy it.
    if (response !== c.res) c.res = response;
    const log = state.setup?.log;
    if (!log?.enabled('info')) return;
    log.info('request', {
      request_id: state.requestId,
      method: c.req.method,
      route: state.route,
      status: response.status,
      ms: Date.now() - state.startedAt,
      customer: await loggedCustomer(c),
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
      if (setup.secrets.publishedKeys.length && !isLocalHost(new URL(c.req.url).hostname))
        throw new ConfigError([...setup.secrets.publishedKeys]);
      c.get('state').setup = setup;
    } catch (error) {
      if (error instanceof ConfigError) {
        createLogger('error').error('misconfigured', {
          request_id: c.get('state').requestId,
          reason: error.problems.map((p) => p.variable).join(','),
        });
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
 * CORS with exact origins from `ALLOWED_ORIGINS` (Hono's `cors` with an origin function answers preflights): no wildcard, no reflection
 * of unknown origins, no credentials, `Vary: Origin` always. A preflight from an origin not on the list, or without
 * `Access-Control-Request-Method`, is refused (403) rather than answered without the allow headers.
 */
export function cors(options: CorsOptions): MiddlewareHandler<AppEnv> {
  const isAllowed = (c: AppContext, origin: string | undefined): origin is string =>
    origin !== undefined && setupOf(c).config.allowedOrigins.has(origin);
  const preflight = honoCors({
    origin: (origin, c) => (isAllowed(c as AppContext, origin) ? origin : null),
    // One entry, so the header reads as written (`GET, POST, OPTIONS`).
    allowMethods: [options.methods],
    allowHeaders: ['Authorization, Content-Type, Accept, Accept-Language'],
    exposeHeaders: [EXPOSED_HEADERS],
    maxAge: 600,
  });
  return async function corsMiddleware(c, next) {
    const origin = c.req.header('origin');
    const allowed = isAllowed(c, origin);
    if (c.req.method === 'OPTIONS') {
      if (!allowed || !c.req.header('access-control-request-method')) {
        const response = errorResponse(c, originRefused());
        response.headers.set('Vary', 'Origin');
        return response;
      }
      return preflight(c, next);
    }
    if (options.enforce && origin !== undefined && !allowed && !(options.allowSelf && isSelf(c, origin)))
      throw originRefused();
    await next();
    // Set on the route's answer itself: Hono's cors would touch `c.res` before the route runs and append `Vary`
    // through `c.header()` after it, and each of those makes a copy of the whole answer.
    const response = withHeaders(c.res);
    if (response !== c.res) c.res = response;
    if (allowed) response.headers.set('Access-Control-Allow-Origin', origin);
    response.headers.set('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    response.headers.append('Vary', 'Origin');
  };
}

// `Age` and `X-Cache` say how fresh a customer route's answer is (see `customer-cache.ts`).
const EXPOSED_HEADERS = 'X-Request-Id, Retry-After, Age, X-Cache';

/**
 * A request from the worker's own pages. They are `Referrer-Policy: no-referrer` (their URLs hold tokens), so a browser
 * posting their forms sends `Origin: null`; `Sec-Fetch-Site: same-origin`, which no page can forge, tells that apart
 * from a sandboxed frame or another site, which also send `null`.
 */
function isSelf(c: AppContext, origin: string): boolean {
  if (origin === 'null') return c.req.header('sec-fetch-site') === 'same-origin';
  return origin === new URL(c.req.url).origin;
}

function originRefused(): WireError {
  return new WireError({
    status: 403,
    key: 'origin_not_allowed',
    message: 'Forbidden',
    details: 'This origin is not allowed to call the worker.',
  });
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
    state.customerId = verified.customerId;
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
  const clean = address
    .replace(/^\[|\]$/g, '')
    .split('%')[0]!
    .toLowerCase();
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
export async function enforceRateLimit(
  c: AppContext,
  binding: 'WRITE_LIMITER' | 'UNSUBSCRIBE_LIMITER',
  key: string,
): Promise<void> {
  const limiter = c.env?.[binding];
  if (!limiter || typeof limiter.limit !== 'function') return;
  const { config, log } = setupOf(c);
  let success = true;
  try {
    ({ success } = await limiter.limit({ key }));
  } catch {
    log.warn('rate limiter failed; letting the request through', {
      request_id: c.get('state').requestId,
      route: c.get('state').route,
    });
  }
  if (!success) throw rateLimited(config.rateLimitPeriod);
}

export function rateLimit(
  binding: 'WRITE_LIMITER' | 'UNSUBSCRIBE_LIMITER',
  key: (c: AppContext) => string,
): MiddlewareHandler<AppEnv> {
  return async function rateLimitMiddleware(c, next) {
    await enforceRateLimit(c, binding, key(c));
    await next();
  };
}

/** Refuses (400) any query parameter on a route that takes none. */
export function noQuery(c: AppContext): void {
  // Most requests have no query at all: no URL to parse then.
  if (c.req.url.includes('?')) onlyQueryParams(new URL(c.req.url).searchParams);
}
