/**
 * The small pages of the one-click unsubscribe flow (and, through `opt-in.ts`, of the double opt-in): a title, a
 * sentence, perhaps a form, and a link to the preference center. Every dynamic value is escaped; nothing personal is
 * shown but a masked address.
 */
import type { Locale } from '../../locales.js';
import { preferencesLine, referenceLine } from './error-page.js';
import { FLOW } from './messages.js';
import { optInParts } from './opt-in.js';
import type { OptInDetails, OptInKind, PageParts } from './opt-in.js';
import { html, pageShell } from './shell.js';
import { translator } from './translate.js';
import type { Translator } from './translate.js';

export type { OptInDetails } from './opt-in.js';

export type PageKind =
  'confirm' | 'done' | 'undone' | 'undo_used' | 'invalid' | 'expired' | 'not_found' | 'error' | 'busy' | OptInKind;

export interface PageOptions {
  kind: PageKind;
  locale: Locale;
  /** For `done`: where the undo form posts, when undo is available. */
  undoAction?: string | null;
  preferencesUrl: string | null;
  optIn?: OptInDetails;
  /** For `error`: the request id, shown for support. */
  requestId?: string;
}

function unsubscribeParts(kind: Exclude<PageKind, OptInKind>, t: Translator, undoAction: string | null): PageParts {
  switch (kind) {
    case 'confirm': {
      // No action: the form posts to the page's own URL.
      const oneClick = html`<input type="hidden" name="List-Unsubscribe" value="One-Click">`;
      const form = html`<form method="post">${oneClick}<button type="submit">${t(FLOW.confirmButton)}</button></form>`;
      return { title: t(FLOW.confirmTitle), text: t(FLOW.confirmText), extra: form };
    }
    case 'done': {
      const prompt = html`<p class="muted">${t(FLOW.undoPrompt)}</p>`;
      const button = html`<button type="submit" class="secondary">${t(FLOW.undoButton)}</button>`;
      const undo = undoAction ? html`<form method="post" action="${undoAction}">${prompt}${button}</form>` : undefined;
      return { title: t(FLOW.doneTitle), text: t(FLOW.doneText), extra: undo };
    }
    case 'undone':
      return { title: t(FLOW.undoneTitle), text: t(FLOW.undoneText) };
    case 'undo_used':
      return { title: t(FLOW.undoUsedTitle), text: t(FLOW.undoUsedText) };
    case 'invalid':
      return { title: t(FLOW.invalidTitle), text: t(FLOW.invalidText) };
    case 'expired':
      return { title: t(FLOW.expiredTitle), text: t(FLOW.expiredText) };
    case 'not_found':
      return { title: t(FLOW.notFoundTitle), text: t(FLOW.notFoundText) };
    case 'busy':
      return { title: t(FLOW.errorTitle), text: t(FLOW.busyText) };
    case 'error':
      return { title: t(FLOW.errorTitle), text: t(FLOW.errorText) };
  }
}

const isOptIn = (kind: PageKind): kind is OptInKind => kind.startsWith('optin');

/** Renders one page of the flow. */
export function renderPage(options: PageOptions): string {
  const { kind, locale } = options;
  const t = translator(locale);
  const { title, text, extra } = isOptIn(kind)
    ? optInParts(kind, locale, t, options.optIn)
    : unsubscribeParts(kind, t, options.undoAction ?? null);
  const reference = kind === 'error' && options.requestId ? referenceLine(locale, options.requestId) : '';
  const preferences = preferencesLine(locale, options.preferencesUrl);
  return pageShell({ locale, title, main: html`<h1>${title}</h1><p>${text}</p>${reference}${extra}${preferences}` });
}
