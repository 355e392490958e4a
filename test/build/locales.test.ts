/**
 * The translations are complete, for the elements (`locales/*.xlf`) and the worker's pages (`locales/pages/*.xlf`):
 * every target locale has every message, each with a non-empty translation that keeps the source's placeholders, and
 * the generated runtime modules carry the same messages. Both configs name the same locales.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { targetLocales } from '../../src/generated/locale-codes.js';
import { ROOT } from '../support/bundle-sizes.js';

interface Unit {
  id: string;
  source: string;
  target: string | undefined;
}

/** The elements' catalogue and the worker pages' one: where lit-localize reads and writes each. */
const CATALOGUES = [
  { name: 'elements', config: 'lit-localize.json', xliff: 'locales', generated: 'src/generated/locales' },
  {
    name: 'worker pages',
    config: 'lit-localize-pages.json',
    xliff: 'locales/pages',
    generated: 'src/generated/page-locales',
  },
];

function units(dir: string, locale: string): Unit[] {
  const xml = readFileSync(path.join(ROOT, dir, `${locale}.xlf`), 'utf8');
  return [...xml.matchAll(/<trans-unit id="([^"]+)">([\s\S]*?)<\/trans-unit>/g)].map(([, id, body]) => ({
    id: id!,
    source: /<source>([\s\S]*?)<\/source>/.exec(body!)![1]!,
    target: /<target>([\s\S]*?)<\/target>/.exec(body!)?.[1],
  }));
}

const placeholders = (text: string) => (text.match(/<x id="[^"]*"/g) ?? []).sort();

const readJson = (file: string) =>
  JSON.parse(readFileSync(path.join(ROOT, file), 'utf8')) as { sourceLocale: string; targetLocales: string[] };

for (const catalogue of CATALOGUES) {
  describe(`translations of the ${catalogue.name}`, () => {
    const reference = units(catalogue.xliff, targetLocales[0])
      .map((unit) => unit.id)
      .sort();

    test('there are twelve locales, including right-to-left Arabic and Hebrew', () => {
      assert.deepEqual([...targetLocales].sort(), ['ar', 'de', 'es', 'fr', 'he', 'it', 'ja', 'nl', 'pl', 'pt', 'sv']);
      const config = readJson(catalogue.config);
      assert.deepEqual(
        [config.sourceLocale, ...config.targetLocales],
        ['en', ...targetLocales],
        `${catalogue.config} locales`,
      );
      assert.ok(reference.length > 50, `only ${reference.length} messages`);
    });

    for (const locale of targetLocales) {
      test(`${locale}: every message is translated and keeps its placeholders`, async () => {
        const list = units(catalogue.xliff, locale);
        assert.deepEqual(list.map((unit) => unit.id).sort(), reference, 'the same messages as every other locale');
        for (const unit of list) {
          assert.ok(unit.target?.trim(), `${unit.id} (${unit.source}) has no translation`);
          assert.deepEqual(placeholders(unit.target!), placeholders(unit.source), `${unit.id} placeholders`);
        }
        const generated = (await import(`../../${catalogue.generated}/${locale}.js`)) as {
          templates: Record<string, unknown>;
        };
        assert.deepEqual(
          Object.keys(generated.templates).sort(),
          reference,
          'src/generated is up to date (npm run build:web)',
        );
      });
    }
  });
}
