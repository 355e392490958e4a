/**
 * The preference center page (`/preferences/<token>`): every consent, grouped as Voucherify's consent groups group
 * them, as a plain form that works without JavaScript, on the shared page shell with one more hashed style block.
 * With the elements' CDN build configured (`ELEMENTS_URL`), the form is wrapped in `<vc-consent-panel>` (in its
 * `plain-form` slot), which replaces it once the element upgrades.
 */
import type { EdgeConsentDefinitions } from '../../api/edge-types.js';
import type { CustomerConsentsState } from '../../api/types.js';
import type { Locale } from '../../locales.js';
import { maskEmail } from '../mask-email.js';
import { formatDate, isolate } from './format.js';
import { PREFERENCES } from './messages.js';
import { html, pageShell } from './shell.js';
import type { Html } from './shell.js';
import { translator } from './translate.js';
import type { Translator } from './translate.js';

/** The page's own style, on top of the shared one (its hash goes into the CSP too). */
export const PREFERENCES_STYLE = `:root{--line:#d5d7de;--note:#edf3fc}
@media (prefers-color-scheme:dark){:root{--line:#3b3e48;--note:#1c2940}}
main{max-inline-size:38rem;inline-size:calc(100% - 3rem)}
fieldset{margin:0 0 1rem;padding:.5rem 1rem .25rem;border:1px solid var(--line);border-radius:10px}
legend{font-weight:600;padding:0 .35rem}
fieldset>p{margin:0 0 .25rem}
.choice{display:grid;grid-template-columns:auto 1fr;gap:.15rem .75rem;align-items:start;padding:.6rem 0}
.choice+.choice{border-block-start:1px solid var(--line)}
.choice input{inline-size:1.2rem;block-size:1.2rem;margin:.2rem 0 0;accent-color:var(--accent)}
.choice label{font-weight:600}
.choice p{grid-column:2;margin:0;font-size:.925rem}
.notice{padding:.75rem 1rem;border-radius:8px;background:var(--note);border-inline-start:4px solid var(--accent)}
.actions{display:flex;flex-wrap:wrap;gap:.75rem;margin:1.25rem 0 0}
input:focus-visible{outline:3px solid var(--accent);outline-offset:2px}`;

/** What the page says above the form after a POST. */
export type PreferencesNotice =
  { kind: 'saved'; given: string[]; withdrawn: string[] } | { kind: 'unsubscribed' } | { kind: 'stale' };

export interface PreferencesView {
  locale: Locale;
  /** The address the page manages (shown masked), or null when the customer has none. */
  email: string | null;
  definitions: EdgeConsentDefinitions;
  state: CustomerConsentsState;
  unsubscribed: boolean;
  /** The CSRF proof for the form's hidden `csrf` field. */
  csrf: string;
  /** Choices shown instead of the stored value (a form that could not be saved keeps what the person ticked). */
  pending?: Record<string, boolean>;
  notice?: PreferencesNotice;
  /** With `ELEMENTS_URL`: the element that replaces the form once it upgrades. */
  enhance?: { scriptUrl: string; token: string; workerUrl: string } | null;
}

/** Form field names: a checkbox and the value it was rendered with, per consent. */
export const CHECKBOX_PREFIX = 'consent.';
export const SHOWN_PREFIX = 'shown.';

/** Names joined the way the language joins a list, each one isolated (`<bdi>`). */
function nameList(locale: Locale, names: string[]): Html {
  const parts = new Intl.ListFormat(locale, { type: 'conjunction' }).formatToParts(names);
  return html`${parts.map((part) => (part.type === 'element' ? isolate(part.value) : part.value))}`;
}

function notice(view: PreferencesView, t: Translator): Html | '' {
  const shown = view.notice;
  if (!shown) return '';
  let text: string | Html | Array<string | Html>;
  if (shown.kind === 'unsubscribed') text = t(PREFERENCES.savedUnsubscribed);
  else if (shown.kind === 'stale') text = t(PREFERENCES.staleForm);
  else {
    const list = (names: string[]) => ({ list: nameList(view.locale, names) });
    const sentences: Array<string | Html> = [];
    if (shown.given.length) sentences.push(t(PREFERENCES.savedNow, list(shown.given)));
    if (shown.withdrawn.length) sentences.push(t(PREFERENCES.savedNoLonger, list(shown.withdrawn)));
    text = sentences.length ? sentences.flatMap((sentence, index) => (index ? [' ', sentence] : [sentence])) : '';
    text ||= t(PREFERENCES.savedNothing);
  }
  return html`<p class="notice" role="status">${text}</p>`;
}

/** Groups in Voucherify's order, each with its defined consents; a consent in no group goes under the generic heading. */
function grouped(
  definitions: EdgeConsentDefinitions,
): Array<{ name: string | null; description: string; ids: string[] }> {
  const defined = new Set(definitions.consents.map((consent) => consent.id));
  const placed = new Set<string>();
  const groups = definitions.groups
    .map((group) => {
      const ids = group.consents.filter((id) => defined.has(id) && !placed.has(id));
      for (const id of ids) placed.add(id);
      return { name: group.name, description: group.description, ids };
    })
    .filter((group) => group.ids.length > 0);
  const rest = definitions.consents.map((consent) => consent.id).filter((id) => !placed.has(id));
  return rest.length ? [...groups, { name: null, description: '', ids: rest }] : groups;
}

