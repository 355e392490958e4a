/**
 * The language of a page: `?lang=` first, then `Accept-Language` by quality, then English. A regional tag counts as
 * its language (`pt-BR` → `pt`); nothing is remembered between requests (no cookie).
 */
import type { Context } from 'hono';
import { detectFromHeader, detectFromQuery } from 'hono/language';
import type { DetectorOptions } from 'hono/language';
import { allLocales, isLocale, sourceLocale } from '../../locales.js';
import type { Locale } from '../../locales.js';

const DETECTION: DetectorOptions = {
  order: ['querystring', 'header'],
  lookupQueryString: 'lang',
  lookupFromHeaderKey: 'accept-language',
  lookupCookie: 'language',
  lookupFromPathIndex: 0,
  caches: false,
  ignoreCase: true,
  fallbackLanguage: sourceLocale,
  supportedLanguages: [...allLocales],
  // `pt_BR` as well as `pt-BR`: only the language is translated.
  convertDetectedLanguage: (tag) => tag.split(/[-_]/)[0]!,
};

export function pageLocale(c: Context): Locale {
  const detected = detectFromQuery(c, DETECTION) ?? detectFromHeader(c, DETECTION);
  return detected && isLocale(detected) ? detected : sourceLocale;
}
