/**
 * The pages of the panel bench (`panel.bench.ts`): `<vc-consent-panel>` with client keys, the same with
 * `<link rel="modulepreload">`, and a plain hand-written form whose small script makes the same request (same URL,
 * same headers, so the same CORS preflight and GET) and renders the switches from the answer. Every page starts with
 * the same probe, which records when the first switch is in the page and enabled.
 */
import { EMULATOR_DEFAULTS } from '../../src/emulator/index.js';

/** `baseline`: the panel page with another build's script (`VC_BENCH_BASELINE`), to compare two builds in one run. */
export type PageKind = 'plain' | 'panel' | 'preload' | 'baseline';

export const PANEL_SCRIPT = '/cdn/vc-consent-panel.js';
export const BASELINE_SCRIPT = '/baseline/vc-consent-panel.js';
export const PLAIN_SCRIPT = '/plain-form.js';

/** The script a page loads (the one its download time is read from). */
export const scriptOf = (kind: PageKind): string =>
  kind === 'plain' ? PLAIN_SCRIPT : kind === 'baseline' ? BASELINE_SCRIPT : PANEL_SCRIPT;
export const CONSENTS_PATH = '/client/v1/consents';

const { clientApplicationId, clientToken } = EMULATOR_DEFAULTS.clientKeys[0]!;

/**
 * Runs first on every page. A MutationObserver on the document and on every shadow root (by wrapping `attachShadow`)
 * notes `vc-bench:first-render` (the first content of a shadow root: the panel's loading state) and
 * `vc-bench:interactive` (the first `input[role=switch]` that is enabled), both at the microtask after the DOM change,
 * so neither page is timed by polling; then `vc-bench:painted`, once the frame showing that switch was drawn.
 */
const PROBE = `(() => {
  let seen = false;
  const watch = (root, shadow) => new MutationObserver((_, observer) => {
    if (shadow && !performance.getEntriesByName('vc-bench:first-render').length) performance.mark('vc-bench:first-render');
    const input = root.querySelector('input[role=switch]');
    if (!input || input.disabled || seen) return;
    seen = true;
    performance.mark('vc-bench:interactive');
    observer.disconnect();
    // Style, layout and paint of that change happen in the next frame, after its animation callbacks.
    requestAnimationFrame(() => setTimeout(() => {
      performance.mark('vc-bench:painted');
      // Told on the console: the bench reads nothing from the page before this (an evaluation would run in it).
      console.debug('vc-bench:painted');
    }));
  }).observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] });
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function (init) {
    const root = attach.call(this, init);
    watch(root, true);
    return root;
  };
  watch(document, false);
})();`;

const head = (title: string, extra: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title><script>${PROBE}</script>${extra}</head>`;

export function page(kind: PageKind, apiUrl: string): string {
  if (kind === 'plain') {
    return `${head('plain', `<script type="module" src="${PLAIN_SCRIPT}"></script>`)}<body>
<form method="post" action="/save"><p role="status">Loading your choices…</p><button type="button">Accept all</button><button type="button">Opt out of everything</button><button>Save choices</button></form>
</body></html>`;
  }
  const preload = kind === 'preload' ? `<link rel="modulepreload" href="${PANEL_SCRIPT}">` : '';
  return `${head(kind, `${preload}<script type="module" src="${scriptOf(kind)}"></script>`)}<body>
<vc-consent-panel client-application-id="${clientApplicationId}" client-token="${clientToken}" api-url="${apiUrl}" customer="bob@example.com"></vc-consent-panel>
</body></html>`;
}

/**
 * The plain form's script, as a shop would hand-write it: the request `<vc-consent-panel>` makes for client keys
 * (`GET /client/v1/consents` with `Accept` and both client headers, no credentials), then one fieldset per group and
 * a labelled switch per consent, built with DOM calls (names and descriptions as text, never as HTML).
 */
export function plainScript(apiUrl: string): string {
  return `const response = await fetch(${JSON.stringify(new URL(CONSENTS_PATH, apiUrl).href)}, {
  headers: {
    accept: 'application/json',
    'x-client-application-id': ${JSON.stringify(clientApplicationId)},
    'x-client-token': ${JSON.stringify(clientToken)},
  },
  credentials: 'omit',
});
if (!response.ok) throw new Error('consents: ' + response.status);
const { groups, consents } = await response.json();
const make = (tag, props = {}, ...children) => {
  const element = Object.assign(document.createElement(tag), props);
  element.append(...children);
  return element;
};
const byId = new Map(consents.data.map((consent) => [consent.id, consent]));
const grouped = new Set(groups.data.flatMap((group) => group.consents));
const fieldset = (name, description, items) =>
  make('fieldset', {}, make('legend', { textContent: name }), make('p', { textContent: description }),
    ...items.map((consent) => {
      const input = make('input', { type: 'checkbox', id: consent.id, name: consent.id });
      input.setAttribute('role', 'switch');
      return make('div', {}, input, make('label', { htmlFor: consent.id, textContent: consent.name }),
        make('p', { textContent: consent.description ?? '' }));
    }));
const rest = consents.data.filter((consent) => !grouped.has(consent.id));
document.querySelector('form [role=status]').replaceWith(
  ...groups.data.map((group) => fieldset(group.name, group.description ?? '',
    group.consents.map((id) => byId.get(id)).filter(Boolean))),
  ...(rest.length ? [fieldset('Other', '', rest)] : []),
);
`;
}
