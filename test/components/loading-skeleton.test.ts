/**
 * While they load, `<vc-consent-panel>` and `<vc-profile-card>` show a skeleton (`aria-busy`, a status for screen
 * readers), in the room they took when last shown at that width: the data then arrives in place and nothing below
 * them moves (no layout shift). The panel's status line takes no room while it has nothing to say.
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import '../../src/embed.js';
import type { VcConsentPanel, VcProfileCard } from '../../src/index.js';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/seed.js';
import {
  $,
  clearFaults,
  itInEveryView,
  resetEmulator,
  sessionToken,
  setFaults,
  testEnv,
  until,
  untilText,
} from '../support/browser/components.js';

const { alice, bob } = DEMO_CUSTOMERS;
type Loading = VcConsentPanel | VcProfileCard;

/** The element in a page-like column, with a paragraph below it whose position tells whether anything moved. */
async function mount(
  tag: 'vc-consent-panel' | 'vc-profile-card',
  customer: string,
  { lang = 'en', theme = 'light', width = 480 } = {},
) {
  const { workerUrl } = await testEnv();
  const token = await sessionToken(customer);
  const column = await fixture<HTMLDivElement>(html`<div style="inline-size: ${width}px"></div>`);
  const el = document.createElement(tag) as Loading;
  for (const [name, value] of Object.entries({ lang, theme, 'worker-url': workerUrl, 'session-token': token }))
    el.setAttribute(name, value);
  const below = document.createElement('p');
  below.textContent = 'What the page shows below the element.';
  column.append(el, below);
  return { el, below };
}

const loaded = (el: Loading) => until(el, el.localName === 'vc-profile-card' ? '[part~=details]' : 'fieldset');
const busy = (el: Loading) => $(el, '[part~=base]')!.getAttribute('aria-busy');
const top = (element: Element) => element.getBoundingClientRect().top;
const frames = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));

/** Sums the layout shifts (Cumulative Layout Shift) reported while `run` goes. */
async function layoutShift(run: () => Promise<void>): Promise<number> {
  let total = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as Array<PerformanceEntry & { value: number; hadRecentInput: boolean }>)
      if (!entry.hadRecentInput) total += entry.value;
  });
  observer.observe({ type: 'layout-shift' });
  await run();
  await frames();
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return total;
}

/** Loads the element slowly: while it is loading, where the paragraph below it is; after, whether it moved. */
async function slowLoad(tag: 'vc-consent-panel' | 'vc-profile-card', customer: string) {
  await setFaults([{ method: 'GET', path: '/v1/customers/**', kind: 'latency', latencyMs: 700 }]);
  let during = 0;
  let after = 0;
  let el!: Loading;
  const shift = await layoutShift(async () => {
    const mounted = await mount(tag, customer);
    el = mounted.el;
    await el.updateComplete;
    await frames();
    expect(busy(el)).to.equal('true');
    expect($(el, '[part~=skeleton]'), 'the skeleton').to.exist;
    during = top(mounted.below);
    await loaded(el);
    await frames();
    after = top(mounted.below);
  });
  await clearFaults();
  return { el, shift, during, after };
}

const forgetRooms = () =>
  Object.keys(localStorage)
    .filter((key) => key.startsWith('vc-room:'))
    .forEach((key) => localStorage.removeItem(key));

describe('loading: a skeleton in the room the element will take', () => {
  beforeEach(async () => {
    await resetEmulator();
    forgetRooms();
    await setViewport({ width: 1000, height: 1600 });
  });
  afterEach(async () => {
    await clearFaults();
    document.querySelectorAll('vc-consent-panel, vc-profile-card').forEach((el) => el.remove());
    await emulateMedia({ colorScheme: 'light' });
    await setViewport({ width: 800, height: 600 });
  });

  for (const tag of ['vc-consent-panel', 'vc-profile-card'] as const) {
    it(`${tag}: busy with a skeleton and a status while loading, then the data in place (CLS 0)`, async () => {
      // A first visit: the skeleton has its own size, and the data arriving moves what is below (what the room
      // prevents next time, and what the measurement must see).
      const first = await slowLoad(tag, alice.id);
      expect(first.after).to.not.equal(first.during);
      expect(first.shift).to.be.greaterThan(0);
      expect(busy(first.el)).to.equal('false');
      expect($(first.el, '[part~=skeleton]')).to.equal(null);
      first.el.parentElement!.remove();

      const again = await slowLoad(tag, alice.id);
      expect(again.after, 'the paragraph below did not move').to.equal(again.during);
      expect(again.shift, 'cumulative layout shift').to.equal(0);
    });
  }

  it('screen readers hear that it is loading; the skeleton itself is hidden from them', async () => {
    await setFaults([{ method: 'GET', path: '/v1/customers/**', kind: 'latency', latencyMs: 700 }]);
    const { el } = await mount('vc-consent-panel', bob.id);
    await el.updateComplete;
    expect($(el, '[part~=skeleton]')!.getAttribute('aria-hidden')).to.equal('true');
    const status = $(el, '[role=status]')!;
    expect(status.textContent!.trim()).to.equal('Loading your choices…');
    expect(status.getBoundingClientRect().width, 'visually hidden').to.be.at.most(1);
    await untilText(el, 'Newsletter');
  });

  it('another width, or a profile never shown: the skeleton keeps its own size', async () => {
    await slowLoad('vc-consent-panel', alice.id);
    document.querySelector('vc-consent-panel')!.parentElement!.remove();
    await setFaults([{ method: 'GET', path: '/v1/customers/**', kind: 'latency', latencyMs: 700 }]);
    const { el } = await mount('vc-consent-panel', alice.id, { width: 400 });
    await el.updateComplete;
    expect(busy(el)).to.equal('true');
    expect($(el, '[part~=base]')!.style.minBlockSize).to.equal('');
    await loaded(el);
  });

  it('the panel: no empty band under the buttons until the status line has something to say', async () => {
    const { el } = await mount('vc-consent-panel', bob.id);
    await loaded(el);
    const base = $(el, '[part~=base]')!.getBoundingClientRect();
    const actions = $(el, '[part~=actions]')!.getBoundingClientRect();
    const padding = parseFloat(getComputedStyle($(el, '[part~=base]')!).paddingBlockEnd);
    expect(base.bottom - actions.bottom, 'only the padding and the border').to.be.closeTo(padding + 1, 1);

    $<HTMLInputElement>(el, `#${SEED_CONSENT_IDS.newsletter}`)!.click();
    $(el, '[part~=save]')!.click();
    await untilText(el, 'Saved');
    const status = $(el, '[part~=status]')!.getBoundingClientRect();
    expect(status.height).to.be.greaterThan(10);
    expect(status.top).to.be.greaterThan(actions.bottom);
  });

  describe('accessibility of the loading state (en and ar, light and dark, desktop and phone)', () => {
    itInEveryView(async ({ lang, theme }) => {
      await setFaults([{ method: 'GET', path: '/v1/customers/**', kind: 'latency', latencyMs: 1500 }]);
      for (const tag of ['vc-consent-panel', 'vc-profile-card'] as const) {
        const { el } = await mount(tag, alice.id, { lang, theme });
        await waitUntil(() => $(el, '[part~=skeleton]'), 'the skeleton');
        await expect(el).to.be.accessible();
      }
    });
  });
});
