/**
 * The emulator's Hono app: middleware layers, the API routes, the control routes, and Voucherify-style answers for
 * unknown routes (404), wrong methods (405 with `Allow`) and unexpected failures (500, logged).
 */
import { Hono } from 'hono';
import { ApiError, errorResponse, internalError, methodNotAllowed, routeNotFound } from './errors.js';
import type { EmulatorEnv } from './http-context.js';
import { authentication, bodyLimit, corsHeaders, faultInjection, preflight, rateLimit, requestContext } from './middleware.js';
import { asyncActionRoutes } from './routes/async-actions.js';
import { consentRoutes } from './routes/consents.js';
import { controlRoutes } from './routes/control.js';
import { customerRoutes } from './routes/customers.js';
import type { EmulatorRuntime } from './runtime.js';

/** `/v1/customers/:customerId` → a matcher for concrete paths (as Hono sees them: `%2F` stays encoded). */
function routeMatcher(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}/?$`);
}

export function createApp(runtime: EmulatorRuntime): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();
  app.use('*', requestContext(runtime));
  app.use('*', corsHeaders(runtime));
  app.use('*', rateLimit(runtime));
  app.use('*', faultInjection(runtime));
  app.use('*', preflight(runtime));
  app.use('*', bodyLimit(runtime));
  app.use('*', authentication(runtime));

  const deps = { runtime };
  app.route('/', controlRoutes(deps));
  app.route('/', customerRoutes(deps));
  app.route('/', consentRoutes(deps));
  app.route('/', asyncActionRoutes(deps));

  // Which methods each known path answers, for 405s.
  const known = new Map<string, { matcher: RegExp; methods: Set<string> }>();
  for (const route of app.routes) {
    if (route.method === 'ALL' || route.path.includes('*')) continue;
    const entry = known.get(route.path) ?? { matcher: routeMatcher(route.path), methods: new Set<string>() };
    entry.methods.add(route.method);
    known.set(route.path, entry);
  }

  app.notFound((c) => {
    const allowed = new Set<string>();
    for (const { matcher, methods } of known.values()) if (matcher.test(c.req.path)) methods.forEach((method) => allowed.add(method));
    const error = allowed.size > 0 && !allowed.has(c.req.method) ? methodNotAllowed(c.req.method, [...allowed]) : routeNotFound(c.req.method, c.req.path);
    return errorResponse(error, c.get('requestId'));
  });

  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(error, c.get('requestId'));
    console.error(`[emulator] ${c.req.method} ${c.req.path} failed (request ${c.get('requestId')}):`, error);
    return errorResponse(internalError(), c.get('requestId'));
  });

  return app;
}
