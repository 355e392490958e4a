/**
 * `docs/elements.md` is what `npm run docs:elements` writes from the current `custom-elements.json` (built by
 * `npm run build:web`; `npm test` builds first): an attribute, event, part or custom property added, renamed or
 * re-described in the components' JSDoc fails here until the reference is regenerated and committed.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { MANIFEST, OUTPUT, readManifest, renderElementsDoc } from '../../scripts/elements-doc.js';

describe('docs/elements.md', () => {
  test('is current with custom-elements.json', () => {
    assert.ok(existsSync(MANIFEST), 'custom-elements.json is missing: run `npm run build:web` first');
    const expected = renderElementsDoc(readManifest());
    assert.ok(existsSync(OUTPUT), 'docs/elements.md is missing: run `npm run docs:elements` and commit it');
    const actual = readFileSync(OUTPUT, 'utf8');
    if (actual !== expected) {
      const a = actual.split('\n');
      const e = expected.split('\n');
      const line = e.findIndex((text, index) => text !== a[index]);
      assert.fail(
        `docs/elements.md is out of date with custom-elements.json: run \`npm run docs:elements\` and commit the result ` +
          `(first difference at line ${line + 1}:\n  committed: ${JSON.stringify(a[line])}\n  generated: ${JSON.stringify(e[line])})`,
      );
    }
  });

  test('documents every element with its attributes, events, parts and custom properties', () => {
    const manifest = readManifest();
    const text = renderElementsDoc(manifest);
    const elements = manifest.modules
      .flatMap((module) => module.declarations ?? [])
      .filter((declaration) => declaration.tagName);
    assert.deepEqual(elements.map((declaration) => declaration.tagName).sort(), [
      'vc-consent-panel',
      'vc-profile-card',
      'vc-unsubscribe',
    ]);
    for (const declaration of elements) {
      assert.match(text, new RegExp(`^## \`<${declaration.tagName}>\`$`, 'm'));
      for (const attribute of declaration.attributes ?? [])
        assert.ok(text.includes(`| \`${attribute.name}\` |`), `${declaration.tagName} attribute ${attribute.name}`);
      for (const event of declaration.events ?? [])
        assert.ok(text.includes(`| \`${event.name}\` |`), `${declaration.tagName} event ${event.name}`);
      for (const part of declaration.cssParts ?? [])
        assert.ok(text.includes(`| \`${part.name}\` |`), `${declaration.tagName} part ${part.name}`);
      for (const property of declaration.cssProperties ?? [])
        assert.ok(text.includes(`| \`${property.name}\` |`), `${declaration.tagName} ${property.name}`);
    }
  });
});
