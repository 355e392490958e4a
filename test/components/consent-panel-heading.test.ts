/**
 * The consent panel as a landmark (a region named by its own heading, at a level the page chooses) and its policy
 * notice: a link to the policy with the shop's summary of what changed, and no review asked of someone who opted out
 * of everything.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import '../../src/embed.js';
import type { VcConsentPanel } from '../../src/index.js';
import { DEMO_CUSTOMERS } from '../../src/emulator/seed.js';
import { $, CLIENT, resetEmulator, sessionToken, testEnv, until, untilText } from '../support/browser/components.js';

const { alice, bob } = DEMO_CUSTOMERS;
const loaded = (el: VcConsentPanel) => until(el, 'fieldset, [role=alert], [part~=status]');

async function clientPanel(attributes: Record<string, string>): Promise<VcConsentPanel> {
  const { emulatorUrl } = await testEnv();
  const el = document.createElement('vc-consent-panel');
  const all = { lang: 'en', 'client-application-id': CLIENT.id, 'client-token': CLIENT.token, 'api-url': emulatorUrl };
  for (const [name, value] of Object.entries({ ...all, ...attributes })) el.setAttribute(name, value);
  const wrapper = await fixture<HTMLDivElement>(html`<div></div>`);
  wrapper.append(el);
  await loaded(el);
  return el;
}

async function workerPanel(customer: string, policyVersion: string): Promise<VcConsentPanel> {
  const { workerUrl } = await testEnv();
  const el = await fixture<VcConsentPanel>(html`<vc-consent-panel
    lang="en"
    worker-url=${workerUrl}
    session-token=${await sessionToken(customer)}
    policy-version=${policyVersion}
  ></vc-consent-panel>`);
  await loaded(el);
  return el;
}

describe('<vc-consent-panel> heading and policy notice', () => {
  beforeEach(resetEmulator);
  afterEach(async () => {
    document.querySelectorAll('vc-consent-panel').forEach((panel) => panel.remove());
    await emulateMedia({ colorScheme: 'light' });
    await setViewport({ width: 800, height: 600 });
  });

  it('is a region named by its heading, at level 2 unless the page says otherwise', async () => {
    const el = await clientPanel({});
    const base = $(el, '[part~=base]')!;
    const heading = $(el, '[part~=heading]')!;
    expect(base.getAttribute('role')).to.equal('region');
    expect(base.getAttribute('aria-labelledby')).to.equal(heading.id);
    expect(heading.getAttribute('role')).to.equal('heading');
    expect(heading.getAttribute('aria-level')).to.equal('2');
    expect(heading.textContent!.trim()).to.equal('Your marketing choices');

    const custom = await clientPanel({ heading: 'Newsletters and offers', 'heading-level': '3' });
    expect($(custom, '[part~=heading]')!.textContent!.trim()).to.equal('Newsletters and offers');
    expect($(custom, '[part~=heading]')!.getAttribute('aria-level')).to.equal('3');
  });

  for (const [lang, name] of [
    ['en', 'Your marketing choices'],
    ['ar', 'اختياراتك التسويقية'],
  ] as const) {
    for (const scheme of ['light', 'dark'] as const) {
      for (const width of [1280, 390]) {
        it(`names its region in ${lang} and is accessible (${scheme}, ${width} px)`, async () => {
          await emulateMedia({ colorScheme: scheme });
          await setViewport({ width, height: 800 });
          const el = await clientPanel({ lang, 'policy-version': '2', 'agreed-policy-version': '1' });
          await untilText(el, name);
          expect($(el, '[part~=heading]')!.textContent!.trim()).to.equal(name);
          await expect(el).to.be.accessible();
        });
      }
    }
  }

  it('links the policy notice to policy-url, with the summary of what changed', async () => {
    const el = await clientPanel({
      'policy-version': '2026-11',
      'agreed-policy-version': '2025-01',
      'policy-url': '/privacy.html#changes',
      'policy-summary': 'We now share offers with two partners only if you agree.',
    });
    const notice = $(el, '[part~=notice]')!;
    expect(notice.textContent).to.contain('We now share offers with two partners only if you agree.');
    const link = $<HTMLAnchorElement>(el, '[part~=policy-link]')!;
    expect(link.getAttribute('href')).to.equal('/privacy.html#changes');
    expect(link.textContent!.trim()).to.equal('Read the policy');
    await expect(el).to.be.accessible();
  });

  it('never links the notice to a javascript: or data: URL', async () => {
    for (const url of ['javascript:alert(1)', ' JavaScript:alert(1)', 'data:text/html,hi']) {
      const el = await clientPanel({ 'policy-version': '2', 'agreed-policy-version': '1', 'policy-url': url });
      expect($(el, '[part~=notice]'), url).to.exist;
      expect($(el, '[part~=policy-link]'), url).to.equal(null);
      el.remove();
    }
  });

  it('does not ask someone who opted out of everything to review a changed policy', async () => {
    const { workerUrl } = await testEnv();
    const optOut = await fetch(`${workerUrl}/v1/me/consents`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${await sessionToken(bob.id)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ unsubscribed: true }),
    });
    expect(optOut.status).to.equal(200);
    const out = await workerPanel(bob.id, '2026-11');
    expect($(out, 'fieldset')).to.exist;
    expect($(out, '[part~=notice]')).to.equal(null);
    // Someone with choices on record is still asked.
    const alicePanel = await workerPanel(alice.id, '2026-11');
    expect($(alicePanel, '[part~=notice]')).to.exist;
  });
});
