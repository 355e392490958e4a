/**
 * Debian's Chromium for every browser test (components, the client in a browser, end to end, the panel bench):
 * where to find it, the flags this machine needs, and launching it through playwright-core. No test tool may download
 * a browser of its own.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** As root Chromium needs --no-sandbox; the rest keep it from reaching for hosts this network refuses. */
export const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/** What to do when `findChromium()` found nothing. */
export function noChromium(): string {
  const wanted = process.env.CHROME_PATH;
  return (
    `The browser tests need Chromium and found ${wanted ? `nothing at CHROME_PATH=${wanted}` : 'none'}.\n` +
    '  Install it:  apt-get update && apt-get install -y chromium   (gives /usr/bin/chromium)\n' +
    '  or point to one:  CHROME_PATH=/path/to/chrome\n' +
    'No browser is downloaded by the test tools.'
  );
}

/** `CHROME_PATH` when set (and present), else the usual places; undefined when there is none. */
export function findChromium(): string | undefined {
  const wanted = process.env.CHROME_PATH;
  if (wanted) return existsSync(wanted) ? wanted : undefined;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((candidate) =>
    existsSync(candidate),
  );
}

/** The path of Chromium, or an error that says how to get one. */
export function chromiumPath(): string {
  const found = findChromium();
  if (!found) throw new Error(noChromium());
  return found;
}

/** Chromium, headless, driven by playwright-core. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath(), headless: true, args: CHROMIUM_FLAGS });
}
