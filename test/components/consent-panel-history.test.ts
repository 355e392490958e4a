/**
 * `<vc-consent-panel>` from a preferences link (`preferences-token`: `/preferences/{token}/consents`, no session) and
 * with its consent history (`history`: `/v1/me/consents/history` or `/preferences/{token}/consents/history`), against
 * the real worker and emulator.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../src/embed.js';
import { VcProfileDeletedEvent } from '../../src/index.js';
import type { VcConsentPanel, VcConsentSavedEvent, VcErrorEvent } from '../../src/index.js';
import type { CustomerConsentsState } from '../../src/api/types.js';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/seed.js';
import {
  $,
  $$,
  clearFaults,
  emulatorRequests,
  preferencesToken,
  resetEmulator,
  sessionToken,
  setFaults,
  storedConsents,
  testEnv,
  text,
  until,
  untilText,
} from '../support/browser/components.js';

const { alice, yuki } = DEMO_CUSTOMERS;
const { newsletter, productUpdates, smsOffers, partners } = SEED_CONSENT_IDS;
const switchOf = (el: VcConsentPanel, id: string) => $<HTMLInputElement>(el, `input[id="${id}"]`)!;
const clean = (value: string | null | undefined) =>
  (value ?? '')
    .replace(/[\u2068\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
const statusOf = (el: VcConsentPanel) => clean($(el, '[part~=status]')!.textContent);
const loaded = (el: VcConsentPanel) => until(el, 'fieldset, [role=alert], [part~=status]');
/** The history line under a consent's switch (`unsubscribed`: the opt-out's, below the buttons), or `''`. */
const historyOf = (el: VcConsentPanel, id: string) =>
  clean(
    (id === 'unsubscribed'
      ? $(el, '[part~=actions] + [part~=history]')
      : switchOf(el, id).parentElement!.querySelector('[part~=history]')
    )?.textContent,
  );
const today = () => new Intl.DateTimeFormat('en', { dateStyle: 'medium' }).format(new Date());
const HOUR_AGO = () => new Date(Date.now() - 3_600_000).toISOString();

/** Every stored decision but those in `changed` is exactly as before (same value, same date; absent stays absent). */
function expectOnly(changed: string[], before: CustomerConsentsState, after: CustomerConsentsState): void {
  for (const id of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (!changed.includes(id)) expect(after[id], `${id} is stored as before`).to.deep.equal(before[id]);
  }
}

interface Call {
  url: string;
  method: string;
  authorization: string | null;
}

/** Records the page's calls to the worker; `fail` answers the matching ones with a 503 instead of sending them. */
function spyFetch(fail?: (url: string) => boolean): { calls: Call[]; restore(): void } {
  const original = window.fetch;
  const calls: Call[] = [];
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith('/__vc/')) {
      calls.push({
        url,
        method: init?.method ?? 'GET',
        authorization: new Headers(init?.headers).get('authorization'),
      });
    }
    if (fail?.(url)) {
      const body = { code: 503, key: 'service_unavailable', message: 'Service unavailable' };
      return Promise.resolve(
        new Response(JSON.stringify(body), { status: 503, headers: { 'content-type': 'application/json' } }),
      );
    }
    return original(input, init);
  };
  return { calls, restore: () => void (window.fetch = original) };
}

/** A panel through the worker: from a preferences link (`link`) or signed in (`session`). */
async function panel(
  access: { link?: string; session?: string },
  attributes: { history?: boolean; lang?: string } = {},
): Promise<VcConsentPanel> {
  const { workerUrl } = await testEnv();
  const el = await fixture<VcConsentPanel>(html`<vc-consent-panel
    lang=${attributes.lang ?? 'en'}
    worker-url=${workerUrl}
    .preferencesToken=${access.link}
    .sessionToken=${access.session}
    ?history=${attributes.history}
  ></vc-consent-panel>`);
  await loaded(el);
  return el;
}

async function save(el: VcConsentPanel): Promise<VcConsentSavedEvent> {
  const saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
  $(el, '[part~=save]')!.click();
  return saved;
}

