import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, test } from 'node:test';
import { call, dataOnDisk, start } from '../support/emulator.js';
import { collect, printedUrl, repositoryRoot, runMain } from '../support/emulator-cli.js';

describe('npm run emulator (src/emulator/main.ts)', () => {
  test('prints the URL and the keys, serves the API, and stops cleanly on SIGTERM', async () => {
    const child = runMain({ VC_EMULATOR_PORT: '0', VC_EMULATOR_ALLOWED_ORIGINS: 'shop.example, .brand.example' }, [
      '--quiet',
    ]);
    const finished = collect(child);
    const { url, output } = await printedUrl(child);
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(output(), /X-App-Id: emulator-app-id/);
    assert.match(output(), /X-Client-Token: emulator-client-token/);
    assert.match(output(), /shop\.example, \.brand\.example/);
    const health = await fetch(`${url}/_emulator/health`);
    assert.deepEqual(await health.json(), { ok: true });
    const consents = await fetch(`${url}/client/v1/consents`, {
      headers: {
        'X-Client-Application-Id': 'emulator-client-id',
        'X-Client-Token': 'emulator-client-token',
        Origin: 'https://www.brand.example',
      },
    });
    assert.equal(consents.status, 200, 'VC_EMULATOR_ALLOWED_ORIGINS extends the origins');
    child.kill('SIGTERM');
    const { code } = await finished;
    assert.equal(code, 0);
  });

  test('npm run emulator itself: SIGTERM to npm reaches the emulator, which keeps the data and exits 0', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'vc-emulator-npm-'));
    try {
      const dataFile = path.join(directory, 'data.json');
      const child = spawn('npm', ['run', 'emulator', '--silent', '--', '--quiet', '--data-file', dataFile], {
        cwd: repositoryRoot,
        env: { ...process.env, VC_EMULATOR_PORT: '0' },
      });
      const finished = collect(child);
      const { url } = await printedUrl(child);
      const fake = { url, port: 0 } as Parameters<typeof call>[0];
      assert.equal((await call(fake, 'POST', '/v1/customers', { json: { source_id: 'via-npm' } })).status, 200);
      child.kill('SIGTERM');
      const { code, stdout } = await finished;
      assert.equal(code, 0);
      assert.match(stdout, /SIGTERM: stopping the emulator/);
      await assert.rejects(fetch(`${url}/_emulator/health`), 'nothing is left listening');
      assert.match(await dataOnDisk(dataFile), /via-npm/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  test('a taken port gives one clear line on stderr and exit code 1', async () => {
    const blocker = await start();
    try {
      const { code, stderr } = await collect(runMain({ VC_EMULATOR_PORT: String(blocker.port) }));
      assert.equal(code, 1);
      const lines = stderr.trim().split('\n');
      assert.equal(lines.length, 1, stderr);
      assert.match(lines[0]!, new RegExp(`Port ${blocker.port} .* already in use`));
      assert.ok(!/\bat \S+:\d+/.test(stderr), 'no stack trace');
    } finally {
      await blocker.close();
    }
  });

  test('--data-file persists across runs; a corrupt file is refused in one line', async () => {
    const directory = await mkdtemp(path.join(os.tmpdir(), 'vc-emulator-main-'));
    try {
      const dataFile = path.join(directory, 'data.json');
      const child = runMain({ VC_EMULATOR_PORT: '0' }, ['--data-file', dataFile, '--quiet']);
      const finished = collect(child);
      const { url } = await printedUrl(child);
      const fake = { url, port: 0 } as Parameters<typeof call>[0];
      assert.equal((await call(fake, 'POST', '/v1/customers', { json: { source_id: 'from-cli' } })).status, 200);
      child.kill('SIGINT');
      assert.equal((await finished).code, 0);
      assert.match(await dataOnDisk(dataFile), /from-cli/);

      await writeFile(dataFile, 'not json');
      const { code, stderr } = await collect(runMain({ VC_EMULATOR_PORT: '0', VC_EMULATOR_DATA_FILE: dataFile }));
      assert.equal(code, 1);
      assert.equal(stderr.trim().split('\n').length, 1);
      assert.match(stderr, /data\.json: it is not valid JSON/);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
  test('--rate-limit and VC_EMULATOR_PLAN give it limits; a malformed value ends it in one line', async () => {
    const child = runMain({ VC_EMULATOR_PORT: '0', VC_EMULATOR_PLAN: 'business' }, [
      '--rate-limit',
      '2/10s',
      '--quiet',
    ]);
    const finished = collect(child);
    const { url, output } = await printedUrl(child);
    assert.match(output(), /limits {7}business plan, 2 requests per 10s, 100000 per billing cycle of 30d/);
    const fake = { url, port: 0 } as Parameters<typeof call>[0];
    const quota = (await (await fetch(`${url}/_emulator/quota`)).json()) as { plan: string; rateLimit: unknown };
    assert.equal(quota.plan, 'business');
    assert.deepEqual(quota.rateLimit, { limit: 2, windowMs: 10_000 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call(fake, 'GET', '/v1/consents')).status);
    assert.deepEqual(statuses, [200, 200, 429]);
    child.kill('SIGTERM');
    assert.equal((await finished).code, 0);

    for (const [env, args, message] of [
      [{}, ['--rate-limit', 'lots'], /--rate-limit "lots" is not <requests>\/<seconds>s/],
      [{ VC_EMULATOR_RATE_LIMIT: '60/10' }, [], /VC_EMULATOR_RATE_LIMIT "60\/10"/],
      [{ VC_EMULATOR_PLAN: 'gold' }, [], /VC_EMULATOR_PLAN "gold" is not one of business, organization/],
    ] as const) {
      const { code, stderr } = await collect(runMain({ VC_EMULATOR_PORT: '0', ...env }, [...args]));
      assert.equal(code, 1, stderr);
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
      assert.match(stderr, message);
    }
  });
});
