#!/usr/bin/env node
// `npm run worker:dev`: the edge worker under `wrangler dev` on 127.0.0.1:${VC_WORKER_PORT:-8787}, with the dev vars
// from .dev.vars (gitignored, yours) or else the committed .dev.vars.example — no file to copy on a fresh clone.
// VC_EMULATOR_PORT points the worker at the emulator on that port (default: VOUCHERIFY_API_URL from the vars file,
// http://127.0.0.1:4010 in the example). Extra arguments go to wrangler. Ctrl-C / SIGTERM stop wrangler's whole tree.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const varsFile = existsSync(`${root}.dev.vars`) ? '.dev.vars' : '.dev.vars.example';
const port = process.env.VC_WORKER_PORT ?? '8787';
const args = ['dev', '--env-file', varsFile, '--ip', '127.0.0.1', '--port', port];
if (process.env.VC_EMULATOR_PORT)
  args.push('--var', `VOUCHERIFY_API_URL:http://127.0.0.1:${process.env.VC_EMULATOR_PORT}`);
if (process.env.VC_WORKER_PORT) args.push('--var', `PUBLIC_URL:http://127.0.0.1:${port}`);
args.push(...process.argv.slice(2));

const wrangler = createRequire(import.meta.url).resolve('wrangler/bin/wrangler.js');
console.log(`worker:dev: wrangler dev on http://127.0.0.1:${port} with ${varsFile}`);
const child = spawn(process.execPath, [wrangler, ...args], {
  cwd: root,
  stdio: 'inherit',
  detached: true, // its own process group: wrangler runs node → node → workerd ×2, all stopped together below
  env: { CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_SEND_METRICS: 'false', CI: 'true', ...process.env },
});
const stop = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => stop('SIGTERM'));
process.on('exit', () => stop('SIGTERM'));
// When whoever started us goes away without a signal reaching us (e.g. `npm run` killed alone), stop too.
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) {
    stop('SIGTERM');
    process.exit(0);
  }
}, 500).unref();
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
