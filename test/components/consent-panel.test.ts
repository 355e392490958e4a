import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../src/embed.js';
import type {
  VcConsentChangeEvent,
  VcConsentPanel,
  VcConsentSaveEvent,
  VcConsentSavedEvent,
  VcErrorEvent,
} from '../../src/index.js';
import type { CustomerConsentsState } from '../../src/api/types.js';
import { DEMO_CUSTOMERS, SEED_CONSENT_GROUPS, SEED_CONSENT_IDS, SEED_CONSENTS } from '../../src/emulator/seed.js';
import {
  $,
  $$,
  CLIENT,
  clearFaults,
  emulatorRequests,
  resetEmulator,
  sessionToken,
  setFaults,
  storedActivities,
  storedConsents,
  testEnv,
  text,
  until,
  untilText,
  watchUncaught,
} from './support.js';

const { alice, bob } = DEMO_CUSTOMERS;
const switchOf = (el: VcConsentPanel, id: string) => $<HTMLInputElement>(el, `input[id="${id}"]`)!;
const statusOf = (el: VcConsentPanel) => $(el, '[part~=status]')!.textContent!.replace(/[\u2068\u2069]/g, '').replace(/\s+/g, ' ').trim();
const loaded = (el: VcConsentPanel) => until(el, 'fieldset, [role=alert], [part~=status]');
const NAMES: Record<string, string> = Object.fromEntries(SEED_CONSENTS.map((consent) => [consent.id, consent.name]));
const puts = async () => (await emulatorRequests()).filter((request) => request.method === 'PUT');

/** Every stored decision but those in `changed` is exactly as before (same value, same date; absent stays absent). */
function expectOnly(changed: string[], before: CustomerConsentsState, after: CustomerConsentsState): void {
  for (const id of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!changed.includes(id)) expect(after[id], `${NAMES[id] ?? id} is stored as before`).to.deep.equal(before[id]);
  }
}

/** "Reload": the panel goes away and a new one comes for the same customer, with the same attributes. */
async function reloaded(el: VcConsentPanel): Promise<VcConsentPanel> {
  const again = document.createElement('vc-consent-panel');
  for (const attribute of el.getAttributeNames()) again.setAttribute(attribute, el.getAttribute(attribute)!);
  if (el.sessionToken) again.sessionToken = el.sessionToken;
  el.parentNode!.replaceChild(again, el);
  await loaded(again);
  return again;
}

/** A panel on the client-side path (client keys, the emulator), for bob unless told otherwise. */
async function clientPanel(attributes: { customer?: string; lang?: string } = {}): Promise<VcConsentPanel> {
  const { emulatorUrl } = await testEnv();
  const el = await fixture<VcConsentPanel>(html`<vc-consent-panel
    client-application-id=${CLIENT.id}
    client-token=${CLIENT.token}
    api-url=${emulatorUrl}
    customer=${attributes.customer ?? bob.source_id}
    lang=${attributes.lang ?? 'en'}
  ></vc-consent-panel>`);
  await loaded(el);
  return el;
}

/** A panel on the worker path, signed in as alice unless told otherwise. */
async function workerPanel(customer: string = alice.id, extra: { policyVersion?: string } = {}): Promise<VcConsentPanel> {
  const { workerUrl } = await testEnv();
  const token = await sessionToken(customer);
  const el = await fixture<VcConsentPanel>(html`<vc-consent-panel
    lang="en"
    worker-url=${workerUrl}
    session-token=${token}
    policy-version=${extra.policyVersion ?? ''}
  ></vc-consent-panel>`);
  await loaded(el);
  return el;
}

