/**
 * Every translation follows its language's glossary (`locales/glossary/<lang>.json`, format in its README): one word
 * per concept, one register, no variant the glossary forbids, an Undo that is not the Cancel button, and no article
 * or preposition before a date that would have to agree with it. Both catalogues are checked, the elements'
 * (`locales/*.xlf`) and the worker pages' (`locales/pages/*.xlf`), so the two cannot drift apart. The locale lists of
 * the code, both lit-localize configs and the three folders agree.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { allLocales, sourceLocale, targetLocales } from '../../src/locales.js';
import { ROOT } from '../support/bundle-sizes.js';

/** Forbidden text → why it is forbidden. A trailing `*` matches any word that starts with the rest. */
type Forbidden = Record<string, string>;

interface Term {
  /** The chosen word(s): the target of every message in `in` contains one of them. */
  use: string[];
  forbid?: Forbidden;
  /** English sources whose translations must carry the term. */
  in?: string[];
}

interface Glossary {
  /** `word`: forbidden text matches whole words only; `substring` for scripts without spaces or with attached prefixes. */
  match: 'word' | 'substring';
  register: { use: string; forbid: Forbidden };
  terms: Record<string, Term>;
  forbid?: Forbidden;
  /** Regular expressions (Unicode) → why. */
  forbidPatterns?: Forbidden;
  /** Words that must not come right before a date. */
  beforeDate?: string[];
  /** The marks around the word typed to confirm a deletion. */
  typedWordQuotes?: [string, string];
  /** How a one-word progress label ("Saving…") starts. */
  progressLabel?: string;
}

interface Unit {
  id: string;
  /** The English text, placeholders as `{0}`. */
  source: string;
  /** The translation, placeholders as `{0}`. */
  target: string;
  /** The translation's placeholders that hold a date, as `{0}`. */
  dates: string[];
}

const CONCEPTS = ['consent', 'unsubscribe', 'preferences', 'undo', 'save', 'mailing list'];
const CATALOGUES = ['locales', 'locales/pages'];
const GLOSSARIES = 'locales/glossary';

const unescape = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
const plain = (xml: string) => unescape(xml.replace(/<x id="(\d+)"[^>]*\/>/g, '{$1}'));

function units(dir: string, locale: string): Unit[] {
  const xml = readFileSync(path.join(ROOT, dir, `${locale}.xlf`), 'utf8');
  return [...xml.matchAll(/<trans-unit id="([^"]+)">([\s\S]*?)<\/trans-unit>/g)].map(([, id, body]) => {
    const target = /<target>([\s\S]*?)<\/target>/.exec(body!)?.[1] ?? '';
    const dates = [...target.matchAll(/<x id="(\d+)" equiv-text="([^"]*)"\/>/g)]
      .filter(([, , equiv]) => /date/i.test(equiv!))
      .map(([, n]) => `{${n}}`);
    return {
      id: `${dir}/${locale}.xlf#${id!}`,
      source: plain(/<source>([\s\S]*?)<\/source>/.exec(body!)![1]!),
      target: plain(target),
      dates,
    };
  });
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A matcher for forbidden text: whole words (Unicode letters) or a plain substring, case-insensitive. */
function matcher(text: string, match: Glossary['match']): RegExp {
  const prefix = text.endsWith('*');
  const body = escapeRegExp(prefix ? text.slice(0, -1) : text);
  if (match === 'substring') return new RegExp(body, 'iu');
  return new RegExp(`(?<![\\p{L}\\p{M}\\p{N}])${body}${prefix ? '' : '(?![\\p{L}\\p{M}\\p{N}])'}`, 'iu');
}

function readGlossary(locale: string): Glossary {
  return JSON.parse(readFileSync(path.join(ROOT, GLOSSARIES, `${locale}.json`), 'utf8')) as Glossary;
}

/** Every forbidden text of a glossary, with the reason it gives. */
function forbidden(glossary: Glossary): [RegExp, string, string][] {
  const rules: [RegExp, string, string][] = [];
  const add = (list: Forbidden | undefined, kind: string) => {
    for (const [text, why] of Object.entries(list ?? {}))
      rules.push([matcher(text, glossary.match), text, `${kind}: ${why}`]);
  };
  add(glossary.register.forbid, `register (${glossary.register.use})`);
  for (const [name, term] of Object.entries(glossary.terms))
    add(term.forbid, `term "${name}" is ${term.use.join(' / ')}`);
  add(glossary.forbid, 'style');
  for (const [pattern, why] of Object.entries(glossary.forbidPatterns ?? {}))
    rules.push([new RegExp(pattern, 'u'), pattern, why]);
  return rules;
}

