/**
 * The worker's one `fetch` handler: middleware in order (response hygiene, request context, configuration gate), then
 * the route groups. A known path asked with another method is a 405 naming the methods its routes answer; whatever
 * else is not routed is a 404. Both are JSON, or a localized page for a browser on the worker's pages (`errorAnswer`).
 */
import { Hono } from 'hono';
import { RegExpRouter } from 'hono/router/reg-exp-router';
import { methodsByPath } from '../api/allowed-methods.js';
import type { AppEnv } from './context.js';
import { methodNotAllowed, notFound } from './errors.js';
import { configurationGate, errorAnswer, handleError, requestContext, securityHeaders } from './middleware.js';
import { backOfficeRoutes } from './routes/back-office.js';
import { confirmRoutes } from './routes/confirm.js';
import { consentRecordRoutes } from './routes/consent-records.js';
import { meRoutes } from './routes/me.js';
import { preferencesRoutes } from './routes/preferences.js';
import { publicRoutes } from './routes/public.js';
import { unsubscribeRoutes } from './routes/unsubscribe.js';
import { webhookRoutes } from './routes/webhooks.js';

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>({ router: new RegExpRouter() });
  app.use('*', securityHeaders());
  app.use('*', requestContext());
  app.use('*', configurationGate());
  app.route('/', publicRoutes());
  app.route('/', consentRecordRoutes());
  app.route('/', meRoutes());
  app.route('/', unsubscribeRoutes());
  app.route('/', confirmRoutes());
  app.route('/', preferencesRoutes());
  app.route('/', backOfficeRoutes());
  app.route('/', webhookRoutes());

  const methodsOf = methodsByPath(app.routes);
  app.notFound((c) => {
    const known = methodsOf(c.req.path);
    if (known && !known.methods.includes(c.req.method)) {
      // Named like the route it missed (`* /unsubscribe/{token}`), for logs.
      c.get('state').route = `* ${known.template.replace(/:(\w+)/g, '{$1}')}`;
      return errorAnswer(c, methodNotAllowed(c.req.method, known.methods));
    }
    return errorAnswer(c, notFound(`${c.req.method} ${notFoundPath(new URL(c.req.url).pathname)} does not exist.`));
  });
  app.onError(handleError);
  // The router compiles every route into one matcher on its first match: do it now, while the isolate starts,
  // rather than on the first request's CPU time.
  app.router.match('GET', '/healthz');
  return app;
}

/** The path a 404 names, with a token in it left out. */
function notFoundPath(pathname: string): string {
  const tokenRoute = /^\/(unsubscribe|confirm|preferences)\//.exec(pathname);
  return tokenRoute ? `/${tokenRoute[1]}/…` : pathname;
}
