/** How the pages show what is not their own text: addresses, dates, names. */
import type { Locale } from '../../locales.js';
import { html } from './shell.js';
import type { Html } from './shell.js';

/**
 * A value isolated from the text around it (`<bdi>`): an address keeps its punctuation, and a name written in
 * another language its full stop, in right-to-left text.
 */
export function isolate(value: string): Html {
  return html`<bdi>${value}</bdi>`;
}

/** A date in the page's language (UTC), or nothing when it cannot be read. */
export function formatDate(locale: Locale, iso: string | undefined, dateStyle: 'long' | 'medium'): string {
  const date = new Date(iso ?? '');
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(locale, { dateStyle, timeZone: 'UTC' }).format(date);
}
