/**
 * One-click unsubscribe (RFC 8058). One URL, `/unsubscribe/<token>`:
 * - `GET` shows a localized confirmation page with a plain POST form. It never changes anything (mail scanners
 *   follow links), needs no JavaScript, is never cached and runs under a strict CSP. Like the page after the POST, it
 *   links to the preference center of the same customer (a fresh `/preferences/<token>` link the worker mints).
 * - `POST` opts the customer out of everything, idempotently, and answers 200 (a page, or JSON by `Accept`),
 *   never a redirect. It needs no cookie, no Authorization and no Origin: the token is the credential. The opt-out is
 *   kept in the customer's Durable Object and answered 200 even when Voucherify is limiting or down (`pending` until
 *   it has it; see `optout-queue.ts`).
 * - `POST /unsubscribe/<token>/undo` gives back what that unsubscribe took away, once per token (JSON for
 *   `<vc-unsubscribe>`, a page for the no-JavaScript form).
 */
import { Hono } from 'hono';
import { accepts } from 'hono/accepts';
import { acceptRank } from '../body.js';
import type { AcceptEntry } from '../body.js';
import type { EdgeUnsubscribeResult } from '../../api/edge-types.js';
import { UNSUBSCRIBE_BODY_MAX_BYTES, mediaType, parseForm, readCapped } from '../body.js';
import { optOutFor, writeFor } from '../customer-object.js';
import type { AppContext, AppEnv, Setup } from '../context.js';
import { setupOf, loggedCustomer } from '../context.js';
import { invalidPayload, unsupportedMediaType } from '../errors.js';
import { WireError } from '../../api/wire-error.js';
import { preferencesLinkFor } from '../links.js';
import { clientAddress, cors, enforceRateLimit, errorResponse, handleError, route } from '../middleware.js';
import { TokenError } from '../tokens.js';
import type { VerifiedUnsubscribe } from '../link-tokens.js';
import { pageLocale } from '../pages/locale.js';
import { pageResponse } from '../pages/shell.js';
import { renderPage } from '../pages/unsubscribe.js';
import type { OptInDetails, PageKind } from '../pages/unsubscribe.js';
import type { UnsubscribeOutcome } from '../consent-updates.js';

const ONE_CLICK_KEY = 'List-Unsubscribe';
const ONE_CLICK_VALUE = 'One-Click';

/** JSON when the client ranks `application/json` above `text/html`; a page otherwise (browsers, `*\/*`, a tie). */
export function wantsJson(c: AppContext): boolean {
  const match = (list: AcceptEntry[]) =>
    acceptRank(list, 'application/json') > acceptRank(list, 'text/html') ? 'application/json' : 'text/html';
  return (
    accepts(c, { header: 'Accept', supports: ['application/json', 'text/html'], default: 'text/html', match }) ===
    'application/json'
  );
}

const TOKEN_WORDING = {
  unsubscribe: {
    retired: 'This unsubscribe link is no longer valid. Use the link in a more recent message or the preferences page.',
    invalid: 'This unsubscribe link is not valid.',
  },
  preferences: {
    retired: 'This link is no longer valid. Use the link in a more recent message.',
    invalid: 'This link is not valid.',
  },
} as const;

/** A refused link token: 410 `token_retired` (expired, or its key was retired), else 400 `invalid_token`. */
export function tokenError(error: TokenError, link: keyof typeof TOKEN_WORDING = 'unsubscribe'): WireError {
  const wording = TOKEN_WORDING[link];
  if (error.reason === 'unknown_key' || error.reason === 'expired') {
    return new WireError({ status: 410, key: 'token_retired', message: 'Gone', details: wording.retired });
  }
  return new WireError({ status: 400, key: 'invalid_token', message: 'Invalid token', details: wording.invalid });
}

function pageKindOf(error: WireError): PageKind {
  if (error.key === 'token_retired') return 'expired';
  if (error.key === 'invalid_token') return 'invalid';
  if (error.key === 'undo_used' || error.key === 'undo_unavailable') return 'undo_used';
  if (error.status === 404) return 'not_found';
  if (error.status === 429) return 'busy';
  if (error.status === 400 || error.status === 413 || error.status === 415) return 'invalid';
  return 'error';
}

