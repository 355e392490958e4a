/**
 * End to end: the demo shop's back office and sign-up answer, as an operator and a visitor use them — on the real
 * stack (`npm start`), in Chromium, on a desktop and on a phone.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/seed.js';
import type { Customer } from '../../src/api/types.js';
import { axeViolations } from '../support/axe.js';
import { launchBrowser } from '../support/chromium.js';
import { emulatorControl, emulatorGet, startDemoStack, type DemoStack } from '../support/demo-stack.js';
import { SERVER_HEADERS } from '../support/emulator.js';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

let stack: DemoStack;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let problems: string[] = [];

before(async () => {
  stack = await startDemoStack();
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

async function openBackOffice(query = ''): Promise<void> {
  await page.goto(`${stack.demoUrl}/backoffice.html${query}`);
  await page.locator('#customers tbody tr').first().waitFor();
}

async function customerTotal(): Promise<number> {
  return (await emulatorGet<{ total: number }>(stack, '/v1/customers?limit=1')).body.total;
}

const range = () => page.locator('#page-range');

/** Customers created straight in the emulator, a batch at a time, so the list has pages to walk. */
async function addCustomers(count: number): Promise<void> {
  const create = async (i: number) => {
    const response = await fetch(`${stack.emulatorUrl}/v1/customers`, {
      method: 'POST',
      headers: { ...SERVER_HEADERS, 'content-type': 'application/json' },
      body: JSON.stringify({
        source_id: `pager-${i}@example.com`,
        name: `Pager ${i}`,
        email: `pager-${i}@example.com`,
      }),
    });
    assert.equal(response.status, 200, await response.text());
  };
  for (let start = 1; start <= count; start += 25) {
    await Promise.all(Array.from({ length: Math.min(25, count - start + 1) }, (_, k) => create(start + k)));
  }
}

