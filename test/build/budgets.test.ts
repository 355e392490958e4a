/**
 * The script-tag bundles stay within their budgets (min+gzip, level 9) and are shaped as documented: self-contained
 * ES modules that load translations from `locales/<lang>.js`, standalone locale files, an IIFE with everything inline.
 * Reads `dist/cdn/` as built by `npm run build:web` (`npm test` builds first).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { targetLocales } from '../../src/generated/locale-codes.js';
import { BUDGETS, CDN, ENTRIES, ROOT, built, kb, localeFiles, sizeOf } from '../support/bundle-sizes.js';

const read = (file: string) => readFileSync(path.join(CDN, file), 'utf8');

describe('script-tag bundles', () => {
  before(() => {
    assert.ok(built(), `dist/cdn is incomplete: run \`npm run build:web\` first (expected ${ENTRIES.join(', ')})`);
  });

  test('stay within their min+gzip budgets', () => {
    const lines = ENTRIES.map((file) => sizeOf(file)).map(
      (size) =>
        `  ${size.file.padEnd(22)} ${kb(size.min).padStart(10)} min ${kb(size.gzip).padStart(10)} gzip${size.budget ? `  (budget ${kb(size.budget)})` : ''}`,
    );
    console.log(`bundle sizes:\n${lines.join('\n')}`);
    for (const [file, budget] of Object.entries(BUDGETS)) {
      const { gzip } = sizeOf(file);
      assert.ok(gzip <= budget, `${file} is ${kb(gzip)} min+gzip, over its budget of ${kb(budget)}`);
    }
  });

  test('each ES entry is self-contained and loads only its translations beside it', () => {
    for (const file of ['vc-consent.js', 'vc-consent-panel.js', 'vc-profile-card.js', 'vc-unsubscribe.js']) {
      const code = read(file);
      assert.doesNotMatch(code, /^\s*import\s*[{*\w]|\bfrom\s*["']/m, `${file} has a static import`);
      const dynamic = [...code.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)].map((match) => match[1]).sort();
      assert.deepEqual(
        dynamic,
        targetLocales.map((locale) => `./locales/${locale}.js`).sort(),
        `${file} dynamic imports`,
      );
      assert.doesNotMatch(code, /Lit is in dev mode/, `${file} carries Lit's development build`);
    }
  });

  test('every translation is a standalone file, and the IIFE inlines them all', () => {
    assert.deepEqual(localeFiles(), targetLocales.map((locale) => `${locale}.js`).sort());
    for (const file of localeFiles()) {
      const code = read(`locales/${file}`);
      assert.doesNotMatch(code, /\bimport\b/, `locales/${file} must not import anything`);
      assert.match(code, /export\s*\{/, `locales/${file} exports its templates`);
    }
    const iife = read('vc-consent.iife.js');
    assert.doesNotMatch(iife, /\bimport\s*\(|^\s*export\b/m, 'the IIFE must not import or export');
    assert.match(iife, /^var VcConsent\s*=/, 'the IIFE defines the VcConsent global');
    for (const phrase of ['Auswahl speichern', 'حفظ الاختيارات', 'שמירת הבחירות', '選択内容を保存'])
      assert.ok(iife.includes(phrase), phrase);
  });

  test('custom-elements.json describes the three elements', () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'custom-elements.json'), 'utf8')) as {
      modules: Array<{
        declarations?: Array<{ tagName?: string; attributes?: unknown[]; events?: unknown[]; cssParts?: unknown[] }>;
      }>;
    };
    const tags = manifest.modules
      .flatMap((module) => module.declarations ?? [])
      .filter((declaration) => declaration.tagName);
    assert.deepEqual(tags.map((declaration) => declaration.tagName).sort(), [
      'vc-consent-panel',
      'vc-profile-card',
      'vc-unsubscribe',
    ]);
    for (const declaration of tags) {
      assert.ok(
        declaration.attributes?.length && declaration.events?.length && declaration.cssParts?.length,
        declaration.tagName,
      );
    }
  });
});
