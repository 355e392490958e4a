import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/embed.js';
import type { VcErrorEvent, VcResubscribedEvent, VcUnsubscribe, VcUnsubscribedEvent } from '../../src/index.js';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/seed.js';
import {
  $,
  clearFaults,
  resetEmulator,
  sessionToken,
  setFaults,
  testEnv,
  text,
  until,
  untilText,
  watchUncaught,
} from '../support/browser/components.js';

const { alice, bob } = DEMO_CUSTOMERS;
const active = (el: VcUnsubscribe) => el.shadowRoot!.activeElement as HTMLElement | null;

async function unsubscriber(token: string | undefined, attributes: { lang?: string; preferencesUrl?: string } = {}) {
  const { workerUrl } = await testEnv();
  return fixture<VcUnsubscribe>(html`<vc-unsubscribe
    lang=${attributes.lang ?? 'en'}
    worker-url=${workerUrl}
    token=${token ?? ''}
    preferences-url=${attributes.preferencesUrl ?? ''}
  ></vc-unsubscribe>`);
}

async function token(customer: string): Promise<string> {
  const response = await fetch('/__vc/unsubscribe-token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ customer, jti: `t-${Math.random().toString(36).slice(2)}` }),
  });
  return ((await response.json()) as { token: string }).token;
}

/** Alice's consents as the worker reports them. */
async function aliceConsents(): Promise<Record<string, { value: boolean }>> {
  const { workerUrl } = await testEnv();
  const response = await fetch(`${workerUrl}/v1/me/consents`, {
    headers: { authorization: `Bearer ${await sessionToken(alice.id)}` },
  });
  return ((await response.json()) as { state: Record<string, { value: boolean }> }).state;
}

