/**
 * `vc-consent init worker` and `vc-consent emulator`, as a shop developer runs them in their own project: the files
 * written deploy (wrangler's dry run resolves `vc-consent/worker` through node_modules), run under `wrangler dev`
 * against the emulator, and hold fresh keys; `emulator` serves the Customers API with the keys it prints.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { freePort } from '../support/ports.js';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { DEMO_CUSTOMERS, EMULATOR_DEFAULTS, startEmulator } from '../../src/emulator/index.js';
import { ROOT } from '../../scripts/build-worker.js';
import { runCli } from '../../src/node/cli.js';
import { WORKER_COMPATIBILITY_DATE } from '../../src/node/init.js';
import { loadKeys, readDevVarsFile, sessionTokenFor } from '../../src/node/index.js';
import { runCliCollecting } from '../support/cli.js';
import { dataOnDisk } from '../support/emulator.js';
import { compatibilityDate, devVars } from '../support/worker.js';

const run = promisify(execFile);
const WRANGLER = path.join(ROOT, 'node_modules/wrangler/bin/wrangler.js');
const WRANGLER_ENV = {
  ...process.env,
  WRANGLER_SEND_METRICS: 'false',
  CI: 'true',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  NO_COLOR: '1',
};

/** The CLI in this process with an empty environment (no keys in it) unless `options.env` gives one. */
function cli(args: string[], options: { cwd?: string; signal?: AbortSignal; env?: Record<string, string> } = {}) {
  return runCliCollecting(args, { env: {}, ...options });
}

/** A consumer project inside the repo (gitignored), where `vc-consent` resolves to this package. */
async function consumerProject(): Promise<string> {
  const dir = path.join(ROOT, '.consumer', `init-${randomBytes(4).toString('hex')}`);
  await mkdir(path.join(dir, 'node_modules'), { recursive: true });
  await symlink(ROOT, path.join(dir, 'node_modules', 'vc-consent'), 'dir');
  return dir;
}

