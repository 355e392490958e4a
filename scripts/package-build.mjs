#!/usr/bin/env node
/**
 * The last step of `npm run build` (and so of `npm pack`'s `prepack`): turns tsc's `dist/lib` into what the package
 * ships.
 *
 * - The server-side entry points (`vc-consent/worker`, `/node`, `/emulator`, `/api`, `/api/client-side`) and the CLI
 *   (`dist/lib/node/cli.js`, loaded by `bin/vc-consent.mjs`) are bundled with esbuild over tsc's output, with hono,
 *   @hono/node-server, jose, busboy, csv-parse and ky inlined, so none of them is a dependency: a storefront that only
 *   wants the elements installs lit, @lit/localize and @lit/task. Node built-ins stay imports (`node:…`). A module
 *   the browser entries also load (e.g. `api/errors.js`, whose `VoucherifyError` must stay one class) and another
 *   bundled entry stay imports too, so nothing exists twice.
 * - The worker bundle is built for workerd (no Node built-ins; `export default` + `export { CustomerObject }`), so a
 *   consumer's wrangler can use it as `main`.
 * - Every `.js` under `dist/lib` that no shipped entry reaches any more (tsc's copies of the bundled modules) is
 *   deleted; all `.d.ts` stay (the entries' types reach into them).
 * - `react.d.ts` / `vue.d.ts` (JSX / GlobalComponents typings) are generated from `custom-elements.json`.
 */
import { build } from 'esbuild';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFrameworkTypings } from './framework-typings.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = path.join(ROOT, 'src');
const LIB = path.join(ROOT, 'dist/lib');

/** Unbundled (tsc output, Lit and each other stay imports): the elements and the browser-side helpers. */
const BROWSER_ENTRIES = [
  'index.ts',
  'embed.ts',
  'components/consent-panel/define.ts',
  'components/profile-card/define.ts',
  'components/unsubscribe/define.ts',
  'api/edge.ts',
];
/** Bundled, with the platform each runs on. */
const BUNDLED_ENTRIES = [
  { entry: 'worker/index.ts', platform: 'workerd' },
  { entry: 'node/index.ts', platform: 'node' },
  { entry: 'node/cli.ts', platform: 'node' },
  { entry: 'emulator/index.ts', platform: 'node' },
  { entry: 'api/index.ts', platform: 'neutral' },
  { entry: 'api/client-side.ts', platform: 'neutral' },
];

const toJs = (file) => file.replace(/\.ts$/, '.js');
const NODE_BUILTINS = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);

if (!existsSync(path.join(LIB, 'index.js')))
  throw new Error('package-build: dist/lib/index.js is missing; run tsc -p tsconfig.build.json first');

// 1. The source files the unbundled browser entries load: they stay as tsc emitted them.
const browserGraph = await build({
  entryPoints: BROWSER_ENTRIES.map((file) => path.join(SRC, file)),
  bundle: true,
  write: false,
  metafile: true,
  outdir: path.join(ROOT, '.package-build-tmp'),
  format: 'esm',
  platform: 'browser',
  packages: 'external',
  logLevel: 'silent',
});
const shared = new Set(Object.keys(browserGraph.metafile.inputs).map((input) => path.resolve(ROOT, input)));

// 2. The bundles, written over tsc's files of the same name.
const bundledSources = new Set(BUNDLED_ENTRIES.map(({ entry }) => path.join(SRC, entry)));
for (const { entry, platform } of BUNDLED_ENTRIES) {
  const source = path.join(SRC, entry);
  /** A relative import of a shared module or another bundled entry stays an import of its file in dist/lib. */
  const keepShared = {
    name: 'vc-keep-shared',
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /^\.\.?\// }, (args) => {
        const resolved = path.resolve(args.resolveDir, args.path).replace(/\.js$/, '.ts');
        if (resolved === source || !(shared.has(resolved) || bundledSources.has(resolved))) return null;
        let specifier = toJs(path.relative(path.dirname(source), resolved))
          .split(path.sep)
          .join('/');
        if (!specifier.startsWith('.')) specifier = `./${specifier}`;
        return { path: specifier, external: true };
      });
      if (platform === 'workerd') {
        pluginBuild.onResolve({ filter: /^node:|^[a-z_]+$/ }, (args) => {
          if (NODE_BUILTINS.has(args.path))
            return {
              errors: [{ text: `the worker bundle must not import Node's ${args.path} (from ${args.importer})` }],
            };
          return null;
        });
      }
    },
  };
  await build({
    entryPoints: [source],
    outfile: path.join(LIB, toJs(entry)),
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: platform === 'workerd' ? 'browser' : platform,
    ...(platform === 'workerd'
      ? { conditions: ['workerd', 'worker', 'browser'], mainFields: ['browser', 'module', 'main'] }
      : {}),
    ...(platform === 'neutral' ? { mainFields: ['module', 'main'] } : {}),
    ...(platform === 'node'
      ? {
          // CommonJS dependencies (busboy) `require()` Node built-ins: give the ES module a `require`.
          banner: {
            js: "import { createRequire as __vcCreateRequire } from 'node:module'; const require = __vcCreateRequire(import.meta.url);",
          },
        }
      : {}),
    external: platform === 'workerd' ? [] : [...NODE_BUILTINS],
    plugins: [keepShared],
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    legalComments: 'eof',
    sourcemap: false,
    logLevel: 'warning',
  });
}

