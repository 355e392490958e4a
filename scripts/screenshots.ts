/**
 * `npm run screenshots`: starts the demo stack (after `npm run build`), signs in as Alice, and saves what a shopper
 * and an operator see — the account page (`<vc-profile-card>` and `<vc-consent-panel>`), the worker's unsubscribe
 * page, the back office and a customer's detail in it — in light and dark, in English at 1280 px and in Arabic at 390 px, into
 * `docs/screenshots/`, which the README's gallery shows.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DEMO_CUSTOMERS } from '../src/emulator/seed.js';
import { launchBrowser } from '../test/support/chromium.js';
import { startDemoStack } from '../test/support/demo-stack.js';
import { devUnsubscribeToken } from '../test/support/tokens.js';
import { ROOT } from './build-worker.js';

const OUTPUT = path.join(ROOT, 'docs/screenshots');
const VIEWS = [
  { lang: 'en', width: 1280, height: 900 },
  { lang: 'ar', width: 390, height: 844 },
] as const;

mkdirSync(OUTPUT, { recursive: true });
const stack = await startDemoStack();
const browser = await launchBrowser();
try {
  const unsubscribe = `${stack.workerUrl}/unsubscribe/${await devUnsubscribeToken(DEMO_CUSTOMERS.bob.id)}`;
  const pages = [
    { name: 'account', url: `${stack.demoUrl}/account.html` },
    { name: 'unsubscribe', url: unsubscribe },
    { name: 'back-office', url: `${stack.demoUrl}/backoffice.html` },
    {
      name: 'back-office-customer',
      url: `${stack.demoUrl}/backoffice.html`,
      hash: `#customer=${encodeURIComponent(DEMO_CUSTOMERS.alice.id)}`,
      ready: '#detail-consents tbody tr',
    },
  ];
  for (const theme of ['light', 'dark'] as const) {
    for (const { lang, width, height } of VIEWS) {
      const context = await browser.newContext({ viewport: { width, height }, colorScheme: theme, locale: lang });
      await context.request.post(`${stack.demoUrl}/login`, { form: { customer: 'alice' }, maxRedirects: 0 });
      const page = await context.newPage();
      for (const { name, url, hash = '', ready } of pages) {
        await page.goto(`${url}${url.includes('?') ? '&' : '?'}lang=${lang}&theme=${theme}${hash}`);
        await page.waitForLoadState('networkidle');
        if (ready) await page.locator(ready).first().waitFor();
        const file = path.join(OUTPUT, `${name}-${lang}-${theme}.png`);
        await page.screenshot({ path: file });
        console.log(`screenshots: ${path.relative(ROOT, file)}`);
      }
      await context.close();
    }
  }
} finally {
  await browser.close();
  await stack.stop();
}
