/**
 * No English left in a translated element: every state of the three elements is rendered in Arabic (consent, group and
 * segment names from the shop's `labels`), and what a person can see or hear (text, `aria-label`, `title`, `alt`,
 * `placeholder`) is scanned for Latin words other than the customer's own data. A string written outside `msg()`
 * fails here in whichever state shows it. In every other locale, no English source text whose translation differs
 * may appear (read from `locales/<lang>.xlf`).
 */
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/embed.js';
import type { VcConsentPanel, VcProfileCard, VcUnsubscribe } from '../../src/index.js';
import type { Labels } from '../../src/components/labels.js';
import { targetLocales } from '../../src/locales.js';
import {
  DEMO_CUSTOMERS,
  SEED_CONSENT_IDS as C,
  SEED_GROUP_IDS as G,
  SEED_SEGMENT_IDS as S,
} from '../../src/emulator/seed.js';
import {
  $,
  clearFaults,
  resetEmulator,
  sessionToken,
  setFaults,
  testEnv,
  unsubscribeToken,
  until,
  untilText,
} from '../support/browser/components.js';

const { alice } = DEMO_CUSTOMERS;
/** The panel's heading in Arabic: its texts are loaded (the first render of a page may still be in English). */
const ARABIC_HEADING = 'اختياراتك التسويقية';

const ARABIC: Labels = {
  ar: {
    [C.newsletter]: { name: 'النشرة الإخبارية', description: 'رسالة شهرية بأخبار المتجر.' },
    [C.productUpdates]: { name: 'تحديثات المنتجات', description: 'رسالة عندما يعود منتج إلى المخزون.' },
    [C.emailOffers]: { name: 'عروض شخصية', description: 'خصومات وقسائم مختارة لك.' },
    [C.smsOffers]: { name: 'عروض نصية', description: 'عروض قصيرة الأجل إلى هاتفك.' },
    [C.partners]: { name: 'عروض الشركاء', description: 'عروض من شركاء مختارين.' },
    [G.email]: { name: 'البريد الإلكتروني', description: 'ما قد نرسله إلى بريدك.' },
    [G.phoneAndPartners]: { name: 'الهاتف والشركاء', description: 'رسائل نصية وعروض الشركاء.' },
    [S.newsletterReaders]: 'قرّاء النشرة',
    [S.berlin]: 'عملاء في برلين',
    [S.vip]: 'كبار العملاء',
    [S.optedOut]: 'ألغوا الاشتراك',
    [S.undecided]: 'بلا قرار',
  },
};

/** The customer's own data, which stays as it was entered, and the example address the email hint gives. */
const DATA = [
  'name@example.com',
  alice.name,
  alice.email,
  alice.phone,
  alice.address.line_1,
  alice.address.city,
  alice.address.country,
];

/** What a person sees or hears in an element's shadow tree: text, and the attributes read out or shown. */
function perceivable(el: Element): string[] {
  const out: string[] = [];
  const walk = (root: ShadowRoot | Element) => {
    for (const node of root.querySelectorAll('*')) {
      if (node.localName === 'style') continue;
      for (const child of node.childNodes) if (child.nodeType === Node.TEXT_NODE) out.push(child.textContent ?? '');
      for (const name of ['aria-label', 'title', 'alt', 'placeholder', 'aria-description', 'aria-valuetext'])
        if (node.hasAttribute(name)) out.push(node.getAttribute(name)!);
      if (node.shadowRoot) walk(node.shadowRoot);
    }
  };
  walk(el.shadowRoot!);
  return out.map((text) => text.replace(/\s+/g, ' ').trim()).filter(Boolean);
}

/** Latin words left once the customer's data is taken out. */
function latinWords(el: Element): string[] {
  return perceivable(el)
    .map((text) => DATA.reduce((rest, value) => rest.split(value).join(' '), text))
    .flatMap((text) => text.match(/[A-Za-zÀ-ÿ]{2,}/g) ?? []);
}

const seen: Record<string, string[]> = {};
function scan(label: string, el: Element): void {
  const words = latinWords(el);
  if (words.length) seen[label] = words;
}

async function panel(attributes: Record<string, string> = {}): Promise<VcConsentPanel> {
  const { workerUrl } = await testEnv();
  const el = document.createElement('vc-consent-panel');
  const all = { lang: 'ar', 'worker-url': workerUrl, 'session-token': await sessionToken(alice.id), ...attributes };
  for (const [name, value] of Object.entries(all)) el.setAttribute(name, value);
  el.labels = ARABIC;
  (await fixture<HTMLDivElement>(html`<div></div>`)).append(el);
  return el;
}

async function card(): Promise<VcProfileCard> {
  const { workerUrl } = await testEnv();
  return fixture<VcProfileCard>(html`<vc-profile-card
    lang="ar"
    worker-url=${workerUrl}
    session-token=${await sessionToken(alice.id)}
    .labels=${ARABIC}
  ></vc-profile-card>`);
}

