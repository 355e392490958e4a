/**
 * End to end: the real stack as `npm start` starts it (emulator, worker in workerd via Miniflare, demo shop), driven
 * through Debian's Chromium the way customers, mailbox providers and staff use it.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/seed.js';
import type { Customer, CustomerConsentsState } from '../../src/api/types.js';
import type { EdgeConsentHistory } from '../../src/api/edge-types.js';
import { runCli } from '../../src/node/cli.js';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/chromium.js';
import { emulatorControl, emulatorGet, startDemoStack, type DemoStack } from '../support/demo-stack.js';
import { portIsFree } from '../support/ports.js';

const ARTIFACTS = 'test-results/e2e';

let stack: DemoStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;

before(async () => {
  stack = await startDemoStack();
  browser = await launchBrowser();
  await mkdir(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  const code = await stack?.stop();
  // Ctrl-C / SIGTERM stops every child: nothing may keep a port.
  assert.equal(code, 0, `npm start exited with ${code}:\n${stack?.output()}`);
  for (const [name, port] of Object.entries(stack.ports)) {
    assert.ok(await portIsFree(port), `the ${name} port ${port} is still taken after npm start stopped`);
  }
});

/** Uncaught exceptions and CSP violations seen in the page during a test: each test ends with none. */
let problems: string[] = [];

beforeEach(async () => {
  await emulatorControl(stack, 'POST', 'reset');
  await context?.close();
  context = await browser.newContext();
  page = await context.newPage();
  problems = [];
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) problems.push(message.text());
  });
});

afterEach(() => {
  assert.deepEqual(problems, [], 'the page threw or broke its CSP');
});

async function signIn(customer: keyof typeof DEMO_CUSTOMERS): Promise<void> {
  await page.goto(`${stack.demoUrl}/`);
  await page.getByRole('button', { name: `Sign in as ${DEMO_CUSTOMERS[customer].name}` }).click();
  await page.waitForURL(`${stack.demoUrl}/`);
}

async function consentsOf(customerId: string): Promise<CustomerConsentsState> {
  const { status, body } = await emulatorGet<Customer>(stack, `/v1/customers/${encodeURIComponent(customerId)}`);
  assert.equal(status, 200);
  const system = body.system_metadata;
  return (system && !Array.isArray(system) ? system.consents : undefined) ?? {};
}

function given(state: CustomerConsentsState): string[] {
  return Object.entries(state)
    .filter(([id, decision]) => id !== 'unsubscribed' && decision.value)
    .map(([id]) => id)
    .sort();
}

const panel = () => page.locator('vc-consent-panel');
// "Saved 20:07: Newsletter on, …": the panel names what it saved.
const savedStatus = () => panel().getByText(/Saved .+: /);

describe('a customer manages their consents', () => {
  test('changes two consents and saves: the emulator holds exactly that state, and a reload shows it', async () => {
    await signIn('bob');
    await page.goto(`${stack.demoUrl}/account.html`);
    await panel().getByRole('switch', { name: 'Newsletter' }).check();
    await panel().getByRole('switch', { name: 'Offers from partners' }).check();
    await panel().getByRole('button', { name: 'Save choices' }).click();
    await savedStatus().waitFor();

    const state = await consentsOf(DEMO_CUSTOMERS.bob.id);
    assert.deepEqual(given(state), [SEED_CONSENT_IDS.newsletter, SEED_CONSENT_IDS.partners].sort());
    // Only what bob touched was sent: the others were never asked, so nothing is recorded for them.
    for (const id of [SEED_CONSENT_IDS.productUpdates, SEED_CONSENT_IDS.emailOffers, SEED_CONSENT_IDS.smsOffers]) {
      assert.equal(state[id], undefined, `${id} has no decision`);
    }
    assert.notEqual(state.unsubscribed?.value, true);

    await page.reload();
    await assertSwitches({
      Newsletter: true,
      'Offers from partners': true,
      'Product updates': false,
      'Offers by text message': false,
    });
  });

  async function assertSwitches(expected: Record<string, boolean>): Promise<void> {
    for (const [name, on] of Object.entries(expected)) {
      const toggle = panel().getByRole('switch', { name });
      await toggle.waitFor();
      assert.equal(await toggle.isChecked(), on, `${name} is ${on ? 'on' : 'off'}`);
    }
  }
});