describe('<vc-unsubscribe>', () => {
  beforeEach(resetEmulator);
  after(resetEmulator);

  it('unsubscribes with one button (keyboard), offers undo once, then refuses a second undo', async () => {
    const el = await unsubscriber(await token(alice.id));
    await expect(el).to.be.accessible();
    const button = $(el, '[part~=unsubscribe]')!;
    expect(button.textContent!.trim()).to.equal('Unsubscribe from marketing emails');
    button.focus();
    const unsubscribed = oneEvent(el, 'vc-unsubscribed') as Promise<VcUnsubscribedEvent>;
    await sendKeys({ press: 'Enter' });
    const { result } = await unsubscribed;
    expect(result).to.deep.include({ unsubscribed: true, undo_available: true });
    await untilText(el, 'You have been unsubscribed.');
    expect($(el, '[part~=unsubscribe]')).to.equal(null);
    await waitUntil(() => active(el)?.getAttribute('part') === 'button undo', 'focus on undo');
    const link = $<HTMLAnchorElement>(el, '[part~=link]')!;
    expect(link.href).to.equal(result.preferences_url);
    expect((await aliceConsents())[SEED_CONSENT_IDS.newsletter]?.value).to.equal(false);
    await expect(el).to.be.accessible();
    el.setAttribute('theme', 'dark');
    await expect(el).to.be.accessible();
    el.removeAttribute('theme');

    const resubscribed = oneEvent(el, 'vc-resubscribed') as Promise<VcResubscribedEvent>;
    await sendKeys({ press: 'Enter' });
    expect((await resubscribed).result).to.deep.include({ unsubscribed: false, undo_available: false });
    await untilText(el, 'You are subscribed again.');
    expect($(el, '[part~=undo]')).to.equal(null);
    await waitUntil(() => active(el)?.getAttribute('part') === 'link', 'focus on the preferences link');
    expect((await aliceConsents())[SEED_CONSENT_IDS.newsletter]?.value).to.equal(true);
    await expect(el).to.be.accessible();

    const refused = oneEvent(el, 'vc-error') as Promise<VcErrorEvent>;
    expect(await el.undo()).to.equal(false);
    const { error, action } = await refused;
    expect(action).to.equal('undo');
    expect(error).to.include({ status: 409, key: 'undo_used' });
    await untilText(el, 'Undo is no longer available for this link.');
    await expect(el).to.be.accessible();
  });

  it('is accessible while it works, and says so', async () => {
    const el = await unsubscriber(await token(alice.id));
    await setFaults([{ method: 'GET', path: '/v1/customers/*', kind: 'latency', latencyMs: 700 }]);
    try {
      const done = el.unsubscribe();
      await el.updateComplete;
      expect($(el, '[part~=unsubscribe]')!.textContent!.trim()).to.equal('Unsubscribing…');
      expect($(el, '[part~=base]')!.getAttribute('aria-busy')).to.equal('true');
      await expect(el).to.be.accessible();
      expect(await done).to.equal(true);
    } finally {
      await clearFaults();
    }
  });

  it('offers no undo when nothing was taken away, and is idempotent', async () => {
    const value = await token(bob.id);
    const first = await unsubscriber(value);
    const done = oneEvent(first, 'vc-unsubscribed') as Promise<VcUnsubscribedEvent>;
    $(first, '[part~=unsubscribe]')!.click();
    expect((await done).result.undo_available).to.equal(false);
    await untilText(first, 'You have been unsubscribed.');
    expect($(first, '[part~=undo]')).to.equal(null);
    const again = await unsubscriber(value);
    expect(await again.unsubscribe()).to.equal(true);
  });

  it('says clearly when the token is invalid or tampered with', async () => {
    const valid = await token(alice.id);
    const tampered = valid.slice(0, -2) + (valid.endsWith('AA') ? 'BB' : 'AA');
    for (const bad of ['not-a-token', tampered]) {
      const el = await unsubscriber(bad);
      const failed = oneEvent(el, 'vc-error') as Promise<VcErrorEvent>;
      $(el, '[part~=unsubscribe]')!.click();
      const { error, action } = await failed;
      expect(action).to.equal('unsubscribe');
      expect((error as { status: number }).status).to.be.within(400, 410);
      await untilText(el, 'This unsubscribe link is invalid or has expired.');
      expect($(el, '[part~=unsubscribe]')).to.equal(null);
      expect($(el, '[role=status] [part~=message]')).to.exist;
      await expect(el).to.be.accessible();
    }
    expect((await aliceConsents())[SEED_CONSENT_IDS.newsletter]?.value).to.equal(true);
  });

  it('takes the token from the page URL (?token= or /unsubscribe/<token>)', async () => {
    const { workerUrl } = await testEnv();
    const original = location.href;
    try {
      for (const url of [
        `?token=${encodeURIComponent(await token(alice.id))}`,
        `/unsubscribe/${await token(alice.id)}`,
      ]) {
        history.replaceState(null, '', url);
        const el = await fixture<VcUnsubscribe>(
          html`<vc-unsubscribe lang="en" worker-url=${workerUrl}></vc-unsubscribe>`,
        );
        expect(await el.unsubscribe()).to.equal(true);
        await untilText(el, 'You have been unsubscribed.');
        await resetEmulator();
      }
    } finally {
      history.replaceState(null, '', original);
    }
  });

  it('explains a missing token and offers no button', async () => {
    const watch = watchUncaught();
    try {
      const el = await unsubscriber(undefined);
      await untilText(el, 'This unsubscribe link is invalid or has expired.');
      expect($(el, 'button')).to.equal(null);
      expect(await el.unsubscribe()).to.equal(false);
      await expect(el).to.be.accessible();
    } finally {
      watch.stop();
    }
    expect(watch.errors).to.deep.equal([]);
  });

  it('links to the preferences page given by the attribute, and keeps its slot until done', async () => {
    const { workerUrl } = await testEnv();
    const el = await fixture<VcUnsubscribe>(html`<vc-unsubscribe
      lang="en"
      worker-url=${workerUrl}
      token=${await token(alice.id)}
      preferences-url="https://shop.example/preferences"
    ><p>Sorry to see you go.</p></vc-unsubscribe>`);
    expect(el.shadowRoot!.querySelector('slot')).to.exist;
    await el.unsubscribe();
    await until(el, '[part~=link]');
    expect($<HTMLAnchorElement>(el, '[part~=link]')!.href).to.equal('https://shop.example/preferences');
    expect(el.shadowRoot!.querySelector('slot')).to.equal(null);
  });

  it('says what failed when the worker cannot be reached, and can be tried again', async () => {
    const el = await fixture<VcUnsubscribe>(
      html`<vc-unsubscribe lang="en" worker-url="http://127.0.0.1:9" token="abc"></vc-unsubscribe>`,
    );
    expect(await el.unsubscribe()).to.equal(false);
    await untilText(el, 'That did not work. The server could not be reached.');
    expect($(el, '[part~=unsubscribe]')).to.exist;
    await expect(el).to.be.accessible();
  });

  it('lays out right-to-left in Arabic and speaks Swedish, accessible in both', async () => {
    const ar = await unsubscriber(await token(alice.id), { lang: 'ar' });
    expect(ar.getAttribute('dir')).to.equal('rtl');
    await untilText(ar, 'إلغاء الاشتراك في الرسائل التسويقية');
    await expect(ar).to.be.accessible();
    await ar.unsubscribe();
    await untilText(ar, 'تم إلغاء اشتراكك.');
    await expect(ar).to.be.accessible();

    const sv = await unsubscriber(await token(bob.id), { lang: 'sv' });
    await untilText(sv, 'Avregistrera mig från marknadsföringsmejl');
    expect(sv.hasAttribute('dir')).to.equal(false);
    await expect(sv).to.be.accessible();
    expect(text(sv)).not.to.contain('Unsubscribe');
  });
});
