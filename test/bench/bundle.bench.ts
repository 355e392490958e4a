/**
 * `npm run bench`: the script-tag bundles' sizes (min, min+gzip level 9) against their budgets, and the translation
 * files the ES modules load on demand. Reads `dist/cdn/` (run `npm run build:web` first).
 */
import type { BenchSection } from './run.js';
import { BUDGETS, ENTRIES, built, kb, localeFiles, sizeOf } from '../support/bundle-sizes.js';

export default async function bundleSizes(): Promise<BenchSection> {
  if (!built()) {
    return { title: 'Web component bundles', rows: [], notes: ['dist/cdn is missing: run `npm run build:web` first.'] };
  }
  const rows: BenchSection['rows'] = ENTRIES.map((file) => {
    const size = sizeOf(file);
    const budget = BUDGETS[file];
    return {
      file: `dist/cdn/${file}`,
      min: kb(size.min),
      'min+gzip': kb(size.gzip),
      budget: budget ? kb(budget) : '',
      headroom: budget ? kb(budget - size.gzip) : '',
    };
  });
  const locales = localeFiles().map((file) => sizeOf(`locales/${file}`));
  const gzip = locales.map((size) => size.gzip);
  rows.push({
    file: `dist/cdn/locales/*.js (${locales.length})`,
    min: kb(Math.max(...locales.map((size) => size.min))),
    'min+gzip': `${kb(Math.min(...gzip))}–${kb(Math.max(...gzip))}`,
    budget: '',
    headroom: '',
  });
  return {
    title: 'Web component bundles',
    rows,
    notes: [
      'Budgets count Lit, the localization runtime, the styles and the English texts; another locale adds one ' +
        'locales/<lang>.js file (range shown). The IIFE twin inlines every translation and has no budget.',
    ],
  };
}
