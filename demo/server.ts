/**
 * The demo's storefront backend: it plays the shop. It serves the demo pages and the built elements, signs a customer
 * in (a cookie naming a seeded customer), mints the short-lived session token the edge worker verifies, shows the
 * marketing email it "sent" with its one-click unsubscribe headers, and backs the back-office page with the worker's
 * admin routes — each exactly as a real shop backend would, with the kit's helpers.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { DEMO_CUSTOMERS } from 'vc-consent/emulator';
import { loadKeys, sessionTokenFor, ALL_SCOPES } from 'vc-consent/node';
import { adminClient, backOfficeRoutes } from './shop/backoffice.js';
import { signUp } from './shop/signup.js';
import { Outbox, composeEmail, emailsPage } from './shop/emails.js';
import { header } from './shop/layout.js';
import { COOKIE, Sessions, isDemoCustomerKey, type DemoCustomerKey } from './shop/sessions.js';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The script-tag bundles, found as a shop finds them: through the package's `vc-consent/cdn/*` entry point. */
const cdnDir = path.dirname(fileURLToPath(import.meta.resolve('vc-consent/cdn/vc-consent.js')));
const PAGES = new Set(['index.html', 'account.html', 'unsubscribe.html', 'backoffice.html']);
/** What the pages say when the stack runs on its default ports; rewritten when ports are overridden. */
const DEFAULT_URLS = { worker: 'http://127.0.0.1:8787', emulator: 'http://127.0.0.1:4010' };
const SESSION_TTL_SECONDS = 600;

export interface DemoServerOptions {
  port: number;
  host?: string;
  workerUrl: string;
  emulatorUrl: string;
  /** The worker's admin key pair (the local pair `edge-admin` / `edge-admin-token` by default). */
  adminAppId?: string;
  adminAppToken?: string;
}

export interface RunningDemo {
  url: string;
  close(): Promise<void>;
}

export function createDemoApp(options: DemoServerOptions & { demoUrl: string }): Hono {
  const keys = loadKeys({ cwd: root });
  const sessions = new Sessions();
  const outbox = new Outbox();
  const app = new Hono();
  // serveStatic takes a root relative to the working directory.
  const staticRoot = (dir: string) => path.relative(process.cwd(), dir) || '.';

  // A strict CSP: no inline script or style anywhere, and the elements still work.
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self' ${options.workerUrl} ${options.emulatorUrl}`,
    "img-src 'self' data:",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
  app.use('*', async (c, next) => {
    await next();
    c.header('Content-Security-Policy', csp);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-cache');
  });

  const signedIn = (c: Context): DemoCustomerKey | null => sessions.customerOf(getCookie(c, COOKIE));

  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    if (!isDemoCustomerKey(form.customer)) return c.text('Unknown demo customer', 400);
    setCookie(c, COOKIE, sessions.open(form.customer), { httpOnly: true, sameSite: 'Lax', path: '/' });
    const wanted = typeof form.next === 'string' ? form.next.replace(/^\//, '') || 'index.html' : '';
    const next = PAGES.has(wanted) ? `/${wanted === 'index.html' ? '' : wanted}` : '/account.html';
    return c.redirect(next, 303);
  });

  app.post('/logout', (c) => {
    sessions.close(getCookie(c, COOKIE));
    deleteCookie(c, COOKIE, { path: '/' });
    return c.redirect('/', 303);
  });

  // The one thing a shop backend must add for the elements: a fresh, short-lived token for the signed-in customer.
  app.get('/api/session', async (c) => {
    c.header('Cache-Control', 'no-store');
    const customer = signedIn(c);
    if (!customer) return c.json({ signed_in: false, customers: demoLogins() }, 401);
    const person = DEMO_CUSTOMERS[customer];
    const token = await sessionTokenFor(keys, person.id, { scopes: ALL_SCOPES, ttlSeconds: SESSION_TTL_SECONDS });
    return c.json({
      signed_in: true,
      customer: { key: customer, id: person.id, source_id: person.source_id, name: person.name, email: person.email },
      token,
      expires_in: SESSION_TTL_SECONDS,
    });
  });

  app.get('/emails', async (c) => {
    const asked = c.req.query('customer');
    const customer = isDemoCustomerKey(asked) ? asked : (signedIn(c) ?? 'alice');
    const email = await composeEmail(keys, customer, { workerUrl: options.workerUrl, demoUrl: options.demoUrl });
    return c.html(await emailsPage(email, customer, outbox));
  });

  const adminOptions = {
    workerUrl: options.workerUrl,
    adminAppId: options.adminAppId ?? 'edge-admin',
    adminAppToken: options.adminAppToken ?? 'edge-admin-token',
  };
  const admin = adminClient(adminOptions);

  // The sign-up form submits the consent panel's choices with the form (its `name`, JSON): the shop mails a double
  // opt-in link, and the worker records the choices only when the person confirms.
  app.post('/signup', async (c) =>
    c.html(
      await signUp(await c.req.parseBody(), {
        keys,
        outbox,
        workerUrl: options.workerUrl,
        consentNames: async () =>
          new Map((await admin.listConsents()).consents.data.map((consent) => [consent.id, consent.name])),
      }),
    ),
  );

  app.route('/admin/api', backOfficeRoutes(admin, adminOptions));

  // The CDN build is also loaded by the worker's preference center page (ELEMENTS_URL), another origin: module scripts
  // from another origin need CORS, as a real CDN sends it.
  app.use('/cdn/*', async (c, next) => {
    await next();
    c.header('Access-Control-Allow-Origin', '*');
    c.header('Cross-Origin-Resource-Policy', 'cross-origin');
  });
  app.get('/cdn/*', serveStatic({ root: staticRoot(cdnDir), rewriteRequestPath: (p) => p.replace(/^\/cdn/, '') }));
  app.get(
    '/assets/*',
    serveStatic({
      root: staticRoot(path.join(root, 'demo/assets')),
      rewriteRequestPath: (p) => p.replace(/^\/assets/, ''),
    }),
  );

  app.get('/:page{[a-z-]*(\\.html)?}', async (c) => {
    const name = c.req.param('page') || 'index.html';
    if (!PAGES.has(name)) return c.notFound();
    let page = await readFile(path.join(root, 'demo/pages', name), 'utf8');
    page = page
      .replace('<!-- demo:header -->', header(name === 'index.html' ? '/' : `/${name}`))
      .replaceAll(DEFAULT_URLS.worker, options.workerUrl)
      .replaceAll(DEFAULT_URLS.emulator, options.emulatorUrl);
    return c.html(page);
  });

  app.notFound((c) => c.text('Not found', 404));
  return app;
}

function demoLogins() {
  return Object.entries(DEMO_CUSTOMERS).map(([key, person]) => ({ key, name: person.name, email: person.email }));
}

export async function startDemoServer(options: DemoServerOptions): Promise<RunningDemo> {
  const host = options.host ?? '127.0.0.1';
  const demoUrl = `http://${host}:${options.port}`;
  const app = createDemoApp({ ...options, demoUrl });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: options.port, hostname: host }, () => {
      resolve({
        url: demoUrl,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
          }),
      });
    });
    server.once('error', reject);
  });
}