describe('consent integrity (regressions)', () => {
  test('signed in on the storefront, the panel shows the customer’s choices and one change leaves the others untouched', async () => {
    const alice = DEMO_CUSTOMERS.alice;
    const before = await consentsOf(alice.id);
    await signIn('alice');
    const storefront = page.locator('#storefront-panel');
    const newsletter = storefront.getByRole('switch', { name: 'Newsletter' });
    await newsletter.waitFor();
    await page.waitForFunction(() => {
      const el = document.querySelector('#storefront-panel');
      return !!el?.shadowRoot?.querySelector('fieldset');
    });
    assert.equal(await newsletter.isChecked(), true, 'the newsletter alice gave is shown as given');
    await storefront.getByRole('switch', { name: 'Offers from partners' }).check();
    await storefront.getByRole('button', { name: 'Save choices' }).click();
    await storefront.locator('[part~=status]').getByText(/saved/i).waitFor();
    const after = await consentsOf(alice.id);
    assert.equal(after[SEED_CONSENT_IDS.partners]?.value, true);
    for (const id of [
      SEED_CONSENT_IDS.newsletter,
      SEED_CONSENT_IDS.emailOffers,
      SEED_CONSENT_IDS.smsOffers,
      SEED_CONSENT_IDS.productUpdates,
    ]) {
      assert.deepEqual(after[id], before[id], `${id} untouched (value and date)`);
    }
  });

  test('a sign-up with a known email changes nothing until the emailed link is confirmed', async () => {
    const alice = DEMO_CUSTOMERS.alice;
    const before = await consentsOf(alice.id);
    await page.goto(`${stack.demoUrl}/`);
    const form = page.locator('form.signup');
    await form.getByRole('textbox', { name: 'Email' }).fill(alice.email);
    await form.locator('vc-consent-panel').getByRole('switch', { name: 'Offers from partners' }).check();
    await form.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    assert.deepEqual(await consentsOf(alice.id), before, 'nothing recorded before confirmation');

    await page.goto(`${stack.demoUrl}/emails`);
    await page.getByRole('link', { name: 'Confirm my choices' }).first().click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: /your choices are confirmed/ }).waitFor();
    const after = await consentsOf(alice.id);
    assert.equal(after[SEED_CONSENT_IDS.partners]?.value, true);
    for (const id of [SEED_CONSENT_IDS.newsletter, SEED_CONSENT_IDS.emailOffers, SEED_CONSENT_IDS.smsOffers]) {
      assert.deepEqual(after[id], before[id], `${id} untouched`);
    }
  });

  test('signed out, the account page shows no live element', async () => {
    await page.goto(`${stack.demoUrl}/account.html`);
    await page.getByRole('heading', { name: 'Sign in to see your account' }).waitFor();
    await page.waitForLoadState('networkidle');
    assert.equal(await page.locator('vc-profile-card').isVisible(), false);
    assert.equal(await page.locator('vc-consent-panel').isVisible(), false);
  });
});

describe('the storefront sign-up form', () => {
  test('submits only what the person chose; the customer exists with those consents once the emailed link is confirmed', async () => {
    await page.goto(`${stack.demoUrl}/`);
    const form = page.locator('form.signup');
    await form.getByRole('textbox', { name: 'Email' }).fill('new.reader@example.com');
    await form.locator('vc-consent-panel').getByRole('switch', { name: 'Newsletter' }).check();
    await form.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    const received = Object.fromEntries(
      await page
        .getByTestId('received')
        .locator('li')
        .evaluateAll((items: HTMLElement[]) =>
          items.map((item) => [item.dataset.consentId, item.dataset.given === 'true']),
        ),
    ) as Record<string, boolean>;
    assert.deepEqual(received, { [SEED_CONSENT_IDS.newsletter]: true }, 'the form carries only the touched switch');
    assert.equal(
      (await emulatorGet(stack, `/v1/customers/${encodeURIComponent('new.reader@example.com')}`)).status,
      404,
      'nobody created yet',
    );

    await page.goto(`${stack.demoUrl}/emails`);
    await page.getByRole('link', { name: 'Confirm my choices' }).first().click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await page.getByRole('heading', { name: /your choices are confirmed/ }).waitFor();
    const state = await consentsOf('new.reader@example.com');
    assert.deepEqual(given(state), [SEED_CONSENT_IDS.newsletter]);
    assert.deepEqual(Object.keys(state), [SEED_CONSENT_IDS.newsletter], 'nothing else recorded');
  });
});

