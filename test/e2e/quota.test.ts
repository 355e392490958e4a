/**
 * End to end, through the real elements in Chromium: what one customer's account page costs Voucherify, counted in
 * the emulator's request log. A first view (profile card, consent panel, segments) costs at most two calls for the
 * customer, a repeat view within the cache's lifetime none; the activity list costs one call when it is opened, and
 * none when opened again.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { DEMO_CUSTOMERS } from '../../src/emulator/seed.js';
import { launchBrowser } from '../support/chromium.js';
import { emulatorControl, startDemoStack, type DemoStack } from '../support/demo-stack.js';

let stack: DemoStack;
let browser: Browser;
let page: Page;

before(async () => {
  stack = await startDemoStack();
  browser = await launchBrowser();
  page = await (await browser.newContext()).newPage();
});

after(async () => {
  await browser?.close();
  const code = await stack?.stop();
  assert.equal(code, 0, `npm start exited with ${code}:\n${stack?.output()}`);
});

interface Logged {
  method: string;
  path: string;
}

/** The API calls the emulator saw since the last call (its control routes are not logged). */
async function upstreamCalls(): Promise<string[]> {
  const response = await fetch(`${stack.emulatorUrl}/_emulator/requests`);
  const { requests } = (await response.json()) as { requests: Logged[] };
  await emulatorControl(stack, 'DELETE', 'requests');
  return requests.map((request) => `${request.method} ${request.path}`);
}

/** Opens the account page and waits until both elements have shown their data and the network is quiet. */
async function viewAccount(): Promise<void> {
  await page.goto(`${stack.demoUrl}/account.html`);
  await page.locator('vc-profile-card').getByText(DEMO_CUSTOMERS.alice.name).first().waitFor();
  await page.locator('vc-consent-panel').getByRole('switch', { name: 'Newsletter' }).first().waitFor();
  await page.waitForLoadState('networkidle');
}

test('a first account view costs at most 2 calls for the customer, a repeat view 0, the activity list 1 when opened', async (t) => {
  await emulatorControl(stack, 'POST', 'reset');
  await upstreamCalls();
  // Signing in and the first view together: the storefront's own panel already reads the customer.
  await page.goto(`${stack.demoUrl}/`);
  await page.getByRole('button', { name: `Sign in as ${DEMO_CUSTOMERS.alice.name}` }).click();
  await page.waitForURL(`${stack.demoUrl}/`);
  await page.waitForLoadState('networkidle');
  await viewAccount();
  const first = await upstreamCalls();
  // The consent definitions are the shop's, shared by every customer and kept at the edge: counted apart.
  const forCustomer = first.filter((call) => call.includes('/v1/customers/'));
  t.diagnostic(`sign-in and first view: ${first.join(', ')}`);
  assert.ok(forCustomer.length <= 2, `first view: ${first.join(', ')}`);
  assert.ok(
    first.every((call) => call.includes('/v1/customers/') || call.endsWith('/v1/consents')),
    'nothing else is called',
  );

  await viewAccount();
  assert.deepEqual(await upstreamCalls(), [], 'a repeat view within the cache lifetime calls nothing');

  const card = page.locator('vc-profile-card');
  await card.getByRole('button', { name: 'Recent activity' }).click();
  await card.getByRole('button', { name: 'Recent activity' }).and(page.locator('[aria-expanded="true"]')).waitFor();
  await page.waitForLoadState('networkidle');
  const opened = await upstreamCalls();
  assert.deepEqual(
    opened.map((call) => call.replace(/cust_\w+/, 'ID')),
    ['GET /v1/customers/ID/activities'],
  );

  await viewAccount();
  await card.getByRole('button', { name: 'Recent activity' }).click();
  await page.waitForLoadState('networkidle');
  assert.deepEqual(await upstreamCalls(), [], 'the first activity page is kept too');
});
