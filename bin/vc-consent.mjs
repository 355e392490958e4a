#!/usr/bin/env node
// `npx vc-consent …`: runs src/node/cli.ts through tsx (a devDependency, present after `npm install`), or
// the compiled dist/lib/node/cli.js when the package is installed without its sources.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const source = `${root}src/node/cli.ts`;
const compiled = `${root}dist/lib/node/cli.js`;

let cli;
if (existsSync(source)) {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    console.error('vc-consent: cannot load TypeScript sources without tsx; run `npm install` in the package first.');
    process.exit(1);
  }
  cli = await import(pathToFileURL(source).href);
} else if (existsSync(compiled)) {
  cli = await import(pathToFileURL(compiled).href);
} else {
  console.error('vc-consent: neither src/node/cli.ts nor dist/lib/node/cli.js was found next to this script.');
  process.exit(1);
}

process.exitCode = await cli.runCli(process.argv.slice(2), {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
