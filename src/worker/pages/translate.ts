/**
 * The pages' texts in one language, per request: a worker answers in many languages at once, so it reads each
 * locale's compiled templates directly instead of @lit/localize's one active locale. Missing translations fall back
 * to the English source.
 */
import type { StrResult } from '@lit/localize';
import { templates as ar } from '../../generated/page-locales/ar.js';
import { templates as de } from '../../generated/page-locales/de.js';
import { templates as es } from '../../generated/page-locales/es.js';
import { templates as fr } from '../../generated/page-locales/fr.js';
import { templates as he } from '../../generated/page-locales/he.js';
import { templates as it } from '../../generated/page-locales/it.js';
import { templates as ja } from '../../generated/page-locales/ja.js';
import { templates as nl } from '../../generated/page-locales/nl.js';
import { templates as pl } from '../../generated/page-locales/pl.js';
import { templates as pt } from '../../generated/page-locales/pt.js';
import { templates as sv } from '../../generated/page-locales/sv.js';
import { sourceLocale } from '../../locales.js';
import type { Locale, targetLocales } from '../../locales.js';
import { SOURCES } from './messages.js';
import { html } from './shell.js';
import type { Html } from './shell.js';

type Template = string | StrResult;

const TRANSLATIONS: Record<(typeof targetLocales)[number], Record<string, Template | undefined>> = {
  ar,
  de,
  es,
  fr,
  he,
  it,
  ja,
  nl,
  pl,
  pt,
  sv,
};

/** The pages' messages in one language. */
export interface Translator {
  /** A message without placeholders, as text. */
  (id: string): string;
  /**
   * A message that may have placeholders, each replaced by the value of its name (a string is escaped, `html` kept):
   * text, or HTML with the message's own text escaped.
   */
  (id: string, values: Record<string, unknown>): string | Html;
}

export function translator(locale: Locale): Translator {
  return ((id: string, values?: Record<string, unknown>) => translate(locale, id, values)) as Translator;
}

function translate(locale: Locale, id: string, values: Record<string, unknown> | undefined): string | Html {
  const source = SOURCES.get(id);
  if (source === undefined) throw new Error(`No page message ${id}`);
  const template = (locale === sourceLocale ? undefined : TRANSLATIONS[locale][id]) ?? source;
  if (typeof template === 'string') return template;
  if (!values) throw new Error(`The page message ${id} needs its values`);
  // A translation's values are the indexes of the source's values (its placeholder names), in the translation's order.
  const names = typeof source === 'string' ? [] : (source.values as string[]);
  const order = template === source ? names : (template.values as number[]).map((index) => names[index]!);
  const parts = template.strings.flatMap((text, index) => (index === 0 ? [text] : [values[order[index - 1]!], text]));
  return html`${parts}`;
}
