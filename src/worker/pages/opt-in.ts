/** The double opt-in pages (`/confirm/<token>`): what is about to be recorded, then that it was. */
import type { Locale } from '../../locales.js';
import { maskEmail } from '../mask-email.js';
import { formatDate, isolate } from './format.js';
import { FLOW } from './messages.js';
import { html } from './shell.js';
import type { Html } from './shell.js';
import type { Translator } from './translate.js';

export type OptInKind = 'optin' | 'optin_done' | 'optin_used' | 'optin_expired' | 'optin_invalid';

/** What a double opt-in page shows: the (masked) address, the consents' names, when it was confirmed. */
export interface OptInDetails {
  email?: string;
  given?: string[];
  declined?: string[];
  /** ISO date of the confirmation. */
  date?: string;
}

export interface PageParts {
  title: string;
  text: string | Html;
  extra?: Html;
}

function headedList(heading: string, names: string[] | undefined): Html | '' {
  if (!names?.length) return '';
  return html`<p class="muted">${heading}</p><ul>${names.map((name) => html`<li>${isolate(name)}</li>`)}</ul>`;
}

export function optInParts(kind: OptInKind, locale: Locale, t: Translator, optIn: OptInDetails = {}): PageParts {
  const values = {
    email: isolate(optIn.email ? maskEmail(optIn.email) : ''),
    date: isolate(formatDate(locale, optIn.date, 'long')),
  };
  const given = headedList(t(FLOW.optInGiven), optIn.given);
  switch (kind) {
    case 'optin': {
      const declined = headedList(t(FLOW.optInDeclined), optIn.declined);
      const form = html`<form method="post"><button type="submit">${t(FLOW.optInButton)}</button></form>`;
      return { title: t(FLOW.optInTitle), text: t(FLOW.optInText, values), extra: html`${given}${declined}${form}` };
    }
    case 'optin_done':
      return { title: t(FLOW.optInDoneTitle), text: t(FLOW.optInDoneText, values), extra: html`${given}` };
    case 'optin_used':
      return { title: t(FLOW.optInUsedTitle), text: t(FLOW.optInUsedText, values) };
    case 'optin_expired':
      return { title: t(FLOW.optInExpiredTitle), text: t(FLOW.optInExpiredText) };
    case 'optin_invalid':
      return { title: t(FLOW.invalidTitle), text: t(FLOW.optInExpiredText) };
  }
}
