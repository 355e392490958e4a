/**
 * The worker's own pages in a real browser (Debian's Chromium via playwright-core), JavaScript off as a mail client's
 * browser may have it: the one-click landing page's, the double opt-in page's and the preference center's forms work,
 * and pass the origin check although the pages are `no-referrer` (Chromium then sends `Origin: null` on their form
 * POSTs). Cross-site posts stay refused. The preference center passes axe in English and Arabic, light and dark.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/chromium.js';
import { confirmationLink, preferencesLink } from '../../src/node/index.js';
import { devKeys, devUnsubscribeUrl } from '../support/tokens.js';
import { consentsOf } from '../support/emulator.js';
import { stackPerSuite, upstreamOf } from '../support/stack.js';
import type { Stack } from '../support/stack.js';

const ALICE = DEMO_CUSTOMERS.alice;

describe('the unsubscribe page in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  stackPerSuite((started) => (stack = started));
  before(async () => {
    browser = await launchBrowser();
  });
  after(() => browser?.close());

  it('unsubscribes, then Undo on the same page gives the consents back (no JavaScript)', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(await devUnsubscribeUrl(stack.worker.url, ALICE.id));
      await page.getByRole('button', { name: 'Unsubscribe' }).click();
      await page.getByRole('heading', { name: 'You are unsubscribed' }).waitFor();
      assert.equal(
        consentsOf(await upstreamOf(stack).getCustomer(ALICE.id))[SEED_CONSENT_IDS.newsletter]?.value,
        false,
      );

      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/undo')),
        page.getByRole('button', { name: 'Undo' }).click(),
      ]);
      assert.equal(
        response.status(),
        200,
        `undo answered ${response.status()}: ${(await response.text()).slice(0, 200)}`,
      );
      await page.getByRole('heading', { name: 'You are subscribed again' }).waitFor();
      const consents = consentsOf(await upstreamOf(stack).getCustomer(ALICE.id));
      assert.equal(consents[SEED_CONSENT_IDS.newsletter]?.value, true);
      assert.equal(consents[SEED_CONSENT_IDS.emailOffers]?.value, true);
    } finally {
      await context.close();
    }
  });

  it('confirms a double opt-in from its page, in Arabic, right to left (no JavaScript)', async () => {
    const { url } = await confirmationLink(
      devKeys,
      'new.person@example.com',
      { [SEED_CONSENT_IDS.newsletter]: true },
      { publicUrl: stack.worker.url },
    );
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'ar' });
    const page = await context.newPage();
    try {
      await page.goto(url);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      assert.equal(
        await upstreamOf(stack)
          .getCustomer('new.person@example.com')
          .catch(() => null),
        null,
        'opening the page records nothing',
      );
      await page.getByRole('button', { name: 'تأكيد' }).click();
      await page.getByRole('heading', { name: 'شكرًا لك: تم تأكيد اختياراتك' }).waitFor();
      const customer = await upstreamOf(stack).getCustomer('new.person@example.com');
      assert.equal(consentsOf(customer)[SEED_CONSENT_IDS.newsletter]?.value, true);
    } finally {
      await context.close();
    }
  });

  it('refuses an undo posted from another site, even with Origin: null', async () => {
    const url = await devUnsubscribeUrl(stack.worker.url, ALICE.id);
    assert.equal((await fetch(url, { method: 'POST' })).status, 200);
    for (const headers of <Array<Record<string, string>>>[
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      { origin: 'null', 'sec-fetch-site': 'cross-site' },
      { origin: 'null' },
    ]) {
      const response = await fetch(`${url}/undo`, {
        method: 'POST',
        headers: { accept: 'application/json', ...headers },
      });
      assert.equal(response.status, 403, JSON.stringify(headers));
      assert.equal(((await response.json()) as { key: string }).key, 'origin_not_allowed');
    }
    assert.equal(
      consentsOf(await upstreamOf(stack).getCustomer(ALICE.id))[SEED_CONSENT_IDS.newsletter]?.value,
      false,
      'still unsubscribed',
    );
  });
});

const ARTIFACTS = 'test-results/pages';

describe('the preference center in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  stackPerSuite((started) => (stack = started));
  before(async () => {
    browser = await launchBrowser();
    await mkdir(ARTIFACTS, { recursive: true });
  });
  after(() => browser?.close());

  const link = async (customerId = ALICE.id) =>
    (await preferencesLink(devKeys, customerId, { publicUrl: stack.worker.url })).url;

  it('saves exactly what was changed, then unsubscribes from everything, with JavaScript off', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    try {
      await page.goto(await link());
      await page.getByRole('heading', { name: 'Your email preferences' }).waitFor();
      const newsletter = page.getByRole('checkbox', { name: 'Newsletter' });
      assert.equal(await newsletter.isChecked(), true);
      const before = consentsOf(await upstreamOf(stack).getCustomer(ALICE.id));
      await newsletter.uncheck();
      await page.getByRole('checkbox', { name: 'Product updates' }).check();
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Save choices' }).click(),
      ]);
      assert.equal(
        response.status(),
        200,
        `the form answered ${response.status()}: ${(await response.text()).slice(0, 200)}`,
      );
      await page
        .getByRole('status')
        .filter({ hasText: 'You now receive: Product updates. You no longer receive: Newsletter.' })
        .waitFor();
      assert.equal(await page.getByRole('checkbox', { name: 'Product updates' }).isChecked(), true);
      const after = consentsOf(await upstreamOf(stack).getCustomer(ALICE.id));
      assert.equal(after[SEED_CONSENT_IDS.newsletter]?.value, false);
      assert.equal(after[SEED_CONSENT_IDS.productUpdates]?.value, true);
      assert.deepEqual(
        after[SEED_CONSENT_IDS.emailOffers],
        before[SEED_CONSENT_IDS.emailOffers],
        'untouched, date and all',
      );

      await page.getByRole('button', { name: 'Unsubscribe from everything' }).click();
      await page.getByRole('status').filter({ hasText: 'You are unsubscribed from everything.' }).waitFor();
      assert.equal(consentsOf(await upstreamOf(stack).getCustomer(ALICE.id)).unsubscribed?.value, true);
      assert.equal(await page.getByRole('checkbox', { name: 'Personal offers by email' }).isChecked(), false);
    } finally {
      await context.close();
    }
  });

  it('is reached from the unsubscribe landing page, for the same customer, in the same language', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'de-DE' });
    const page = await context.newPage();
    try {
      await page.goto(await devUnsubscribeUrl(stack.worker.url, ALICE.id));
      await page.getByRole('button', { name: 'Abmelden' }).click();
      await page.getByRole('heading', { name: 'Sie sind abgemeldet' }).waitFor();
      await page.getByRole('link', { name: 'Alle Einstellungen verwalten' }).click();
      await page.getByRole('heading', { name: 'Ihre E-Mail-Einstellungen' }).waitFor();
      assert.match(await page.locator('main').innerText(), /Einstellungen für a•••e@example\.com/);
      await page.getByRole('checkbox', { name: 'Newsletter' }).check();
      await page.getByRole('button', { name: 'Auswahl speichern' }).click();
      await page.getByRole('status').filter({ hasText: 'Sie erhalten jetzt: Newsletter.' }).waitFor();
      const consents = consentsOf(await upstreamOf(stack).getCustomer(ALICE.id));
      assert.equal(consents[SEED_CONSENT_IDS.newsletter]?.value, true);
      assert.notEqual(consents.unsubscribed?.value, true, 'giving a consent ends the opt-out');
    } finally {
      await context.close();
    }
  });

  it('with JavaScript on: the form shows and works while the element is unavailable, and hides once it upgrades', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    try {
      // The CDN does not answer: the page is the plain form, which still saves (its POST passes the origin check).
      await context.route('**/vc-consent-panel.js', (route) => route.abort());
      await page.goto(await link());
      await page.getByRole('checkbox', { name: 'Offers from partners' }).check();
      await page.getByRole('button', { name: 'Save choices' }).click();
      await page.getByRole('status').filter({ hasText: 'You now receive: Offers from partners.' }).waitFor();
      assert.equal(consentsOf(await upstreamOf(stack).getCustomer(ALICE.id))[SEED_CONSENT_IDS.partners]?.value, true);

      // An element that upgrades (here a minimal one, with a default slot of its own): the form is no longer shown.
      await context.unroute('**/vc-consent-panel.js');
      await context.route('**/vc-consent-panel.js', (route) =>
        route.fulfill({
          contentType: 'text/javascript',
          headers: { 'access-control-allow-origin': '*' },
          body: `customElements.define('vc-consent-panel', class extends HTMLElement {
            constructor() { super(); this.attachShadow({ mode: 'open' }).innerHTML = '<slot></slot><p>the panel</p>'; }
          });`,
        }),
      );
      const url = await link();
      await page.goto(url);
      await page.getByText('the panel').waitFor();
      assert.equal(await page.locator('form').isVisible(), false);
      const panel = page.locator('vc-consent-panel');
      assert.equal(await panel.getAttribute('preferences-token'), new URL(url).pathname.split('/').pop());
      assert.equal(await panel.getAttribute('worker-url'), stack.worker.url);
      assert.equal(await panel.getAttribute('lang'), 'en');
    } finally {
      await context.close();
    }
  });

  for (const lang of ['en', 'ar']) {
    for (const colorScheme of ['light', 'dark'] as const) {
      it(`has no axe violation in ${lang}, ${colorScheme} (the plain form), before and after saving`, async () => {
        // axe needs timers, which do not run with JavaScript off: the page runs with it on, but without the element
        // (its script is not served), so it is the plain form exactly as without JavaScript.
        const context = await browser.newContext({
          colorScheme,
          viewport: lang === 'ar' ? { width: 390, height: 844 } : { width: 1280, height: 900 },
        });
        await context.route('**/vc-consent-panel.js', (route) => route.abort());
        const page = await context.newPage();
        try {
          await page.goto(`${await link()}?lang=${lang}`);
          assert.equal(await page.getAttribute('html', 'lang'), lang);
          assert.equal(await page.getAttribute('html', 'dir'), lang === 'ar' ? 'rtl' : 'ltr');
          assert.deepEqual(await axeViolations(page), [], `axe on the ${lang} ${colorScheme} page`);
          await page.screenshot({ path: `${ARTIFACTS}/preferences-${lang}-${colorScheme}.png`, fullPage: true });
          await page.getByRole('checkbox').nth(4).check();
          await page.getByRole('button').first().click();
          await page.getByRole('status').waitFor();
          assert.deepEqual(await axeViolations(page), [], `axe on the ${lang} ${colorScheme} page after saving`);
        } finally {
          await context.close();
        }
      });
    }
  }
});
