/**
 * The error page of every path a person opens in a browser (`/unsubscribe/…`, `/confirm/…`, the preference center's
 * page): what the routes do not answer themselves, such as an unknown path, a method the path does not have (the undo
 * URL reloaded), a refused origin or a failure, on the same shell as the other pages and in the page's language. Only
 * fixed texts and the worker's own request id are shown: nothing of the path is reflected.
 */
import type { Locale } from '../../locales.js';
import { isolate } from './format.js';
import { ERRORS, FLOW } from './messages.js';
import { html, pageShell } from './shell.js';
import type { Html } from './shell.js';
import { translator } from './translate.js';

export type ErrorPageKind = 'not_found' | 'reload' | 'refused' | 'invalid' | 'busy' | 'error';

export interface ErrorPageOptions {
  kind: ErrorPageKind;
  locale: Locale;
  /** The request id, shown on a failure for support to find the request in the logs. */
  requestId: string;
  /** Where the person can go on: the preference center of the same customer, or the account's preferences. */
  preferencesUrl: string | null;
}

const TEXTS: Record<ErrorPageKind, { title: string; text: string }> = {
  not_found: { title: ERRORS.notFoundTitle, text: ERRORS.notFoundText },
  reload: { title: ERRORS.reloadTitle, text: ERRORS.reloadText },
  refused: { title: ERRORS.refusedTitle, text: ERRORS.refusedText },
  invalid: { title: FLOW.invalidTitle, text: FLOW.invalidText },
  busy: { title: FLOW.errorTitle, text: FLOW.busyText },
  error: { title: FLOW.errorTitle, text: FLOW.errorText },
};

/** The page for an error answer's status and key. */
export function errorPageKind(status: number, key: string): ErrorPageKind {
  if (status === 404) return 'not_found';
  if (status === 405) return 'reload';
  if (key === 'origin_not_allowed') return 'refused';
  if (status === 429) return 'busy';
  return status < 500 ? 'invalid' : 'error';
}

/** The link on to the preference center (or the account's preferences), when there is one. */
export function preferencesLine(locale: Locale, url: string | null): Html | '' {
  return url ? html`<p><a href="${url}" rel="noreferrer">${translator(locale)(FLOW.preferencesLink)}</a></p>` : '';
}

/** The line that gives support the request id (on failures, where there is something to look up). */
export function referenceLine(locale: Locale, requestId: string): Html {
  const t = translator(locale);
  return html`<p class="muted">${t(ERRORS.reference, { reference: isolate(requestId) })}</p>`;
}

export function renderErrorPage({ kind, locale, requestId, preferencesUrl }: ErrorPageOptions): string {
  const t = translator(locale);
  const title = t(TEXTS[kind].title);
  const reference = kind === 'error' ? referenceLine(locale, requestId) : '';
  const link = preferencesLine(locale, preferencesUrl);
  return pageShell({ locale, title, main: html`<h1>${title}</h1><p>${t(TEXTS[kind].text)}</p>${reference}${link}` });
}
