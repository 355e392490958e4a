/**
 * The preference center (`/preferences/<token>`): every consent, managed from an email link without signing in. The
 * token in the path is the credential (`vc-preferences+jwt`, expiring); session, unsubscribe and confirmation tokens
 * are refused here, and a preferences token is refused everywhere else.
 * - `GET` renders the page (a plain form; `<vc-consent-panel>` replaces it when `ELEMENTS_URL` is set). It never
 *   changes anything: mail scanners follow links.
 * - `POST` (the form, JavaScript off) needs the form's CSRF proof and passes the origin check; it saves only the
 *   consents whose checkbox differs from what the page showed, and answers the page again with what changed.
 * - `GET|PUT /preferences/<token>/consents`: the JSON of `GET|PUT /v1/me/consents`, for the panel.
 */
import { Hono } from 'hono';
import type { Customer } from '../../api/types.js';
import { mediaType, parseForm, readCapped, readJsonObject } from '../body.js';
import {
  edgeConsents,
  findCustomer,
  flattenDefinitions,
  loadDefinitions,
  parseConsentsUpdate,
  parsePolicyVersion,
} from '../consents.js';
import type { ConsentsList, ConsentsUpdate } from '../../api/types.js';
import type { AppContext, AppEnv } from '../context.js';
import { setupOf, loggedCustomer } from '../context.js';
import { consentHistory, historyLimit } from './consent-records.js';
import { writeFor } from '../customer-object.js';
import { notFound, unsupportedMediaType, upstreamFailure } from '../errors.js';
import { WireError } from '../../api/wire-error.js';
import { workerBase } from '../links.js';
import { cors, enforceRateLimit, errorResponse, handleError, noQuery, route } from '../middleware.js';
import { readPreferencesForm } from '../preferences-form.js';
import { pageLocale } from '../pages/locale.js';
import { PREFERENCES_STYLE, renderPreferencesPage, renderPreferencesProblem } from '../pages/preferences.js';
import type { PreferencesNotice, PreferencesProblem } from '../pages/preferences.js';
import { pageCsp, pageResponse } from '../pages/shell.js';
import { renderPage } from '../pages/unsubscribe.js';
import { TokenError } from '../tokens.js';
import type { VerifiedPreferences } from '../link-tokens.js';
import { limitByAddress, tokenError, verifyPathToken } from './unsubscribe.js';
import { shownConsents } from '../pending-optout.js';

const PAGE = '/preferences/:token';
const API = '/preferences/:token/consents';
const HISTORY = '/preferences/:token/consents/history';
/** The form carries two short fields per consent, so this limit holds hundreds of consents. */
const FORM_MAX_BYTES = 32 * 1024;
const GONE = 'There are no preferences to manage with this link.';

const verify = (c: AppContext): Promise<VerifiedPreferences> =>
  verifyPathToken(
    c,
    'preferences',
    (secrets, token) => secrets.verifyPreferences(token),
    (verified) => verified.customerId,
  );

/** Writes are counted per link (its `jti`) with `WRITE_LIMITER`; inert without the binding. */
const limitByToken = (c: AppContext, token: VerifiedPreferences) =>
  enforceRateLimit(c, 'WRITE_LIMITER', `preferences:${token.jti}`);

async function upstream<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw upstreamFailure(error, { notFoundDetails: GONE });
  }
}

async function load(c: AppContext, customerId: string): Promise<{ customer: Customer; definitions: ConsentsList }> {
  const { secrets, config } = setupOf(c);
  const [customer, definitions] = await upstream(() =>
    Promise.all([findCustomer(secrets.api, customerId), loadDefinitions({ api: secrets.api, config })]),
  );
  if (!customer) throw notFound(GONE);
  return { customer, definitions };
}

/** Saves through the customer's Durable Object, as the preference center's channel. */
async function save(
  c: AppContext,
  customerId: string,
  update: ConsentsUpdate,
  policyVersion: string | null,
): Promise<Customer> {
  try {
    return await writeFor(c, customerId, { kind: 'consents', update, policyVersion, channel: 'preferences-link' });
  } catch (error) {
    if (error instanceof WireError && error.status === 404) throw notFound(GONE);
    throw error;
  }
}

