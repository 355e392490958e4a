/**
 * The package as the people who install it get it: `npm pack` (which runs `prepack`, i.e. `npm run build`) into a
 * temporary directory, then `npm install <tarball>` into a fresh project and use it there:
 *
 * - Node ESM imports `vc-consent/node`, `/api`, `/emulator` (started on port 0, called, closed) and `/worker`;
 * - TypeScript (strict, `skipLibCheck: false`) type-checks code importing every entry, with `moduleResolution`
 *   `bundler` and `nodenext`, and a React 19 TSX file using the elements (`vc-consent/react`);
 * - Vite builds a page that imports `vc-consent/consent-panel`.
 *
 * The project lives in the system's temporary directory, not inside the repository: there Node and TypeScript would
 * find the repository's node_modules (hono, jose, …) by walking up, and hide a missing dependency. The tools come from
 * the repository all the same, by path (typescript, vite) or by tsconfig (`typeRoots` for @types/node, `paths` for
 * @types/react), while `vc-consent` and its dependencies are installed from the tarball into the project's own
 * node_modules (from npm's cache when it has them). The test prints the tarball's size and file count, what a
 * browser-only install adds, and the size of the Vite bundle.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WORK = mkdtempSync(path.join(tmpdir(), 'vc-consumer-'));
const APP = path.join(WORK, 'app');
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const VITE = path.join(ROOT, 'node_modules/vite/bin/vite.js');

const kb = (bytes: number) => `${(bytes / 1000).toFixed(1)} KB`;

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: Array<{ path: string }>;
}

let packed: PackResult;
let tarball: string;

async function sh(cwd: string, command: string, args: string[], timeout = 120_000) {
  try {
    return await run(command, args, {
      cwd,
      timeout,
      maxBuffer: 32 * 1024 * 1024,
      env: { ...process.env, npm_config_update_notifier: 'false' },
    });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) failed: ${failed.message}\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
      { cause: error },
    );
  }
}

function write(dir: string, files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
}

/** A TypeScript check of `files` in `APP` with this module resolution. */
async function typecheck(moduleResolution: 'bundler' | 'nodenext', files: string[]) {
  const config = `tsconfig.${moduleResolution}.json`;
  write(APP, {
    [config]: JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: moduleResolution === 'bundler' ? 'ESNext' : 'NodeNext',
        moduleResolution,
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        types: ['node'],
        jsx: 'react-jsx',
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        // @types/node and @types/react from the repository (the project installs only vc-consent).
        typeRoots: [path.join(ROOT, 'node_modules/@types')],
        paths: {
          react: [path.join(ROOT, 'node_modules/@types/react/index.d.ts')],
          'react/jsx-runtime': [path.join(ROOT, 'node_modules/@types/react/jsx-runtime.d.ts')],
        },
      },
      files,
    }),
  });
  await sh(APP, process.execPath, [TSC, '-p', config]);
}

const VUE_TSC = path.join(ROOT, 'node_modules/vue-tsc/bin/vue-tsc.js');

/** vue-tsc over a single-file component using the tags, with `vc-consent/vue`'s GlobalComponents (vue from the repository). */
async function typecheckVue(files: string[]) {
  write(APP, {
    'tsconfig.vue.json': JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'ESNext',
        moduleResolution: 'bundler',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        types: [],
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        jsx: 'preserve',
        paths: { vue: [path.join(ROOT, 'node_modules/vue/dist/vue.d.mts')] },
      },
      vueCompilerOptions: { strictTemplates: true },
      files,
    }),
  });
  await sh(APP, process.execPath, [VUE_TSC, '-p', 'tsconfig.vue.json']);
}

const WRANGLER = path.join(ROOT, 'node_modules/wrangler/bin/wrangler.js');

/**
 * `vc-consent init worker` from the installed package, in a folder of the consumer project (so `vc-consent/worker`
 * resolves to the installed tarball), then `wrangler deploy --dry-run` there (the repository's wrangler, by path).
 */
