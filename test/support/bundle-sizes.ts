/**
 * Sizes of the script-tag bundles (`dist/cdn/`), min+gzip at level 9, and their budgets. Shared by the budget test
 * (`budgets.test.ts`, part of `npm test`) and `npm run bench` (`test/bench/bundle.bench.ts`).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CDN = path.join(ROOT, 'dist/cdn');

/** Bytes, min+gzip. 1 KB = 1000 bytes (the stricter reading). */
export const BUDGETS: Record<string, number> = {
  // The preference center alone, with Lit, the localization runtime and its styles. 15,000 until it learned to work
  // from a preferences link (`preferences-token`: its routes, the expired/invalid link messages) and to show each
  // consent's history (`history`: the history routes, the history line, channel names): those took it from 14,979 to
  // 15,618 B; 15,700 held them. Its own heading naming its region (`heading`, `heading-level`), the policy notice's
  // link and summary (`policy-url`, `policy-summary`) and not asking someone opted out of everything to review took it
  // from 15,689 to 15,931 B: 16,000. A loading skeleton that keeps the room the panel will take (so nothing below it
  // moves when the data arrives), the shop's per-locale `labels` for consent names, and a status line that takes no
  // room when empty took it to 16,657 B: 16,700.
  'vc-consent-panel.js': 16_700,
  // Every element together. 22,000 until the loading skeletons of the panel and the card and `labels` (both elements)
  // took it from 21,904 to 22,811 B: 22,900. The card reading its activities only when they are opened (`activities`,
  // the heading's disclosure button, the first page's loading and "try again") took it to 23,084 B: 23,100.
  'vc-consent.js': 23_100,
};

export const ENTRIES = [
  'vc-consent.js',
  'vc-consent-panel.js',
  'vc-profile-card.js',
  'vc-unsubscribe.js',
  'vc-consent.iife.js',
];

export interface BundleSize {
  file: string;
  min: number;
  gzip: number;
  budget?: number;
}

export function sizeOf(file: string): BundleSize {
  const bytes = readFileSync(path.join(CDN, file));
  const size: BundleSize = { file, min: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  if (BUDGETS[file] !== undefined) size.budget = BUDGETS[file];
  return size;
}

export function localeFiles(): string[] {
  const dir = path.join(CDN, 'locales');
  return existsSync(dir)
    ? readdirSync(dir)
        .filter((name) => name.endsWith('.js'))
        .sort()
    : [];
}

export const built = (): boolean => ENTRIES.every((file) => existsSync(path.join(CDN, file)));

export const kb = (bytes: number): string => `${(bytes / 1000).toFixed(2)} KB`;