/** One of the worker's small pages, in the language the browser asks for, never cached, under the page CSP. */
export async function page(
  c: AppContext,
  kind: PageKind,
  status: number,
  extra: { undoAction?: string | null; optIn?: OptInDetails; preferencesUrl?: string } = {},
): Promise<Response> {
  const { config } = setupOf(c);
  const locale = pageLocale(c);
  const html = renderPage({
    kind,
    locale,
    preferencesUrl: extra.preferencesUrl ?? config.preferencesUrl,
    undoAction: extra.undoAction ?? null,
    ...(extra.optIn ? { optIn: extra.optIn } : {}),
    requestId: c.get('state').requestId,
  });
  return pageResponse(c.req.method, html, { status, locale });
}

/**
 * Runs a step of the flow; any failure becomes the right page (`pages` overrides the kind per error key) or
 * Voucherify-shaped JSON, with a 4xx/5xx status.
 */
export async function answer(
  c: AppContext,
  json: boolean,
  run: () => Promise<Response>,
  pages: Partial<Record<string, PageKind>> = {},
): Promise<Response> {
  try {
    return await run();
  } catch (error) {
    const edge = error instanceof TokenError ? tokenError(error) : error instanceof WireError ? error : null;
    if (!edge) return handleError(error, c);
    if (json) return errorResponse(c, edge);
    const response = await page(c, pages[edge.key] ?? pageKindOf(edge), edge.status);
    for (const [name, value] of Object.entries(edge.headers)) response.headers.set(name, value);
    return response;
  }
}

/**
 * Verifies the link token in the path (`:token`) with `check`, and keys the request's logs to its customer (`subject`);
 * a refused token is logged with its reason (never the token) and thrown on.
 */
export async function verifyPathToken<T>(
  c: AppContext,
  kind: string,
  check: (secrets: Setup['secrets'], token: string) => Promise<T>,
  subject: (verified: T) => string,
): Promise<T> {
  const { secrets, log } = setupOf(c);
  const state = c.get('state');
  try {
    const verified = await check(secrets, c.req.param('token') ?? '');
    state.customerId = subject(verified);
    return verified;
  } catch (error) {
    if (error instanceof TokenError)
      log.info(`${kind} token refused`, { request_id: state.requestId, route: state.route, reason: error.reason });
    throw error;
  }
}

const verify = (c: AppContext): Promise<VerifiedUnsubscribe> =>
  verifyPathToken(
    c,
    'unsubscribe',
    (secrets, token) => secrets.verifyUnsubscribe(token),
    (verified) => verified.customerId,
  );

/** The one-click body: empty, or `List-Unsubscribe=One-Click` (urlencoded, multipart, or plain text), or a JSON object. */
async function checkOneClickBody(request: Request): Promise<void> {
  const bytes = await readCapped(request, UNSUBSCRIBE_BODY_MAX_BYTES);
  if (bytes.byteLength === 0) return;
  const type = mediaType(request);
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') {
    const form = await parseForm(bytes, request.headers.get('content-type') ?? type);
    if (form.get(ONE_CLICK_KEY) === ONE_CLICK_VALUE) return;
    throw invalidPayload('The body must be List-Unsubscribe=One-Click (RFC 8058).');
  }
  const text = new TextDecoder().decode(bytes).trim();
  if (type === 'text/plain' && text === `${ONE_CLICK_KEY}=${ONE_CLICK_VALUE}`) return;
  if (type === 'application/json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw invalidPayload('The body is not valid JSON.');
    }
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return;
    throw invalidPayload('The body must be a JSON object.');
  }
  throw unsupportedMediaType('List-Unsubscribe=One-Click as multipart/form-data or application/x-www-form-urlencoded');
}

export function limitByAddress(c: AppContext): Promise<void> {
  return enforceRateLimit(c, 'UNSUBSCRIBE_LIMITER', `ip:${clientAddress(c)}`);
}

