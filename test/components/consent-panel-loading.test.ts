/**
 * How `<vc-consent-panel>` loads, on each of its paths (client keys, a session, a preferences link, the public
 * definitions): one request for what it first shows, sent before its first render; extras (the history) only after
 * that answer; and no `Intl` formatter made for a text that is not on screen (a page's first one is slow to make).
 */
import { expect, html, fixture, oneEvent } from '@open-wc/testing';
import '../../src/embed.js';
import type { VcConsentPanel, VcConsentSavedEvent } from '../../src/index.js';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/seed.js';
import {
  $,
  CLIENT,
  clearFaults,
  preferencesToken,
  resetEmulator,
  sessionToken,
  testEnv,
  until,
  untilText,
} from '../support/browser/components.js';

const { alice, bob } = DEMO_CUSTOMERS;

interface Call {
  path: string;
  /** The panel had rendered once already when the request was sent. */
  afterFirstRender: boolean;
}

/** Records the page's calls (not the test's own `/__vc/…` ones), and whether the panel had rendered at each. */
function spyFetch(): { calls: Call[]; restore(): void } {
  const original = window.fetch;
  const calls: Call[] = [];
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith('/__vc/')) {
      const panel = document.querySelector('vc-consent-panel');
      calls.push({ path: new URL(url).pathname, afterFirstRender: !!panel?.hasUpdated });
    }
    return original(input, init);
  };
  return { calls, restore: () => void (window.fetch = original) };
}

/** Counts the `Intl.DateTimeFormat` and `Intl.ListFormat` made while it is on. */
function countFormatters(): { made: string[]; restore(): void } {
  // TypeScript types `Intl.ListFormat` read-only; in the page it is an ordinary writable property.
  const intl = Intl as unknown as Record<'DateTimeFormat' | 'ListFormat', new (...args: unknown[]) => object>;
  const { DateTimeFormat, ListFormat } = intl;
  const made: string[] = [];
  for (const name of ['DateTimeFormat', 'ListFormat'] as const) {
    intl[name] = new Proxy(intl[name], {
      construct(target, args: unknown[], newTarget: new (...args: unknown[]) => object) {
        made.push(name);
        return Reflect.construct(target, args, newTarget);
      },
    });
  }
  return {
    made,
    restore: () => Object.assign(intl, { DateTimeFormat, ListFormat }),
  };
}

/** A panel with these attributes and properties, put in the page by hand (so nothing runs before the spy is on). */
async function mount(props: Partial<VcConsentPanel>): Promise<VcConsentPanel> {
  const el = document.createElement('vc-consent-panel');
  el.setAttribute('lang', 'en');
  Object.assign(el, props);
  document.body.append(el);
  await until(el, 'input[role=switch]');
  // Whatever would follow the first answer has had its turn.
  await new Promise((resolve) => setTimeout(resolve, 150));
  return el;
}

describe('<vc-consent-panel> loading', () => {
  let spy: { calls: Call[]; restore(): void } | undefined;

  beforeEach(async () => {
    sessionStorage.clear();
    await clearFaults();
    await resetEmulator();
    spy = spyFetch();
  });

  afterEach(() => {
    spy?.restore();
    document.querySelectorAll('vc-consent-panel').forEach((element) => element.remove());
  });

  const pathsOf = () => spy!.calls.map((call) => call.path);
  const sentBeforeFirstRender = () => spy!.calls[0]?.afterFirstRender === false;

  it('with client keys: one GET /client/v1/consents, sent before the first render', async () => {
    const { emulatorUrl } = await testEnv();
    await mount({ apiUrl: emulatorUrl, clientApplicationId: CLIENT.id, clientToken: CLIENT.token, customer: bob.id });
    expect(pathsOf()).to.deep.equal(['/client/v1/consents']);
    expect(sentBeforeFirstRender()).to.equal(true);
  });

  it('signed in: one GET /v1/me/consents, sent before the first render', async () => {
    const { workerUrl } = await testEnv();
    await mount({ workerUrl, sessionToken: await sessionToken(alice.id) });
    expect(pathsOf()).to.deep.equal(['/v1/me/consents']);
    expect(sentBeforeFirstRender()).to.equal(true);
  });

  it('from a preferences link: one GET /preferences/{token}/consents, sent before the first render', async () => {
    const { workerUrl } = await testEnv();
    const token = await preferencesToken(alice.id);
    await mount({ workerUrl, preferencesToken: token });
    expect(pathsOf()).to.deep.equal([`/preferences/${token}/consents`]);
    expect(sentBeforeFirstRender()).to.equal(true);
  });

  it('with the public definitions: one GET /v1/consents, sent before the first render', async () => {
    const { workerUrl } = await testEnv();
    await mount({ workerUrl });
    expect(pathsOf()).to.deep.equal(['/v1/consents']);
    expect(sentBeforeFirstRender()).to.equal(true);
  });

  it('with history: the history is read only once the choices are shown', async () => {
    const { workerUrl } = await testEnv();
    await mount({ workerUrl, sessionToken: await sessionToken(alice.id), history: true });
    expect(pathsOf()).to.deep.equal(['/v1/me/consents', '/v1/me/consents/history']);
    expect(sentBeforeFirstRender()).to.equal(true);
  });

  it('makes no date or list formatter until one is shown: none to show the choices, both once saved', async () => {
    const { emulatorUrl } = await testEnv();
    const formatters = countFormatters();
    try {
      const el = await fixture<VcConsentPanel>(html`<vc-consent-panel
        lang="en"
        client-application-id=${CLIENT.id}
        client-token=${CLIENT.token}
        api-url=${emulatorUrl}
        customer=${bob.source_id}
      ></vc-consent-panel>`);
      const newsletter = await until<HTMLInputElement>(el, `input[id="${SEED_CONSENT_IDS.newsletter}"]`);
      expect(formatters.made, 'formatters made to show the choices').to.deep.equal([]);
      newsletter.click();
      const saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
      $(el, '[part~=save]')!.click();
      await saved;
      await untilText(el, 'Saved');
      expect(formatters.made).to.include.members(['DateTimeFormat', 'ListFormat']);
    } finally {
      formatters.restore();
    }
  });
});
