/**
 * The worker's one `fetch` handler: middleware in order (request context and response hygiene, configuration
 * gate), then a static table of routes. Whatever is not in the table is a JSON 404.
 */
import { Hono } from 'hono';
import type { AppEnv } from './context.js';
import { notFound } from './errors.js';
import { configurationGate, errorResponse, handleError, requestContext } from './middleware.js';
import { registerBackOfficeRoutes } from './routes/back-office.js';
import { registerConfirmRoutes } from './routes/confirm.js';
import { registerConsentRecordRoutes } from './routes/consent-records.js';
import { registerMeRoutes } from './routes/me.js';
import { registerPreferencesRoutes } from './routes/preferences.js';
import { registerPublicRoutes } from './routes/public.js';
import { registerUnsubscribeRoutes } from './routes/unsubscribe.js';

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('*', requestContext());
  app.use('*', configurationGate());
  registerPublicRoutes(app);
  registerConsentRecordRoutes(app);
  registerMeRoutes(app);
  registerUnsubscribeRoutes(app);
  registerConfirmRoutes(app);
  registerPreferencesRoutes(app);
  registerBackOfficeRoutes(app);
  app.notFound((c) => errorResponse(c, notFound(`${c.req.method} ${notFoundPath(new URL(c.req.url).pathname)} does not exist.`)));
  app.onError(handleError);
  return app;
}

/** The path a 404 names, with a token in it left out. */
function notFoundPath(pathname: string): string {
  const tokenRoute = /^\/(unsubscribe|confirm|preferences)\//.exec(pathname);
  return tokenRoute ? `/${tokenRoute[1]}/…` : pathname;
}