function undoAction(c: AppContext): string {
  const lang = c.req.query('lang');
  const token = c.req.param('token') ?? '';
  // Relative to /unsubscribe/<token>, so the form works whatever host or prefix serves the worker.
  return `${encodeURIComponent(token)}/undo${lang ? `?lang=${encodeURIComponent(lang)}` : ''}`;
}

/**
 * Opts the token's customer out: through their Durable Object, which keeps the click and answers it as pending when
 * Voucherify cannot take it now (a refusal that will never pass, such as a customer that does not exist, is thrown);
 * without the binding, written at once.
 */
async function optOut(c: AppContext, token: VerifiedUnsubscribe): Promise<UnsubscribeOutcome & { pending: boolean }> {
  const queued = await optOutFor(c, token.customerId, token.jti);
  if (queued === null) {
    const outcome = await writeFor(c, token.customerId, { kind: 'unsubscribe', jti: token.jti });
    return { ...outcome, pending: false };
  }
  if (queued.status === 'refused') throw new WireError(queued.error);
  if (queued.status === 'applied') return { ...queued.outcome, pending: false };
  return { unsubscribed: true, undoAvailable: queued.undoAvailable, changed: true, pending: true };
}

export function unsubscribeRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.use('/unsubscribe/:token', cors({ enforce: false, methods: 'GET, POST, OPTIONS' }));
  // Undo changes state from a browser: only the shop's pages and the worker's own page may ask for it.
  app.use('/unsubscribe/:token/undo', cors({ enforce: true, allowSelf: true, methods: 'POST, OPTIONS' }));

  app.get('/unsubscribe/:token', route('GET /unsubscribe/{token}'), (c) =>
    answer(c, false, async () => {
      await limitByAddress(c);
      const token = await verify(c);
      // The landing page links to the preference center of this same customer, through a fresh preferences link.
      return page(c, 'confirm', 200, { preferencesUrl: await preferencesLinkFor(c, token.customerId) });
    }),
  );

  app.post('/unsubscribe/:token', route('POST /unsubscribe/{token}'), (c) => {
    const json = wantsJson(c);
    return answer(c, json, async () => {
      await limitByAddress(c);
      const token = await verify(c);
      await checkOneClickBody(c.req.raw);
      const setup = setupOf(c);
      const outcome = await optOut(c, token);
      setup.log.info('unsubscribed', {
        request_id: c.get('state').requestId,
        customer: await loggedCustomer(c),
        reason: outcome.pending ? 'pending' : outcome.changed ? 'opted-out' : 'already-opted-out',
      });
      const result: EdgeUnsubscribeResult = {
        unsubscribed: outcome.unsubscribed,
        undo_available: outcome.undoAvailable,
        preferences_url: setup.config.preferencesUrl,
        ...(outcome.pending ? { pending: true } : {}),
      };
      if (json) return c.json(result);
      return page(c, 'done', 200, {
        undoAction: outcome.undoAvailable ? undoAction(c) : null,
        preferencesUrl: await preferencesLinkFor(c, token.customerId),
      });
    });
  });

  app.post('/unsubscribe/:token/undo', route('POST /unsubscribe/{token}/undo'), (c) => {
    const json = wantsJson(c);
    return answer(c, json, async () => {
      await limitByAddress(c);
      const token = await verify(c);
      const request = c.req.raw;
      const bytes = await readCapped(request, UNSUBSCRIBE_BODY_MAX_BYTES);
      const type = mediaType(request);
      if (
        bytes.byteLength &&
        !['application/json', 'application/x-www-form-urlencoded', 'multipart/form-data'].includes(type)
      ) {
        throw unsupportedMediaType('an empty body or a JSON object');
      }
      const setup = setupOf(c);
      await writeFor(c, token.customerId, { kind: 'undo-unsubscribe', jti: token.jti });
      setup.log.info('unsubscribe undone', { request_id: c.get('state').requestId, customer: await loggedCustomer(c) });
      const result: EdgeUnsubscribeResult = {
        unsubscribed: false,
        undo_available: false,
        preferences_url: setup.config.preferencesUrl,
      };
      if (json) return c.json(result);
      return page(c, 'undone', 200, { preferencesUrl: await preferencesLinkFor(c, token.customerId) });
    });
  });

  return app;
}
