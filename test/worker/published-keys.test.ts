/**
 * The keys committed in `.dev.vars.example` are public. The worker serves with them on localhost only (local
 * development and these tests), and answers 500 `misconfigured` elsewhere, naming the variable without quoting it;
 * the CLI's token commands refuse them when NODE_ENV=production.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { DEMO_CUSTOMERS } from '../../src/emulator/index.js';
import { PUBLISHED_KEY_DIGESTS } from '../../src/worker/dev-keys.js';
import { generateKeys } from '../../src/node/init.js';
import { mintSessionToken, parseSessionKeys } from '../../src/node/index.js';
import { runCliCollecting } from '../support/cli.js';
import { devSessionToken } from '../support/tokens.js';
import { devVars } from '../support/worker.js';
import { json } from '../support/http.js';
import { startStack } from '../support/stack.js';
import type { Stack } from '../support/stack.js';

const ALICE = DEMO_CUSTOMERS.alice;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The secret material of the committed dev vars, per variable. */
async function publishedSecrets(): Promise<Record<'SESSION_KEYS' | 'UNSUBSCRIBE_KEYS' | 'ADMIN_KEYS', string[]>> {
  const vars = await devVars();
  return {
    SESSION_KEYS: (JSON.parse(vars.SESSION_KEYS!) as Array<{ secret: string }>).map((key) => key.secret),
    UNSUBSCRIBE_KEYS: (JSON.parse(vars.UNSUBSCRIBE_KEYS!) as Array<{ secret: string }>).map((key) => key.secret),
    ADMIN_KEYS: (JSON.parse(vars.ADMIN_KEYS!) as Array<{ appToken: string }>).map((pair) => pair.appToken),
  };
}

/** A request to the worker as if it were served on `host` (Miniflare passes the URL through to the worker). */
function onHost(stack: Stack, host: string, path: string, headers: Record<string, string> = {}): Promise<Response> {
  return stack.worker.miniflare.dispatchFetch(`http://${host}${path}`, {
    headers,
    redirect: 'manual',
  }) as unknown as Promise<Response>;
}

describe('published development keys', () => {
  it('are known to the worker by digest: every secret of .dev.vars.example', async () => {
    const secrets = await publishedSecrets();
    for (const [variable, values] of Object.entries(secrets)) {
      assert.ok(values.length > 0);
      for (const value of values) {
        assert.ok(
          (PUBLISHED_KEY_DIGESTS[variable as keyof typeof secrets] as readonly string[]).includes(sha256(value)),
          `${variable} digest is stale`,
        );
      }
    }
  });

  describe('with the committed dev vars', () => {
    let stack: Stack;
    before(async () => {
      stack = await startStack();
    });
    after(() => stack.close());

    it('answers 500 misconfigured on any other host, naming each variable and quoting no secret', async () => {
      const secrets = Object.values(await publishedSecrets()).flat();
      const token = await devSessionToken(ALICE.id);
      for (const host of [
        'shop.example',
        'edge.shop.example.com:8443',
        'vc-consent-edge.example.workers.dev',
        '127.0.0.1.nip.io',
        'localhost.evil.example',
      ]) {
        for (const path of ['/healthz', '/v1/me', '/v1/consents']) {
          const response = await onHost(stack, host, path, { authorization: `Bearer ${token}` });
          assert.equal(response.status, 500, `${host}${path}`);
          const text = await response.text();
          const body = JSON.parse(text) as { key: string; details: string };
          assert.equal(body.key, 'misconfigured');
          for (const variable of ['SESSION_KEYS', 'UNSUBSCRIBE_KEYS', 'ADMIN_KEYS']) {
            assert.match(
              body.details,
              new RegExp(
                `${variable} holds the published development key \\(entry 0\\); generate your own with \`npx vc-consent init worker\``,
              ),
            );
          }
          for (const secret of secrets) assert.ok(!text.includes(secret), 'leaks a secret');
        }
      }
      const logs = stack.logs.join('\n');
      assert.match(logs, /"misconfigured"/);
      for (const secret of secrets) assert.ok(!logs.includes(secret), 'logs a secret');
      assert.deepEqual(stack.upstream(), []);
    });

    it('serves on localhost, 127.0.0.1 and [::1]', async () => {
      const token = await devSessionToken(ALICE.id);
      for (const host of ['localhost:8787', '127.0.0.1', '[::1]:8787', 'LOCALHOST']) {
        assert.equal((await onHost(stack, host, '/healthz')).status, 200, host);
        const me = await onHost(stack, host, '/v1/me', { authorization: `Bearer ${token}` });
        assert.equal(me.status, 200, host);
        assert.equal((await json(me)).id, ALICE.id);
      }
      assert.equal((await stack.fetch('/healthz')).status, 200);
    });
  });

  describe('with fresh keys', () => {
    const keys = generateKeys();
    let stack: Stack;
    before(async () => {
      stack = await startStack({ vars: { ...keys } });
    });
    after(() => stack.close());

    it('serves on any host', async () => {
      const vars = await devVars();
      const token = await mintSessionToken({
        customerId: ALICE.id,
        key: parseSessionKeys(keys.SESSION_KEYS)[0]!,
        issuer: vars.SESSION_ISSUER!,
        audience: 'vc-edge',
      });
      for (const host of ['shop.example', 'localhost']) {
        assert.equal((await onHost(stack, host, '/healthz')).status, 200, host);
        const me = await onHost(stack, host, '/v1/me', { authorization: `Bearer ${token}` });
        assert.equal(me.status, 200, host);
        assert.equal((await json(me)).id, ALICE.id);
      }
      // The published admin pair is not one of these keys: the back office refuses it.
      const admin = await onHost(stack, 'shop.example', `/v1/customers/${ALICE.id}`, {
        'x-app-id': 'edge-admin',
        'x-app-token': 'edge-admin-token',
      });
      assert.equal(admin.status, 401);
    });
  });

  it('refuses only the variables that hold one (fresh session and link keys, published admin pair)', async () => {
    const { SESSION_KEYS, UNSUBSCRIBE_KEYS } = generateKeys();
    const stack = await startStack({ vars: { SESSION_KEYS, UNSUBSCRIBE_KEYS } });
    try {
      const body = await json<{ key: string; details: string }>(await onHost(stack, 'shop.example', '/healthz'));
      assert.equal(body.key, 'misconfigured');
      assert.match(body.details, /^ADMIN_KEYS holds the published development key/);
      assert.doesNotMatch(body.details, /SESSION_KEYS|UNSUBSCRIBE_KEYS/);
    } finally {
      await stack.close();
    }
  });
});