/** The address the page names: the customer's email, or a source id that is one. */
function addressOf(customer: Customer): string | null {
  if (typeof customer.email === 'string' && customer.email.includes('@')) return customer.email;
  return typeof customer.source_id === 'string' && customer.source_id.includes('@') ? customer.source_id : null;
}

async function html(c: AppContext, body: string, status: number, csp?: string): Promise<Response> {
  return pageResponse(c.req.method, body, {
    status,
    locale: pageLocale(c),
    csp: csp ?? (await pageCsp({ styles: [PREFERENCES_STYLE] })),
    headers: { 'X-Robots-Tag': 'noindex, nofollow', 'Referrer-Policy': 'no-referrer' },
  });
}

/** The page with the customer's current state, a fresh CSRF proof and, with `ELEMENTS_URL`, the panel around the form. */
async function preferencesPage(
  c: AppContext,
  token: VerifiedPreferences,
  customer: Customer,
  definitions: ConsentsList,
  extra: { notice?: PreferencesNotice; pending?: Record<string, boolean>; status?: number } = {},
): Promise<Response> {
  const { config, secrets } = setupOf(c);
  // A one-click opt-out Voucherify does not have yet is shown as made.
  const consents = await shownConsents(c, customer.id, edgeConsents(definitions, customer, config));
  const elements = config.elementsUrl;
  const enhance = elements
    ? { scriptUrl: `${elements}/vc-consent-panel.js`, token: c.req.param('token') ?? '', workerUrl: workerBase(c) }
    : null;
  const page = renderPreferencesPage({
    locale: pageLocale(c),
    email: addressOf(customer),
    definitions: { groups: consents.groups, consents: consents.consents },
    state: consents.state,
    unsubscribed: consents.unsubscribed,
    csrf: await secrets.formProof(token.jti),
    enhance,
    ...(extra.notice ? { notice: extra.notice } : {}),
    ...(extra.pending ? { pending: extra.pending } : {}),
  });
  const csp = await pageCsp({
    styles: [PREFERENCES_STYLE],
    ...(elements ? { scriptSources: [new URL(elements).origin], connectSelf: true } : {}),
  });
  return html(c, page, extra.status ?? 200, csp);
}

/** The page's own path (and `?lang=`), for "Back to your preferences". */
function pagePath(c: AppContext): string {
  const lang = c.req.query('lang');
  return `${new URL(c.req.url).pathname}${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`;
}

/** Runs a step; any failure becomes Voucherify-shaped JSON (the API) or the right page (the form). */
async function answer(c: AppContext, json: boolean, run: () => Promise<Response>): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    const edge =
      error instanceof TokenError ? tokenError(error, 'preferences') : error instanceof WireError ? error : null;
    if (!edge) return handleError(error, c);
    if (json) return errorResponse(c, edge);
    const locale = pageLocale(c);
    const problem: PreferencesProblem | null =
      edge.key === 'token_retired'
        ? 'expired'
        : edge.key === 'invalid_token'
          ? 'invalid'
          : edge.status === 404
            ? 'not_found'
            : [400, 413, 415].includes(edge.status)
              ? 'bad_form'
              : null;
    const body = problem
      ? renderPreferencesProblem(problem, locale, problem === 'bad_form' ? pagePath(c) : null)
      : renderPage({
          kind: edge.status === 429 ? 'busy' : 'error',
          locale,
          preferencesUrl: null,
          requestId: c.get('state').requestId,
        });
    const response = await html(c, body, edge.status);
    for (const [name, value] of Object.entries(edge.headers)) response.headers.set(name, value);
    return response;
  }
}

/** The form body: urlencoded (what browsers send) or multipart, within `FORM_MAX_BYTES`. */
async function readFormBody(request: Request): Promise<Map<string, string>> {
  const type = mediaType(request);
  if (type !== 'application/x-www-form-urlencoded' && type !== 'multipart/form-data') {
    await request.body?.cancel().catch(() => undefined);
    throw unsupportedMediaType('the page’s form as application/x-www-form-urlencoded');
  }
  return parseForm(await readCapped(request, FORM_MAX_BYTES), request.headers.get('content-type') ?? type);
}

