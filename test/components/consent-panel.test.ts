import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import '../../src/embed.js';
import { VcProfileDeletedEvent } from '../../src/index.js';
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
} from '../support/browser/components.js';

const { alice, bob } = DEMO_CUSTOMERS;
const switchOf = (el: VcConsentPanel, id: string) => $<HTMLInputElement>(el, `input[id="${id}"]`)!;
const statusOf = (el: VcConsentPanel) =>
  $(el, '[part~=status]')!
    .textContent!.replace(/[\u2068\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
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
async function workerPanel(
  customer: string = alice.id,
  extra: { policyVersion?: string } = {},
): Promise<VcConsentPanel> {
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
    const Panel = customElements.get('vc-consent-panel') as typeof VcConsentPanel;
    Panel.retryDelays = [2_000, 5_000, 15_000, 30_000];
    Panel.undoWindowMs = 15_000;
    await clearFaults();
  });

  // A panel left on the page with unsaved changes would hold up the runner's navigation with its beforeunload warning.
  afterEach(() => document.querySelectorAll('vc-consent-panel').forEach((panel) => panel.remove()));

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
      const added = (await storedActivities(alice.id))
        .slice(activities)
        .filter((activity) => activity.type.startsWith('customer.consents.'));
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
      expect(
        switchOf(el, SEED_CONSENT_IDS.partners).checked,
        'the change made during the save is still shown',
      ).to.equal(true);
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
      expect(
        $$<HTMLButtonElement | HTMLInputElement>(el, 'input, button').every((control) => control.disabled),
      ).to.equal(true);
      expect(sessionStorage.length, 'no choice is kept for a gone customer').to.equal(0);
      // A reload finds no customer (404) and sends nothing.
      const sent = (await puts()).length;
      const again = await reloaded(el);
      await untilText(again, 'This account no longer exists.');
      expect((await puts()).length).to.equal(sent);
    });

    it('finding 7: without a session nor client keys and a customer, the choices are read-only and it says to sign in', async () => {
      const { workerUrl } = await testEnv();
      const el = await fixture<VcConsentPanel>(
        html`<vc-consent-panel lang="en" worker-url=${workerUrl}></vc-consent-panel>`,
      );
      await loaded(el);
      expect(statusOf(el)).to.equal('Sign in to change your choices.');
      expect(
        $$<HTMLButtonElement | HTMLInputElement>(el, 'input, button').every((control) => control.disabled),
      ).to.equal(true);
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

  describe('consent integrity', () => {
    beforeEach(resetEmulator);

    const unsaved = (el: VcConsentPanel) => $$(el, '[part~=unsaved]').map((row) => row.querySelector('input')!.id);
    const kept = (customer: string) => JSON.parse(sessionStorage.getItem(`vc-consent-pending:${customer}`) ?? 'null');
    const warns = () => {
      const leaving = new Event('beforeunload', { cancelable: true });
      dispatchEvent(leaving);
      return leaving.defaultPrevented;
    };
    const active = (el: VcConsentPanel) => el.shadowRoot!.activeElement?.getAttribute('part');

    describe('what is shown and sent', () => {
      it('shows known decisions with their dates and never-decided ones as not chosen yet (worker)', async () => {
        const el = await workerPanel(alice.id);
        expect($(el, `#${SEED_CONSENT_IDS.newsletter}-d`)!.textContent).to.match(/Agreed on/);
        expect($(el, `#${SEED_CONSENT_IDS.smsOffers}-d`)!.textContent).to.match(/Declined on/);
        for (const id of [SEED_CONSENT_IDS.productUpdates, SEED_CONSENT_IDS.partners]) {
          expect($(el, `#${id}-d`)!.textContent, NAMES[id]).to.contain('Not chosen yet.');
          expect(switchOf(el, id).checked).to.equal(false);
        }
        expect(el.value).to.deep.equal({});
      });

      it('makes a real choice of a touched not-chosen consent, even turned back off', async () => {
        const el = await clientPanel();
        switchOf(el, SEED_CONSENT_IDS.newsletter).click();
        switchOf(el, SEED_CONSENT_IDS.newsletter).click();
        await el.updateComplete;
        expect(el.value).to.deep.equal({ [SEED_CONSENT_IDS.newsletter]: false });
        expect($(el, `#${SEED_CONSENT_IDS.newsletter}-d`)!.textContent).not.to.contain('Not chosen yet.');
        expect(unsaved(el)).to.deep.equal([SEED_CONSENT_IDS.newsletter]);
      });

      it('value sets only the keys given, without an event; {unsubscribed: true} asks to opt out; a preset waits for the load', async () => {
        const el = await workerPanel(alice.id);
        const changes: unknown[] = [];
        el.addEventListener('vc-consent-change', (event) => changes.push(event));
        el.value = { [SEED_CONSENT_IDS.smsOffers]: true };
        await el.updateComplete;
        expect(el.value).to.deep.equal({ [SEED_CONSENT_IDS.smsOffers]: true });
        expect(switchOf(el, SEED_CONSENT_IDS.newsletter).checked, 'untouched keys stay').to.equal(true);
        el.value = { unsubscribed: true };
        await el.updateComplete;
        expect(el.value).to.deep.equal({ unsubscribed: true });
        expect($$<HTMLInputElement>(el, '[role=switch]').some((input) => input.checked)).to.equal(false);
        expect(changes).to.deep.equal([]);
        // Turning a consent on ends the opt-out request; what is off differs from what is stored.
        switchOf(el, SEED_CONSENT_IDS.newsletter).click();
        expect(el.value).to.deep.equal({
          [SEED_CONSENT_IDS.productUpdates]: false,
          [SEED_CONSENT_IDS.emailOffers]: false,
          [SEED_CONSENT_IDS.partners]: false,
        });

        await el.updateComplete;
        el.remove();
        sessionStorage.clear();
        const { workerUrl } = await testEnv();
        const preset = document.createElement('vc-consent-panel');
        preset.value = { [SEED_CONSENT_IDS.partners]: true };
        Object.assign(preset, { workerUrl, sessionToken: await sessionToken(alice.id) });
        preset.setAttribute('lang', 'en');
        document.body.append(preset);
        await loaded(preset);
        expect(preset.value).to.deep.equal({ [SEED_CONSENT_IDS.partners]: true });
        expect(switchOf(preset, SEED_CONSENT_IDS.partners).checked).to.equal(true);
        preset.remove();
      });

      it('marks each unsaved row with visible text and a part, and the mark goes once saved', async () => {
        const el = await workerPanel(alice.id);
        expect(unsaved(el)).to.deep.equal([]);
        switchOf(el, SEED_CONSENT_IDS.newsletter).click();
        switchOf(el, SEED_CONSENT_IDS.productUpdates).click();
        await el.updateComplete;
        expect(unsaved(el)).to.deep.equal([SEED_CONSENT_IDS.newsletter, SEED_CONSENT_IDS.productUpdates]);
        const row = $(el, '[part~=unsaved]')!;
        expect(row.getAttribute('part')).to.equal('consent unsaved');
        expect(row.querySelector('[part~=mark]')!.textContent).to.equal('Unsaved');
        // The switch's description says so too.
        expect($(el, `#${SEED_CONSENT_IDS.newsletter}-d`)!.textContent).to.contain('Unsaved');
        await expect(el).to.be.accessible();
        expect(await el.save()).to.equal(true);
        await el.updateComplete;
        expect(unsaved(el)).to.deep.equal([]);
      });

      it('names what was saved and when: "Saved <time>: Newsletter off, Product updates on"', async () => {
        const el = await workerPanel(alice.id);
        switchOf(el, SEED_CONSENT_IDS.newsletter).click();
        switchOf(el, SEED_CONSENT_IDS.productUpdates).click();
        const saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
        $(el, '[part~=save]')!.click();
        const event = await saved;
        expect(event.choices).to.deep.equal({
          [SEED_CONSENT_IDS.newsletter]: false,
          [SEED_CONSENT_IDS.productUpdates]: true,
        });
        await el.updateComplete;
        const time = new Intl.DateTimeFormat('en', { timeStyle: 'short' }).format(new Date());
        expect(statusOf(el)).to.equal(`Saved ${time}: Newsletter off, Product updates on.`);
        expect($(el, '[part~=status]')!.getAttribute('role')).to.equal('status');
        // Saved means saved: the worker's answer is the new base, shown with its dates.
        expect($(el, `#${SEED_CONSENT_IDS.productUpdates}-d`)!.textContent).to.match(/Agreed on/);
      });

      it('says when there is nothing to save, and sends nothing', async () => {
        const el = await clientPanel();
        const count = (await puts()).length;
        expect(await el.save()).to.equal(true);
        await el.updateComplete;
        expect(statusOf(el)).to.equal('There are no changes to save.');
        expect((await puts()).length).to.equal(count);
      });
    });

    describe('no lost choice', () => {
      it('keeps a switch changed during a client-key save unsaved, and saves it next', async () => {
        const el = await clientPanel();
        await setFaults([{ method: 'PUT', path: '/client/v1/customers/*/consents', kind: 'latency', latencyMs: 800 }]);
        switchOf(el, SEED_CONSENT_IDS.newsletter).click();
        const first = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
        void el.save();
        await el.updateComplete;
        switchOf(el, SEED_CONSENT_IDS.smsOffers).click();
        expect((await first).choices).to.deep.equal({ [SEED_CONSENT_IDS.newsletter]: true });
        await el.updateComplete;
        await clearFaults();
        expect(statusOf(el)).to.equal('Some changes are not saved yet.');
        expect(unsaved(el)).to.deep.equal([SEED_CONSENT_IDS.smsOffers]);
        expect(kept(bob.source_id).changes).to.deep.equal({ [SEED_CONSENT_IDS.smsOffers]: [true, null] });
        expect(kept(bob.source_id).save, 'no save was asked for it').to.equal(false);
        expect(warns()).to.equal(true);
        const second = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
        $(el, '[part~=save]')!.click();
        expect((await second).choices).to.deep.equal({ [SEED_CONSENT_IDS.smsOffers]: true });
        await el.updateComplete;
        expect(statusOf(el)).to.match(/^Saved .+: Offers by text message on\.$/);
        expect(sessionStorage.length).to.equal(0);
        const { consents } = await storedConsents(bob.id);
        expect(consents[SEED_CONSENT_IDS.newsletter]?.value).to.equal(true);
        expect(consents[SEED_CONSENT_IDS.smsOffers]?.value).to.equal(true);
      });

      it('asks the browser to warn before leaving with unsaved changes, and only then', async () => {
        const el = await clientPanel();
        expect(warns(), 'nothing unsaved').to.equal(false);
        switchOf(el, SEED_CONSENT_IDS.partners).click();
        expect(warns(), 'a change').to.equal(true);
        switchOf(el, SEED_CONSENT_IDS.partners).click();
        expect(warns(), 'still a change: partners is now declined, never decided before').to.equal(true);
        await el.save();
        expect(warns(), 'saved').to.equal(false);
        el.remove();
        expect(warns(), 'gone from the page').to.equal(false);
      });

      it('does not warn in a form (the form saves)', async () => {
        const { emulatorUrl } = await testEnv();
        const form = await fixture<HTMLFormElement>(
          html`<form><vc-consent-panel name="c" lang="en" client-application-id=${CLIENT.id} client-token=${CLIENT.token} api-url=${emulatorUrl}></vc-consent-panel></form>`,
        );
        const el = form.querySelector('vc-consent-panel')!;
        await loaded(el);
        switchOf(el, SEED_CONSENT_IDS.partners).click();
        expect(warns()).to.equal(false);
      });

      it('keeps each change in sessionStorage (format 2) with the base it was made against, and clears it once nothing is unsaved', async () => {
        const { consents } = await storedConsents(alice.id);
        const el = await workerPanel(alice.id);
        switchOf(el, SEED_CONSENT_IDS.smsOffers).click();
        switchOf(el, SEED_CONSENT_IDS.partners).click();
        await el.updateComplete;
        const entry = kept(alice.id);
        expect(entry).to.include({ v: 2, save: false });
        expect(Date.parse(entry.at)).to.be.closeTo(Date.now(), 60_000);
        expect(entry.changes).to.deep.equal({
          [SEED_CONSENT_IDS.smsOffers]: [true, consents[SEED_CONSENT_IDS.smsOffers]],
          [SEED_CONSENT_IDS.partners]: [true, null],
        });
        switchOf(el, SEED_CONSENT_IDS.smsOffers).click();
        switchOf(el, SEED_CONSENT_IDS.partners).click();
        switchOf(el, SEED_CONSENT_IDS.partners).click();
        await el.updateComplete;
        expect(Object.keys(kept(alice.id).changes)).to.deep.equal([SEED_CONSENT_IDS.partners]);
        await el.save();
        await el.updateComplete;
        expect(kept(alice.id)).to.equal(null);
      });

      it('drops a kept choice once what is stored changed since (the server is newer), keeps the others', async () => {
        const el = await workerPanel(alice.id);
        switchOf(el, SEED_CONSENT_IDS.smsOffers).click();
        switchOf(el, SEED_CONSENT_IDS.partners).click();
        await el.updateComplete;
        el.remove();
        const entry = sessionStorage.getItem(`vc-consent-pending:${alice.id}`)!;
        // Meanwhile, in another tab (a sessionStorage of its own): alice turns text messages on and saves.
        sessionStorage.clear();
        const other = await workerPanel(alice.id);
        switchOf(other, SEED_CONSENT_IDS.smsOffers).click();
        expect(await other.save()).to.equal(true);
        other.remove();
        sessionStorage.setItem(`vc-consent-pending:${alice.id}`, entry);
        const again = await workerPanel(alice.id);
        expect(unsaved(again), 'only partners is still unsaved').to.deep.equal([SEED_CONSENT_IDS.partners]);
        expect(again.value).to.deep.equal({ [SEED_CONSENT_IDS.partners]: true });
        expect($(again, `#${SEED_CONSENT_IDS.smsOffers}-d`)!.textContent).to.match(/Agreed on/);
        expect(Object.keys(kept(alice.id).changes)).to.deep.equal([SEED_CONSENT_IDS.partners]);
      });

      it('drops kept choices of an older format', async () => {
        sessionStorage.setItem(
          `vc-consent-pending:${bob.source_id}`,
          JSON.stringify({ [SEED_CONSENT_IDS.newsletter]: true }),
        );
        const count = (await puts()).length;
        const el = await clientPanel();
        expect(el.value).to.deep.equal({});
        expect(sessionStorage.length).to.equal(0);
        expect((await puts()).length).to.equal(count);
      });

      it('sends kept choices at once after a reload when their save had been asked for', async () => {
        (customElements.get('vc-consent-panel') as typeof VcConsentPanel).retryDelays = [];
        const el = await workerPanel(alice.id);
        await setFaults([{ method: 'PUT', path: '/v1/customers/*/consents', kind: 'status', status: 500 }]);
        switchOf(el, SEED_CONSENT_IDS.partners).click();
        expect(await el.save()).to.equal(false);
        expect(kept(alice.id).save).to.equal(true);
        await clearFaults();
        const { workerUrl } = await testEnv();
        const again = document.createElement('vc-consent-panel');
        Object.assign(again, { workerUrl, sessionToken: el.sessionToken });
        el.remove();
        const saved = oneEvent(again, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
        document.body.append(again);
        expect((await saved).choices).to.deep.equal({ [SEED_CONSENT_IDS.partners]: true });
        expect((await storedConsents(alice.id)).consents[SEED_CONSENT_IDS.partners]?.value).to.equal(true);
        expect(sessionStorage.length).to.equal(0);
        again.remove();
      });
      it('a save whose answer was lost after it was applied: a switch turned back meanwhile is sent again, and saved as turned back', async () => {
        (customElements.get('vc-consent-panel') as typeof VcConsentPanel).retryDelays = [];
        const el = await workerPanel(alice.id);
        await setFaults([{ method: 'PUT', path: '/v1/customers/*/consents', kind: 'drop', after: true }]);
        switchOf(el, SEED_CONSENT_IDS.newsletter).click();
        expect(await el.save()).to.equal(false);
        expect(
          (await storedConsents(alice.id)).consents[SEED_CONSENT_IDS.newsletter]?.value,
          'the write was applied',
        ).to.equal(false);
        switchOf(el, SEED_CONSENT_IDS.newsletter).click();
        await el.updateComplete;
        expect(unsaved(el), 'back to what was read, but not known to be stored').to.deep.equal([
          SEED_CONSENT_IDS.newsletter,
        ]);
        expect(kept(alice.id).changes[SEED_CONSENT_IDS.newsletter]?.[2], 'kept with what the lost save sent').to.equal(
          false,
        );
        await clearFaults();
        const saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
        $(el, '[part~=retry]')!.click();
        expect((await saved).choices).to.deep.equal({ [SEED_CONSENT_IDS.newsletter]: true });
        expect((await storedConsents(alice.id)).consents[SEED_CONSENT_IDS.newsletter]?.value).to.equal(true);
        await el.updateComplete;
        expect(unsaved(el)).to.deep.equal([]);
      });

      it('Save pressed during a save sends what changed meanwhile as soon as that save is done', async () => {
        const el = await workerPanel(bob.id);
        await setFaults([{ method: 'PUT', path: '/v1/customers/*/consents', kind: 'latency', latencyMs: 600 }]);
        switchOf(el, SEED_CONSENT_IDS.newsletter).click();
        const first = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
        void el.save();
        await el.updateComplete;
        switchOf(el, SEED_CONSENT_IDS.smsOffers).click();
        expect(await el.save(), 'queued, not sent twice at once').to.equal(false);
        expect((await first).choices).to.deep.equal({ [SEED_CONSENT_IDS.newsletter]: true });
        const second = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
        expect((await second).choices).to.deep.equal({ [SEED_CONSENT_IDS.smsOffers]: true });
        await clearFaults();
        await el.updateComplete;
        expect(statusOf(el)).to.match(/^Saved .+: Offers by text message on\.$/);
        expect(unsaved(el)).to.deep.equal([]);
      });
    });

    describe('bulk actions', () => {
      it('shows what "accept all" will turn on, with Confirm (focused) and Cancel; Escape closes it and sends nothing', async () => {
        const el = await clientPanel();
        const count = (await puts()).length;
        switchOf(el, SEED_CONSENT_IDS.newsletter).click();
        $(el, '[part~=accept-all]')!.click();
        await waitUntil(() => active(el) === 'button confirm', 'focus on Confirm');
        expect(text(el)).to.contain(
          'This turns on: Product updates, Personal offers by email, Offers by text message, Offers from partners.',
        );
        await expect(el).to.be.accessible();
        await sendKeys({ press: 'Escape' });
        await waitUntil(() => active(el) === 'button accept-all', 'focus back on accept all');
        expect($(el, '[part~=confirmation]')).to.equal(null);
        $(el, '[part~=opt-out]')!.click();
        await until(el, '[part~=confirmation]');
        expect(text(el)).to.contain('This turns off every consent, and you will receive no marketing messages.');
        $(el, '[part~=cancel]')!.click();
        await waitUntil(() => active(el) === 'button opt-out', 'focus back on opt out');
        expect(el.value, 'the switches are as they were').to.deep.equal({ [SEED_CONSENT_IDS.newsletter]: true });
        expect((await puts()).length).to.equal(count);
      });

      it('says so when a bulk action would change nothing', async () => {
        const el = await clientPanel();
        el.value = Object.fromEntries(SEED_CONSENTS.map((consent) => [consent.id, true]));
        $(el, '[part~=accept-all]')!.click();
        await el.updateComplete;
        expect(statusOf(el)).to.equal('That would change nothing.');
        expect($(el, '[part~=confirmation]')).to.equal(null);
      });

      it('opts out once confirmed, then Undo gives back exactly what was there', async () => {
        const { consents: before } = await storedConsents(alice.id);
        const el = await workerPanel(alice.id);
        $(el, '[part~=opt-out]')!.click();
        const saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
        (await until(el, '[part~=confirm]')).click();
        expect((await saved).choices).to.deep.equal({ unsubscribed: true });
        await until(el, '[part~=undo]');
        expect(statusOf(el)).to.match(/^Saved .+: opted out of everything\.$/);
        expect((await storedConsents(alice.id)).consents.unsubscribed?.value).to.equal(true);
        await expect(el).to.be.accessible();
        const undone = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
        $(el, '[part~=undo]')!.click();
        // Undo ends the opt-out outright (giving a consent back would end it anyway).
        expect((await undone).choices).to.deep.equal({
          [SEED_CONSENT_IDS.newsletter]: true,
          [SEED_CONSENT_IDS.emailOffers]: true,
          unsubscribed: false,
        });
        await el.updateComplete;
        expect($(el, '[part~=undo]')).to.equal(null);
        expect(statusOf(el)).to.match(/^Saved .+: Newsletter on, Personal offers by email on\.$/);
        const { consents: after } = await storedConsents(alice.id);
        for (const id of [SEED_CONSENT_IDS.newsletter, SEED_CONSENT_IDS.emailOffers, SEED_CONSENT_IDS.smsOffers]) {
          expect(after[id]?.value, NAMES[id]).to.equal(before[id]?.value);
        }
        expect(after.unsubscribed?.value).to.equal(false);
        expect(switchOf(el, SEED_CONSENT_IDS.newsletter).checked).to.equal(true);
      });

      it('offers Undo for undoWindowMs after "accept all" was saved, and it reverses the change', async () => {
        (customElements.get('vc-consent-panel') as typeof VcConsentPanel).undoWindowMs = 400;
        const el = await clientPanel();
        $(el, '[part~=accept-all]')!.click();
        let saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
        (await until(el, '[part~=confirm]')).click();
        await saved;
        await until(el, '[part~=undo]');
        await waitUntil(() => !$(el, '[part~=undo]'), 'Undo went after the window');

        (customElements.get('vc-consent-panel') as typeof VcConsentPanel).undoWindowMs = 15_000;
        $(el, '[part~=opt-out]')!.click();
        saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
        (await until(el, '[part~=confirm]')).click();
        await saved;
        saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
        (await until(el, '[part~=undo]')).click();
        expect((await saved).choices).to.deep.equal({
          ...Object.fromEntries(SEED_CONSENTS.map((consent) => [consent.id, true])),
          unsubscribed: false,
        });
        await waitUntil(() => active(el) === 'button save', 'focus on save after undo');
      });

      it('Undo of an opt-out that took nothing away ends the opt-out', async () => {
        const el = await workerPanel(bob.id);
        $(el, '[part~=opt-out]')!.click();
        let saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
        (await until(el, '[part~=confirm]')).click();
        await saved;
        expect((await storedConsents(bob.id)).consents.unsubscribed?.value).to.equal(true);
        saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
        (await until(el, '[part~=undo]')).click();
        expect((await saved).choices).to.deep.equal({ unsubscribed: false });
        expect((await storedConsents(bob.id)).consents.unsubscribed?.value).to.equal(false);
        await el.updateComplete;
        expect(text(el)).not.to.contain('You opted out of everything');
      });

      it('only changes the switches in a form', async () => {
        const { emulatorUrl } = await testEnv();
        const form = await fixture<HTMLFormElement>(
          html`<form><vc-consent-panel name="c" lang="en" client-application-id=${CLIENT.id} client-token=${CLIENT.token} api-url=${emulatorUrl}></vc-consent-panel></form>`,
        );
        const el = form.querySelector('vc-consent-panel')!;
        await loaded(el);
        $(el, '[part~=accept-all]')!.click();
        await el.updateComplete;
        expect($(el, '[part~=confirmation]')).to.equal(null);
        expect(JSON.parse(String(new FormData(form).get('c')))).to.deep.equal(
          Object.fromEntries(SEED_CONSENTS.map((consent) => [consent.id, true])),
        );
      });
    });

    describe('gone, read-only, policy', () => {
      it('is gone after a 404 on save (deleted elsewhere), and a token for another customer brings it back', async () => {
        const el = await workerPanel(DEMO_CUSTOMERS.yuki.id);
        // Deleted in another tab: the event never reaches this page.
        const { workerUrl } = await testEnv();
        const card = await fixture<HTMLElement>(
          html`<vc-profile-card lang="en" worker-url=${workerUrl} session-token=${el.sessionToken!}></vc-profile-card>`,
        );
        card.addEventListener('vc-profile-deleted', (event) => event.stopPropagation());
        (await until(card, '[part~=delete]')).click();
        (await until<HTMLInputElement>(card, '#confirm')).value = 'DELETE';
        const deleted = oneEvent(card, 'vc-profile-deleted');
        $<HTMLFormElement>(card, 'form')!.requestSubmit();
        await deleted;
        switchOf(el, SEED_CONSENT_IDS.newsletter).click();
        expect(await el.save()).to.equal(false);
        await el.updateComplete;
        expect(statusOf(el)).to.equal('This account no longer exists. Its choices can no longer be changed.');
        expect(
          $$<HTMLInputElement>(el, 'input, button').every((control) => (control as HTMLInputElement).disabled),
        ).to.equal(true);
        expect(sessionStorage.length).to.equal(0);
        expect(warns()).to.equal(false);
        await expect(el).to.be.accessible();
        el.sessionToken = await sessionToken(bob.id);
        await until(el, 'input:not([disabled])');
        expect(statusOf(el)).to.equal('');
      });

      it('ignores the deletion of another customer', async () => {
        const el = await workerPanel(alice.id);
        const other = document.createElement('div') as HTMLDivElement & { sessionToken?: string };
        other.sessionToken = await sessionToken(bob.id);
        document.body.append(other);
        other.dispatchEvent(
          new VcProfileDeletedEvent({ id: 'x', status: 'DONE', created_at: new Date().toISOString() }),
        );
        other.remove();
        await el.updateComplete;
        expect(statusOf(el)).to.equal('');
        expect(switchOf(el, SEED_CONSENT_IDS.newsletter).disabled).to.equal(false);
      });

      it('records a policy review alone: Save sends {} with policy_version and names it', async () => {
        const el = await workerPanel(alice.id, { policyVersion: '2025-02' });
        expect($(el, '[part~=notice]')).to.exist;
        const { consents: before } = await storedConsents(alice.id);
        const saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
        $(el, '[part~=save]')!.click();
        const event = await saved;
        expect(event.choices).to.deep.equal({});
        expect(event.state?.policy_version).to.equal('2025-02');
        await el.updateComplete;
        expect(statusOf(el)).to.match(/^Saved .+: choices confirmed under the new privacy policy\.$/);
        expect($(el, '[part~=notice]')).to.equal(null);
        expect((await storedConsents(alice.id)).consents, 'no consent touched').to.deep.equal(before);
      });
    });

    describe('accessibility of the new states', () => {
      for (const lang of ['en', 'ar']) {
        it(`is accessible with unsaved rows, a confirmation, read-only and gone, in ${lang}, light and dark`, async () => {
          const check = async (el: VcConsentPanel) => {
            for (const theme of ['light', 'dark']) {
              el.setAttribute('theme', theme);
              await expect(el).to.be.accessible();
            }
          };
          const el = await clientPanel({ lang });
          switchOf(el, SEED_CONSENT_IDS.newsletter).click();
          $(el, '[part~=accept-all]')!.click();
          await until(el, '[part~=confirm]');
          if (lang === 'ar') await untilText(el, 'تأكيد');
          await check(el);

          const { workerUrl } = await testEnv();
          const readOnly = await fixture<VcConsentPanel>(
            html`<vc-consent-panel lang=${lang} worker-url=${workerUrl}></vc-consent-panel>`,
          );
          await loaded(readOnly);
          await check(readOnly);

          const gone = await fixture<VcConsentPanel>(
            html`<vc-consent-panel lang=${lang} worker-url=${workerUrl} session-token=${await sessionToken('cust_doesnotexist00000000000')}></vc-consent-panel>`,
          );
          await until(gone, '[part~=status]');
          expect(text(gone)).to.contain(lang === 'en' ? 'This account no longer exists.' : 'هذا الحساب لم يعد موجودًا');
          await check(gone);
        });
      }
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
      for (const part of [
        'base',
        'group',
        'legend',
        'group-description',
        'consent',
        'switch',
        'label',
        'description',
        'actions',
        'accept-all',
        'opt-out',
        'save',
        'status',
      ]) {
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
      el.sessionToken = await sessionToken(alice.id, {
        ttlSeconds: 60,
        now: new Date(Date.now() - 3_600_000).toISOString(),
      });
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
      const el = await fixture<VcConsentPanel>(
        html`<vc-consent-panel lang="en" worker-url=${workerUrl}></vc-consent-panel>`,
      );
      await loaded(el);
      expect($$(el, 'legend').map((legend) => legend.textContent!.trim())).to.deep.equal(
        SEED_CONSENT_GROUPS.map((group) => group.name),
      );
      expect(el.value).to.deep.equal({});
      // No way to save (no session, no client keys and customer): the choices are shown read-only.
      expect(statusOf(el)).to.equal('Sign in to change your choices.');
      expect($$<HTMLInputElement>(el, '[role=switch]').every((input) => input.disabled)).to.equal(true);
      expect(await el.save()).to.equal(false);
    });

    it('fires vc-session-expired for an expired token and reloads with a fresh one', async () => {
      const { workerUrl } = await testEnv();
      const expired = await sessionToken(alice.id, {
        ttlSeconds: 60,
        now: new Date(Date.now() - 3_600_000).toISOString(),
      });
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
      expect(puts.at(-1)).to.include({
        path: `/client/v1/customers/${encodeURIComponent(bob.source_id)}/consents`,
        auth: 'client',
        status: 204,
      });
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
      expect((await saved).choices).to.deep.equal(
        Object.fromEntries(SEED_CONSENTS.map((consent) => [consent.id, true])),
      );
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
      const attempts = (await emulatorRequests()).filter(
        (request) => request.method === 'PUT' && request.path.includes('/consents'),
      );
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
      Object.assign(again, {
        clientApplicationId: CLIENT.id,
        clientToken: CLIENT.token,
        apiUrl: emulatorUrl,
        customer: bob.source_id,
      });
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
      await setFaults([
        { method: 'PUT', path: '/client/v1/customers/*/consents', kind: 'status', status: 400, times: 1 },
      ]);
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
      expect(
        $$<HTMLButtonElement | HTMLInputElement>(el, 'input, button').every((control) => control.disabled),
      ).to.equal(true);
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
      const el = await fixture<VcConsentPanel>(
        html`<vc-consent-panel lang="en" client-application-id=${CLIENT.id} client-token=${CLIENT.token} api-url=${emulatorUrl}></vc-consent-panel>`,
      );
      await untilText(el, 'unavailable');
      dispatchEvent(new Event('online'));
      await until(el, 'fieldset');
    });

    it('focuses the first switch after a failed load is retried', async () => {
      await setFaults([{ method: 'GET', path: '/client/v1/consents', kind: 'status', status: 503, times: 1 }]);
      const { emulatorUrl } = await testEnv();
      const el = await fixture<VcConsentPanel>(
        html`<vc-consent-panel lang="en" client-application-id=${CLIENT.id} client-token=${CLIENT.token} api-url=${emulatorUrl} customer=${bob.id}></vc-consent-panel>`,
      );
      await untilText(el, 'could not be loaded');
      await expect(el).to.be.accessible();
      $(el, '[part~=retry]')!.click();
      await waitUntil(
        () => el.shadowRoot!.activeElement?.getAttribute('role') === 'switch',
        'focus on the first switch',
      );
    });
  });
});
