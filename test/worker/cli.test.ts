/**
 * `npx vc-consent` (bin/vc-consent.mjs) as a shop developer runs it: what it prints, the local worker (in workerd,
 * with the same dev vars) accepts; its errors say what is wrong and where it looked.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import { ROOT } from '../../scripts/build-worker.js';
import { json } from '../support/http.js';
import { startStack } from '../support/stack.js';
import type { Stack } from '../support/stack.js';

const BIN = path.join(ROOT, 'bin/vc-consent.mjs');
const run = promisify(execFile);

/** Runs the CLI with a clean environment (no keys in it) and `extra` added. */
async function cli(args: string[], options: { env?: Record<string, string>; cwd?: string } = {}) {
  const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env };
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: options.cwd ?? ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('vc-consent CLI', () => {
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(() => stack.close());

  it('prints a session token the local worker accepts, with the scopes asked for', async () => {
    const full = await cli(['token', 'session', '--customer', DEMO_CUSTOMERS.alice.id]);
    assert.equal(full.code, 0, full.stderr);
    const token = full.stdout.trim();
    assert.match(token, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    assert.match(full.stderr, /dev-only values from .*\.dev\.vars\.example/);
    const me = await stack.call('GET', '/v1/me', token);
    assert.equal(me.status, 200);
    assert.equal((await json(me)).id, DEMO_CUSTOMERS.alice.id);

    const readOnly = (
      await cli(['token', 'session', '--customer', DEMO_CUSTOMERS.alice.id, '--scope', 'profile:read', '--ttl', '60'])
    ).stdout.trim();
    assert.equal((await stack.call('GET', '/v1/me', readOnly)).status, 200);
    assert.equal((await stack.call('PUT', '/v1/me', readOnly, { name: 'X' })).status, 403);
    const claims = JSON.parse(Buffer.from(readOnly.split('.')[1]!, 'base64url').toString()) as {
      exp: number;
      iat: number;
      scope: string;
    };
    assert.equal(claims.exp - claims.iat, 60);
    assert.equal(claims.scope, 'profile:read');
  });

  it('prints a double opt-in link; confirming it records the choices, once', async () => {
    const consents = JSON.stringify({ [SEED_CONSENT_IDS.partners]: true });
    const result = await cli(['token', 'confirm', '--email', 'cli.signup@example.com', '--consents', consents], {
      env: { PUBLIC_URL: stack.worker.url },
    });
    assert.equal(result.code, 0, result.stderr);
    const url = result.stdout.trim();
    assert.ok(url.startsWith(`${stack.worker.url}/confirm/`), url);
    const confirmed = await fetch(url, { method: 'POST', headers: { accept: 'application/json' } });
    assert.equal(confirmed.status, 200);
    assert.equal((await json(confirmed)).already_confirmed, false);
    const bad = await cli([
      'token',
      'confirm',
      '--email',
      'cli.signup@example.com',
      '--consents',
      '{"unsubscribed":true}',
    ]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /unsubscribed is not a consent/);
    const missing = await cli(['token', 'confirm', '--email', 'a@example.com']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--consents/);
  });

  it('prints the unsubscribe URL and both header lines; POSTing to that URL unsubscribes', async () => {
    const result = await cli(['token', 'unsubscribe', '--customer', DEMO_CUSTOMERS.bob.source_id], {
      env: { PUBLIC_URL: stack.worker.url },
    });
    assert.equal(result.code, 0, result.stderr);
    const [url, listUnsubscribe, listUnsubscribePost, ...rest] = result.stdout.trim().split('\n');
    assert.deepEqual(rest, []);
    assert.ok(url!.startsWith(`${stack.worker.url}/unsubscribe/`));
    assert.equal(listUnsubscribe, `List-Unsubscribe: <${url}>`);
    assert.equal(listUnsubscribePost, 'List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const response = await fetch(url!, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      headers: { accept: 'application/json' },
    });
    assert.equal(response.status, 200);
    assert.equal((await json(response)).unsubscribed, true);
  });

  it('prints a preference center link; the local worker serves that customer’s page, and only for --ttl seconds', async () => {
    const result = await cli(['token', 'preferences', '--customer', DEMO_CUSTOMERS.alice.source_id], {
      env: { PUBLIC_URL: stack.worker.url },
    });
    assert.equal(result.code, 0, result.stderr);
    const [url, ...rest] = result.stdout.trim().split('\n');
    assert.deepEqual(rest, []);
    assert.ok(url!.startsWith(`${stack.worker.url}/preferences/`), url);
    assert.match(result.stderr, /dev-only values from .*\.dev\.vars\.example/);
    const page = await fetch(url!);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Preferences for <bdi>a•••e@example\.com<\/bdi>/);
    const consents = await fetch(`${url}/consents`);
    assert.equal((await json(consents)).unsubscribed, false);
    const claims = (token: string) =>
      JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as {
        exp: number;
        iat: number;
        pur: string;
      };
    const defaults = claims(url!.split('/preferences/')[1]!);
    assert.equal(defaults.pur, 'preferences');
    assert.equal(defaults.exp - defaults.iat, 60 * 24 * 3600, '60 days by default');

    const short = await cli(['token', 'preferences', '--customer', DEMO_CUSTOMERS.alice.id, '--ttl', '120', '--json']);
    assert.equal(short.code, 0, short.stderr);
    const link = JSON.parse(short.stdout) as { url: string; token: string; expiresAt: string };
    assert.ok(link.url.startsWith('http://127.0.0.1:8787/preferences/'), 'the dev PUBLIC_URL by default');
    assert.equal(claims(link.token).exp - claims(link.token).iat, 120);
    assert.equal(new Date(link.expiresAt).getTime() / 1000, claims(link.token).exp);

    for (const args of [
      ['token', 'preferences'],
      ['token', 'preferences', '--customer', 'x', '--ttl', 'soon'],
      ['token', 'preferences', '--customer', 'x', '--mailto', 'a@b.example'],
      ['token', 'preferences', '--customer', 'x', '--scope', 'profile:read'],
    ]) {
      const bad = await cli(args);
      assert.equal(bad.code, 2, args.join(' '));
      assert.equal(bad.stdout, '');
    }
    const tooLong = await cli(['token', 'preferences', '--customer', 'x', '--ttl', String(400 * 24 * 3600)]);
    assert.equal(tooLong.code, 1);
    assert.match(tooLong.stderr, /at most 365 days/);
    const help = await cli(['--help']);
    assert.match(help.stdout, /vc-consent token preferences --customer <id> \[--ttl <seconds>\]/);
  });

  it('prints JSON with --json, and the dev PUBLIC_URL by default', async () => {
    const result = await cli([
      'token',
      'unsubscribe',
      '--customer',
      'cust_1',
      '--json',
      '--mailto',
      'unsubscribe@shop.example',
    ]);
    const link = JSON.parse(result.stdout) as { url: string; token: string; headers: Record<string, string> };
    assert.ok(link.url.startsWith('http://127.0.0.1:8787/unsubscribe/'));
    assert.equal(link.headers['List-Unsubscribe'], `<${link.url}>, <mailto:unsubscribe@shop.example>`);
  });

  it('explains usage mistakes with exit code 2', async () => {
    for (const args of [
      ['token', 'refresh', '--customer', 'x'],
      ['token', 'session'],
      ['token', 'session', '--customer', 'x', '--scope', 'admin'],
      ['token', 'session', '--customer', 'x', '--ttl', '-5'],
      ['token', 'session', '--customer', 'x', '--bogus'],
      [],
    ]) {
      const result = await cli(args);
      assert.equal(result.code, 2, args.join(' '));
      assert.match(result.stderr, /vc-consent|Usage/);
      assert.equal(result.stdout, '');
    }
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /vc-consent token session --customer <id>/);
  });

  it('refuses a --ttl longer than SESSION_MAX_TTL, which the worker would refuse', async () => {
    const result = await cli(['token', 'session', '--customer', 'x', '--ttl', '3600']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /SESSION_MAX_TTL \(900 s\)/);
  });

  it('says which variables and files it looked at when no keys are found', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'vc-cli-'));
    const result = await cli(['token', 'session', '--customer', 'x'], { cwd: empty });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /SESSION_SIGNING_KEY or SESSION_KEYS/);
    assert.match(result.stderr, /the environment/);
    assert.ok(result.stderr.includes(path.join(empty, '.dev.vars.example')));
    const production = await cli(['token', 'unsubscribe', '--customer', 'x'], { env: { NODE_ENV: 'production' } });
    assert.equal(production.code, 1);
    assert.match(production.stderr, /not read when NODE_ENV=production|UNSUBSCRIBE_KEYS/);
  });

  it('prefers keys from the environment over the dev vars file', async () => {
    const keys = JSON.stringify([{ kid: 'env-1', alg: 'HS256', secret: 'an-environment-session-secret-0123456789' }]);
    const token = (await cli(['token', 'session', '--customer', 'x'], { env: { SESSION_KEYS: keys } })).stdout.trim();
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { kid: string };
    assert.equal(header.kid, 'env-1');
    assert.equal((await stack.call('GET', '/v1/me', token)).status, 401, 'the dev worker does not know that key');
  });
});
