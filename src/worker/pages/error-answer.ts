/**
 * Which error answers are pages, and those answers: an error on a path people open in a browser, asked for by a
 * browser, is a localized page with the error's status and headers; everything else keeps Voucherify's JSON.
 */
import { accepts } from 'hono/accepts';
import type { WireError } from '../../api/wire-error.js';
import { acceptRank } from '../body.js';
import type { AcceptEntry } from '../body.js';
import type { AppContext } from '../context.js';
import { preferencesLinkFor } from '../links.js';
import { TokenError } from '../tokens.js';
import { errorPageKind, renderErrorPage } from './error-page.js';
import { pageLocale } from './locale.js';
import { pageResponse } from './shell.js';

const PAGE_PATHS = /^\/(?:unsubscribe|confirm|preferences)(?:\/|$)/;
/** The preference center's JSON API (`<vc-consent-panel>` calls it): its errors stay JSON, whatever is asked. */
const API_PATHS = /^\/preferences\/[^/]+\/consents(?:\/|$)/;
const TOKEN_PATH = /^\/(unsubscribe|preferences)\/([^/]+)/;

/** A path of the worker's pages (not of an API) with or under it. */
export function isPagePath(pathname: string): boolean {
  return PAGE_PATHS.test(pathname) && !API_PATHS.test(pathname);
}

/**
 * A page when `Accept` names `text/html` (q > 0) at least as high as `application/json`, as browsers do when they
 * open or post a page. JSON otherwise: no `Accept` or only `*\/*` (what mail servers' one-click POSTs and scripts
 * send), `application/json` first, or no `text/html` at all.
 */
export function prefersPage(c: AppContext): boolean {
  const match = (entries: AcceptEntry[]) => {
    const page = acceptRank(entries, 'text/html');
    return page > 0 && page >= acceptRank(entries, 'application/json') ? 'text/html' : 'application/json';
  };
  const supports = ['text/html', 'application/json'];
  return accepts(c, { header: 'Accept', supports, default: 'application/json', match }) === 'text/html';
}

/** Whether this request's errors are answered as a page. */
export function wantsErrorPage(c: AppContext): boolean {
  return isPagePath(new URL(c.req.url).pathname) && prefersPage(c);
}

/**
 * Where the page sends the person on: a fresh preference center link for the customer of the path's unsubscribe or
 * preferences token while it is valid (never that token itself), else the account's preferences page.
 */
async function preferencesUrlFor(c: AppContext, withToken: boolean): Promise<string | null> {
  const setup = c.get('state')?.setup;
  if (!setup) return null;
  const match = withToken ? TOKEN_PATH.exec(new URL(c.req.url).pathname) : null;
  if (match) {
    const [, kind, token = ''] = match;
    try {
      const verified = await (kind === 'unsubscribe'
        ? setup.secrets.verifyUnsubscribe(token)
        : setup.secrets.verifyPreferences(token));
      return await preferencesLinkFor(c, verified.customerId);
    } catch (error) {
      if (!(error instanceof TokenError)) throw error;
    }
  }
  return setup.config.preferencesUrl;
}

/** The error as a page: its status and headers (`Allow`, `Retry-After`), never cached, under the pages' CSP. */
export async function errorPage(c: AppContext, error: WireError): Promise<Response> {
  const locale = pageLocale(c);
  const kind = errorPageKind(error.status, error.key);
  // Someone who reloaded the undo URL, or opened a mangled link, may still hold a good token: offer their preferences.
  const preferencesUrl = await preferencesUrlFor(c, kind === 'reload' || kind === 'not_found');
  const body = renderErrorPage({ kind, locale, requestId: c.get('state')?.requestId ?? '', preferencesUrl });
  return pageResponse(c.req.method, body, { status: error.status, locale, headers: error.headers });
}
