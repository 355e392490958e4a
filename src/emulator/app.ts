/**
 * The emulator's Hono app: middleware layers, the API routes, the control routes, and Voucherify-style answers for
 * unknown routes (404), wrong methods (405 with `Allow`) and unexpected failures (500, logged).
 */
import { Hono } from 'hono';
import { methodsByPath } from '../api/allowed-methods.js';
import { WireError } from '../api/wire-error.js';
import { errorResponse, internalError, methodNotAllowed, routeNotFound } from './errors.js';
import type { EmulatorEnv } from './http-context.js';
import {
  authentication,
  bodyLimit,
  corsHeaders,
  faultInjection,
  preflight,
  rateLimit,
  requestContext,
} from './middleware.js';
import { asyncActionRoutes } from './routes/async-actions.js';
import { consentRoutes } from './routes/consents.js';
import { controlRoutes } from './routes/control.js';
import { customerRoutes } from './routes/customers.js';
import type { EmulatorRuntime } from './emulator-runtime.js';
import { durableAnswers } from './durable-answers.js';

export function createApp(runtime: EmulatorRuntime): Hono<EmulatorEnv> {
  const app = new Hono<EmulatorEnv>();
  app.use('*', requestContext(runtime));
  app.use('*', durableAnswers(runtime));
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

  // Which methods each known path answers, for 405s (a trailing slash is the same path here).
  const methodsOf = methodsByPath(app.routes, { trailingSlash: true });
  app.notFound((c) => {
    const known = methodsOf(c.req.path);
    const error =
      known && !known.methods.includes(c.req.method)
        ? methodNotAllowed(c.req.method, known.methods)
        : routeNotFound(c.req.method, c.req.path);
    return errorResponse(error, c.get('requestId'));
  });

  app.onError((error, c) => {
    if (error instanceof WireError) return errorResponse(error, c.get('requestId'));
    console.error(`[emulator] ${c.req.method} ${c.req.path} failed (request ${c.get('requestId')}):`, error);
    return errorResponse(internalError(), c.get('requestId'));
  });

  return app;
}
