import { chromium } from 'playwright-core';
const demo = 'http://127.0.0.1:8000';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
for (const [lang, theme, width] of [
  ['en', 'light', 1280],
  ['ar', 'dark', 390],
  ['en', 'dark', 390],
  ['ar', 'light', 1280],
] as const) {
  const context = await browser.newContext({ viewport: { width, height: 900 }, colorScheme: theme });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  await page.goto(`${demo}/?lang=${lang}&theme=${theme}`);
  await page.getByRole('button', { name: /Sign in as Alice/ }).click();
  await page.waitForURL(`${demo}/`);
  await page.goto(`${demo}/account.html?lang=${lang}&theme=${theme}`);
  await page.waitForTimeout(2500);
  await page.screenshot({ path: `/tmp/shots/account-${lang}-${theme}-${width}.png`, fullPage: true });
  await page.goto(`${demo}/emails?customer=alice`);
  const pref = await page.getByTestId('body-preferences').getAttribute('href');
  await page.goto(pref!, { waitUntil: 'networkidle' });
  await page.setExtraHTTPHeaders({ 'accept-language': lang });
  await page.goto(pref!, { waitUntil: 'networkidle' });
  await page.screenshot({ path: `/tmp/shots/prefs-${lang}-${theme}-${width}.png`, fullPage: true });
  await page.goto(`${demo}/emails?customer=alice`);
  const unsub = await page.locator('a[href*="/unsubscribe/"]').first().getAttribute('href');
  if (unsub) {
    await page.goto(unsub, { waitUntil: 'networkidle' });
    await page.screenshot({ path: `/tmp/shots/unsub-${lang}-${theme}-${width}.png`, fullPage: true });
  }
  console.log(lang, theme, width, 'errors:', errors);
  await context.close();
}
await browser.close();
