/**
 * End to end: the back office's customer list with a column per consent, its consent filters and a customer's
 * detail view, on the real stack (`npm start`) in Chromium, checked against what the emulator holds.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS, SEED_CONSENTS } from '../../src/emulator/seed.js';
import type { Customer, CustomerConsentsState, CustomersList } from '../../src/api/types.js';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/chromium.js';
import { emulatorControl, emulatorGet, startDemoStack, type DemoStack } from '../support/demo-stack.js';
import { SERVER_HEADERS } from '../support/emulator.js';

const SCAN_LIMIT = 40;
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };
const { alice, bob, chloe } = DEMO_CUSTOMERS;
const consentName = (id: string) => SEED_CONSENTS.find((consent) => consent.id === id)!.name;

let stack: DemoStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[] = [];

before(async () => {
  // A low bound on the consent filters' walk, so a test can reach it.
  stack = await startDemoStack({ VC_DEMO_CONSENT_SCAN_LIMIT: String(SCAN_LIMIT) });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  assert.equal(await stack?.stop(), 0, stack?.output());
});

async function openPage(viewport = DESKTOP): Promise<void> {
  await context?.close();
  context = await browser.newContext({ viewport });
  page = await context.newPage();
  page.on('pageerror', (error) => problems.push(`uncaught exception: ${error.message}`));
}

beforeEach(async () => {
  await emulatorControl(stack, 'POST', 'reset');
  problems = [];
  await openPage();
});

afterEach(() => {
  assert.deepEqual(problems, [], 'the page threw');
});

async function openBackOffice(query = '?lang=en'): Promise<void> {
  await page.goto(`${stack.demoUrl}/backoffice.html${query}`);
  await page.locator('#customers tbody tr').first().waitFor();
}

const range = () => page.locator('#page-range');
const listedNames = () => page.locator('#customers tbody tr td:first-child').allTextContents();

async function emulatorSend(method: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${stack.emulatorUrl}${path}`, {
    method,
    headers: { ...SERVER_HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.ok(response.ok, await response.text());
}

/** Never-asked customers straight in the emulator, so a filter has pages to walk. */
async function addCustomers(count: number): Promise<void> {
  for (let i = 1; i <= count; i += 1) {
    await emulatorSend('POST', '/v1/customers', { source_id: `walk-${i}@example.com`, name: `Walk ${i}` });
  }
}

/** Every customer the emulator holds, newest first. */
async function allCustomers(): Promise<Customer[]> {
  const { body } = await emulatorGet<CustomersList>(stack, '/v1/customers?limit=100');
  assert.ok(body.total <= 100, 'one page holds them all');
  return body.customers;
}

/** The test's own reading of a decision: the consent's entry, else the opt-out of everything. */
function decision(customer: Customer, id: string) {
  const system = customer.system_metadata as { consents?: CustomerConsentsState } | undefined;
  const state = system?.consents ?? {};
  return state[id] ?? (state.unsubscribed?.value ? { value: false, date: state.unsubscribed.date } : undefined);
}

async function search(filters: { state?: string; consent?: string; since?: string; city?: string; perPage?: string }) {
  if (filters.city !== undefined) await page.getByLabel('City').fill(filters.city);
  await page.getByLabel('Consent state').selectOption({ label: filters.state ?? 'Any' });
  await page.getByLabel('Of consent').selectOption({ label: filters.consent ?? 'Any consent' });
  await page.getByLabel('Decided since').fill(filters.since ?? '');
  if (filters.perPage) await page.getByLabel('Per page').selectOption(filters.perPage);
  // Wait for this search's answer: two searches in a row can show the same range.
  const answered = page.waitForResponse((response) => response.url().includes('/admin/api/customers?'));
  await page.getByRole('button', { name: 'Search' }).click();
  await answered;
  await page.locator('#customers:not([aria-busy])').waitFor({ state: 'attached' });
}

function cellOf(name: string, column: string) {
  return page.locator('#customers tbody tr').filter({ hasText: name }).locator(`td[data-label="${column}"]`);
}

