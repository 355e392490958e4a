import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../src/embed.js';
import type { VcErrorEvent, VcProfileCard, VcProfileDeletedEvent, VcProfileSavedEvent } from '../../src/index.js';
import { DEMO_CUSTOMERS } from '../../src/emulator/seed.js';
import {
  $,
  $$,
  clearFaults,
  emulatorRequests,
  resetEmulator,
  sessionToken,
  setFaults,
  testEnv,
  text,
  until,
  untilText,
  watchUncaught,
} from '../support/browser/components.js';

const { alice, bob, yuki } = DEMO_CUSTOMERS;
const loaded = (el: VcProfileCard) => until(el, '[part~=details], [role=alert], [part~=status]:not(:empty)');
const active = (el: VcProfileCard) => el.shadowRoot!.activeElement as HTMLElement | null;
const input = (el: VcProfileCard, name: string) => $<HTMLInputElement>(el, `input[name="${name}"]`)!;

async function card(
  customer: string,
  options: { lang?: string; pageSize?: number; activities?: 'lazy' | 'eager' } = {},
): Promise<VcProfileCard> {
  const { workerUrl } = await testEnv();
  const el = await fixture<VcProfileCard>(html`<vc-profile-card
    lang=${options.lang ?? 'en'}
    worker-url=${workerUrl}
    session-token=${await sessionToken(customer)}
    page-size=${options.pageSize ?? 5}
    activities=${options.activities ?? 'lazy'}
  ></vc-profile-card>`);
  await until(el, '[part~=details]');
  return el;
}

/** Opens the activity list with its heading's button and waits for the first entry. */
async function openActivities(el: VcProfileCard): Promise<void> {
  $(el, '[part~=toggle]')!.click();
  await until(el, '[part~=activity]');
}

/** How many activity pages the emulator was asked for so far. */
const activityReads = async () =>
  (await emulatorRequests()).filter((entry) => entry.method === 'GET' && /\/activit/.test(entry.path)).length;