describe('the back office on a phone', () => {
  for (const lang of ['en', 'ar']) {
    test(`fits 390 px without zooming out (${lang})`, async () => {
      await openPage(PHONE);
      await openBackOffice(`?lang=${lang}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= PHONE.width, `the page is ${width} px wide on a ${PHONE.width} px phone`);
    });
  }
});

describe('paging through the customers', () => {
  test('"1–25 of N", next "26–50 of N" with the same total, previous back to the first rows', async () => {
    await addCustomers(1000 - 4 + 1);
    const total = await customerTotal();
    assert.ok(total > 50, 'the seed has more than two pages');
    const count = total.toLocaleString('en');
    await openBackOffice('?lang=en');
    await range().getByText(`1–25 of ${count}`).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Previous' }).isDisabled(), true);
    const firstRows = await page.locator('#customers tbody tr').allTextContents();

    await page.getByRole('button', { name: 'Next' }).click();
    await range().getByText(`26–50 of ${count}`).waitFor();
    const secondRows = await page.locator('#customers tbody tr').allTextContents();
    assert.equal(secondRows.length, 25);
    assert.deepEqual(
      secondRows.filter((row) => firstRows.includes(row)),
      [],
      'the second page shows other customers',
    );
    await page.getByRole('button', { name: 'Next' }).click();
    await range().getByText(`51–75 of ${count}`).waitFor();

    await page.getByRole('button', { name: 'Previous' }).click();
    await page.getByRole('button', { name: 'Previous' }).click();
    await range().getByText(`1–25 of ${count}`).waitFor();
    assert.deepEqual(await page.locator('#customers tbody tr').allTextContents(), firstRows);
  });

  test('two quick clicks on "Previous" while a page loads go back two pages; a slow answer never paints over a newer one', async () => {
    await addCustomers(80);
    const count = (await customerTotal()).toLocaleString('en');
    await openBackOffice('?lang=en');
    const firstRows = await page.locator('#customers tbody tr').allTextContents();
    for (const shown of ['26–50', '51–75']) {
      await page.getByRole('button', { name: 'Next' }).click();
      await range().getByText(`${shown} of ${count}`).waitFor();
    }
    // Every list answer now takes 400 ms: the second click lands while the first click's page is still loading.
    await page.route('**/admin/api/customers?*', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 400));
      await route.continue();
    });
    const previous = page.getByRole('button', { name: 'Previous' });
    await previous.click();
    await previous.click();
    await range().getByText(`1–25 of ${count}`).waitFor();
    await page.waitForTimeout(1000); // no late answer for page 2 comes to replace it
    assert.equal(await range().textContent(), `1–25 of ${count}`);
    assert.deepEqual(await page.locator('#customers tbody tr').allTextContents(), firstRows);
    assert.equal(await previous.isDisabled(), true);
    // The button under the keyboard turned disabled: focus goes to "Next", not to the top of the page.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'next-page');
  });

  test('numbers follow the page language', async () => {
    await addCustomers(30);
    const total = await customerTotal();
    await openBackOffice('?lang=ar');
    const format = (value: number) => new Intl.NumberFormat('ar').format(value);
    await range()
      .getByText(`${format(1)}–${format(25)} of ${format(total)}`)
      .waitFor();
  });
});

describe('deleting a customer', () => {
  const bob = DEMO_CUSTOMERS.bob;

  async function findBob(): Promise<void> {
    await openBackOffice();
    await page.getByLabel('Email').fill(bob.email);
    await page.getByRole('button', { name: 'Search' }).click();
    await range().getByText('1–1 of 1').waitFor();
  }

  test('looks destructive and asks first: Escape and Cancel keep the customer', async () => {
    await findBob();
    const remove = page.getByRole('button', { name: `Delete ${bob.name}…` });
    const style = await remove.evaluate((button) => getComputedStyle(button).color);
    const danger = await page.evaluate(() => {
      const probe = document.createElement('span');
      probe.style.color = 'var(--page-danger)';
      document.body.append(probe);
      return getComputedStyle(probe).color;
    });
    assert.equal(style, danger, 'the delete button is drawn in the danger colour');

    await remove.click();
    const dialog = page.getByRole('dialog', { name: `Delete ${bob.name}?` });
    await dialog.waitFor();
    assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Cancel', 'focus starts on Cancel');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), `Delete ${bob.name}…`);

    await remove.click();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'hidden' });
    assert.equal((await emulatorGet(stack, `/v1/customers/${bob.id}`)).status, 200, 'bob is still there');
  });

  test('confirmed from the keyboard, the customer goes and the message stays until dismissed', async () => {
    await findBob();
    await page.getByRole('button', { name: `Delete ${bob.name}…` }).focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: `Delete ${bob.name}?` });
    await dialog.waitFor();
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    const message = page.locator('#customers-message');
    await message.getByText(`Deleted ${bob.name}.`).waitFor();
    assert.equal((await emulatorGet(stack, `/v1/customers/${bob.id}`)).status, 404);
    await range().getByText('No customer matches.').waitFor();
    await page.waitForTimeout(1500);
    assert.equal(await message.getByText(`Deleted ${bob.name}.`).isVisible(), true, 'the message stays');

    await message.getByRole('button', { name: 'Dismiss message' }).click();
    assert.equal(await message.textContent(), '');
  });
});

describe('bulk metadata update', () => {
  test('a dry run lists the unknown ids; confirmed, only existing customers get typed values', async () => {
    const alice = DEMO_CUSTOMERS.alice;
    const unknownId = 'nobody-here@example.com';
    await openBackOffice();
    await page.getByLabel('Source ids (one per line)').fill(`${alice.source_id}\n${unknownId}\n`);
    const fields = page.locator('#m-fields .field-row');
    await fields.nth(0).getByLabel('Key').fill('tier_level');
    await fields.nth(0).getByLabel('Type').selectOption({ label: 'Number' });
    await fields.nth(0).getByLabel('Value').fill('3');
    await page.getByRole('button', { name: 'Add a field' }).click();
    await fields.nth(1).getByLabel('Key').fill('vip');
    await fields.nth(1).getByLabel('Type').selectOption({ label: 'Yes / no' });
    await fields.nth(1).getByLabel('Value').selectOption({ label: 'Yes' });
    await page.getByRole('button', { name: 'Add a field' }).click();
    await fields.nth(2).getByLabel('Key').fill('member_since');
    await fields.nth(2).getByLabel('Type').selectOption({ label: 'Date' });
    await fields.nth(2).getByLabel('Value').fill('2024-03-15');
    await page.getByRole('button', { name: 'Add a field' }).click();
    await fields.nth(3).getByLabel('Key').fill('note');
    await fields.nth(3).getByLabel('Value').fill('42');
    await page.getByRole('button', { name: 'Check ids' }).click();

    const review = page.locator('#metadata-review');
    await review.getByText('These ids match no customer and will be skipped:').waitFor();
    assert.deepEqual(await review.locator('#metadata-unknown-list li').allTextContents(), [unknownId]);
    assert.equal(
      (await emulatorGet<Customer>(stack, `/v1/customers/${alice.id}`)).body.metadata?.tier_level,
      undefined,
      'nothing changed before the operator confirms',
    );
    await review.getByRole('button', { name: 'Update 1 customer(s)' }).click();
    await page.locator('#metadata-message').getByText('Metadata updated for 1 customer(s).').waitFor();

    const { body } = await emulatorGet<Customer>(stack, `/v1/customers/${alice.id}`);
    assert.deepEqual(
      { ...body.metadata },
      { ...body.metadata, tier_level: 3, vip: true, member_since: '2024-03-15', note: '42' },
    );
    const unknown = await emulatorGet(stack, `/v1/customers/${encodeURIComponent(unknownId)}`);
    assert.equal(unknown.status, 404, 'no customer was created for the unknown id');
  });
});

describe('the sign-up answer', () => {
  test('keeps the visitor’s language and theme and names the choices, with no raw id or JSON', async () => {
    await page.goto(`${stack.demoUrl}/?lang=ar&theme=dark`);
    const form = page.locator('form.signup');
    await form.getByRole('textbox', { name: 'Email' }).fill('welcome@example.com');
    await form.locator('vc-consent-panel').getByRole('switch').first().check();
    await form.getByRole('button', { name: 'Sign up' }).click();
    await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();
    assert.deepEqual(
      await page.evaluate(() => ({
        lang: document.documentElement.lang,
        dir: document.documentElement.dir,
        theme: document.documentElement.dataset.theme,
      })),
      { lang: 'ar', dir: 'rtl', theme: 'dark' },
    );
    const text = (await page.locator('main').textContent()) ?? '';
    assert.doesNotMatch(text, /cnst_|[{}]|"[a-z_]+":/, 'no raw ids or JSON');
    const choice = page.getByTestId('received').locator('li');
    assert.equal(await choice.count(), 1);
    assert.match((await choice.textContent()) ?? '', /^\s*\S.*: yes\s*$/);
    assert.ok(Object.values(SEED_CONSENT_IDS).includes((await choice.getAttribute('data-consent-id')) as never));
    assert.deepEqual(await axeViolations(page), []);
  });
});

describe('the back office is axe-clean', () => {
  for (const [device, viewport] of Object.entries({ desktop: DESKTOP, phone: PHONE })) {
    for (const lang of ['en', 'ar']) {
      test(`${device}, ${lang}, light and dark: the page, a message, the review and the confirmation`, async () => {
        await openPage(viewport);
        for (const theme of ['light', 'dark']) {
          await openBackOffice(`?lang=${lang}&theme=${theme}`);
          await page.getByLabel('Source ids (one per line)').fill('nobody-here@example.com');
          await page.locator('#m-fields').getByLabel('Key').fill('tier');
          await page.getByRole('button', { name: 'Check ids' }).click();
          await page.locator('#metadata-unknown-list li').first().waitFor();
          await page.getByLabel('Email').fill('no-such-customer@example.com');
          await page.getByRole('button', { name: 'Search' }).click();
          await range().getByText('No customer matches.').waitFor();
          const where = `${device} ${lang} ${theme}`;
          assert.deepEqual(await axeViolations(page), [], `axe on the back office (${where})`);
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          assert.ok(width <= viewport.width, `${width} px wide at ${viewport.width} px (${where})`);

          await page.getByLabel('Email').fill(DEMO_CUSTOMERS.alice.email);
          await page.getByRole('button', { name: 'Search' }).click();
          await page.getByRole('button', { name: `Delete ${DEMO_CUSTOMERS.alice.name}…` }).click();
          await page.getByRole('dialog').waitFor();
          assert.deepEqual(await axeViolations(page), [], `axe with the confirmation open (${where})`);
          await page.keyboard.press('Escape');
        }
      });
    }
  }
});