describe('a column per consent', () => {
  test('each cell says given or withdrawn with its date, or never asked, as the emulator holds it', async () => {
    await emulatorSend('PUT', `/v1/customers/${bob.id}/consents`, { [SEED_CONSENT_IDS.partners]: true });
    await openBackOffice();
    const headers = await page.locator('#customers thead th').allTextContents();
    for (const consent of SEED_CONSENTS) assert.ok(headers.includes(consent.name), `a column for ${consent.name}`);

    const format = new Intl.DateTimeFormat('en', { dateStyle: 'medium' });
    for (const customer of await allCustomers()) {
      for (const consent of SEED_CONSENTS) {
        const expected = decision(customer, consent.id);
        const text = ((await cellOf(customer.name!, consent.name).textContent()) ?? '').replace(/\s+/g, ' ').trim();
        const words = !expected ? 'Never asked' : expected.value ? 'Given' : /Opted out|Withdrawn/;
        if (typeof words === 'string') assert.ok(text.includes(words), `${customer.name}, ${consent.name}: ${text}`);
        else assert.match(text, words, `${customer.name}, ${consent.name}`);
        if (expected) assert.ok(text.includes(format.format(new Date(expected.date))), `the date in "${text}"`);
      }
    }
    assert.match((await cellOf(bob.name, consentName(SEED_CONSENT_IDS.partners)).textContent()) ?? '', /Given/);
    assert.match((await cellOf(alice.name, consentName(SEED_CONSENT_IDS.smsOffers)).textContent()) ?? '', /Withdrawn/);
    assert.match((await cellOf(chloe.name, consentName(SEED_CONSENT_IDS.newsletter)).textContent()) ?? '', /Withdrawn/);
    // Not colour alone: the state is in words, the icon is decoration.
    const icons = page.locator('#customers .consent-icon');
    assert.equal(await icons.first().getAttribute('aria-hidden'), 'true');
  });
});

describe('consent filters', () => {
  test('each filter lists exactly the matching customers, combined with the list filters', async () => {
    await emulatorSend('PUT', `/v1/customers/${bob.id}/consents`, { [SEED_CONSENT_IDS.partners]: true });
    const today = new Date().toISOString().slice(0, 10);
    const customers = await allCustomers();
    const names = (keep: (customer: Customer) => boolean) => customers.filter(keep).map((customer) => customer.name);
    const ids = SEED_CONSENTS.map((consent) => consent.id);
    const newsletter = SEED_CONSENT_IDS.newsletter;
    const cases = [
      {
        filters: { state: 'Given', consent: consentName(newsletter) },
        expected: names((c) => decision(c, newsletter)?.value === true),
      },
      {
        filters: { state: 'Withdrawn or opted out', consent: consentName(newsletter) },
        expected: names((c) => decision(c, newsletter)?.value === false),
      },
      {
        filters: { state: 'Never asked', consent: consentName(newsletter) },
        expected: names((c) => decision(c, newsletter) === undefined),
      },
      { filters: { state: 'Never asked' }, expected: names((c) => ids.every((id) => !decision(c, id))) },
      { filters: { state: 'Given' }, expected: names((c) => ids.some((id) => decision(c, id)?.value === true)) },
      {
        filters: { state: 'Given', since: today },
        expected: names((c) => ids.some((id) => decision(c, id)?.value === true && decision(c, id)!.date >= today)),
      },
      {
        filters: { state: 'Withdrawn or opted out', city: alice.address.city },
        expected: names(
          (c) => c.address?.city === alice.address.city && ids.some((id) => decision(c, id)?.value === false),
        ),
      },
    ];
    await openBackOffice();
    for (const { filters, expected } of cases) {
      await search(filters);
      const what = JSON.stringify(filters);
      if (expected.length) await range().getByText(`1–${expected.length} of ${expected.length}`).waitFor();
      else await range().getByText('No customer matches.').waitFor();
      assert.deepEqual(await listedNames(), expected, what);
      await page.getByLabel('City').fill('');
    }
    assert.deepEqual(cases[5]!.expected, [bob.name], 'only Bob gave a consent today');
  });

  test('a filtered list pages with the filtered total', async () => {
    await addCustomers(23);
    const customers = await allCustomers();
    const expected = customers
      .filter((c) => SEED_CONSENTS.every((consent) => !decision(c, consent.id)))
      .map((c) => c.name);
    assert.equal(expected.length, 24, 'Bob and the 23 new customers were never asked');
    await openBackOffice();
    await search({ state: 'Never asked', perPage: '10' });
    await range().getByText('1–10 of 24').waitFor();
    const seen = await listedNames();
    await page.getByRole('button', { name: 'Next' }).click();
    await range().getByText('11–20 of 24').waitFor();
    seen.push(...(await listedNames()));
    await page.getByRole('button', { name: 'Next' }).click();
    await range().getByText('21–24 of 24').waitFor();
    seen.push(...(await listedNames()));
    assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), true);
    assert.deepEqual(seen, expected);
    await page.getByRole('button', { name: 'Previous' }).click();
    await range().getByText('11–20 of 24').waitFor();
    assert.deepEqual(await listedNames(), expected.slice(10, 20));
  });

  test('a walk that stops at its bound says how far it searched', async () => {
    await addCustomers(SCAN_LIMIT + 5);
    await openBackOffice();
    await search({ state: 'Never asked' });
    await range()
      .getByText(`1–25 of at least ${SCAN_LIMIT} (only the newest ${SCAN_LIMIT} customers were searched)`)
      .waitFor();
    const expected = (await allCustomers()).filter((c) => SEED_CONSENTS.every((consent) => !decision(c, consent.id)));
    assert.deepEqual(
      await listedNames(),
      expected.slice(0, 25).map((c) => c.name),
    );
    assert.equal(await page.getByRole('button', { name: 'Next' }).isDisabled(), false);
  });
});