describe('<vc-consent-panel>', () => {
  beforeEach(async () => {
    sessionStorage.clear();
    (customElements.get('vc-consent-panel') as typeof VcConsentPanel).retryDelays = [2_000, 5_000, 15_000, 30_000];
    await clearFaults();
  });

  after(async () => {
    await clearFaults();
    await resetEmulator();
  });

  describe('consent integrity (regressions)', () => {
    beforeEach(resetEmulator);

    it('finding 1: with client keys, saving one change leaves every other stored consent as it was', async () => {
      const { consents: before } = await storedConsents(alice.id);
      const el = await clientPanel({ customer: alice.source_id });
      switchOf(el, SEED_CONSENT_IDS.productUpdates).click();
      const saved = oneEvent(el, 'vc-consent-saved');
      $(el, '[part~=save]')!.click();
      await saved;
      const { consents: after } = await storedConsents(alice.id);
      expectOnly([SEED_CONSENT_IDS.productUpdates], before, after);
      expect(after[SEED_CONSENT_IDS.productUpdates]?.value).to.equal(true);
      // Client keys cannot read alice's state: nothing is shown as if it were known.
      for (const id of [SEED_CONSENT_IDS.newsletter, SEED_CONSENT_IDS.emailOffers, SEED_CONSENT_IDS.smsOffers]) {
        expect($(el, `#${id}-d`)!.textContent, NAMES[id]).to.contain('Not chosen yet.');
      }
    });

    it('finding 2: through the worker, one toggle changes one stored consent, its date alone, and one activity', async () => {
      const { consents: before } = await storedConsents(alice.id);
      const activities = (await storedActivities(alice.id)).length;
      const el = await workerPanel(alice.id);
      switchOf(el, SEED_CONSENT_IDS.productUpdates).click();
      const saved = oneEvent(el, 'vc-consent-saved');
      $(el, '[part~=save]')!.click();
      await saved;
      const { consents: after } = await storedConsents(alice.id);
      expectOnly([SEED_CONSENT_IDS.productUpdates], before, after);
      expect(after[SEED_CONSENT_IDS.productUpdates]?.value).to.equal(true);
      const added = (await storedActivities(alice.id)).slice(activities).filter((activity) => activity.type.startsWith('customer.consents.'));
      expect(added.map(({ type, consents }) => ({ type, consents }))).to.deep.equal([
        { type: 'customer.consents.given', consents: [SEED_CONSENT_IDS.productUpdates] },
      ]);
    });

    it('finding 3: a switch changed while a save is in flight is kept, marked unsaved, and survives a reload unsent', async () => {
      const el = await workerPanel(alice.id);
      await setFaults([{ method: 'PUT', path: '/v1/customers/*/consents', kind: 'latency', latencyMs: 800 }]);
      switchOf(el, SEED_CONSENT_IDS.smsOffers).click();
      const saved = oneEvent(el, 'vc-consent-saved');
      $(el, '[part~=save]')!.click();
      await el.updateComplete;
      expect(statusOf(el)).to.equal('Saving…');
      switchOf(el, SEED_CONSENT_IDS.partners).click();
      await saved;
      await el.updateComplete;
      await clearFaults();
      expect(switchOf(el, SEED_CONSENT_IDS.partners).checked, 'the change made during the save is still shown').to.equal(true);
      expect(statusOf(el)).to.contain('not saved yet');
      expect(statusOf(el)).not.to.contain('have been saved');
      const sent = (await puts()).length;
      const again = await reloaded(el);
      expect(switchOf(again, SEED_CONSENT_IDS.partners).checked, 'kept across the reload').to.equal(true);
      expect(switchOf(again, SEED_CONSENT_IDS.smsOffers).checked, 'the saved change').to.equal(true);
      await again.updateComplete;
      expect((await puts()).length, 'nothing re-sent on reload (no save was asked for)').to.equal(sent);
      const { consents } = await storedConsents(alice.id);
      expect(consents[SEED_CONSENT_IDS.smsOffers]?.value).to.equal(true);
      expect(consents[SEED_CONSENT_IDS.partners]).to.equal(undefined);
    });

    it('finding 7: after "forget me" the panel says the account is gone, locks itself and forgets kept choices', async () => {
      const el = await workerPanel(DEMO_CUSTOMERS.yuki.id);
      switchOf(el, SEED_CONSENT_IDS.newsletter).click();
      await el.updateComplete;
      // The profile card of the same customer deletes their data for good.
      const { workerUrl } = await testEnv();
      const card = await fixture<HTMLElement & { sessionToken?: string }>(html`<vc-profile-card
        lang="en"
        worker-url=${workerUrl}
        session-token=${el.sessionToken!}
      ></vc-profile-card>`);
      (await until(card, '[part~=delete]')).click();
      (await until<HTMLInputElement>(card, '#confirm')).value = 'DELETE';
      const deleted = oneEvent(card, 'vc-profile-deleted');
      $<HTMLFormElement>(card, 'form')!.requestSubmit();
      await deleted;
      await untilText(el, 'This account no longer exists.');
      expect($$<HTMLButtonElement | HTMLInputElement>(el, 'input, button').every((control) => control.disabled)).to.equal(true);
      expect(sessionStorage.length, 'no choice is kept for a gone customer').to.equal(0);
      // A reload finds no customer (404) and sends nothing.
      const sent = (await puts()).length;
      const again = await reloaded(el);
      await untilText(again, 'This account no longer exists.');
      expect((await puts()).length).to.equal(sent);
    });

    it('finding 7: without a session nor client keys and a customer, the choices are read-only and it says to sign in', async () => {
      const { workerUrl } = await testEnv();
      const el = await fixture<VcConsentPanel>(html`<vc-consent-panel lang="en" worker-url=${workerUrl}></vc-consent-panel>`);
      await loaded(el);
      expect(statusOf(el)).to.equal('Sign in to change your choices.');
      expect($$<HTMLButtonElement | HTMLInputElement>(el, 'input, button').every((control) => control.disabled)).to.equal(true);
    });

    it('finding 8: "accept all" asks first; unsaved rows are marked; leaving with unsaved changes warns', async () => {
      const el = await clientPanel();
      const saves: unknown[] = [];
      el.addEventListener('vc-consent-save', (event) => saves.push(event.choices));
      $(el, '[part~=accept-all]')!.click();
      await el.updateComplete;
      expect(saves, 'nothing is sent before confirming').to.deep.equal([]);
      expect(text(el)).to.contain('This turns on: Newsletter, Product updates');
      $(el, '[part~=cancel]')!.click();
      await el.updateComplete;
      switchOf(el, SEED_CONSENT_IDS.newsletter).click();
      await el.updateComplete;
      const row = $(el, '[part~=unsaved]')!;
      expect(row, 'the changed row is marked').to.exist;
      expect(row.textContent).to.contain('Unsaved');
      const leaving = new Event('beforeunload', { cancelable: true });
      dispatchEvent(leaving);
      expect(leaving.defaultPrevented, 'the browser is asked to warn').to.equal(true);
    });
  });

  describe('accessibility and rendering', () => {
    it('is accessible while loading and once loaded', async () => {
      await setFaults([{ method: 'GET', path: '/client/v1/consents', kind: 'latency', latencyMs: 600 }]);
      const { emulatorUrl } = await testEnv();
      const el = await fixture<VcConsentPanel>(html`<vc-consent-panel
        lang="en"
        client-application-id=${CLIENT.id}
        client-token=${CLIENT.token}
        api-url=${emulatorUrl}
        customer=${bob.id}
      ></vc-consent-panel>`);
      expect($(el, '[role=status]')?.textContent).to.contain('Loading');
      await expect(el).to.be.accessible();
      await loaded(el);
      await expect(el).to.be.accessible();
    });

    it('shows each group as a fieldset with a legend and each consent as a labelled, described switch', async () => {
      const el = await clientPanel();
      const legends = $$(el, 'fieldset > legend').map((legend) => legend.textContent!.trim());
      expect(legends).to.deep.equal(SEED_CONSENT_GROUPS.map((group) => group.name));
      for (const consent of SEED_CONSENTS) {
        const input = switchOf(el, consent.id);
        expect(input.getAttribute('role')).to.equal('switch');
        expect(input.type).to.equal('checkbox');
        expect($(el, `label[for="${consent.id}"]`)!.textContent!.trim()).to.equal(consent.name);
        const described = $(el, `#${input.getAttribute('aria-describedby')}`)!;
        expect(described.textContent).to.contain(consent.description);
        expect(input.checked).to.equal(false);
        // Client keys cannot read the customer's choices: none is shown as made.
        expect(described.textContent).to.contain('Not chosen yet.');
      }
      expect(el.value).to.deep.equal({});
    });

    it('gives "accept all" and "opt out of everything" equal prominence', async () => {
      const el = await clientPanel();
      const accept = $(el, '[part~=accept-all]')!;
      const optOut = $(el, '[part~=opt-out]')!;
      expect(accept.className).to.equal(optOut.className);
      const a = getComputedStyle(accept);
      const b = getComputedStyle(optOut);
      for (const property of ['font-size', 'font-weight', 'background-color', 'color', 'border-width', 'min-height']) {
        expect(a.getPropertyValue(property), property).to.equal(b.getPropertyValue(property));
      }
    });

    it('exposes its structure as parts and follows the --vc-* custom properties', async () => {
      const el = await clientPanel();
      for (const part of ['base', 'group', 'legend', 'group-description', 'consent', 'switch', 'label', 'description', 'actions', 'accept-all', 'opt-out', 'save', 'status']) {
        expect($(el, `[part~=${part}]`), part).to.exist;
      }
      el.style.setProperty('--vc-consent-panel-background', 'rgb(1, 2, 3)');
      el.style.setProperty('--vc-color-accent', 'rgb(200, 0, 0)');
      expect(getComputedStyle($(el, '[part~=base]')!).backgroundColor).to.equal('rgb(1, 2, 3)');
      expect(getComputedStyle($(el, '[part~=save]')!).backgroundColor).to.equal('rgb(200, 0, 0)');
    });

    it('has light and dark themes, by attribute and by default from the color scheme', async () => {
      const el = await clientPanel();
      expect(getComputedStyle(el).colorScheme).to.equal('light dark');
      el.setAttribute('theme', 'dark');
      const dark = getComputedStyle($(el, '[part~=base]')!).backgroundColor;
      el.setAttribute('theme', 'light');
      const light = getComputedStyle($(el, '[part~=base]')!).backgroundColor;
      expect(light).to.equal('rgb(255, 255, 255)');
      expect(dark).not.to.equal(light);
      await expect(el).to.be.accessible();
      el.setAttribute('theme', 'dark');
      await expect(el).to.be.accessible();
    });

    it('follows prefers-color-scheme by default and turns transitions off for prefers-reduced-motion', async () => {
      const el = await clientPanel();
      const background = () => getComputedStyle($(el, '[part~=base]')!).backgroundColor;
      const transition = () => getComputedStyle(switchOf(el, SEED_CONSENT_IDS.newsletter)).transitionDuration;
      try {
        await emulateMedia({ colorScheme: 'dark', reducedMotion: 'no-preference' });
        expect(background()).to.equal('rgb(29, 27, 32)');
        expect(transition()).to.equal('0.15s');
        await expect(el).to.be.accessible();
        el.setAttribute('theme', 'light');
        expect(background()).to.equal('rgb(255, 255, 255)');
        await emulateMedia({ colorScheme: 'light', reducedMotion: 'reduce' });
        expect(transition()).to.equal('0s');
      } finally {
        await emulateMedia({ colorScheme: 'no-preference', reducedMotion: 'no-preference' });
      }
    });

    it('needs no inline styles (strict CSP): styles are constructed style sheets', async () => {
      const el = await clientPanel();
      expect(el.shadowRoot!.adoptedStyleSheets.length).to.be.greaterThan(0);
      expect(el.shadowRoot!.querySelector('style, [style]')).to.equal(null);
    });

    it('says so when there is nothing to choose', async () => {
      const el = await fixture<VcConsentPanel>(html`<vc-consent-panel
        lang="en"
        client-application-id=${CLIENT.id}
        client-token=${CLIENT.token}
        api-url=${`${location.origin}/__vc/empty`}
      ></vc-consent-panel>`);
      await untilText(el, 'nothing to choose');
      expect($(el, 'fieldset')).to.equal(null);
      await expect(el).to.be.accessible();
    });
  });

  describe('with a session (through the worker)', () => {
    it("shows the customer's current choices and when they were made", async () => {
      const el = await workerPanel();
      expect(switchOf(el, SEED_CONSENT_IDS.newsletter).checked).to.equal(true);
      expect(switchOf(el, SEED_CONSENT_IDS.emailOffers).checked).to.equal(true);
      expect(switchOf(el, SEED_CONSENT_IDS.smsOffers).checked).to.equal(false);
      const newsletter = $(el, `#${SEED_CONSENT_IDS.newsletter}-d`)!.textContent!;
      expect(newsletter).to.match(/Agreed on .*2025/);
      expect($(el, `#${SEED_CONSENT_IDS.smsOffers}-d`)!.textContent).to.match(/Declined on/);
      expect($(el, `#${SEED_CONSENT_IDS.partners}-d`)!.textContent).not.to.match(/on /);
      await expect(el).to.be.accessible();
    });

    it('saves through PUT /v1/me/consents with the policy version, and the prompt goes away', async () => {
      await resetEmulator();
      const el = await workerPanel(alice.id, { policyVersion: '2025-02' });
      // Alice made choices but no policy version is on record: she is asked to review them.
      expect($(el, '[part~=notice]')).to.exist;
      switchOf(el, SEED_CONSENT_IDS.smsOffers).click();
      const saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
      $(el, '[part~=save]')!.click();
      const event = await saved;
      expect(event.choices[SEED_CONSENT_IDS.smsOffers]).to.equal(true);
      expect(event.state?.policy_version).to.equal('2025-02');
      expect(event.state?.state[SEED_CONSENT_IDS.smsOffers]?.value).to.equal(true);
      await el.updateComplete;
      expect($(el, '[part~=notice]')).to.equal(null);
      expect(statusOf(el)).to.match(/^Saved \d{1,2}:\d{2}\s?[AP]M: Offers by text message on\.$/);
      // A fresh panel reads what was stored, with no prompt for the same policy version.
      const again = await workerPanel(alice.id, { policyVersion: '2025-02' });
      expect(switchOf(again, SEED_CONSENT_IDS.smsOffers).checked).to.equal(true);
      expect($(again, '[part~=notice]')).to.equal(null);
    });

    it('keeps what is on screen when the shop hands over a fresh token, and finishes a save refused as expired', async () => {
      await resetEmulator();
      const el = await workerPanel(alice.id);
      switchOf(el, SEED_CONSENT_IDS.partners).click();
      const loads = () => emulatorRequests().then((list) => list.filter((request) => request.method === 'GET').length);
      const before = await loads();
      // A refresh for the same customer: no reload, the unsaved toggle stays.
      el.sessionToken = await sessionToken(alice.id, { ttlSeconds: 60, now: new Date(Date.now() - 3_600_000).toISOString() });
      await el.updateComplete;
      expect(await loads()).to.equal(before);
      expect(switchOf(el, SEED_CONSENT_IDS.partners).checked).to.equal(true);
      // That token had expired: the save is refused, the host is told, and a fresh token finishes the job.
      const expired = oneEvent(el, 'vc-session-expired');
      expect(await el.save()).to.equal(false);
      await expired;
      await el.updateComplete;
      expect(statusOf(el)).to.contain('Your session has expired');
      const saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
      el.sessionToken = await sessionToken(alice.id);
      expect((await saved).state?.state[SEED_CONSENT_IDS.partners]?.value).to.equal(true);
    });

    it('reloads for another customer', async () => {
      const el = await workerPanel(alice.id);
      expect(switchOf(el, SEED_CONSENT_IDS.newsletter).checked).to.equal(true);
      el.sessionToken = await sessionToken(DEMO_CUSTOMERS.yuki.id);
      await waitUntil(() => switchOf(el, SEED_CONSENT_IDS.productUpdates)?.checked === true, 'yuki’s choices');
      expect(switchOf(el, SEED_CONSENT_IDS.newsletter).checked).to.equal(false);
    });

    it('reads the public definitions from the worker when it has no session', async () => {
      const { workerUrl } = await testEnv();
      const el = await fixture<VcConsentPanel>(html`<vc-consent-panel lang="en" worker-url=${workerUrl}></vc-consent-panel>`);
      await loaded(el);
      expect($$(el, 'legend').map((legend) => legend.textContent!.trim())).to.deep.equal(SEED_CONSENT_GROUPS.map((group) => group.name));
      expect(el.value).to.deep.equal({});
      // No way to save (no session, no client keys and customer): the choices are shown read-only.
      expect(statusOf(el)).to.equal('Sign in to change your choices.');
      expect($$<HTMLInputElement>(el, '[role=switch]').every((input) => input.disabled)).to.equal(true);
      expect(await el.save()).to.equal(false);
    });

    it('fires vc-session-expired for an expired token and reloads with a fresh one', async () => {
      const { workerUrl } = await testEnv();
      const expired = await sessionToken(alice.id, { ttlSeconds: 60, now: new Date(Date.now() - 3_600_000).toISOString() });
      const el = document.createElement('vc-consent-panel');
      el.setAttribute('lang', 'en');
      el.workerUrl = workerUrl;
      el.sessionToken = expired;
      const expiredEvent = oneEvent(el, 'vc-session-expired');
      document.body.append(el);
      await expiredEvent;
      await untilText(el, 'Your session has expired');
      await expect(el).to.be.accessible();
      el.sessionToken = await sessionToken(alice.id);
      await until(el, 'fieldset');
      expect(switchOf(el, SEED_CONSENT_IDS.newsletter).checked).to.equal(true);
      el.remove();
    });
  });

  describe('without a session (client keys)', () => {
    beforeEach(resetEmulator);

    it('is operable by keyboard alone and reports each change', async () => {
      const el = await clientPanel();
      const first = switchOf(el, SEED_CONSENT_IDS.newsletter);
      first.focus();
      const changed = oneEvent(el, 'vc-consent-change') as Promise<VcConsentChangeEvent>;
      await sendKeys({ press: 'Space' });
      const event = await changed;
      expect(event.consentId).to.equal(SEED_CONSENT_IDS.newsletter);
      expect(event.value).to.equal(true);
      expect(event.choices).to.deep.equal({ [SEED_CONSENT_IDS.newsletter]: true });
      expect(event.bubbles && event.composed).to.equal(true);
      // Tab reaches every switch, then the three buttons.
      const order: string[] = [];
      for (let i = 0; i < SEED_CONSENTS.length + 2; i++) {
        await sendKeys({ press: 'Tab' });
        const active = el.shadowRoot!.activeElement as HTMLElement;
        order.push(active.id || active.getAttribute('part')!);
      }
      expect(order).to.deep.equal([
        ...SEED_CONSENTS.slice(1).map((consent) => consent.id),
        'button accept-all',
        'button opt-out',
        'button save',
      ]);
      const saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
      await sendKeys({ press: 'Enter' });
      expect((await saved).choices[SEED_CONSENT_IDS.newsletter]).to.equal(true);
      expect(el.shadowRoot!.activeElement?.getAttribute('part')).to.equal('button save');
    });

    it('saves through PUT /client/v1/customers/{id}/consents: vc-consent-save, then vc-consent-saved', async () => {
      const el = await clientPanel();
      switchOf(el, SEED_CONSENT_IDS.partners).click();
      const before = oneEvent(el, 'vc-consent-save') as Promise<VcConsentSaveEvent>;
      const after = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
      const result = el.save();
      expect((await before).choices).to.deep.equal({ [SEED_CONSENT_IDS.partners]: true });
      expect(statusOf(el)).to.equal('Saving…');
      await expect(el).to.be.accessible();
      const saved = await after;
      expect(await result).to.equal(true);
      expect(saved.choices).to.deep.equal({ [SEED_CONSENT_IDS.partners]: true });
      expect(saved.state).to.equal(undefined);
      const puts = (await emulatorRequests()).filter((request) => request.method === 'PUT');
      expect(puts.at(-1)).to.include({ path: `/client/v1/customers/${encodeURIComponent(bob.source_id)}/consents`, auth: 'client', status: 204 });
      // The worker now reads what was saved.
      const check = await workerPanel(bob.id);
      expect(switchOf(check, SEED_CONSENT_IDS.partners).checked).to.equal(true);
      expect(switchOf(check, SEED_CONSENT_IDS.newsletter).checked).to.equal(false);
    });

    it('sends nothing when vc-consent-save is cancelled', async () => {
      const el = await clientPanel();
      switchOf(el, SEED_CONSENT_IDS.partners).click();
      const count = (await emulatorRequests()).length;
      el.addEventListener('vc-consent-save', (event) => event.preventDefault(), { once: true });
      expect(await el.save()).to.equal(false);
      expect(statusOf(el)).to.equal('');
      expect((await emulatorRequests()).length).to.equal(count);
    });

    it('accepts all, or opts out of everything ({unsubscribed: true}), once confirmed', async () => {
      const el = await clientPanel();
      $(el, '[part~=accept-all]')!.click();
      let saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
      (await until(el, '[part~=confirm]')).click();
      expect((await saved).choices).to.deep.equal(Object.fromEntries(SEED_CONSENTS.map((consent) => [consent.id, true])));
      expect($$<HTMLInputElement>(el, '[role=switch]').every((input) => input.checked)).to.equal(true);
      $(el, '[part~=opt-out]')!.click();
      saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
      (await until(el, '[part~=confirm]')).click();
      expect((await saved).choices).to.deep.equal({ unsubscribed: true });
      expect($$<HTMLInputElement>(el, '[role=switch]').some((input) => input.checked)).to.equal(false);
      const check = await workerPanel(bob.id);
      expect(text(check)).to.match(/You opted out of everything on/);
      expect($$<HTMLInputElement>(check, '[role=switch]').some((input) => input.checked)).to.equal(false);
      expect(check.value).to.deep.equal({});
    });

    it('keeps the choices after a failed save, says why, retries by itself and succeeds once the fault clears', async () => {
      (customElements.get('vc-consent-panel') as typeof VcConsentPanel).retryDelays = [300, 300, 300, 300, 300, 300];
      const el = await clientPanel();
      await setFaults([{ method: 'PUT', path: '/client/v1/customers/*/consents', kind: 'status', status: 503 }]);
      switchOf(el, SEED_CONSENT_IDS.newsletter).click();
      const failed = oneEvent(el, 'vc-error') as Promise<VcErrorEvent>;
      void el.save();
      const error = await failed;
      expect(error.action).to.equal('save');
      expect((error.error as { status: number }).status).to.equal(503);
      await el.updateComplete;
      expect(statusOf(el)).to.contain('not been saved');
      expect(statusOf(el)).to.contain('unavailable');
      expect(statusOf(el)).to.contain('try again');
      expect(switchOf(el, SEED_CONSENT_IDS.newsletter).checked).to.equal(true);
      expect($(el, '[part~=retry]')).to.exist;
      await expect(el).to.be.accessible();
      // A change made while failing is part of what is retried.
      switchOf(el, SEED_CONSENT_IDS.smsOffers).click();
      const saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
      await clearFaults();
      expect((await saved).choices).to.deep.equal({
        [SEED_CONSENT_IDS.newsletter]: true,
        [SEED_CONSENT_IDS.smsOffers]: true,
      });
      const attempts = (await emulatorRequests()).filter((request) => request.method === 'PUT' && request.path.includes('/consents'));
      expect(attempts.filter((request) => request.status === 503).length).to.be.greaterThan(0);
      expect(attempts.at(-1)!.status).to.equal(204);
    });

    it('retries when the browser comes back online, and from the Retry button (focus stays in the panel)', async () => {
      (customElements.get('vc-consent-panel') as typeof VcConsentPanel).retryDelays = [];
      const el = await clientPanel();
      await setFaults([{ method: 'PUT', path: '/client/v1/customers/*/consents', kind: 'drop' }]);
      switchOf(el, SEED_CONSENT_IDS.partners).click();
      expect(await el.save()).to.equal(false);
      await clearFaults();
      let saved = oneEvent(el, 'vc-consent-saved');
      dispatchEvent(new Event('online'));
      await saved;

      await setFaults([{ method: 'PUT', path: '/client/v1/customers/*/consents', kind: 'status', status: 500 }]);
      switchOf(el, SEED_CONSENT_IDS.newsletter).click();
      expect(await el.save()).to.equal(false);
      await el.updateComplete;
      await clearFaults();
      saved = oneEvent(el, 'vc-consent-saved');
      const retry = $(el, '[part~=retry]')!;
      retry.focus();
      await sendKeys({ press: 'Enter' });
      await saved;
      await waitUntil(() => el.shadowRoot!.activeElement?.getAttribute('part') === 'button save', 'focus went to save');
      expect($(el, '[part~=retry]')).to.equal(null);
    });

    it('keeps unsaved choices across a reload and saves them when the page comes back', async () => {
      (customElements.get('vc-consent-panel') as typeof VcConsentPanel).retryDelays = [];
      const el = await clientPanel();
      await setFaults([{ method: 'PUT', path: '/client/v1/customers/*/consents', kind: 'status', status: 502 }]);
      switchOf(el, SEED_CONSENT_IDS.productUpdates).click();
      expect(await el.save()).to.equal(false);
      // Changed after the failure, never sent yet: kept as well.
      switchOf(el, SEED_CONSENT_IDS.smsOffers).click();
      el.remove();
      await clearFaults();
      // "Reload": a new panel for the same customer.
      const { emulatorUrl } = await testEnv();
      const again = document.createElement('vc-consent-panel');
      Object.assign(again, { clientApplicationId: CLIENT.id, clientToken: CLIENT.token, apiUrl: emulatorUrl, customer: bob.source_id });
      const saved = oneEvent(again, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
      document.body.append(again);
      const { choices } = await saved;
      expect(choices[SEED_CONSENT_IDS.productUpdates]).to.equal(true);
      expect(choices[SEED_CONSENT_IDS.smsOffers]).to.equal(true);
      expect(switchOf(again, SEED_CONSENT_IDS.productUpdates).checked).to.equal(true);
      expect(sessionStorage.length).to.equal(0);
      again.remove();
    });

    it('does not retry a refusal (400) but says what failed', async () => {
      const el = await clientPanel();
      switchOf(el, SEED_CONSENT_IDS.partners).click();
      await setFaults([{ method: 'PUT', path: '/client/v1/customers/*/consents', kind: 'status', status: 400, times: 1 }]);
      expect(await el.save()).to.equal(false);
      await el.updateComplete;
      expect(statusOf(el)).to.contain('not accepted');
      expect(statusOf(el)).not.to.contain('try again');
    });

    it('is read-only on the client path without a customer, and says to sign in', async () => {
      const { emulatorUrl } = await testEnv();
      const el = await fixture<VcConsentPanel>(html`<vc-consent-panel
        lang="en"
        client-application-id=${CLIENT.id}
        client-token=${CLIENT.token}
        api-url=${emulatorUrl}
      ></vc-consent-panel>`);
      await loaded(el);
      expect(statusOf(el)).to.equal('Sign in to change your choices.');
      expect($$<HTMLButtonElement | HTMLInputElement>(el, 'input, button').every((control) => control.disabled)).to.equal(true);
      const count = (await emulatorRequests()).length;
      expect(await el.save()).to.equal(false);
      expect((await emulatorRequests()).length).to.equal(count);
      await expect(el).to.be.accessible();
    });
  });

  describe('policy versions', () => {
    const cases: Array<[string, string, boolean]> = [
      ['2024-10', '2025-02', true],
      ['1.9', '1.10', true],
      ['2025-02', '2025-02', false],
      ['1.10', '1.9', false],
    ];
    for (const [agreed, current, prompt] of cases) {
      it(`${prompt ? 'asks' : 'does not ask'} to review when the customer agreed to ${agreed} and the page is at ${current}`, async () => {
        const { emulatorUrl } = await testEnv();
        const el = await fixture<VcConsentPanel>(html`<vc-consent-panel
          lang="en"
          client-application-id=${CLIENT.id}
          client-token=${CLIENT.token}
          api-url=${emulatorUrl}
          agreed-policy-version=${agreed}
          policy-version=${current}
        ></vc-consent-panel>`);
        await loaded(el);
        expect(!!$(el, '[part~=notice]')).to.equal(prompt);
        if (prompt) await expect(el).to.be.accessible();
      });
    }
  });

  describe('form association', () => {
    beforeEach(resetEmulator);

    it('submits its choices as JSON, resets and validates when required', async () => {
      const { emulatorUrl } = await testEnv();
      const form = await fixture<HTMLFormElement>(html`<form>
        <vc-consent-panel
          lang="en"
          name="consents"
          required
          client-application-id=${CLIENT.id}
          client-token=${CLIENT.token}
          api-url=${emulatorUrl}
        ></vc-consent-panel>
        <button>Sign up</button>
      </form>`);
      const el = form.querySelector('vc-consent-panel')!;
      await loaded(el);
      // The form saves: no save button of its own.
      expect($(el, '[part~=save]')).to.equal(null);
      // Untouched, it submits no change at all.
      expect(new FormData(form).get('consents')).to.equal('{}');
      expect(form.checkValidity()).to.equal(false);
      expect(el.form).to.equal(form);
      expect(el.validity.valueMissing).to.equal(true);
      expect(el.validationMessage).to.equal('Choose at least one option.');

      switchOf(el, SEED_CONSENT_IDS.newsletter).click();
      await el.updateComplete;
      expect(form.checkValidity()).to.equal(true);
      expect(el.checkValidity()).to.equal(true);
      let submitted: FormData | undefined;
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        submitted = new FormData(form);
      });
      form.requestSubmit();
      expect(JSON.parse(String(submitted!.get('consents')))).to.deep.equal({ [SEED_CONSENT_IDS.newsletter]: true });

      // "Opt out of everything" in a form only changes the value; the form decides when to send.
      const requests = (await emulatorRequests()).length;
      $(el, '[part~=opt-out]')!.click();
      await el.updateComplete;
      expect(new FormData(form).get('consents')).to.equal('{"unsubscribed":true}');
      expect((await emulatorRequests()).length).to.equal(requests);

      form.reset();
      await el.updateComplete;
      expect(el.value).to.deep.equal({});
      expect(new FormData(form).get('consents')).to.equal('{}');
      expect(switchOf(el, SEED_CONSENT_IDS.newsletter).checked).to.equal(false);
    });

    it('is disabled with its fieldset and restores a state', async () => {
      const { emulatorUrl } = await testEnv();
      const form = await fixture<HTMLFormElement>(html`<form><fieldset>
        <vc-consent-panel name="c" lang="en" client-application-id=${CLIENT.id} client-token=${CLIENT.token} api-url=${emulatorUrl}></vc-consent-panel>
      </fieldset></form>`);
      const el = form.querySelector('vc-consent-panel')!;
      await loaded(el);
      form.querySelector('fieldset')!.disabled = true;
      await el.updateComplete;
      expect($$<HTMLInputElement>(el, '[role=switch]').every((input) => input.disabled)).to.equal(true);
      form.querySelector('fieldset')!.disabled = false;
      el.formStateRestoreCallback(JSON.stringify({ [SEED_CONSENT_IDS.smsOffers]: true }));
      await el.updateComplete;
      expect(switchOf(el, SEED_CONSENT_IDS.smsOffers).checked).to.equal(true);
      expect(switchOf(el, SEED_CONSENT_IDS.smsOffers).disabled).to.equal(false);
    });
  });

  describe('localization', () => {
    it('lays out right-to-left in Arabic, translated and accessible', async () => {
      const el = await clientPanel({ lang: 'ar' });
      expect(el.getAttribute('dir')).to.equal('rtl');
      await untilText(el, 'حفظ');
      expect(getComputedStyle($(el, '[part~=base]')!).direction).to.equal('rtl');
      await expect(el).to.be.accessible();
    });

    it('is translated into German and follows a lang change at run time', async () => {
      const el = await clientPanel({ lang: 'de' });
      await untilText(el, 'Auswahl speichern');
      expect(el.hasAttribute('dir')).to.equal(false);
      await expect(el).to.be.accessible();
      el.setAttribute('lang', 'he');
      await untilText(el, 'שמירת');
      expect(el.getAttribute('dir')).to.equal('rtl');
      el.setAttribute('lang', 'en-GB');
      await untilText(el, 'Save choices');
      expect(el.hasAttribute('dir')).to.equal(false);
    });

    it('follows the page language and normalizes regional tags (pt-BR → pt)', async () => {
      const wrapper = await fixture<HTMLDivElement>(html`<div lang="pt-BR"></div>`);
      const { emulatorUrl } = await testEnv();
      const el = document.createElement('vc-consent-panel');
      Object.assign(el, { clientApplicationId: CLIENT.id, clientToken: CLIENT.token, apiUrl: emulatorUrl });
      wrapper.append(el);
      await untilText(el, 'Salvar');
    });

    it('formats decision dates for the language (ja)', async () => {
      const { workerUrl } = await testEnv();
      const el = await fixture<VcConsentPanel>(html`<vc-consent-panel
        lang="ja"
        worker-url=${workerUrl}
        session-token=${await sessionToken(alice.id)}
      ></vc-consent-panel>`);
      await loaded(el);
      await waitUntil(
        () => /2025\/0?1\/\d+に同意しました/.test($(el, `#${SEED_CONSENT_IDS.newsletter}-d`)!.textContent!),
        'a Japanese date and sentence',
      );
      await expect(el).to.be.accessible();
    });
  });

  describe('robustness', () => {
    it('never throws on bad attributes, missing keys or failed requests', async () => {
      const watch = watchUncaught();
      try {
        const none = await fixture<VcConsentPanel>(html`<vc-consent-panel lang="en"></vc-consent-panel>`);
        await untilText(none, 'not set up correctly');
        await expect(none).to.be.accessible();

        const badUrl = await fixture<VcConsentPanel>(html`<vc-consent-panel
          lang="en"
          api-url="not a url"
          client-application-id="x"
          client-token="y"
        ></vc-consent-panel>`);
        await untilText(badUrl, 'could not be loaded');

        const badKeys = await fixture<VcConsentPanel>(html`<vc-consent-panel
          lang="en"
          api-url=${(await testEnv()).emulatorUrl}
          client-application-id="wrong"
          client-token="wrong"
        ></vc-consent-panel>`);
        await untilText(badKeys, 'could not be loaded');
        expect($(badKeys, '[part~=retry]')).to.exist;

        const unreachable = await fixture<VcConsentPanel>(html`<vc-consent-panel
          lang="en"
          worker-url="http://127.0.0.1:9"
          session-token="not-a-jwt"
          locale="xx-YY"
          theme="purple"
          save-via="carrier-pigeon"
        ></vc-consent-panel>`);
        await untilText(unreachable, 'could not be reached');
        unreachable.value = null as never;
        unreachable.value = 'nonsense' as never;
        expect(await unreachable.save()).to.equal(false);
        await unreachable.reload();
      } finally {
        watch.stop();
      }
      expect(watch.errors).to.deep.equal([]);
    });

    it('loads again by itself when the browser comes back online', async () => {
      await setFaults([{ method: 'GET', path: '/client/v1/consents', kind: 'status', status: 503, times: 1 }]);
      const { emulatorUrl } = await testEnv();
      const el = await fixture<VcConsentPanel>(html`<vc-consent-panel lang="en" client-application-id=${CLIENT.id} client-token=${CLIENT.token} api-url=${emulatorUrl}></vc-consent-panel>`);
      await untilText(el, 'unavailable');
      dispatchEvent(new Event('online'));
      await until(el, 'fieldset');
    });

    it('focuses the first switch after a failed load is retried', async () => {
      await setFaults([{ method: 'GET', path: '/client/v1/consents', kind: 'status', status: 503, times: 1 }]);
      const { emulatorUrl } = await testEnv();
      const el = await fixture<VcConsentPanel>(html`<vc-consent-panel lang="en" client-application-id=${CLIENT.id} client-token=${CLIENT.token} api-url=${emulatorUrl} customer=${bob.id}></vc-consent-panel>`);
      await untilText(el, 'could not be loaded');
      await expect(el).to.be.accessible();
      $(el, '[part~=retry]')!.click();
      await waitUntil(() => el.shadowRoot!.activeElement?.getAttribute('role') === 'switch', 'focus on the first switch');
    });
  });
});