// 3. Prune every .js file no shipped entry reaches.
const reachable = new Set();
const visit = (file) => {
  if (reachable.has(file)) return;
  reachable.add(file);
  const code = readFileSync(file, 'utf8');
  for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.\.?\/[^"']+)["']/g)) {
    const target = path.resolve(path.dirname(file), match[1]);
    if (!existsSync(target))
      throw new Error(`package-build: ${path.relative(ROOT, file)} imports ${match[1]}, which is not in dist/lib`);
    visit(target);
  }
};
for (const entry of [...BROWSER_ENTRIES, ...BUNDLED_ENTRIES.map(({ entry }) => entry)])
  visit(path.join(LIB, toJs(entry)));
// Generated locales are imported through the locale map; keep every one that is reached.
const walk = (dir) =>
  readdirSync(dir).flatMap((name) =>
    statSync(path.join(dir, name)).isDirectory() ? walk(path.join(dir, name)) : [path.join(dir, name)],
  );
let removed = 0;
for (const file of walk(LIB)) {
  if ((file.endsWith('.js') && !reachable.has(file)) || file.endsWith('.map') || file.endsWith('.tsbuildinfo')) {
    rmSync(file);
    removed++;
  }
}

// 4. Declarations must not name the bundled packages (a consumer does not have them): their few types that leak into
//    internal signatures are replaced by the structural stand-ins in dist/lib/bundled-types.d.ts.
const BUNDLED_TYPES = `/**
 * Stand-ins for the types of packages bundled into vc-consent's server-side entries (hono, @hono/node-server, jose),
 * which a consumer does not install. They appear only in internal signatures; written by scripts/package-build.mjs.
 */
/** hono's \`Context\` (internal to the worker and the emulator). */
export type Context<E = any> = { req: { raw: Request }; env: E extends { Bindings: infer B } ? B : unknown; [key: string]: any };
/** hono's app class (internal). */
export interface Hono<E = any> { fetch(request: Request, env?: unknown, executionCtx?: ExecutionContext): Response | Promise<Response>; [key: string]: any }
export type MiddlewareHandler<E = any> = (c: Context<E>, next: () => Promise<void>) => Promise<Response | void>;
/** The worker's execution context (\`ctx\` in \`fetch(request, env, ctx)\`). */
export interface ExecutionContext { waitUntil(promise: Promise<unknown>): void; passThroughOnException(): void; props?: any }
export type HttpBindings = { incoming: unknown; outgoing: unknown };
/** A JSON Web Key, as jose reads it. */
export interface JWK { kty?: string; crv?: string; alg?: string; kid?: string; use?: string; key_ops?: string[]; ext?: boolean; x?: string; y?: string; d?: string; k?: string; n?: string; e?: string; [parameter: string]: unknown }
/** A Web Crypto key (\`globalThis.CryptoKey\`) as jose accepts it. */
export interface CryptoKey { readonly type: string; readonly algorithm: { name: string }; readonly extractable: boolean; readonly usages: string[] }
/** A node:crypto KeyObject as jose accepts it. */
export interface KeyObject { type: string }
`;
writeFileSync(path.join(LIB, 'bundled-types.d.ts'), BUNDLED_TYPES);
let rewritten = 0;
for (const file of walk(LIB).filter((name) => name.endsWith('.d.ts'))) {
  const code = readFileSync(file, 'utf8');
  let relative = path.relative(path.dirname(file), path.join(LIB, 'bundled-types.js')).split(path.sep).join('/');
  if (!relative.startsWith('.')) relative = `./${relative}`;
  const next = code
    .replace(
      /^import (type )?\{([^}]*)\} from '(hono|@hono\/node-server|jose)';$/gm,
      (_, __, names) => `import type {${names}} from '${relative}';`,
    )
    .replace(/import\("(hono|@hono\/node-server|jose)"\)/g, `import("${relative}")`);
  const leaked =
    /from ['"](hono|@hono\/node-server|jose|busboy|csv-parse|ky)['"]|import\(["'](hono|@hono\/node-server|jose|busboy|csv-parse|ky)["']\)/.exec(
      next,
    );
  if (leaked)
    throw new Error(
      `package-build: ${path.relative(ROOT, file)} still names ${leaked[1] ?? leaked[2]}, which consumers do not install`,
    );
  if (next !== code) {
    writeFileSync(file, next);
    rewritten++;
  }
}

// 5. React / Vue typings from the manifest.
writeFrameworkTypings(ROOT);

console.log(
  `package-build: bundled ${BUNDLED_ENTRIES.length} server-side entries, kept ${reachable.size} modules, removed ${removed} files from dist/lib, pointed ${rewritten} declaration files at bundled-types.d.ts`,
);
