/**
 * The worker's own pages in a real browser (Debian's Chromium via playwright-core), JavaScript off as a mail client's
 * browser may have it: the one-click landing page's and the double opt-in page's forms work, and pass the origin check
 * although the pages are `no-referrer` (Chromium then sends `Origin: null` on their form POSTs). Cross-site posts stay
 * refused.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import { launchBrowser } from '../e2e/stack.js';
import { confirmationLink } from '../../src/worker/node.js';
import { devKeys, devUnsubscribeUrl } from '../support/tokens.js';
import { consentsOf, stackPerSuite, upstreamOf } from './fixture.js';
import type { Stack } from './fixture.js';

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
      assert.equal(consentsOf(await upstreamOf(stack).getCustomer(ALICE.id))[SEED_CONSENT_IDS.newsletter]?.value, false);

      const [response] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/undo')), page.getByRole('button', { name: 'Undo' }).click()]);
      assert.equal(response.status(), 200, `undo answered ${response.status()}: ${(await response.text()).slice(0, 200)}`);
      await page.getByRole('heading', { name: 'You are subscribed again' }).waitFor();
      const consents = consentsOf(await upstreamOf(stack).getCustomer(ALICE.id));
      assert.equal(consents[SEED_CONSENT_IDS.newsletter]?.value, true);
      assert.equal(consents[SEED_CONSENT_IDS.emailOffers]?.value, true);
    } finally {
      await context.close();
    }
  });

  it('confirms a double opt-in from its page, in Arabic, right to left (no JavaScript)', async () => {
    const { url } = await confirmationLink(devKeys, 'new.person@example.com', { [SEED_CONSENT_IDS.newsletter]: true }, { publicUrl: stack.worker.url });
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'ar' });
    const page = await context.newPage();
    try {
      await page.goto(url);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      assert.equal(await upstreamOf(stack).getCustomer('new.person@example.com').catch(() => null), null, 'opening the page records nothing');
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
      const response = await fetch(`${url}/undo`, { method: 'POST', headers: { accept: 'application/json', ...headers } });
      assert.equal(response.status, 403, JSON.stringify(headers));
      assert.equal(((await response.json()) as { key: string }).key, 'origin_not_allowed');
    }
    assert.equal(consentsOf(await upstreamOf(stack).getCustomer(ALICE.id))[SEED_CONSENT_IDS.newsletter]?.value, false, 'still unsubscribed');
  });
});