/** `vc-consent/worker` is the compiled dist/lib: build it when missing (tsc only, not the whole `npm run build`). */
async function ensureBuilt(): Promise<void> {
  if (existsSync(path.join(ROOT, 'dist/lib/worker/index.js'))) return;
  await run(
    process.execPath,
    [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', path.join(ROOT, 'tsconfig.build.json')],
    { cwd: ROOT },
  );
}

describe('vc-consent init worker', () => {
  const projects: string[] = [];
  after(async () => {
    for (const dir of projects) await rm(dir, { recursive: true, force: true });
  });
  async function project(): Promise<string> {
    const dir = await consumerProject();
    projects.push(dir);
    return dir;
  }

  it('writes wrangler.toml, the entry module and .dev.vars with fresh keys, and ignores .dev.vars', async () => {
    const dir = await project();
    await writeFile(path.join(dir, '.gitignore'), 'node_modules');
    const result = await cli(['init', 'worker', '--dir', dir]);
    assert.equal(result.code, 0, result.stderr);
    for (const secret of [
      'VOUCHERIFY_APP_ID',
      'VOUCHERIFY_APP_TOKEN',
      'SESSION_KEYS',
      'UNSUBSCRIBE_KEYS',
      'ADMIN_KEYS',
    ]) {
      assert.match(result.stdout, new RegExp(`^ +npx wrangler secret put ${secret}$`, 'm'));
    }

    const toml = await readFile(path.join(dir, 'wrangler.toml'), 'utf8');
    assert.match(toml, /^name = "vc-consent-edge"$/m);
    assert.match(toml, /^main = "src\/worker\.js"$/m);
    assert.match(toml, new RegExp(`^compatibility_date = "${WORKER_COMPATIBILITY_DATE}"$`, 'm'));
    assert.equal(
      WORKER_COMPATIBILITY_DATE,
      await compatibilityDate(),
      "the package's wrangler.toml and init worker agree",
    );
    assert.match(
      toml,
      /^\[\[durable_objects\.bindings\]\]\nname = "CUSTOMER_OBJECTS"\nclass_name = "CustomerObject"$/m,
    );
    assert.match(toml, /^\[\[migrations\]\]\ntag = "v1"\nnew_sqlite_classes = \["CustomerObject"\]$/m);
    for (const limiter of ['WRITE_LIMITER', 'UNSUBSCRIBE_LIMITER'])
      assert.match(
        toml,
        new RegExp(
          `^\\[\\[ratelimits\\]\\]\\nname = "${limiter}"\\nnamespace_id = "\\d+"\\nsimple = \\{ limit = \\d+, period = 60 \\}$`,
          'm',
        ),
      );
    for (const variable of [
      'VOUCHERIFY_API_URL',
      'SESSION_ISSUER',
      'SESSION_AUDIENCE',
      'SESSION_MAX_TTL',
      'ALLOWED_ORIGINS',
      'PUBLIC_URL',
      'CONSENT_STORAGE',
      'CONSENT_METADATA_KEY',
    ]) {
      assert.match(toml, new RegExp(`^${variable} = "[^"]+"$`, 'm'), variable);
    }
    assert.doesNotMatch(
      toml,
      /SESSION_KEYS =|UNSUBSCRIBE_KEYS =|ADMIN_KEYS =|APP_TOKEN =/,
      'no secret in wrangler.toml',
    );

    assert.equal(
      await readFile(path.join(dir, 'src/worker.js'), 'utf8').then((text) =>
        text.split('\n').find((line) => line.startsWith('export')),
      ),
      "export { default, CustomerObject } from 'vc-consent/worker';",
    );
    assert.equal(await readFile(path.join(dir, '.gitignore'), 'utf8'), 'node_modules\n.dev.vars\n');

    const vars = readDevVarsFile(path.join(dir, '.dev.vars'));
    assert.equal(vars.VOUCHERIFY_API_URL, 'http://127.0.0.1:4010');
    assert.equal(vars.VOUCHERIFY_APP_ID, EMULATOR_DEFAULTS.serverKeys[0].appId);
    assert.equal(vars.VOUCHERIFY_APP_TOKEN, EMULATOR_DEFAULTS.serverKeys[0].appToken);
    const session = JSON.parse(vars.SESSION_KEYS!) as Array<{ alg: string; secret: string }>;
    assert.equal(session[0]!.alg, 'HS256');
    assert.ok(Buffer.from(session[0]!.secret, 'base64url').length >= 32);
    const published = await devVars();
    for (const name of ['SESSION_KEYS', 'UNSUBSCRIBE_KEYS', 'ADMIN_KEYS']) assert.notEqual(vars[name], published[name]);
    // The CLI signs with them from that directory.
    const keys = loadKeys({ env: {}, cwd: dir });
    assert.equal(keys.sources.SESSION_KEYS, path.join(dir, '.dev.vars'));
  });

  it('generates different keys on every run, and refuses to overwrite without --force (exit 2, naming the files)', async () => {
    const dir = await project();
    assert.equal((await cli(['init', 'worker'], { cwd: dir })).code, 0);
    const first = readDevVarsFile(path.join(dir, '.dev.vars'));
    await writeFile(path.join(dir, 'wrangler.toml'), '# mine\n');
    const refused = await cli(['init', 'worker'], { cwd: dir });
    assert.equal(refused.code, 2);
    assert.match(
      refused.stderr,
      /wrangler\.toml, src\/worker\.js, \.dev\.vars already exist in .*; nothing written\. Use --force to overwrite\./,
    );
    assert.equal(await readFile(path.join(dir, 'wrangler.toml'), 'utf8'), '# mine\n');
    assert.deepEqual(readDevVarsFile(path.join(dir, '.dev.vars')), first);

    const forced = await cli(['init', 'worker', '--force'], { cwd: dir });
    assert.equal(forced.code, 0, forced.stderr);
    const second = readDevVarsFile(path.join(dir, '.dev.vars'));
    for (const name of ['SESSION_KEYS', 'UNSUBSCRIBE_KEYS', 'ADMIN_KEYS'])
      assert.notEqual(second[name], first[name], name);
    assert.equal(
      await readFile(path.join(dir, '.gitignore'), 'utf8'),
      '.dev.vars\n',
      '.gitignore created once, not appended twice',
    );
  });

  it('refuses options of other commands and bad names', async () => {
    assert.equal((await cli(['init', 'worker', '--port', '1'])).code, 2);
    assert.equal((await cli(['init', 'worker', '--name', 'Bad Name'])).code, 2);
    assert.equal((await cli(['init'])).code, 2);
  });

  describe('the project it writes', () => {
    let dir: string;
    before(async () => {
      await ensureBuilt();
      dir = await project();
      const result = await cli(['init', 'worker', '--dir', dir]);
      assert.equal(result.code, 0, result.stderr);
    });

    it('deploys: `wrangler deploy --dry-run` bundles vc-consent/worker with its bindings', async () => {
      const outdir = path.join(dir, 'dist');
      const { stdout, stderr } = await run(process.execPath, [WRANGLER, 'deploy', '--dry-run', '--outdir', outdir], {
        cwd: dir,
        env: WRANGLER_ENV,
      });
      const output = `${stdout}\n${stderr}`;
      const size = /Total Upload: ([\d.]+ KiB) \/ gzip: ([\d.]+ KiB)/.exec(output);
      assert.ok(size, output);
      console.log(`# worker upload: ${size[1]} (gzip ${size[2]})`);
      for (const binding of ['env.CUSTOMER_OBJECTS (CustomerObject)', 'env.WRITE_LIMITER', 'env.UNSUBSCRIBE_LIMITER'])
        assert.ok(output.includes(binding), binding);
      assert.ok(existsSync(path.join(outdir, 'worker.js')));
    });

    it(
      'runs under `wrangler dev` against the emulator: /healthz and /v1/me with a token from its .dev.vars',
      { timeout: 90_000 },
      async () => {
        const emulator = await startEmulator({ port: 0, quiet: true });
        const devVarsPath = path.join(dir, '.dev.vars');
        await writeFile(
          devVarsPath,
          (await readFile(devVarsPath, 'utf8')).replace(
            /^VOUCHERIFY_API_URL=.*$/m,
            `VOUCHERIFY_API_URL=${emulator.url}`,
          ),
        );
        const [port, inspector] = [await freePort(), await freePort()];
        const child = spawn(
          process.execPath,
          [WRANGLER, 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspector)],
          {
            cwd: dir,
            env: WRANGLER_ENV,
            detached: true, // its own process group: wrangler starts workerd children
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        const base = `http://127.0.0.1:${port}`;
        try {
          const deadline = Date.now() + 60_000;
          let health: Response | undefined;
          while (Date.now() < deadline && child.exitCode === null) {
            health = await fetch(`${base}/healthz`).catch(() => undefined);
            if (health) break;
            await new Promise((resolve) => setTimeout(resolve, 250));
          }
          assert.ok(health, `wrangler dev did not answer:\n${output}`);
          assert.equal(health.status, 200, await health.text());
          const token = await sessionTokenFor(loadKeys({ env: {}, cwd: dir }), DEMO_CUSTOMERS.alice.id);
          const me = await fetch(`${base}/v1/me`, { headers: { authorization: `Bearer ${token}` } });
          const body = await me.text();
          assert.equal(me.status, 200, body);
          assert.equal((JSON.parse(body) as { id: string }).id, DEMO_CUSTOMERS.alice.id);
        } finally {
          if (child.exitCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve));
            process.kill(-child.pid!, 'SIGTERM');
            await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
            if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
          }
          await emulator.close();
        }
      },
    );
  });
});

