/**
 * The languages of the elements and of the worker's pages, in one place: the codes come from lit-localize's config
 * (through its generated module), so adding a locale there adds it everywhere.
 */
import { allLocales, sourceLocale, targetLocales } from './generated/locale-codes.js';

export { allLocales, sourceLocale, targetLocales };

/** A supported locale. */
export type Locale = (typeof allLocales)[number];

// The scripts of these languages run right to left.
const RIGHT_TO_LEFT: readonly string[] = ['ar', 'he'];

export function isLocale(value: string): value is Locale {
  return (allLocales as readonly string[]).includes(value);
}

/** Whether a supported locale is written right to left (Arabic, Hebrew). */
export function isRightToLeft(locale: string): boolean {
  return RIGHT_TO_LEFT.includes(locale);
}