describe('vc-consent token with NODE_ENV=production', () => {
  const cli = (args: string[], env: Record<string, string>) => runCliCollecting(args, { env, cwd: '/nonexistent' });

  it('refuses the published keys, naming the variable and not the value', async () => {
    const vars = await devVars();
    const secrets = Object.values(await publishedSecrets()).flat();
    const session = await cli(['token', 'session', '--customer', ALICE.id], {
      NODE_ENV: 'production',
      SESSION_KEYS: vars.SESSION_KEYS!,
      SESSION_ISSUER: 'https://shop.example',
    });
    assert.equal(session.code, 1);
    assert.match(
      session.stderr,
      /SESSION_KEYS: holds the published development key; generate your own with `npx vc-consent init worker`/,
    );
    const signing = JSON.stringify((JSON.parse(vars.SESSION_KEYS!) as unknown[])[0]);
    const viaSigningKey = await cli(['token', 'session', '--customer', ALICE.id], {
      NODE_ENV: 'production',
      SESSION_SIGNING_KEY: signing,
      SESSION_ISSUER: 'https://shop.example',
    });
    assert.equal(viaSigningKey.code, 1);
    assert.match(viaSigningKey.stderr, /SESSION_SIGNING_KEY: holds the published development key/);
    const link = await cli(['token', 'unsubscribe', '--customer', ALICE.id], {
      NODE_ENV: 'production',
      UNSUBSCRIBE_KEYS: vars.UNSUBSCRIBE_KEYS!,
      PUBLIC_URL: 'https://edge.shop.example',
    });
    assert.equal(link.code, 1);
    assert.match(link.stderr, /UNSUBSCRIBE_KEYS: holds the published development key/);
    for (const result of [session, viaSigningKey, link])
      for (const secret of secrets) assert.ok(!`${result.stdout}${result.stderr}`.includes(secret));
  });

  it('signs with fresh keys', async () => {
    const keys = generateKeys();
    const session = await cli(['token', 'session', '--customer', ALICE.id], {
      NODE_ENV: 'production',
      SESSION_KEYS: keys.SESSION_KEYS,
      SESSION_ISSUER: 'https://shop.example',
    });
    assert.equal(session.code, 0, session.stderr);
    assert.match(session.stdout, /^[\w-]+\.[\w-]+\.[\w-]+$/);
    const link = await cli(['token', 'unsubscribe', '--customer', ALICE.id], {
      NODE_ENV: 'production',
      UNSUBSCRIBE_KEYS: keys.UNSUBSCRIBE_KEYS,
      PUBLIC_URL: 'https://edge.shop.example',
    });
    assert.equal(link.code, 0, link.stderr);
  });
});
