/**
 * The client documentation's example (docs/client.md, once the README's) still runs and still prints what the page
 * shows (ids, dates and request ids aside): the code block is taken from the page, pointed at a fresh emulator and at
 * the client's source instead of the package, and run with tsx.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startEmulator } from '../../src/emulator/index.js';
import type { RunningEmulator } from '../../src/emulator/index.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

function between(text: string, start: string, fence: string): string {
  const from = text.indexOf(start);
  assert.ok(from >= 0, `docs/client.md has ${start}`);
  const open = text.indexOf(fence, from) + fence.length;
  return text.slice(open, text.indexOf('\n```', open) + 1);
}

/** Ids, dates and request ids differ from run to run, and how many job states a poll catches before DONE. */
const normalize = (output: string) =>
  output
    .replace(/^import (ENQUEUED|IN_PROGRESS) \d+\n/gm, '')
    .replace(/cust_[0-9A-Za-z]+/g, 'cust_…')
    .replace(/v-[0-9a-f]+/g, 'v-…')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/g, 'date')
    .trimEnd();

describe('docs/client.md example', () => {
  let emulator: RunningEmulator;
  let dir: string;
  before(async () => {
    emulator = await startEmulator({ port: 0, quiet: true });
    dir = await mkdtemp(join(tmpdir(), 'vc-client-doc-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
    await emulator?.close();
  });

  test('runs against the emulator and prints what the page shows', async () => {
    const page = await readFile(`${root}docs/client.md`, 'utf8');
    const code = between(page, '## Example, run against the emulator', '```ts\n');
    const shown = between(page, 'Its output', '```text\n');
    assert.match(code, /'http:\/\/127\.0\.0\.1:4010'/);
    assert.match(code, /from 'vc-consent\/api';/, 'the example imports the package, as a consumer would');
    const file = join(dir, 'example.mts');
    const runnable = code
      .replace("'http://127.0.0.1:4010'", JSON.stringify(emulator.url))
      .replace("'vc-consent/api'", JSON.stringify(pathToFileURL(`${root}src/api/index.js`).href));
    await writeFile(file, runnable);
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', file], {
      cwd: root,
      timeout: 60_000,
    });
    assert.equal(normalize(stdout), normalize(shown));
  });
});
