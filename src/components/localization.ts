/**
 * Localization shared by every `vc-*` element: which locale an element shows, right-to-left layout, `Intl` formatting,
 * and the one-time @lit/localize set-up that the script-tag entries call.
 *
 * @lit/localize keeps one active locale per page, so a page shows one locale at a time: the last element to resolve
 * its locale (or the app, through `setLocale`) decides. Dates and numbers follow each element's own language tag.
 */
import { configureLocalization } from '@lit/localize';
import type { ReactiveController, ReactiveElement } from 'lit';
import { allLocales, isRightToLeft, sourceLocale, targetLocales } from '../locales.js';

/** A locale the elements are translated into. */
export type VcLocale = (typeof allLocales)[number];

type LocaleModule = Promise<{ templates: Record<string, unknown> }>;

// One dynamic import per locale: the script-tag builds load `locales/<lang>.js` beside the bundle only when needed.
const loaders: Record<string, () => LocaleModule> = {
  ar: () => import('../generated/locales/ar.js') as LocaleModule,
  de: () => import('../generated/locales/de.js') as LocaleModule,
  es: () => import('../generated/locales/es.js') as LocaleModule,
  fr: () => import('../generated/locales/fr.js') as LocaleModule,
  he: () => import('../generated/locales/he.js') as LocaleModule,
  it: () => import('../generated/locales/it.js') as LocaleModule,
  ja: () => import('../generated/locales/ja.js') as LocaleModule,
  nl: () => import('../generated/locales/nl.js') as LocaleModule,
  pl: () => import('../generated/locales/pl.js') as LocaleModule,
  pt: () => import('../generated/locales/pt.js') as LocaleModule,
  sv: () => import('../generated/locales/sv.js') as LocaleModule,
};

let activate: ((locale: string) => Promise<void>) | undefined;

/**
 * Turns on translations for the `vc-*` elements. The script-tag entries call it; an app that imports the classes from
 * npm calls it once (unless it configures @lit/localize itself). Safe to call more than once.
 */
export function setupLocalization(): void {
  activate ??= configureLocalization({
    sourceLocale,
    targetLocales,
    loadLocale: (locale) => loaders[locale]!() as never,
  }).setLocale;
}

/** Maps any BCP 47 tag to a supported locale (`pt-BR` → `pt`, `iw` → `he`), or `undefined`. */
export function normalizeLocale(tag: string | null | undefined): VcLocale | undefined {
  const base = tag?.toLowerCase().split(/[-_]/)[0];
  const locale = base === 'iw' ? 'he' : base;
  return (allLocales as readonly string[]).includes(locale!) ? (locale as VcLocale) : undefined;
}

/**
 * Switches the page's `vc-*` elements to a locale now (`pt-BR` is shown as `pt`; unknown tags as English). Elements
 * switch again by themselves when a `lang` or `locale` attribute they follow changes. Never rejects.
 */
export function setLocale(tag: string): Promise<void> {
  return activate ? activate(normalizeLocale(tag) ?? sourceLocale).catch(() => undefined) : Promise.resolve();
}

/** The nearest `lang` above an element (its own, its ancestors', across shadow roots, `<html>`), else the browser's. */
export function langOf(element: Element): string {
  for (let node: Node | null = element; node; node = node.parentNode ?? (node as ShadowRoot).host ?? null) {
    const lang = (node as Element).getAttribute?.('lang');
    if (lang) return lang;
  }
  return navigator.language;
}

/**
 * Keeps an element's locale in step with its `locale` attribute, else the nearest `lang`; sets `dir="rtl"` on the host
 * for Arabic and Hebrew (unless the page set `dir` on it) and re-renders when any of these change at run time, and
 * when a locale's texts are ready (what @lit/localize's `@localized()` does, so an element may do without it).
 */
export class LocaleController implements ReactiveController {
  /** The supported locale the text is shown in. */
  locale: VcLocale = sourceLocale;
  /** The full language tag, for `Intl` (e.g. `pt-BR` dates while the text is `pt`). */
  tag: string = sourceLocale;
  // `#private`, so the minifier can shorten the names (this class is in every element's bundle).
  #observer: MutationObserver | undefined;
  #setDir = false;
  readonly #host: ReactiveElement;
  readonly #explicit: () => string | null | undefined;

  constructor(host: ReactiveElement, explicit: () => string | null | undefined) {
    this.#host = host;
    this.#explicit = explicit;
    host.addController(this);
  }

  hostConnected(): void {
    this.#observer = new MutationObserver(() => {
      this.#resolve(true);
      this.#host.requestUpdate();
    });
    this.#observer.observe(document.documentElement, { attributeFilter: ['lang'] });
    this.#observer.observe(this.#host, { attributeFilter: ['lang'] });
    addEventListener('lit-localize-status', this.#onStatus);
    this.#resolve(true);
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
    removeEventListener('lit-localize-status', this.#onStatus);
  }

  readonly #onStatus = (event: Event): void => {
    if ((event as CustomEvent<{ status: string }>).detail.status === 'ready') this.#host.requestUpdate();
  };

  hostUpdate(): void {
    this.#resolve(false);
  }

  // Applies the page locale only when something changed (never on every render: two elements that want different
  // locales would otherwise take turns forever).
  #resolve(apply: boolean): void {
    const host = this.#host;
    const wanted = this.#explicit() || langOf(host);
    const locale = normalizeLocale(wanted) ?? sourceLocale;
    this.tag = locale;
    try {
      // Keep the full tag for `Intl` (en-GB dates) when it is a valid one and of the shown language.
      if (locale === normalizeLocale(wanted)) this.tag = Intl.getCanonicalLocales(wanted)[0]!;
    } catch {
      // An invalid tag: the language alone will do.
    }
    if (this.#setDir || !host.hasAttribute('dir')) {
      this.#setDir = isRightToLeft(locale);
      if (this.#setDir) host.setAttribute('dir', 'rtl');
      else host.removeAttribute('dir');
    }
    if (apply || locale !== this.locale) void setLocale(locale);
    this.locale = locale;
  }
}

/** `Intl.DateTimeFormat`, never throwing: an unreadable date shows as a dash, never as the raw text that came. */
export function formatDate(tag: string, value: string, options: Intl.DateTimeFormatOptions): string {
  try {
    return new Intl.DateTimeFormat(tag, options).format(new Date(value));
  } catch {
    return '—';
  }
}
