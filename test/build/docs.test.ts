/**
 * The README stays a consumer's page (within 12,000 bytes, importing the package, never `./src/…`) and every relative
 * link of README.md and docs/*.md points at a file that exists and, with a `#fragment`, at a heading of that file.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const pages = [
  'README.md',
  ...readdirSync(path.join(root, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`),
];
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  const text = markdown.replace(/^```[\s\S]*?^```/gm, '');
  for (const [, heading] of text.matchAll(/^#{1,6} (.+)$/gm)) {
    const slug = heading!
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    out.add(count ? `${slug}-${count}` : slug);
  }
  return out;
}

describe('README and docs/', () => {
  test('README.md is for consumers and within 12,000 bytes', () => {
    const readme = read('README.md');
    const bytes = Buffer.byteLength(readme);
    assert.ok(bytes <= 12_000, `README.md is ${bytes} bytes; keep it within 12,000 and move detail into docs/`);
    assert.match(readme, /npm install vc-consent/);
    assert.match(readme, /npm install && npm start/);
    assert.match(readme, /^npm test\b/m);
    assert.doesNotMatch(readme, /from ['"]\.{1,2}\/src\//, 'README examples import the package, not ./src');
  });

  test('docs/ examples import the package, not the source tree', () => {
    for (const page of pages) assert.doesNotMatch(read(page), /from ['"]\.{1,2}\/src\//, `${page} imports ./src`);
  });

  test('every relative link points at an existing file and heading', () => {
    const problems: string[] = [];
    for (const page of pages) {
      const text = read(page).replace(/^```[\s\S]*?^```/gm, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/i.test(target!)) continue;
        const [file, fragment] = target!.split('#') as [string, string | undefined];
        const resolved = file ? path.posix.normalize(path.posix.join(path.posix.dirname(page), file)) : page;
        if (!existsSync(path.join(root, resolved))) {
          problems.push(`${page}: ${target} (no file ${resolved})`);
          continue;
        }
        if (fragment && resolved.endsWith('.md') && !anchors(read(resolved)).has(fragment))
          problems.push(`${page}: ${target} (no heading #${fragment} in ${resolved})`);
      }
    }
    assert.deepEqual(problems, []);
  });
});