export function preferencesRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  // Both change state from a browser: only the worker's own page (and the shop's pages, by script) may call them.
  app.use(PAGE, cors({ enforce: true, allowSelf: true, methods: 'GET, POST, OPTIONS' }));
  app.use(API, cors({ enforce: true, allowSelf: true, methods: 'GET, PUT, OPTIONS' }));
  app.use(HISTORY, cors({ enforce: true, allowSelf: true, methods: 'GET, OPTIONS' }));

  app.get(PAGE, route('GET /preferences/{token}'), (c) =>
    answer(c, false, async () => {
      await limitByAddress(c);
      const token = await verify(c);
      const { customer, definitions } = await load(c, token.customerId);
      return preferencesPage(c, token, customer, definitions);
    }),
  );

  app.post(PAGE, route('POST /preferences/{token}'), (c) =>
    answer(c, false, async () => {
      const token = await verify(c);
      await limitByToken(c, token);
      const form = readPreferencesForm(await readFormBody(c.req.raw));
      const { secrets, config, log } = setupOf(c);
      const proof = await secrets.checkFormProof(token.jti, form.csrf);
      if (proof !== 'ok') {
        // Nothing is saved; the page comes back with what the person ticked, to check and save again.
        log.info('preferences form refused', {
          request_id: c.get('state').requestId,
          customer: await loggedCustomer(c),
          reason: `csrf-${proof}`,
        });
        const { customer, definitions } = await load(c, token.customerId);
        return preferencesPage(c, token, customer, definitions, {
          status: 403,
          notice: { kind: 'stale' },
          pending: form.changed,
        });
      }
      const definitions = await upstream(() => loadDefinitions({ api: secrets.api, config }));
      const named = new Map(flattenDefinitions(definitions).consents.map((consent) => [consent.id, consent.name]));
      const changed = Object.entries(form.changed).filter(([id]) => named.has(id));
      const update: ConsentsUpdate =
        form.action === 'unsubscribe' ? { unsubscribed: true } : Object.fromEntries(changed);
      const customer = Object.keys(update).length
        ? await save(c, token.customerId, update, null)
        : (await load(c, token.customerId)).customer;
      log.info('consents changed', {
        request_id: c.get('state').requestId,
        customer: await loggedCustomer(c),
        reason: form.action === 'unsubscribe' ? 'opt-out' : changed.length ? 'choices' : 'unchanged',
      });
      const notice: PreferencesNotice =
        form.action === 'unsubscribe'
          ? { kind: 'unsubscribed' }
          : {
              kind: 'saved',
              given: changed.filter(([, value]) => value).map(([id]) => named.get(id)!),
              withdrawn: changed.filter(([, value]) => !value).map(([id]) => named.get(id)!),
            };
      return preferencesPage(c, token, customer, definitions, { notice });
    }),
  );

  app.get(API, route('GET /preferences/{token}/consents'), (c) =>
    answer(c, true, async () => {
      await limitByAddress(c);
      const token = await verify(c);
      noQuery(c);
      const { customer, definitions } = await load(c, token.customerId);
      return c.json(await shownConsents(c, customer.id, edgeConsents(definitions, customer, setupOf(c).config)));
    }),
  );

  app.put(API, route('PUT /preferences/{token}/consents'), (c) =>
    answer(c, true, async () => {
      const token = await verify(c);
      await limitByToken(c, token);
      const { secrets, config, log } = setupOf(c);
      const policyVersion = parsePolicyVersion(new URL(c.req.url).searchParams);
      const body = await readJsonObject(c.req.raw);
      const definitions = await upstream(() => loadDefinitions({ api: secrets.api, config }));
      const update = parseConsentsUpdate(body, definitions, { allowEmpty: policyVersion !== null });
      const customer = await save(c, token.customerId, update, policyVersion);
      log.info('consents changed', {
        request_id: c.get('state').requestId,
        customer: await loggedCustomer(c),
        reason: 'unsubscribed' in update ? 'opt-out' : 'choices',
      });
      return c.json(edgeConsents(definitions, customer, config));
    }),
  );

  // The customer's consent ledger, as `GET /v1/me/consents/history` answers it (for `<vc-consent-panel history>`).
  app.get(HISTORY, route('GET /preferences/{token}/consents/history'), (c) =>
    answer(c, true, async () => {
      await limitByAddress(c);
      const token = await verify(c);
      const limit = historyLimit(new URL(c.req.url).searchParams);
      return c.json(await consentHistory(c, token.customerId, limit));
    }),
  );

  return app;
}