describe('no English in an Arabic element, in any state', () => {
  before(() => Object.keys(seen).forEach((key) => delete seen[key]));
  beforeEach(resetEmulator);
  afterEach(async () => {
    await clearFaults();
    document.querySelectorAll('vc-consent-panel, vc-profile-card, vc-unsubscribe').forEach((el) => el.remove());
  });

  it('<vc-consent-panel>: loading, loaded with a policy review and history, a confirmation, saved, failed', async () => {
    await setFaults([{ method: 'GET', path: '/v1/customers/*', kind: 'latency', latencyMs: 800, times: 1 }]);
    const el = await panel({ 'policy-version': '2099-01', 'policy-summary': 'ملخص', history: '' });
    await until(el, '[part~=skeleton]');
    await untilText(el, ARABIC_HEADING);
    scan('panel loading', el);
    await until(el, 'fieldset');
    scan('panel loaded', el);

    $(el, '[part~=accept-all]')!.click();
    await until(el, '[part~=confirmation]');
    scan('panel confirmation', el);
    $(el, '[part~=confirm]')!.click();
    await until(el, '[part~=undo]');
    await until(el, '[part~=history]');
    scan('panel saved with undo and history', el);

    await setFaults([{ method: 'PUT', path: '/v1/customers/*/consents', kind: 'status', status: 503 }]);
    $<HTMLInputElement>(el, `#${C.partners}`)!.click();
    $(el, '[part~=save]')!.click();
    await until(el, '[part~=retry]');
    scan('panel save failed', el);

    await setFaults([{ method: 'GET', path: '/v1/customers/*', kind: 'status', status: 500 }]);
    const failed = await panel();
    await until(failed, '[role=alert]');
    scan('panel load failed', failed);
    await setFaults([{ method: 'GET', path: '/v1/customers/*', kind: 'status', status: 404 }]);
    const gone = await panel();
    await waitUntil(() => gone._gone, 'gone');
    scan('panel gone', gone);
  });

  it('<vc-profile-card>: loading, loaded, editing with an error, deleting with a wrong word, failed', async () => {
    await setFaults([{ method: 'GET', path: '/v1/customers/**', kind: 'latency', latencyMs: 800, times: 3 }]);
    const el = await card();
    await until(el, '[part~=skeleton]');
    await waitUntil(() => !/[A-Za-z]/.test($(el, '[role=status]')!.textContent!), 'the Arabic texts');
    scan('card loading', el);
    await until(el, '[part~=details]');
    $(el, '[part~=toggle]')!.click();
    await until(el, '[part~=activity]');
    scan('card loaded', el);

    $(el, '[part~=edit]')!.click();
    const email = await until<HTMLInputElement>(el, 'input[name=email]');
    email.value = 'not an address';
    $<HTMLButtonElement>(el, 'form [type=submit]')!.click();
    await until(el, '[aria-invalid=true]');
    scan('card editing with an error', el);
    $<HTMLButtonElement>(el, 'form [type=button]')!.click();

    $(el, '[part~=delete]')!.click();
    const confirm = await until<HTMLInputElement>(el, '#confirm');
    confirm.value = 'خطأ';
    confirm.form!.requestSubmit();
    await until(el, '#confirm[aria-invalid=true]');
    scan('card deleting with a wrong word', el);

    await setFaults([{ method: 'GET', path: '/v1/customers/*', kind: 'status', status: 500 }]);
    const failed = await card();
    await until(failed, '[part~=retry]');
    scan('card load failed', failed);
  });

  it('<vc-unsubscribe>: ready, done with undo, a refused link', async () => {
    const { workerUrl } = await testEnv();
    const el = await fixture<VcUnsubscribe>(html`<vc-unsubscribe
      lang="ar"
      worker-url=${workerUrl}
      token=${await unsubscribeToken(alice.id, `scan-${Date.now()}`)}
      preferences-url="/account"
    ></vc-unsubscribe>`);
    await until(el, '[part~=unsubscribe]');
    scan('unsubscribe ready', el);
    $(el, '[part~=unsubscribe]')!.click();
    await until(el, '[part~=undo]');
    scan('unsubscribe done', el);

    const refused = await fixture<VcUnsubscribe>(html`<vc-unsubscribe
      lang="ar"
      worker-url=${workerUrl}
      token="not-a-token"
    ></vc-unsubscribe>`);
    await until(refused, '[part~=unsubscribe]');
    $(refused, '[part~=unsubscribe]')!.click();
    await until(refused, '[role=status] [part~=message]');
    scan('unsubscribe refused', refused);
  });

  after(() => expect(JSON.stringify(seen), 'Latin words left in an Arabic element').to.equal('{}'));
});

describe('no English source text in any other locale', () => {
  beforeEach(resetEmulator);
  afterEach(() => document.querySelectorAll('vc-consent-panel').forEach((el) => el.remove()));

  for (const locale of targetLocales.filter((tag) => tag !== 'ar')) {
    it(`${locale}: the loaded panel shows no English source sentence`, async () => {
      const xlf = new DOMParser().parseFromString(await (await fetch(`/locales/${locale}.xlf`)).text(), 'text/xml');
      const english = [...xlf.querySelectorAll('trans-unit')]
        .map((unit) => [unit.querySelector('source')!.textContent!.trim(), unit.querySelector('target')?.textContent])
        .filter(([source, target]) => source !== target?.trim() && source!.split(' ').length >= 3)
        .map(([source]) => source!);
      const el = await panel({ lang: locale, 'policy-version': '2099-01' });
      await until(el, 'fieldset');
      await untilText(el, /\S/);
      const shown = perceivable(el).join(' | ');
      expect(english.filter((source) => shown.includes(source))).to.deep.equal([]);
    });
  }
});