// Names and descriptions come from Voucherify's definitions, in whatever language the shop wrote them: each is
// isolated (`isolate`), so an English sentence keeps its full stop at its end on a right-to-left page.
function choice(view: PreferencesView, t: Translator, id: string, index: number): Html {
  const consent = view.definitions.consents.find((candidate) => candidate.id === id)!;
  const decision = view.state[id];
  const stored = decision?.value ?? false;
  const ticked = (view.pending?.[id] ?? stored) ? ' checked' : '';
  const date = decision ? isolate(formatDate(view.locale, decision.date, 'medium')) : '';
  const status = decision
    ? t(decision.value ? PREFERENCES.given : PREFERENCES.withdrawn, { date })
    : t(PREFERENCES.undecided);
  const field = `c${index}`;
  const described = [consent.description ? `${field}-about` : '', `${field}-status`].filter(Boolean).join(' ');
  const name = `${CHECKBOX_PREFIX}${id}`;
  return html`<div class="choice">${[
    html`<input type="checkbox" id="${field}" name="${name}" value="1"${ticked} aria-describedby="${described}">`,
    html`<label for="${field}">${isolate(consent.name)}</label>`,
    consent.description ? html`<p id="${field}-about" class="muted">${isolate(consent.description)}</p>` : '',
    html`<p id="${field}-status" class="muted">${status}</p>`,
    html`<input type="hidden" name="${SHOWN_PREFIX}${id}" value="${stored ? 1 : 0}">`,
  ]}</div>`;
}

function fieldsets(view: PreferencesView, t: Translator): Html[] {
  let index = 0;
  return grouped(view.definitions).map((group) => {
    const legend = group.name === null ? t(PREFERENCES.otherHeading) : isolate(group.name);
    const description = group.description ? html`<p class="muted">${isolate(group.description)}</p>` : '';
    const choices = group.ids.map((id) => choice(view, t, id, index++));
    return html`<fieldset><legend>${legend}</legend>${description}${choices}</fieldset>`;
  });
}

/** The notices, then the form: the hidden CSRF proof, the consents in their groups, the two buttons. */
function plainForm(view: PreferencesView, t: Translator): Html {
  const unsubscribed = view.unsubscribed && view.notice?.kind !== 'unsubscribed';
  const note = unsubscribed ? html`<p class="notice">${t(PREFERENCES.unsubscribedNote)}</p>` : '';
  const csrf = html`<input type="hidden" name="csrf" value="${view.csrf}">`;
  const save = html`<button type="submit" name="action" value="save">${t(PREFERENCES.save)}</button>`;
  const all = t(PREFERENCES.unsubscribeAll);
  const unsubscribe = html`<button type="submit" name="action" value="unsubscribe" class="secondary">${all}</button>`;
  const actions = html`<div class="actions">${save}${unsubscribe}</div>`;
  const form = html`<form method="post">${csrf}<p>${t(PREFERENCES.intro)}</p>${fieldsets(view, t)}${actions}</form>`;
  return html`${notice(view, t)}${note}${form}`;
}

/**
 * The form inside `<vc-consent-panel>`, in a named slot: it shows until the element upgrades (or without JavaScript),
 * and disappears once the panel has a shadow root, whether or not the panel renders a default slot of its own.
 */
function inPanel(form: Html, locale: Locale, { token, workerUrl }: NonNullable<PreferencesView['enhance']>): Html {
  const panel = html`<vc-consent-panel preferences-token="${token}" worker-url="${workerUrl}" lang="${locale}" history>`;
  return html`${panel}<div slot="plain-form">${form}</div></vc-consent-panel>`;
}

/** The page: the masked address, every consent as a checkbox in its group, Save, and "Unsubscribe from everything". */
export function renderPreferencesPage(view: PreferencesView): string {
  const { locale, email, enhance } = view;
  const t = translator(locale);
  const form = plainForm(view, t);
  const managing = email
    ? html`<p class="muted">${t(PREFERENCES.managing, { email: isolate(maskEmail(email)) })}</p>`
    : '';
  return pageShell({
    locale,
    title: t(PREFERENCES.title),
    style: PREFERENCES_STYLE,
    ...(enhance ? { head: html`<script type="module" src="${enhance.scriptUrl}"></script>` } : {}),
    main: html`<h1>${t(PREFERENCES.title)}</h1>${managing}${enhance ? inPanel(form, locale, enhance) : form}`,
  });
}

export type PreferencesProblem = 'expired' | 'invalid' | 'not_found' | 'bad_form';

const PROBLEMS: Record<PreferencesProblem, { title: string; text: string }> = {
  expired: { title: PREFERENCES.expiredTitle, text: PREFERENCES.expiredText },
  invalid: { title: PREFERENCES.invalidTitle, text: PREFERENCES.invalidText },
  not_found: { title: PREFERENCES.notFoundTitle, text: PREFERENCES.notFoundText },
  bad_form: { title: PREFERENCES.badFormTitle, text: PREFERENCES.badFormText },
};

/** A page for a link that cannot be used (or a form that could not be read), with a way back when there is one. */
export function renderPreferencesProblem(
  kind: PreferencesProblem,
  locale: Locale,
  backHref: string | null = null,
): string {
  const t = translator(locale);
  const title = t(PROBLEMS[kind].title);
  const back = backHref ? html`<p><a href="${backHref}">${t(PREFERENCES.backLink)}</a></p>` : '';
  const main = html`<h1>${title}</h1><p>${t(PROBLEMS[kind].text)}</p>${back}`;
  return pageShell({ locale, title, style: PREFERENCES_STYLE, main });
}
