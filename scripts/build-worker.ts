/**
 * Bundles the worker for workerd with esbuild: `npm run build:worker` writes `dist/worker/index.js` (wrangler
 * bundles `src/worker/index.ts` itself; this bundle is what tests and benchmarks run in Miniflare).
 */
import { build } from 'esbuild';
import type { BuildOptions } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const WORKER_ENTRY = path.join(ROOT, 'src/worker/index.ts');

export const WORKER_BUILD_OPTIONS: BuildOptions = {
  entryPoints: [WORKER_ENTRY],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['browser', 'module', 'main'],
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
};

export async function buildWorker(outfile = path.join(ROOT, 'dist/worker/index.js')): Promise<string> {
  await build({ ...WORKER_BUILD_OPTIONS, outfile });
  return outfile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outfile = await buildWorker(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  console.log(`build:worker: wrote ${path.relative(process.cwd(), outfile)}`);
}