describe('<vc-consent-panel> from a preferences link, and its history', () => {
  let spy: { calls: Call[]; restore(): void } | undefined;

  beforeEach(async () => {
    sessionStorage.clear();
    (customElements.get('vc-consent-panel') as typeof VcConsentPanel).retryDelays = [2_000, 5_000, 15_000, 30_000];
    await clearFaults();
    await resetEmulator();
  });

  afterEach(() => {
    spy?.restore();
    spy = undefined;
    document.querySelectorAll('vc-consent-panel').forEach((element) => element.remove());
  });

  after(async () => {
    await clearFaults();
    await resetEmulator();
  });

  describe('preferences-token', () => {
    it("reads the link's customer and saves only what changed through /preferences/{token}/consents, without a session", async () => {
      spy = spyFetch();
      const token = await preferencesToken(alice.id);
      const { consents: before } = await storedConsents(alice.id);
      const el = await panel({ link: token });
      expect(switchOf(el, newsletter).checked).to.equal(true);
      expect($(el, `#${newsletter}-d`)!.textContent).to.match(/Agreed on/);
      expect(statusOf(el)).not.to.contain('Sign in');
      expect(switchOf(el, productUpdates).disabled).to.equal(false);
      switchOf(el, productUpdates).click();
      const event = await save(el);
      expect(event.choices).to.deep.equal({ [productUpdates]: true });
      expect(event.state?.state[productUpdates]?.value).to.equal(true);
      await el.updateComplete;
      expect(statusOf(el)).to.match(/^Saved .*: Product updates on\.$/);
      const { consents: after } = await storedConsents(alice.id);
      expectOnly([productUpdates], before, after);
      expect(after[productUpdates]?.value).to.equal(true);
      // Both calls went to the link's routes, the token url-encoded in the path, with no Authorization header.
      const { workerUrl } = await testEnv();
      const route = `${workerUrl.replace(/\/$/, '')}/preferences/${encodeURIComponent(token)}/consents`;
      expect(spy.calls.map(({ url, method }) => `${method} ${url}`)).to.deep.equal([`GET ${route}`, `PUT ${route}`]);
      expect(spy.calls.every((call) => call.authorization === null)).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('keeps every guarantee of a save: a failed one is said, kept, retried, and sends what changed meanwhile', async () => {
      (customElements.get('vc-consent-panel') as typeof VcConsentPanel).retryDelays = [300, 300, 300, 300, 300, 300];
      const { consents: before } = await storedConsents(alice.id);
      const el = await panel({ link: await preferencesToken(alice.id) });
      await setFaults([{ method: 'PUT', path: '/v1/customers/*/consents', kind: 'status', status: 500 }]);
      switchOf(el, smsOffers).click();
      const failed = oneEvent(el, 'vc-error') as Promise<VcErrorEvent>;
      void el.save();
      expect((await failed).action).to.equal('save');
      await el.updateComplete;
      expect(statusOf(el)).to.contain('not been saved');
      expect(statusOf(el)).to.contain('try again');
      expect($(el, '[part~=retry]')).to.exist;
      expect(JSON.parse(sessionStorage.getItem(`vc-consent-pending:${alice.id}`)!).changes).to.have.keys([smsOffers]);
      switchOf(el, partners).click();
      const saved = oneEvent(el, 'vc-consent-saved') as Promise<VcConsentSavedEvent>;
      await clearFaults();
      expect((await saved).choices).to.deep.equal({ [smsOffers]: true, [partners]: true });
      const { consents: after } = await storedConsents(alice.id);
      expectOnly([smsOffers, partners], before, after);
      expect(after[smsOffers]?.value).to.equal(true);
      expect(after[partners]?.value).to.equal(true);
      expect(sessionStorage.getItem(`vc-consent-pending:${alice.id}`), 'nothing kept once saved').to.equal(null);
    });

    it('says clearly when the link has expired (410), and offers no retry', async () => {
      const el = await panel({ link: await preferencesToken(alice.id, { ttlSeconds: 60, now: HOUR_AGO() }) });
      await untilText(el, 'This link has expired.');
      expect(clean($(el, '[role=alert]')!.textContent)).to.equal(
        'Your choices could not be loaded. This link has expired. Please use the link in a newer email, or sign in.',
      );
      expect($(el, '[part~=retry]')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('a link that expires while the page is open: the save says so, keeps the choice, and is not retried', async () => {
      (customElements.get('vc-consent-panel') as typeof VcConsentPanel).retryDelays = [100, 100, 100];
      // Valid for about three more seconds (the worker tolerates 30 s of clock skew).
      const token = await preferencesToken(alice.id, {
        ttlSeconds: 1,
        now: new Date(Date.now() - 28_000).toISOString(),
      });
      const el = await panel({ link: token });
      switchOf(el, smsOffers).click();
      await new Promise((resolve) => setTimeout(resolve, 4_000));
      const failed = oneEvent(el, 'vc-error') as Promise<VcErrorEvent>;
      expect(await el.save()).to.equal(false);
      expect(((await failed).error as { status: number }).status).to.equal(410);
      await el.updateComplete;
      expect(statusOf(el)).to.equal(
        'Your choices have not been saved yet. This link has expired. Please use the link in a newer email, or sign in.',
      );
      expect($(el, '[part~=retry]')).to.equal(null);
      expect(switchOf(el, smsOffers).checked, 'the choice stays on screen').to.equal(true);
      expect(JSON.parse(sessionStorage.getItem(`vc-consent-pending:${alice.id}`)!).changes).to.have.keys([smsOffers]);
      await new Promise((resolve) => setTimeout(resolve, 300));
      const puts = (await emulatorRequests()).filter((request) => request.method === 'PUT');
      expect(puts, 'nothing written, nothing retried').to.deep.equal([]);
    });

    it('says clearly when the link is not valid (400 invalid_token), and fires vc-error', async () => {
      const { workerUrl } = await testEnv();
      const el = document.createElement('vc-consent-panel');
      el.setAttribute('lang', 'en');
      el.workerUrl = workerUrl;
      el.preferencesToken = 'not-a-token';
      const failed = oneEvent(el, 'vc-error') as Promise<VcErrorEvent>;
      document.body.append(el);
      const error = await failed;
      expect(error.action).to.equal('load');
      expect((error.error as { status: number; key: string }).status).to.equal(400);
      await untilText(el, 'This link is not valid. Please open it again from the email.');
      expect($(el, '[part~=retry]')).to.equal(null);
    });

    it('a fresh link for another customer loads that customer', async () => {
      const el = await panel({ link: await preferencesToken(alice.id) });
      expect(switchOf(el, newsletter).checked).to.equal(true);
      el.preferencesToken = await preferencesToken(yuki.id);
      await waitUntil(() => switchOf(el, productUpdates)?.checked === true, 'yuki’s choices');
      expect(switchOf(el, newsletter).checked).to.equal(false);
    });
  });

  describe('history', () => {
    it('is off by default: no history request, no history line', async () => {
      spy = spyFetch();
      const el = await panel({ session: await sessionToken(alice.id) });
      switchOf(el, productUpdates).click();
      await save(el);
      await el.updateComplete;
      const link = await panel({ link: await preferencesToken(alice.id) });
      await link.updateComplete;
      expect(spy.calls.filter((call) => call.url.includes('/history'))).to.deep.equal([]);
      expect($$(el, '[part~=history]').length + $$(link, '[part~=history]').length).to.equal(0);
    });

    it("shows each consent's last changes, newest last, and refreshes them after a save (signed in)", async () => {
      spy = spyFetch();
      const el = await panel({ session: await sessionToken(alice.id) }, { history: true });
      switchOf(el, productUpdates).click();
      await save(el);
      await waitUntil(
        () => historyOf(el, productUpdates).endsWith(`Given ${today()} via account page`),
        'the change in the history',
      );
      switchOf(el, productUpdates).click();
      await save(el);
      await waitUntil(
        () =>
          historyOf(el, productUpdates).endsWith(
            `Given ${today()} via account page · Withdrawn ${today()} via account page`,
          ),
        'the history line',
      );
      expect(historyOf(el, productUpdates).split(' · ').length).to.be.at.most(3);
      const reads = spy.calls.filter((call) => call.url.endsWith('/v1/me/consents/history'));
      expect(reads.length, 'read on load and after each save').to.equal(3);
      expect(reads.every((call) => call.authorization?.startsWith('Bearer '))).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it('through a preferences link, reads /preferences/{token}/consents/history and names the link', async () => {
      spy = spyFetch();
      const token = await preferencesToken(alice.id);
      const el = await panel({ link: token }, { history: true });
      switchOf(el, smsOffers).click();
      await save(el);
      await waitUntil(() => historyOf(el, smsOffers).endsWith(`Given ${today()} via email link`), 'the history line');
      expect(
        spy.calls.some((call) => call.url.endsWith(`/preferences/${encodeURIComponent(token)}/consents/history`)),
      ).to.equal(true);
      expect(spy.calls.every((call) => call.authorization === null)).to.equal(true);
    });

    it('shows the changes of the opt-out of everything below the buttons', async () => {
      const el = await panel({ session: await sessionToken(alice.id) }, { history: true });
      $(el, '[part~=opt-out]')!.click();
      const saved = oneEvent(el, 'vc-consent-saved');
      (await until(el, '[part~=confirm]')).click();
      await saved;
      await waitUntil(
        () => historyOf(el, 'unsubscribed').endsWith(`Opted out of everything ${today()} via account page`),
        'the opt-out history line',
      );
    });

    it('a history that cannot be read shows none, says so on vc-error, and the choices work as before', async () => {
      spy = spyFetch((url) => url.includes('/consents/history'));
      const { workerUrl } = await testEnv();
      const el = document.createElement('vc-consent-panel');
      el.setAttribute('lang', 'en');
      el.history = true;
      el.workerUrl = workerUrl;
      el.sessionToken = await sessionToken(alice.id);
      const failed = oneEvent(el, 'vc-error') as Promise<VcErrorEvent>;
      document.body.append(el);
      expect((await failed).action).to.equal('history');
      await loaded(el);
      expect($$(el, '[part~=history]')).to.have.length(0);
      expect($(el, '[role=alert]'), 'no load error').to.equal(null);
      switchOf(el, partners).click();
      const event = await save(el);
      expect(event.choices).to.deep.equal({ [partners]: true });
      await el.updateComplete;
      expect(statusOf(el)).to.match(/^Saved /);
      expect((await storedConsents(alice.id)).consents[partners]?.value).to.equal(true);
      expect(spy.calls.filter((call) => call.url.includes('/history')).length, 'tried again after the save').to.equal(
        2,
      );
      expect($$(el, '[part~=history]')).to.have.length(0);
      const puts = (await emulatorRequests()).filter((request) => request.method === 'PUT');
      expect(puts.length).to.equal(1);
    });

    it('goes with the customer: "delete my data" of the same customer leaves no history on screen', async () => {
      const el = await panel({ link: await preferencesToken(alice.id) }, { history: true });
      switchOf(el, smsOffers).click();
      await save(el);
      await waitUntil(() => historyOf(el, smsOffers) !== '', 'the history line');
      // A profile card signed in as the same customer deleted their data.
      const card = document.createElement('div') as HTMLDivElement & { sessionToken?: string };
      card.sessionToken = await sessionToken(alice.id);
      document.body.append(card);
      card.dispatchEvent(new VcProfileDeletedEvent({ id: 'x', status: 'DONE', created_at: new Date().toISOString() }));
      card.remove();
      await untilText(el, 'This account no longer exists.');
      expect($$(el, '[part~=history]')).to.have.length(0);
    });

    it('is translated and lays out right-to-left (Arabic)', async () => {
      const el = await panel({ session: await sessionToken(alice.id) }, { history: true, lang: 'ar' });
      switchOf(el, productUpdates).click();
      await save(el);
      await waitUntil(() => historyOf(el, productUpdates).includes('عبر صفحة الحساب'), 'the history line');
      expect(historyOf(el, productUpdates)).to.contain('تمت الموافقة بتاريخ');
      expect(getComputedStyle($(el, '[part~=history]')!).direction).to.equal('rtl');
      expect(text(el)).not.to.contain('via');
      await expect(el).to.be.accessible();
    });
  });
});