const lower = (text: string) => text.toLocaleLowerCase();
const files = (dir: string, extension: string) =>
  readdirSync(path.join(ROOT, dir))
    .filter((name) => name.endsWith(extension))
    .map((name) => name.slice(0, -extension.length))
    .sort();

describe('locale lists', () => {
  test('the code, both lit-localize configs and the folders name the same locales', () => {
    const everywhere = [...allLocales].sort();
    assert.ok(everywhere.includes(sourceLocale), 'the source locale is a locale');
    for (const config of ['lit-localize.json', 'lit-localize-pages.json']) {
      const json = JSON.parse(readFileSync(path.join(ROOT, config), 'utf8')) as {
        sourceLocale: string;
        targetLocales: string[];
      };
      assert.deepEqual([json.sourceLocale, ...json.targetLocales].sort(), everywhere, config);
    }
    assert.deepEqual([sourceLocale, ...files('locales', '.xlf')].sort(), everywhere, 'locales/*.xlf');
    assert.deepEqual([sourceLocale, ...files('locales/pages', '.xlf')].sort(), everywhere, 'locales/pages/*.xlf');
    assert.deepEqual([sourceLocale, ...files(GLOSSARIES, '.json')].sort(), everywhere, `${GLOSSARIES}/*.json`);
  });
});

for (const locale of targetLocales) {
  describe(`${locale} follows its glossary`, () => {
    const glossary = readGlossary(locale);
    const all = CATALOGUES.flatMap((dir) => units(dir, locale));
    const withSource = (source: string) => all.filter((unit) => unit.source === source);

    test('the glossary covers every concept and the register', () => {
      assert.deepEqual(Object.keys(glossary.terms).sort(), [...CONCEPTS].sort());
      assert.ok(glossary.register.use.trim(), 'a register is chosen');
      assert.ok(['word', 'substring'].includes(glossary.match), 'match is word or substring');
      for (const [name, term] of Object.entries(glossary.terms))
        assert.ok(term.use.length > 0, `${name}: a chosen word`);
    });

    test('no translation uses a forbidden variant, register or style', () => {
      const found = all.flatMap((unit) =>
        forbidden(glossary)
          .filter(([pattern]) => pattern.test(unit.target))
          .map(([, text, why]) => `${unit.id}: "${text}" in "${unit.target}" (${why})`),
      );
      assert.deepEqual(found, []);
    });

    test('each concept is translated with its chosen word', () => {
      const missing = Object.entries(glossary.terms).flatMap(([name, term]) =>
        (term.in ?? []).flatMap((source) => {
          const list = withSource(source);
          if (list.length === 0) return [`${name}: no message "${source}"`];
          return list
            .filter((unit) => !term.use.some((word) => lower(unit.target).includes(lower(word))))
            .map((unit) => `${unit.id}: "${unit.target}" lacks ${term.use.join(' / ')}`);
        }),
      );
      assert.deepEqual(missing, []);
    });

    test('Undo is not the Cancel button', () => {
      const cancel = withSource('Cancel').map((unit) => lower(unit.target.trim()));
      const undo = withSource('Undo');
      assert.ok(cancel.length > 0 && undo.length > 0);
      for (const unit of undo) assert.ok(!cancel.includes(lower(unit.target.trim())), `${unit.id}: "${unit.target}"`);
    });

    test('no article or preposition that agrees with a date comes before it', () => {
      const before = (glossary.beforeDate ?? []).map(lower);
      const dated = all.filter((unit) => unit.dates.length > 0);
      assert.ok(dated.length >= 10, `only ${dated.length} messages with a date`);
      const wrong = dated.flatMap((unit) =>
        unit.dates
          .map((date) => /([\p{L}\p{M}’'-]+)[\s\u00a0]*$/u.exec(unit.target.slice(0, unit.target.indexOf(date)))?.[1])
          .filter((word) => word !== undefined && before.includes(lower(word)))
          .map((word) => `${unit.id}: "${word}" before the date in "${unit.target}"`),
      );
      assert.deepEqual(wrong, []);
    });

    test('the word to type to confirm a deletion is marked out', { skip: !glossary.typedWordQuotes }, () => {
      const [open, close] = glossary.typedWordQuotes!;
      for (const unit of withSource('Type {0} to confirm'))
        assert.ok(unit.target.includes(`${open}{0}${close}`), `${unit.id}: "${unit.target}"`);
    });

    test('a progress label does not read like a button', { skip: !glossary.progressLabel }, () => {
      const labels = all.filter((unit) => /^\p{L}+ing…$/u.test(unit.source));
      assert.ok(labels.length >= 4);
      for (const unit of labels)
        assert.ok(unit.target.startsWith(glossary.progressLabel!), `${unit.id}: "${unit.target}"`);
    });
  });
}
