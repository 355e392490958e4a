/**
 * Consent, group and segment names come from Voucherify in one language; a shop gives its own per locale with
 * `labels` (a property, or its attribute as JSON). The element's language tag is looked up first, then its language,
 * then Voucherify's text stays.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import '../../src/embed.js';
import type { VcConsentPanel, VcProfileCard } from '../../src/index.js';
import type { Labels } from '../../src/components/labels.js';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS, SEED_GROUP_IDS, SEED_SEGMENT_IDS } from '../../src/emulator/seed.js';
import {
  $,
  $$,
  itInEveryView,
  resetEmulator,
  sessionToken,
  testEnv,
  text,
  until,
  untilText,
} from '../support/browser/components.js';

const { alice } = DEMO_CUSTOMERS;
const { newsletter, emailOffers, productUpdates } = SEED_CONSENT_IDS;

const LABELS: Labels = {
  ar: {
    [newsletter]: { name: 'النشرة الإخبارية', description: 'رسالة شهرية بأخبار المتجر وقصصه.' },
    [emailOffers]: 'عروض شخصية بالبريد الإلكتروني',
    [SEED_GROUP_IDS.email]: { name: 'البريد الإلكتروني', description: 'ما قد نرسله إلى بريدك.' },
    [SEED_SEGMENT_IDS.berlin]: 'عملاء في برلين',
  },
  pt: { [newsletter]: { name: 'Boletim' } },
  'pt-BR': { [newsletter]: { description: 'Uma carta mensal com as novidades da loja.' } },
};

async function panel(lang: string, labels: string | null, theme = 'light'): Promise<VcConsentPanel> {
  const { workerUrl } = await testEnv();
  const el = await fixture<VcConsentPanel>(html`<vc-consent-panel
    lang=${lang}
    theme=${theme}
    worker-url=${workerUrl}
    session-token=${await sessionToken(alice.id)}
    labels=${labels ?? ''}
  ></vc-consent-panel>`);
  await until(el, 'fieldset');
  return el;
}

const labelOf = (el: Element, id: string) => $(el, `label[for=${id}]`)!.textContent!.trim();
const descriptionOf = (el: Element, id: string) => $(el, `#${id}-d bdi`)!.textContent!.trim();

describe('labels: the shop’s texts for what Voucherify names in one language', () => {
  beforeEach(resetEmulator);
  afterEach(async () => {
    document.querySelectorAll('vc-consent-panel, vc-profile-card').forEach((el) => el.remove());
    await emulateMedia({ colorScheme: 'light' });
    await setViewport({ width: 800, height: 600 });
  });

  it('the panel shows the Arabic names and descriptions it was given, and Voucherify’s for the rest', async () => {
    const el = await panel('ar', JSON.stringify(LABELS));
    expect(labelOf(el, newsletter)).to.equal('النشرة الإخبارية');
    expect(descriptionOf(el, newsletter)).to.equal('رسالة شهرية بأخبار المتجر وقصصه.');
    expect(labelOf(el, emailOffers), 'a string is a name').to.equal('عروض شخصية بالبريد الإلكتروني');
    expect(descriptionOf(el, emailOffers), 'no description given').to.equal('Discounts and vouchers chosen for you.');
    expect(labelOf(el, productUpdates), 'not labelled').to.equal('Product updates');
    const [email] = $$(el, 'fieldset');
    expect(email!.querySelector('legend')!.textContent!.trim()).to.equal('البريد الإلكتروني');
    expect(text(el)).to.contain('ما قد نرسله إلى بريدك.');
  });

  it('looks up the language tag, then the language, one text at a time; other languages keep Voucherify’s', async () => {
    const brazil = await panel('pt-BR', JSON.stringify(LABELS));
    expect(labelOf(brazil, newsletter), 'from pt').to.equal('Boletim');
    expect(descriptionOf(brazil, newsletter), 'from pt-BR').to.equal('Uma carta mensal com as novidades da loja.');
    const portugal = await panel('pt-PT', JSON.stringify(LABELS));
    expect(labelOf(portugal, newsletter)).to.equal('Boletim');
    expect(descriptionOf(portugal, newsletter)).to.equal('A monthly letter with news and stories from the shop.');
    const german = await panel('de', JSON.stringify(LABELS));
    expect(labelOf(german, newsletter)).to.equal('Newsletter');
  });

  it('follows the language when it changes, and the property as well as the attribute', async () => {
    const el = await panel('en', null);
    el.labels = LABELS;
    await el.updateComplete;
    expect(labelOf(el, newsletter)).to.equal('Newsletter');
    el.setAttribute('lang', 'ar');
    await untilText(el, 'النشرة الإخبارية');
    // What a save reports names the consent as shown.
    $<HTMLInputElement>(el, `#${productUpdates}`)!.click();
    $<HTMLInputElement>(el, `#${newsletter}`)!.click();
    $(el, '[part~=save]')!.click();
    await untilText(el, 'النشرة الإخبارية');
    await until(el, '[part~=status].ok');
    expect($(el, '[part~=status]')!.textContent).to.contain('النشرة الإخبارية');
  });

  it('an attribute that is not JSON: a console error naming it, and Voucherify’s texts', async () => {
    const errors: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => void errors.push(args);
    try {
      const el = await panel('ar', '{"ar": {');
      expect(labelOf(el, newsletter)).to.equal('Newsletter');
    } finally {
      console.error = original;
    }
    expect(String(errors[0]?.[0])).to.contain('`labels` is not JSON');
  });

  it('the card names segments and the consents in its activity list with the same labels', async () => {
    const { workerUrl } = await testEnv();
    const el = await fixture<VcProfileCard>(html`<vc-profile-card
      lang="ar"
      worker-url=${workerUrl}
      session-token=${await sessionToken(alice.id)}
      .labels=${LABELS}
    ></vc-profile-card>`);
    await until(el, '[part~=segments]');
    expect(text(el)).to.contain('عملاء في برلين');
    expect(text(el)).to.not.contain('Customers in Berlin');
    $(el, '[part~=toggle]')!.click();
    await untilText(el, 'النشرة الإخبارية');
  });

  describe('accessibility with labels (en and ar, light and dark, desktop and phone)', () => {
    itInEveryView(async ({ lang, theme }) => {
      await expect(await panel(lang, JSON.stringify(LABELS), theme)).to.be.accessible();
    });
  });
});