describe('one-click unsubscribe', () => {
  test('panel opt-out, then the mailbox provider POST, a scanner GET that changes nothing, then undo', async () => {
    const alice = DEMO_CUSTOMERS.alice;
    await signIn('alice');
    await page.goto(`${stack.demoUrl}/account.html`);
    await panel().getByRole('button', { name: 'Opt out of everything' }).click();
    await panel().getByText('This turns off every consent').waitFor();
    await panel().getByRole('button', { name: 'Confirm' }).click();
    await savedStatus().waitFor();
    let state = await consentsOf(alice.id);
    assert.equal(state.unsubscribed?.value, true);
    assert.deepEqual(given(state), []);

    // The email the shop sent: its headers carry the one-click URL, its body the landing page.
    await page.goto(`${stack.demoUrl}/emails?customer=alice`);
    const headers = await page.getByTestId('headers').textContent();
    const oneClick = /^List-Unsubscribe: <(https?:\/\/[^>]+)>/m.exec(headers ?? '')?.[1] ?? '';
    assert.ok(oneClick.startsWith(`${stack.workerUrl}/unsubscribe/`), `List-Unsubscribe names the worker: ${headers}`);
    assert.match(headers ?? '', /^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);

    // The mailbox provider: a POST with no cookie, no auth, in both encodings; 200 each time, never a redirect.
    const urlencoded = await fetch(oneClick, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      redirect: 'manual',
    });
    assert.equal(urlencoded.status, 200);
    const form = new FormData();
    form.set('List-Unsubscribe', 'One-Click');
    const multipart = await fetch(oneClick, { method: 'POST', body: form, redirect: 'manual' });
    assert.equal(multipart.status, 200);
    state = await consentsOf(alice.id);
    assert.equal(state.unsubscribed?.value, true);

    // A mail scanner follows the link twice: nothing changes.
    const before = JSON.stringify(state);
    for (let i = 0; i < 2; i += 1) {
      const scan = await fetch(oneClick, { redirect: 'manual' });
      assert.equal(scan.status, 200);
      assert.match(await scan.text(), /<form[^>]+method="post"/i);
    }
    assert.equal(JSON.stringify(await consentsOf(alice.id)), before, 'a GET changed nothing');

    // The customer opens the body link: <vc-unsubscribe> confirms, then undoes once.
    const landing = await page.getByTestId('body-unsubscribe').getAttribute('href');
    await page.goto(landing!);
    const element = page.locator('vc-unsubscribe');
    await element.getByRole('button', { name: 'Unsubscribe from marketing emails' }).click();
    await element.getByText('You have been unsubscribed.', { exact: false }).waitFor();
    await element.getByRole('button', { name: 'Undo' }).click();
    await element.getByText('You are subscribed again.', { exact: false }).waitFor();
    state = await consentsOf(alice.id);
    assert.equal(state.unsubscribed?.value, false, 'undo re-subscribed the customer');
  });
});