async function checkInitWorkerProject(app: string): Promise<string> {
  const dir = path.join(app, 'edge');
  const init = await sh(app, process.execPath, [
    path.join(app, 'node_modules/vc-consent/bin/vc-consent.mjs'),
    'init',
    'worker',
    '--dir',
    dir,
  ]);
  assert.match(init.stdout, /npx wrangler secret put SESSION_KEYS/);
  assert.match(readFileSync(path.join(dir, 'src/worker.js'), 'utf8'), /from 'vc-consent\/worker'/);
  const { stdout, stderr } = await run(
    process.execPath,
    [WRANGLER, 'deploy', '--dry-run', '--outdir', path.join(dir, 'out')],
    {
      cwd: dir,
      timeout: 120_000,
      maxBuffer: 32 * 1024 * 1024,
      env: { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false' },
    },
  );
  const output = `${stdout}\n${stderr}`;
  const size = /Total Upload: ([\d.]+ KiB) \/ gzip: ([\d.]+ KiB)/.exec(output);
  assert.ok(size, output);
  assert.ok(output.includes('env.CUSTOMER_OBJECTS (CustomerObject)'), output);
  return `${size[1]} (gzip ${size[2]})`;
}

describe('the packed package, installed', { timeout: 300_000 }, () => {
  before(async () => {
    mkdirSync(APP, { recursive: true });
    assert.ok(
      !existsSync(path.join(path.dirname(WORK), 'node_modules')),
      `${path.dirname(WORK)}/node_modules would leak into the project`,
    );
    // `npm pack` runs `prepack` (the full build): what is packed is what was just built.
    const { stdout } = await sh(ROOT, 'npm', ['pack', '--json', '--pack-destination', WORK], 180_000);
    // The build's own output comes first; the JSON report is the last `[` … `]` block.
    const start = Math.max(stdout.lastIndexOf('\n[\n'), stdout.startsWith('[') ? 0 : -1);
    packed = (JSON.parse(stdout.slice(start)) as PackResult[])[0]!;
    tarball = path.join(WORK, packed.filename);
    write(APP, {
      'package.json': JSON.stringify({ name: 'consumer-app', private: true, type: 'module' }),
      '.npmrc': 'audit=false\nfund=false\n',
    });
    await sh(
      APP,
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--no-package-lock', tarball],
      180_000,
    );
  });

  after(() => {
    rmSync(WORK, { recursive: true, force: true });
  });

  test('the tarball holds every export target, the manifest and the CLI, and nothing a consumer does not need', () => {
    const files = new Set(packed.files.map((file) => file.path));
    console.log(
      `tarball: ${packed.filename} ${kb(packed.size)} packed, ${kb(packed.unpackedSize)} unpacked, ${packed.entryCount} files`,
    );
    const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, string | Record<string, string>>;
    };
    for (const [name, target] of Object.entries(manifest.exports)) {
      for (const file of typeof target === 'string' ? [target] : Object.values(target)) {
        if (file.includes('*')) continue;
        assert.ok(files.has(file.replace(/^\.\//, '')), `exports['${name}'] → ${file} is not in the tarball`);
      }
    }
    for (const file of [
      'custom-elements.json',
      'bin/vc-consent.mjs',
      'dist/lib/node/cli.js',
      'dist/cdn/vc-consent-panel.js',
    ])
      assert.ok(files.has(file), file);
    for (const file of files) {
      assert.doesNotMatch(
        file,
        /^(src|test|dist\/worker)\/|\.map$|worker\/build\.|\.xlf$/,
        `${file} should not be shipped`,
      );
    }
    const cem = readFileSync(path.join(APP, 'node_modules/vc-consent/custom-elements.json'), 'utf8');
    const paths = [...cem.matchAll(/"(?:path|module)": "([^"]+)"/g)].map((match) => match[1]!);
    assert.ok(paths.length > 0);
    for (const file of paths) assert.ok(files.has(file), `custom-elements.json names ${file}, which is not shipped`);
  });

  test('a browser-only install brings lit, @lit/localize, @lit/task and nothing server-side', async () => {
    const { stdout } = await sh(APP, 'npm', ['ls', '--all', '--json']);
    const names = new Set<string>();
    const walk = (deps: Record<string, { dependencies?: Record<string, unknown> }> = {}) => {
      for (const [name, info] of Object.entries(deps)) {
        names.add(name);
        walk(info.dependencies as never);
      }
    };
    walk(
      (JSON.parse(stdout) as { dependencies: Record<string, { dependencies?: Record<string, unknown> }> }).dependencies,
    );
    const installed = [...names].sort();
    console.log(`npm install vc-consent adds ${installed.length} packages: ${installed.join(', ')}`);
    for (const name of ['lit', '@lit/localize', '@lit/task']) assert.ok(names.has(name), name);
    for (const name of ['hono', '@hono/node-server', 'jose', 'busboy', 'csv-parse', 'ky', 'esbuild'])
      assert.ok(!names.has(name), `${name} is installed`);
  });

  test('Node ESM: vc-consent/node, /api, /emulator (started, called, closed) and /worker import and run', async () => {
    write(APP, {
      'node-check.mjs': `
import { startEmulator } from 'vc-consent/emulator';
import { VoucherifyServerSide, isVoucherifyError } from 'vc-consent/api';
import { mintSessionToken, parseSessionKeys } from 'vc-consent/node';
import worker, { CustomerObject } from 'vc-consent/worker';
if (typeof worker.fetch !== 'function' || typeof CustomerObject !== 'function') throw new Error('worker exports');
if (typeof mintSessionToken !== 'function' || typeof parseSessionKeys !== 'function') throw new Error('node exports');
const emulator = await startEmulator({ port: 0 });
try {
  const api = VoucherifyServerSide({ applicationId: 'emulator-app-id', secretKey: 'emulator-app-token', baseUrl: emulator.url });
  const page = await api.listCustomers({ limit: 1 });
  if (!Array.isArray(page.customers)) throw new Error('no customers list: ' + JSON.stringify(page));
  try { await api.getCustomer('cust_does_not_exist'); throw new Error('expected a 404'); }
  catch (error) { if (!isVoucherifyError(error)) throw error; }
  console.log('node-check ok', emulator.url, page.customers.length);
} finally {
  await emulator.close();
}
`,
    });
    const { stdout } = await sh(APP, process.execPath, ['node-check.mjs'], 60_000);
    assert.match(stdout, /node-check ok/);
  });

  test('the CLI runs from the installed package (bin/vc-consent.mjs → dist/lib/node/cli.js)', async () => {
    const { stdout } = await sh(APP, path.join(APP, 'node_modules/.bin/vc-consent'), ['--help'], 30_000);
    assert.match(stdout, /Usage:/);
  });

  test('TypeScript sources importing every entry', () => {
    write(APP, {
      'entries.ts': `
import { VcConsentPanel, setLocale, isVoucherifyError } from 'vc-consent';
import 'vc-consent/embed';
import { VcConsentPanel as Panel } from 'vc-consent/consent-panel';
import 'vc-consent/profile-card';
import 'vc-consent/unsubscribe';
import { VoucherifyServerSide, VoucherifyClientSide, type CustomersServerApi } from 'vc-consent/api';
import { VoucherifyClientSide as ClientSide } from 'vc-consent/api/client-side';
import * as edge from 'vc-consent/api/edge';
import { mintSessionToken, type Scope } from 'vc-consent/node';
import worker, { CustomerObject, type Env } from 'vc-consent/worker';
import { startEmulator, type RunningEmulator } from 'vc-consent/emulator';

const panel: VcConsentPanel = document.createElement('vc-consent-panel');
const same: typeof Panel = VcConsentPanel;
const api: CustomersServerApi = VoucherifyServerSide({ applicationId: 'a', secretKey: 's' });
const scope: Scope | undefined = undefined;
const env: Env = {};
const running: Promise<RunningEmulator> = startEmulator({ port: 0 });
export { panel, same, api, scope, env, running, setLocale, isVoucherifyError, VoucherifyClientSide, ClientSide, edge, mintSessionToken, worker, CustomerObject };
`,
    });
  });

  test('React 19 TSX using the elements (vc-consent/react)', () => {
    write(APP, {
      'app.tsx': `
import type {} from 'vc-consent/react';
export function Account({ token }: { token: string }) {
  return (
    <>
      <vc-consent-panel worker-url="https://consent.example.com" session-token={token} history theme="dark" />
      <vc-profile-card worker-url="https://consent.example.com" session-token={token} page-size={10} />
      <vc-unsubscribe token="t" worker-url="https://consent.example.com" />
    </>
  );
}
`,
      // The README's React quick start, as a consumer copies it.
      'readme.tsx': /```tsx\n([\s\S]*?)```/.exec(readFileSync(path.join(ROOT, 'README.md'), 'utf8'))![1]!,
      'app-wrong.tsx': `
import type {} from 'vc-consent/react';
// @ts-expect-error: not one of the panel's themes
export const wrong = <vc-consent-panel theme="blue" />;
// @ts-expect-error: no such element
export const unknown = <vc-consent-nope />;
`,
    });
  });

  test('TypeScript (strict, skipLibCheck false) type-checks every entry, the TSX and the README’s React snippet, moduleResolution bundler', async () => {
    await typecheck('bundler', ['entries.ts', 'app.tsx', 'readme.tsx', 'app-wrong.tsx']);
  });

  test('TypeScript (strict, skipLibCheck false) type-checks every entry, the TSX and the README’s React snippet, moduleResolution nodenext', async () => {
    await typecheck('nodenext', ['entries.ts', 'app.tsx', 'readme.tsx', 'app-wrong.tsx']);
  });

  test('vue-tsc type-checks a component using the tags with vc-consent/vue (and refuses a wrong attribute value)', async () => {
    write(APP, {
      'vue-env.d.ts': "import type {} from 'vc-consent/vue';\n",
      'Account.vue': `<script setup lang="ts">
defineProps<{ token: string }>();
</script>
<template>
  <vc-consent-panel worker-url="https://consent.example.com" :session-token="token" history theme="dark" />
  <vc-profile-card worker-url="https://consent.example.com" :session-token="token" :page-size="10" />
  <!-- @vue-expect-error not one of the panel's themes -->
  <vc-consent-panel theme="blue" />
</template>
`,
    });
    await typecheckVue(['vue-env.d.ts', 'Account.vue']);
  });

  test('Vite builds a page importing vc-consent/consent-panel', async () => {
    write(APP, {
      'index.html':
        '<!doctype html><html><body><vc-consent-panel worker-url="https://consent.example.com"></vc-consent-panel><script type="module" src="./main.js"></script></body></html>',
      'main.js': "import 'vc-consent/consent-panel';\n",
    });
    await sh(APP, process.execPath, [VITE, 'build', '--logLevel', 'warn', '--outDir', 'vite-dist'], 120_000);
    const assets = path.join(APP, 'vite-dist/assets');
    const chunks = readdirSync(assets).filter((file) => file.endsWith('.js'));
    const entry = chunks.map((file) => ({ file, bytes: readFileSync(path.join(assets, file)) }));
    const main = entry.find(({ file }) => file.startsWith('index-')) ?? entry[0]!;
    const lazy = entry.filter((chunk) => chunk !== main);
    const gzip = gzipSync(main.bytes, { level: 9 }).length;
    console.log(
      `vite build: the panel adds ${kb(main.bytes.length)} min, ${kb(gzip)} min+gzip to the page's entry chunk` +
        ` (${lazy.length} lazy locale chunks, ${kb(lazy.reduce((sum, chunk) => sum + chunk.bytes.length, 0))} min together)`,
    );
    assert.ok(main.bytes.includes('vc-consent-panel'), 'the panel is in the bundle');
    assert.ok(!existsSync(path.join(assets, 'node_modules')), 'no stray files');
  });

  test('a project made by `vc-consent init worker` passes `wrangler deploy --dry-run`', async () => {
    console.log(
      `worker upload (wrangler deploy --dry-run in the init'd project): ${await checkInitWorkerProject(APP)}`,
    );
  });
});