describe('vc-consent emulator', () => {
  it('serves the Customers API with the keys it prints, until stopped', async () => {
    const stop = new AbortController();
    const out: string[] = [];
    const running = runCli(['emulator', '--port', '0', '--quiet'], {
      out: (line) => out.push(line),
      err: () => undefined,
      env: {},
      signal: stop.signal,
    });
    const deadline = Date.now() + 10_000;
    while (!out.some((line) => line.startsWith('Voucherify emulator listening on ')) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const url = out[0]!.replace('Voucherify emulator listening on ', '');
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const keys = /X-App-Id: (\S+) {2}X-App-Token: (\S+)/.exec(out.join('\n'))!;
    const response = await fetch(`${url}/v1/customers`, { headers: { 'X-App-Id': keys[1]!, 'X-App-Token': keys[2]! } });
    assert.equal(response.status, 200);
    const list = (await response.json()) as { customers: Array<{ id: string }> };
    assert.ok(list.customers.some((customer) => customer.id === DEMO_CUSTOMERS.alice.id));
    assert.equal((await fetch(`${url}/v1/customers`)).status, 401);
    stop.abort();
    assert.equal(await running, 0);
    await assert.rejects(fetch(`${url}/v1/customers`));
  });

  it('takes --max-body and the limits, and refuses a malformed size with a usage error', async () => {
    const stop = new AbortController();
    const out: string[] = [];
    const running = runCli(['emulator', '--port', '0', '--quiet', '--max-body', '12M', '--plan', 'business'], {
      out: (line) => out.push(line),
      err: () => undefined,
      env: {},
      signal: stop.signal,
    });
    const deadline = Date.now() + 10_000;
    while (!out.some((line) => line.includes('controls')) && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 20));
    const url = /listening on (\S+)/.exec(out.join('\n'))![1]!;
    assert.match(out.join('\n'), /limits +business plan, 100 requests per 1m/);
    const big = await fetch(`${url}/v1/customers`, {
      method: 'POST',
      headers: {
        'X-App-Id': 'emulator-app-id',
        'X-App-Token': 'emulator-app-token',
        'content-type': 'application/json',
      },
      body: JSON.stringify({ source_id: 'big', metadata: { note: 'x'.repeat(11 * 1024 * 1024) } }),
    });
    assert.equal(big.status, 200, 'an 11 MiB body fits under --max-body 12M');
    stop.abort();
    assert.equal(await running, 0);

    const errors: string[] = [];
    const refused = await runCli(['emulator', '--max-body', 'lots'], {
      out: () => undefined,
      err: (line) => errors.push(line),
      env: {},
    });
    assert.equal(refused, 2);
    assert.match(errors.join('\n'), /invalid size "lots" \(--max-body\)/);
  });

  it('runs from the bin, keeps data in --data, and stops on SIGTERM', { timeout: 30_000 }, async () => {
    const dir = path.join(ROOT, '.consumer', `emulator-${randomBytes(4).toString('hex')}`);
    await mkdir(dir, { recursive: true });
    const data = path.join(dir, 'data.json');
    try {
      const child = spawn(
        process.execPath,
        [path.join(ROOT, 'bin/vc-consent.mjs'), 'emulator', '--port', '0', '--data', data, '--quiet'],
        {
          env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const deadline = Date.now() + 20_000;
      while (!/listening on (\S+)/.test(output) && child.exitCode === null && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const url = /listening on (\S+)/.exec(output)?.[1];
      assert.ok(url, output);
      assert.match(output, new RegExp(`data +${data.replaceAll('.', '\\.')}`));
      const created = await fetch(`${url}/v1/customers`, {
        method: 'POST',
        headers: {
          'X-App-Id': 'emulator-app-id',
          'X-App-Token': 'emulator-app-token',
          'content-type': 'application/json',
        },
        body: JSON.stringify({ source_id: 'init-test-persisted', email: 'persisted@example.com' }),
      });
      assert.equal(created.status, 200, await created.clone().text());
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      assert.equal(await exited, 0);
      assert.match(await dataOnDisk(data), /init-test-persisted/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