describe('the preference center and the consent ledger', () => {
  test('email → preferences link → two consents changed → history says preferences-link → the back office export verifies', async () => {
    const alice = DEMO_CUSTOMERS.alice;
    const since = new Date().toISOString();
    await page.goto(`${stack.demoUrl}/emails?customer=alice`);
    const link = await page.getByTestId('body-preferences').getAttribute('href');
    assert.ok(
      link?.startsWith(`${stack.workerUrl}/preferences/`),
      `the email links to the worker's preference center: ${link}`,
    );

    // The person opens the link from their mail client (JavaScript off: the plain form) and changes two consents.
    const plain = await browser.newContext({ javaScriptEnabled: false });
    try {
      const mail = await plain.newPage();
      await mail.goto(link!);
      await mail.getByRole('heading', { name: 'Your email preferences' }).waitFor();
      await mail.getByRole('checkbox', { name: 'Newsletter' }).uncheck();
      await mail.getByRole('checkbox', { name: 'Offers from partners' }).check();
      await mail.getByRole('button', { name: 'Save choices' }).click();
      await mail
        .getByRole('status')
        .filter({ hasText: 'You now receive: Offers from partners. You no longer receive: Newsletter.' })
        .waitFor();
    } finally {
      await plain.close();
    }

    // Their history names the channel (the link reads it, as <vc-consent-panel history> does).
    const token = new URL(link!).pathname.split('/').pop()!;
    const history = (await (
      await fetch(`${stack.workerUrl}/preferences/${token}/consents/history`)
    ).json()) as EdgeConsentHistory;
    const recent = history.data.filter((record) => record.at >= since);
    assert.deepEqual(
      recent
        .map((record) => `${record.consent_name}: ${record.old_value} → ${record.new_value} via ${record.channel}`)
        .sort(),
      ['Newsletter: true → false via preferences-link', 'Offers from partners: null → true via preferences-link'],
    );

    // Staff open the customer's consent history in the back office and download the proof.
    await page.goto(`${stack.demoUrl}/backoffice.html`);
    await page.getByLabel('Email').fill(alice.email);
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('button', { name: `Consent history of ${alice.name}` }).click();
    const rows = page.locator('#history-table tbody tr');
    await rows.first().waitFor();
    const table = (await rows.allTextContents()).join('\n');
    assert.match(table, /Offers from partners\s*not decided → given\s*Email preferences link/);
    assert.match(table, /Newsletter\s*given → withdrawn\s*Email preferences link/);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    const file = path.join(ARTIFACTS, 'consent-records.csv');
    await download.saveAs(file);
    const csv = await readFile(file, 'utf8');
    assert.match(csv, /^seq,id,event,customer_id,/);
    assert.equal(
      csv.match(/,preferences-link,/g)?.length ?? 0,
      history.data.filter((record) => record.channel === 'preferences-link').length,
    );
    const out: string[] = [];
    const code = await runCli(['ledger', 'verify', file], {
      out: (line) => out.push(line),
      err: (line) => out.push(line),
    });
    assert.equal(code, 0, out.join('\n'));
    assert.match(out.join('\n'), /chain intact/);
  });
});

describe('the preference center, enhanced', () => {
  test('with JavaScript on, the link opens the panel: a change saves without a reload and its history says "via email link"', async () => {
    await page.goto(`${stack.demoUrl}/emails?customer=bob`);
    const link = await page.getByTestId('body-preferences').getAttribute('href');
    await page.goto(link!);
    const element = page.locator('vc-consent-panel[preferences-token]');
    await element.getByRole('switch', { name: 'Product updates' }).check();
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    await element.getByRole('button', { name: 'Save choices' }).click();
    await element.getByText(/Saved .+: /).waitFor();
    await element.getByText(/Given .+ via email link/).waitFor();
    assert.deepEqual(navigations, [], 'saved without a reload');
    assert.equal((await consentsOf(DEMO_CUSTOMERS.bob.id))[SEED_CONSENT_IDS.productUpdates]?.value, true);
  });
});

describe('the profile card', () => {
  test('shows the customer, edits the phone, lists the update, then deletes the data for good; the panel beside it stops', async () => {
    const yuki = DEMO_CUSTOMERS.yuki;
    await signIn('yuki');
    await page.goto(`${stack.demoUrl}/account.html`);
    const card = page.locator('vc-profile-card');
    await card.getByText(yuki.name).waitFor();
    await card.getByText(yuki.email).waitFor();

    await card.getByRole('button', { name: 'Edit details' }).click();
    await card.getByLabel('Phone').fill('+81 3 1234 5678');
    await card.getByRole('button', { name: 'Save details' }).click();
    await card.getByText('Your details have been saved.').waitFor();
    await card.getByText('+81 3 1234 5678').waitFor();
    // The activity list is read when opened (the card's default), then shows the update.
    await card.getByRole('button', { name: 'Recent activity' }).click();
    await card.getByText('Details updated').first().waitFor();
    const { body } = await emulatorGet<Customer>(stack, `/v1/customers/${yuki.id}`);
    assert.equal(body.phone, '+81 3 1234 5678');

    await card.getByRole('button', { name: 'Delete my data…' }).click();
    await card.getByLabel('Type DELETE to confirm').fill('DELETE');
    await card.getByRole('button', { name: 'Delete permanently' }).click();
    await card.getByText('Your data has been deleted.').waitFor();
    // The consent panel beside it stops at once: nothing left to change, nothing kept to re-send.
    await panel().getByText('This account no longer exists.').first().waitFor();
    assert.equal(await panel().getByRole('switch').first().isDisabled(), true);
    await page.reload();
    await panel().getByText('This account no longer exists.').first().waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0, 'no choice kept to re-send');
    const gone = await emulatorGet(stack, `/v1/customers/${yuki.id}`);
    assert.equal(gone.status, 404, 'the customer is gone for good');
    const activity = await emulatorGet(stack, `/v1/customers/${yuki.id}/activity`);
    assert.equal(activity.status, 404, 'their activity went with them');
  });
});