function type(el: VcProfileCard, name: string, value: string): void {
  const field = input(el, name);
  field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

describe('<vc-profile-card>', () => {
  beforeEach(clearFaults);
  after(resetEmulator);

  describe('states', () => {
    it('is accessible while loading and once loaded', async () => {
      await setFaults([{ method: 'GET', path: '/v1/customers/*', kind: 'latency', latencyMs: 500 }]);
      const { workerUrl } = await testEnv();
      const el = await fixture<VcProfileCard>(html`<vc-profile-card
        lang="en"
        worker-url=${workerUrl}
        session-token=${await sessionToken(alice.id)}
      ></vc-profile-card>`);
      expect(text(el)).to.contain('Loading your profile');
      await expect(el).to.be.accessible();
      await until(el, '[part~=details]');
      await expect(el).to.be.accessible();
    });

    it("shows the customer's details, segments, loyalty points and recent activity", async () => {
      const el = await card(alice.id, { pageSize: 20 });
      await openActivities(el);
      const details = $(el, '[part~=details]')!.textContent!.replace(/\s+/g, ' ');
      for (const value of [alice.name, alice.email, alice.phone, 'Torstraße 1', '10119', 'Berlin', 'Germany']) {
        expect(details).to.contain(value);
      }
      expect(details).to.contain('April 12, 1990');
      expect($(el, '[part~=loyalty]')!.textContent!.trim()).to.equal('1,250');
      const segments = $$(el, '[part~=segments] li').map((item) => item.textContent!.trim());
      expect(segments).to.include.members(['Customers in Berlin', 'VIP', 'Newsletter readers']);
      const activities = $$(el, '[part~=activity]');
      expect(activities.length).to.be.within(3, 20);
      expect($(el, '[part~=load-more]')).to.equal(null);
      expect(activities.at(-1)!.textContent).to.contain('Account created');
      expect(text(el)).to.contain('Consent given: Newsletter and Personal offers by email');
      expect(text(el)).to.contain('Joined segment: Customers in Berlin');
      expect(activities.map((item) => item.querySelector('time')!.getAttribute('datetime'))).to.satisfy(
        (dates: string[]) => dates.every((date) => !Number.isNaN(Date.parse(date))),
      );
      // Sections are labelled by their headings.
      for (const section of $$(el, 'section')) {
        expect(el.shadowRoot!.getElementById(section.getAttribute('aria-labelledby')!)?.tagName).to.equal('H2');
      }
      el.setAttribute('theme', 'dark');
      await expect(el).to.be.accessible();
    });

    it('says when there is nothing to show (no segments, no loyalty points, missing details)', async () => {
      const el = await card(yuki.id);
      expect(text(el)).to.contain('You are not in any segment.');
      expect($(el, '[part~=loyalty]')).to.equal(null);
      expect($(el, '[part~=details]')!.textContent).to.contain('Not provided');
      await expect(el).to.be.accessible();
    });

    it('asks to sign in without a session token, and is set up by setting one', async () => {
      const { workerUrl } = await testEnv();
      const el = await fixture<VcProfileCard>(
        html`<vc-profile-card lang="en" worker-url=${workerUrl}></vc-profile-card>`,
      );
      await untilText(el, 'Sign in to see your profile.');
      await expect(el).to.be.accessible();
      el.sessionToken = await sessionToken(bob.id);
      await until(el, '[part~=details]');
    });

    it('shows the expired-session state, fires vc-session-expired, and reloads with a fresh token', async () => {
      const { workerUrl } = await testEnv();
      const el = document.createElement('vc-profile-card');
      el.setAttribute('lang', 'en');
      el.workerUrl = workerUrl;
      el.sessionToken = await sessionToken(alice.id, {
        ttlSeconds: 60,
        now: new Date(Date.now() - 3_600_000).toISOString(),
      });
      const expired = oneEvent(el, 'vc-session-expired');
      const error = oneEvent(el, 'vc-error') as Promise<VcErrorEvent>;
      document.body.append(el);
      await expired;
      expect((await error).action).to.equal('load');
      await untilText(el, 'Your session has expired. Please sign in again.');
      await expect(el).to.be.accessible();
      el.sessionToken = await sessionToken(alice.id);
      await until(el, '[part~=details]');
      el.remove();
    });

    it('shows an error with a way to retry, and a section-level error when only segments fail', async () => {
      // Not a 404: on the customer's own route, that means the account is gone (profile-card-states.test.ts).
      await setFaults([{ method: 'GET', path: '/v1/customers/*', kind: 'status', status: 400, times: 1 }]);
      const { workerUrl } = await testEnv();
      const el = await fixture<VcProfileCard>(html`<vc-profile-card
        lang="en"
        worker-url=${workerUrl}
        session-token=${await sessionToken(alice.id)}
      ></vc-profile-card>`);
      await untilText(el, 'Your profile could not be loaded.');
      await expect(el).to.be.accessible();
      await setFaults([{ method: 'GET', path: '/v1/customers/*/segments', kind: 'status', status: 404 }]);
      $(el, '[part~=retry]')!.click();
      await until(el, '[part~=details]');
      expect(text(el)).to.contain('Your segments could not be loaded.');
      await expect(el).to.be.accessible();
    });
  });

  describe('activities', () => {
    it('lazy (the default): asks for no activities until the list is opened, then once', async () => {
      const before = await activityReads();
      const el = await card(alice.id);
      await el.updateComplete;
      const toggle = $(el, '[part~=toggle]')!;
      expect(toggle.localName).to.equal('button');
      expect(toggle.getAttribute('aria-expanded')).to.equal('false');
      expect(el.shadowRoot!.getElementById(toggle.getAttribute('aria-controls')!)!.hidden).to.equal(true);
      expect($(el, '[part~=activity]')).to.equal(null);
      expect(await activityReads()).to.equal(before, 'no activities read with the profile');
      await expect(el).to.be.accessible();

      await setFaults([{ method: 'GET', path: '/v1/customers/*/activities', kind: 'latency', latencyMs: 500 }]);
      toggle.focus();
      await sendKeys({ press: 'Enter' });
      await el.updateComplete;
      expect(toggle.getAttribute('aria-expanded')).to.equal('true');
      expect($(el, '#activity-list [role=status]')!.textContent!.trim()).to.equal('Loading…');
      await expect(el).to.be.accessible();
      await until(el, '[part~=activity]');
      expect(active(el)).to.equal(toggle, 'focus stays on the button');
      expect(await activityReads()).to.equal(before + 1);
      await expect(el).to.be.accessible();

      // Closed and opened again: what was read is shown, not read again.
      toggle.click();
      await el.updateComplete;
      expect(toggle.getAttribute('aria-expanded')).to.equal('false');
      expect($(el, '#activity-list')!.hidden).to.equal(true);
      toggle.click();
      await el.updateComplete;
      expect($$(el, '[part~=activity]').length).to.be.greaterThan(0);
      expect(await activityReads()).to.equal(before + 1);
    });

    it('eager: reads the first page with the profile and shows it open', async () => {
      const before = await activityReads();
      const el = await card(alice.id, { activities: 'eager' });
      expect($$(el, '[part~=activity]').length).to.be.greaterThan(0);
      expect($(el, '[part~=toggle]')!.getAttribute('aria-expanded')).to.equal('true');
      expect(await activityReads()).to.equal(before + 1);
    });

    it('says so when the first page fails to load, and tries again on request', async () => {
      const el = await card(alice.id);
      await setFaults([{ method: 'GET', path: '/v1/customers/*/activities', kind: 'status', status: 404 }]);
      $(el, '[part~=toggle]')!.click();
      await untilText(el, 'Activities could not be loaded.');
      expect($(el, '#activity-list [role=alert]')).to.exist;
      const retry = $(el, '[part~=load-more]')!;
      expect(retry.textContent!.trim()).to.equal('Try again');
      await expect(el).to.be.accessible();
      await clearFaults();
      retry.click();
      await until(el, '[part~=activity]');
      expect(text(el)).not.to.contain('Activities could not be loaded.');
    });

    it('pages with "load more" and moves focus to the first new entry', async () => {
      const el = await card(alice.id, { pageSize: 1 });
      await openActivities(el);
      expect($$(el, '[part~=activity]').length).to.equal(1);
      const more = $(el, '[part~=load-more]')!;
      more.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => $$(el, '[part~=activity]').length === 2, 'a second activity');
      await waitUntil(() => active(el) === $$(el, '[part~=activity]')[1], 'focus on the new entry');
      const first = $$(el, '[part~=activity]')[0]!.textContent;
      expect($$(el, '[part~=activity]')[1]!.textContent).not.to.equal(first);
      await expect(el).to.be.accessible();
    });

    it('keeps what it has and says so when a page fails', async () => {
      const el = await card(alice.id, { pageSize: 1, activities: 'eager' });
      await setFaults([{ method: 'GET', path: '/v1/customers/*/activities', kind: 'status', status: 404 }]);
      const error = oneEvent(el, 'vc-error') as Promise<VcErrorEvent>;
      $(el, '[part~=load-more]')!.click();
      expect((await error).action).to.equal('load-more');
      await untilText(el, 'Activities could not be loaded.');
      expect($$(el, '[part~=activity]').length).to.equal(1);
      expect($(el, '[part~=load-more]')).to.exist;
    });

    it('labels and dates activities in the page language (ja)', async () => {
      const el = await card(alice.id, { lang: 'ja', pageSize: 20 });
      await openActivities(el);
      await untilText(el, 'アカウント作成');
      const time = $$(el, '[part~=activity] time').at(-1)!.textContent!;
      expect(time).to.match(/2025\/0?1\/0?6/);
      expect($(el, '[part~=loyalty]')!.textContent!.trim()).to.equal('1,250');
      await expect(el).to.be.accessible();
    });
  });

  describe('editing', () => {
    beforeEach(resetEmulator);

    it('edits the allowed fields by keyboard, validates, saves and returns focus to "edit"', async () => {
      const el = await card(bob.id, { activities: 'eager' });
      $(el, '[part~=edit]')!.focus();
      await sendKeys({ press: 'Enter' });
      await waitUntil(() => active(el) === input(el, 'name'), 'focus on the first field');
      for (const name of [
        'name',
        'email',
        'phone',
        'birthdate',
        'address.line_1',
        'address.line_2',
        'address.postal_code',
        'address.city',
        'address.state',
        'address.country',
      ]) {
        const field = input(el, name);
        expect(el.shadowRoot!.querySelector(`label[for="${field.id}"]`), name).to.exist;
      }
      await expect(el).to.be.accessible();

      type(el, 'email', 'not an email');
      type(el, 'phone', 'call me maybe');
      type(el, 'birthdate', '2999-01-01');
      $(el, 'form [type=submit]')!.click();
      await waitUntil(() => active(el) === input(el, 'email'), 'focus on the first invalid field');
      for (const [name, message] of [
        ['email', 'name@example.com'],
        ['phone', 'digits'],
        ['birthdate', 'between 1900 and today'],
      ] as const) {
        const field = input(el, name);
        expect(field.getAttribute('aria-invalid'), name).to.equal('true');
        expect(el.shadowRoot!.getElementById(field.getAttribute('aria-describedby')!)!.textContent).to.contain(message);
      }
      await expect(el).to.be.accessible();

      type(el, 'email', 'robert@example.com');
      await el.updateComplete;
      expect(input(el, 'email').hasAttribute('aria-invalid')).to.equal(false);
      type(el, 'phone', '+1 (212) 555-0199');
      type(el, 'birthdate', '1980-02-29');
      type(el, 'address.city', 'Brooklyn');
      await setFaults([{ method: 'PUT', path: '/v1/customers/*', kind: 'latency', latencyMs: 500 }]);
      const saved = oneEvent(el, 'vc-profile-saved') as Promise<VcProfileSavedEvent>;
      $(el, 'form [type=submit]')!.click();
      await el.updateComplete;
      expect($(el, 'form [type=submit]')!.textContent!.trim()).to.equal('Saving…');
      await expect(el).to.be.accessible();
      const { profile } = await saved;
      expect(profile).to.include({
        email: 'robert@example.com',
        phone: '+1 (212) 555-0199',
        birthdate: '1980-02-29',
        name: bob.name,
      });
      expect(profile.address).to.include({ city: 'Brooklyn', line_1: bob.address.line_1 });
      await waitUntil(() => active(el) === $(el, '[part~=edit]'), 'focus back on edit');
      expect(text(el)).to.contain('Your details have been saved.');
      expect($(el, '[part~=details]')!.textContent).to.contain('robert@example.com');
      expect($(el, '[part~=details]')!.textContent).to.contain('February 29, 1980');
      // The change shows in the recent activity without a reload.
      await waitUntil(
        () => $$(el, '[part~=activity]')[0]?.textContent?.includes('Details updated'),
        'the update listed first',
      );
    });

    it('keeps the form and what was typed when saving fails, and cancels back to "edit"', async () => {
      const el = await card(bob.id);
      $(el, '[part~=edit]')!.click();
      await until(el, 'form');
      type(el, 'name', 'Robert Smith');
      await setFaults([{ method: 'PUT', path: '/v1/customers/*', kind: 'status', status: 400 }]);
      const failed = oneEvent(el, 'vc-error') as Promise<VcErrorEvent>;
      $(el, 'form [type=submit]')!.click();
      expect((await failed).action).to.equal('save');
      await untilText(el, 'Your details have not been saved.');
      expect(input(el, 'name').value).to.equal('Robert Smith');
      await expect(el).to.be.accessible();
      $<HTMLButtonElement>(el, 'form button[type=button]')!.click();
      await waitUntil(() => active(el) === $(el, '[part~=edit]'), 'focus back on edit');
      expect($(el, 'form')).to.equal(null);
    });
  });

  describe('delete my data', () => {
    beforeEach(resetEmulator);

    it('needs the typed confirmation, then deletes and says what happened', async () => {
      const el = await card(yuki.id);
      $(el, '[part~=delete]')!.click();
      await waitUntil(() => active(el)?.id === 'confirm', 'focus on the confirmation field');
      expect(el.shadowRoot!.querySelector('label[for=confirm]')!.textContent).to.contain('Type DELETE to confirm');
      await expect(el).to.be.accessible();
      await sendKeys({ type: 'delete me' });
      await sendKeys({ press: 'Enter' });
      await untilText(el, 'What you typed does not match.');
      expect(input(el, 'confirm').getAttribute('aria-invalid')).to.equal('true');
      expect(active(el)?.id).to.equal('confirm');

      input(el, 'confirm').value = 'delete';
      const deleted = oneEvent(el, 'vc-profile-deleted') as Promise<VcProfileDeletedEvent>;
      await sendKeys({ press: 'Enter' });
      const { deletion } = await deleted;
      expect(deletion.id).to.be.a('string');
      await waitUntil(() => active(el)?.tagName === 'H2', 'focus on the final message');
      expect(text(el)).to.match(/Your (data has been deleted|request to delete your data has been received)/);
      expect(text(el)).to.contain(deletion.id);
      expect($(el, 'form')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it('cancels back to the delete button', async () => {
      const el = await card(bob.id);
      $(el, '[part~=delete]')!.click();
      await until(el, '#confirm');
      $<HTMLButtonElement>(el, 'form button[type=button]')!.click();
      await waitUntil(() => active(el)?.getAttribute('part') === 'button delete', 'focus back on delete');
    });

    it('accepts the word in the page language (de: LÖSCHEN)', async () => {
      const el = await card(yuki.id, { lang: 'de' });
      $(el, '[part~=delete]')!.click();
      await until(el, '#confirm');
      await untilText(el, 'LÖSCHEN');
      input(el, 'confirm').value = 'löschen';
      const deleted = oneEvent(el, 'vc-profile-deleted');
      $(el, 'form [type=submit]')!.click();
      await deleted;
      await untilText(el, 'Ihre Daten wurden gelöscht.');
    });
  });

  describe('localization', () => {
    it('lays out right-to-left in Hebrew and Arabic, translated and accessible', async () => {
      for (const [lang, heading] of [
        ['he', 'הפרטים שלך'],
        ['ar', 'بياناتك'],
      ] as const) {
        const el = await card(alice.id, { lang });
        expect(el.getAttribute('dir')).to.equal('rtl');
        await untilText(el, heading);
        await expect(el).to.be.accessible();
      }
    });

    it('switches language at run time (fr), dates included', async () => {
      const el = await card(alice.id);
      expect(text(el)).to.contain('April 12, 1990');
      el.setAttribute('lang', 'fr');
      await untilText(el, 'Vos informations');
      expect(text(el)).to.contain('12 avril 1990');
      expect($(el, '[part~=loyalty]')!.textContent!.trim()).to.equal('1\u202f250');
    });
  });

  it('never throws on bad attributes or a dead worker', async () => {
    const watch = watchUncaught();
    try {
      const none = await fixture<VcProfileCard>(html`<vc-profile-card lang="en"></vc-profile-card>`);
      await untilText(none, 'not set up correctly');
      const bad = await fixture<VcProfileCard>(
        html`<vc-profile-card lang="en" worker-url="::nope::" session-token="x" page-size="-3"></vc-profile-card>`,
      );
      await untilText(bad, 'could not be loaded');
      const dead = await fixture<VcProfileCard>(
        html`<vc-profile-card lang="en" worker-url="http://127.0.0.1:9" session-token="x"></vc-profile-card>`,
      );
      await untilText(dead, 'could not be reached');
      const garbage = await fixture<VcProfileCard>(
        html`<vc-profile-card lang="en" worker-url=${location.origin} session-token="x"></vc-profile-card>`,
      );
      await loaded(garbage);
      // A malformed language tag: German texts, dates and numbers all the same.
      const odd = await card(alice.id, { lang: 'de-!!' });
      await untilText(odd, 'Ihre Angaben');
      expect($(odd, '[part~=loyalty]')!.textContent!.trim()).to.equal('1.250');
      expect(text(odd)).to.contain('12. April 1990');
      await expect(dead).to.be.accessible();
    } finally {
      watch.stop();
    }
    expect(watch.errors).to.deep.equal([]);
  });
});