describe('a customer’s detail', () => {
  test('from the keyboard: the name opens the profile, consents and segments; Back returns to the same page', async () => {
    await addCustomers(26);
    await openBackOffice();
    await page.getByRole('button', { name: 'Next' }).click();
    await range()
      .getByText(/^26–30 of 30$/)
      .waitFor();
    const rows = await page.locator('#customers tbody tr').allTextContents();

    await page.getByRole('link', { name: alice.name }).focus();
    await page.keyboard.press('Enter');
    const title = page.getByRole('heading', { name: alice.name, level: 3 });
    await title.waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'detail-title');
    assert.match(page.url(), new RegExp(`#customer=${alice.id}$`));
    const profile = page.locator('#detail-profile');
    for (const text of [alice.email, alice.phone, alice.address.line_1, alice.source_id, alice.id, 'internal_score']) {
      await profile.getByText(text, { exact: false }).first().waitFor();
    }
    const consents = page.locator('#detail-consents tbody tr');
    assert.equal(await consents.count(), SEED_CONSENTS.length);
    assert.match(
      (await consents.filter({ hasText: consentName(SEED_CONSENT_IDS.newsletter) }).textContent()) ?? '',
      /Given/,
    );
    assert.match(
      (await consents.filter({ hasText: consentName(SEED_CONSENT_IDS.partners) }).textContent()) ?? '',
      /Never asked/,
    );
    await page.locator('#detail-segments').getByText('Newsletter readers').waitFor();
    await page
      .locator('#history-status')
      .getByText(/record|No consent change/)
      .waitFor();
    assert.equal(await page.locator('#customer-list').isVisible(), false);

    await page.keyboard.press('Shift+Tab');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'detail-back');
    await page.keyboard.press('Enter');
    await page.locator('#customer-list').waitFor();
    await range()
      .getByText(/^26–30 of 30$/)
      .waitFor();
    assert.deepEqual(await page.locator('#customers tbody tr').allTextContents(), rows);
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), alice.name);

    // The address names the customer: a reload opens the detail again, and the browser's Back closes it.
    await page.goto(`${stack.demoUrl}/backoffice.html?lang=en#customer=${bob.id}`);
    await page.getByRole('heading', { name: bob.name, level: 3 }).waitFor();
    await page.getByRole('button', { name: 'Back to the list' }).click();
    await page.locator('#customer-list').waitFor();
    await page.getByRole('link', { name: chloe.name }).click();
    await page.getByRole('heading', { name: chloe.name, level: 3 }).waitFor();
    await page.goBack();
    await page.locator('#customer-list').waitFor();
  });

  test('"Consent history" opens the detail on the ledger', async () => {
    await openBackOffice();
    await page.getByRole('button', { name: `Consent history of ${alice.name}` }).click();
    await page.getByRole('heading', { name: alice.name, level: 3 }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === 'history-title');
  });
});

describe('axe-clean and fits a phone', () => {
  for (const [device, viewport] of Object.entries({ desktop: DESKTOP, phone: PHONE })) {
    for (const lang of ['en', 'ar']) {
      test(`${device}, ${lang}, light and dark: a filtered list and a customer's detail`, async () => {
        await openPage(viewport);
        for (const theme of ['light', 'dark']) {
          const where = `${device} ${lang} ${theme}`;
          await openBackOffice(`?lang=${lang}&theme=${theme}`);
          await search({ state: 'Given' });
          await range().getByText(/–/).waitFor();
          assert.deepEqual(await axeViolations(page), [], `axe on the filtered list (${where})`);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= viewport.width, `${width} px wide at ${viewport.width} px (${where})`);
          const table = await page.evaluate(() => {
            const wrap = document.querySelector('#customers')!.parentElement!;
            return wrap.scrollWidth - wrap.clientWidth;
          });
          assert.equal(table, 0, `the customer table scrolls sideways (${where})`);

          await page.getByRole('link', { name: alice.name }).click();
          await page.getByRole('heading', { name: alice.name, level: 3 }).waitFor();
          await page.locator('#detail-segments li').first().waitFor();
          await page
            .locator('#history-status')
            .getByText(/record|No consent change/)
            .waitFor();
          assert.deepEqual(await axeViolations(page), [], `axe on the detail (${where})`);
          const detailWidth = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(detailWidth <= viewport.width, `the detail is ${detailWidth} px wide (${where})`);
        }
      });
    }
  }
});