describe('the back office', () => {
  test('imports a 1,000-row CSV, the progress bar reaches 100% and the list shows the new customers', async () => {
    const before = await emulatorGet<{ total: number }>(stack, '/v1/customers?limit=1');
    await page.goto(`${stack.demoUrl}/backoffice.html`);
    await page.getByRole('button', { name: 'Import a 1,000-row sample' }).click();
    await page.getByText(/Import done/).waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('#import-progress').evaluate((bar: HTMLProgressElement) => bar.value), 100);
    const after = await emulatorGet<{ total: number }>(stack, '/v1/customers?limit=1');
    assert.equal(after.body.total, before.body.total + 1000);
    await page.getByText(`1–25 of ${after.body.total.toLocaleString('en')}`).waitFor();
    const firstRow = page.locator('#customers tbody tr').first();
    assert.match((await firstRow.textContent()) ?? '', /sample-\w+-\d+@example\.com/);
  });
});

describe('a save while the upstream fails', () => {
  for (const fault of [
    { name: '429 with Retry-After', rule: { kind: 'status', status: 429, retryAfter: 1 } },
    { name: '500', rule: { kind: 'status', status: 500 } },
    // Just past the worker's 10 s upstream timeout, so the late write lands before the next test.
    { name: 'slow beyond the timeout', rule: { kind: 'latency', latencyMs: 11_000 } },
  ]) {
    test(`${fault.name}: the panel shows the error, keeps the choices, and saves once the fault clears`, async () => {
      const bob = DEMO_CUSTOMERS.bob;
      await signIn('bob');
      await page.goto(`${stack.demoUrl}/account.html`);
      await panel().getByRole('switch', { name: 'Product updates' }).check();
      await emulatorControl(stack, 'PUT', 'faults', {
        rules: [{ method: 'PUT', path: '/v1/customers/*/consents', ...fault.rule }],
      });
      await panel().getByRole('button', { name: 'Save choices' }).click();
      await panel().getByText('Your choices have not been saved yet.').waitFor({ timeout: 45_000 });
      assert.equal(
        await panel().getByRole('switch', { name: 'Product updates' }).isChecked(),
        true,
        'the choice is kept',
      );
      if (fault.rule.kind === 'status')
        assert.deepEqual(given(await consentsOf(bob.id)), [], 'nothing reached the emulator');

      await emulatorControl(stack, 'DELETE', 'faults');
      await panel().getByRole('button', { name: 'Try again' }).click();
      await savedStatus().waitFor({ timeout: 30_000 });
      assert.deepEqual(given(await consentsOf(bob.id)), [SEED_CONSENT_IDS.productUpdates]);
    });
  }
});

describe('every demo page', () => {
  const pages = ['/', '/account.html', '/emails', '/backoffice.html', '/unsubscribe.html?token=not-a-token'];
  for (const lang of ['en', 'ar']) {
    test(`has no axe violation in ${lang}, and screenshots in light and dark are saved`, async () => {
      await signIn('alice');
      for (const path of pages) {
        for (const theme of ['light', 'dark']) {
          const url = `${stack.demoUrl}${path}${path.includes('?') ? '&' : '?'}lang=${lang}&theme=${theme}`;
          await page.goto(url);
          await page.waitForLoadState('networkidle');
          assert.equal(await page.evaluate(() => document.documentElement.lang), lang);
          const violations = await axeViolations(page);
          assert.deepEqual(violations, [], `axe on ${url}:\n${JSON.stringify(violations, null, 2)}`);
          const name = `${
            path
              .replace(/\?.*/, '')
              .replace(/[^a-z]+/g, '-')
              .replace(/^-|-$/g, '') || 'storefront'
          }-${lang}-${theme}`;
          await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
        }
      }
    });
  }
});
