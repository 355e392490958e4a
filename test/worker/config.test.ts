/**
 * Configuration and hygiene: a misconfigured worker says which variable is wrong (and never a secret), secrets
 * and personal data never reach a response or a log line, the public consents are cached at the edge, writes are
 * rate-limited per customer when the binding exists, and every answer carries the security headers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import { devSessionToken, devUnsubscribeToken } from '../support/tokens.js';
import { readFile } from 'node:fs/promises';
import { devVars, workerBundle } from '../support/worker.js';
import { json } from '../support/http.js';
import { startStack } from '../support/stack.js';

const ALICE = DEMO_CUSTOMERS.alice;
const BOB = DEMO_CUSTOMERS.bob;

/** Every secret value of the dev configuration, plus the upstream's keys. */
async function secretValues(): Promise<string[]> {
  const vars = await devVars();
  const values = [vars.VOUCHERIFY_APP_ID!, vars.VOUCHERIFY_APP_TOKEN!, 'edge-admin-token'];
  for (const name of ['SESSION_KEYS', 'UNSUBSCRIBE_KEYS'])
    for (const key of JSON.parse(vars[name]!) as Array<{ secret: string }>) values.push(key.secret);
  return values;
}

describe('a misconfigured worker', () => {
  const cases: Array<[string, Record<string, string | undefined>, RegExp]> = [
    [
      'missing Voucherify keys',
      { VOUCHERIFY_APP_ID: undefined, VOUCHERIFY_APP_TOKEN: '' },
      /VOUCHERIFY_APP_ID is not set.*VOUCHERIFY_APP_TOKEN is not set/,
    ],
    [
      'a short session secret',
      { SESSION_KEYS: '[{"kid":"k","alg":"HS256","secret":"tooshort-but-secret"}]' },
      /SESSION_KEYS entry 0 \(kid "k"\): "secret" must be a string of at least 32 bytes/,
    ],
    ['unparsable unsubscribe keys', { UNSUBSCRIBE_KEYS: '[{kid:' }, /UNSUBSCRIBE_KEYS is not valid JSON/],
    [
      'a wildcard origin',
      { ALLOWED_ORIGINS: 'https://shop.example,*' },
      /ALLOWED_ORIGINS holds "\*", which is not an exact origin/,
    ],
    [
      'an origin with a path',
      { ALLOWED_ORIGINS: 'https://shop.example/account' },
      /ALLOWED_ORIGINS holds "https:\/\/shop.example\/account"/,
    ],
    [
      'a profile key exposing the consent store',
      { PROFILE_METADATA_KEYS: 'lang,vc_consents' },
      /PROFILE_METADATA_KEYS must not expose the worker's own key "vc_consents"/,
    ],
    ['an unknown consent storage', { CONSENT_STORAGE: 'cookies' }, /CONSENT_STORAGE must be "consents" or "metadata"/],
    ['no issuer', { SESSION_ISSUER: undefined }, /SESSION_ISSUER is not set/],
    [
      'a short admin token',
      { ADMIN_KEYS: '[{"appId":"a","appToken":"short"}]' },
      /ADMIN_KEYS entry 0 needs an "appToken" of at least 16 characters/,
    ],
  ];
  for (const [what, vars, details] of cases) {
    it(`answers 500 misconfigured naming the variable for ${what}, on every route, quoting no secret`, async () => {
      const stack = await startStack({ vars });
      try {
        const secrets = await secretValues();
        for (const path of ['/healthz', '/v1/me', '/v1/consents', '/unsubscribe/x']) {
          const response = await stack.fetch(path);
          assert.equal(response.status, 500, path);
          const text = await response.text();
          const body = JSON.parse(text) as Record<string, unknown>;
          assert.equal(body.key, 'misconfigured');
          assert.match(String(body.details), details);
          for (const secret of [...secrets, 'tooshort-but-secret'])
            assert.ok(!text.includes(secret), `${path} leaks a secret`);
        }
        assert.deepEqual(stack.upstream(), []);
        assert.ok(stack.logs.some((line) => line.includes('"misconfigured"')));
        for (const secret of secrets) assert.ok(!stack.logs.join('\n').includes(secret));
      } finally {
        await stack.close();
      }
    });
  }
});

describe('hygiene of a working worker', () => {
  it('never puts a secret, a token or a customer’s id or email in a response header, error or log line', async () => {
    const stack = await startStack();
    try {
      const secrets = await secretValues();
      const session = await devSessionToken(ALICE.source_id);
      const unsubscribe = await devUnsubscribeToken(ALICE.source_id);
      const admin = { 'x-app-id': 'edge-admin', 'x-app-token': 'edge-admin-token' };
      const responses = await Promise.all([
        stack.call('GET', '/v1/me', session),
        stack.call('PUT', '/v1/me', session, { name: 'Alice' }),
        stack.call('GET', '/v1/me', `${session}x`),
        stack.call('GET', '/v1/me', await devSessionToken(ALICE.id, { scopes: [] })),
        stack.fetch(`/unsubscribe/${unsubscribe}`),
        stack.fetch(`/unsubscribe/${unsubscribe}x`, { method: 'POST' }),
        stack.fetch(`/v1/customers/${ALICE.id}`, { headers: admin }),
        stack.fetch('/v1/customers', { headers: { ...admin, 'x-app-token': 'wrong-admin-token' } }),
        stack.fetch('/nope'),
      ]);
      for (const response of responses) {
        const headers = JSON.stringify([...response.headers]);
        const body = await response.text();
        for (const secret of secrets)
          assert.ok(!headers.includes(secret) && !body.includes(secret), `a secret in ${response.url}`);
      }
      await stack.fetch(`/unsubscribe/${unsubscribe}`, { method: 'POST' });
      const logs = stack.logs.join('\n');
      assert.ok(stack.logs.length >= 10);
      for (const needle of [...secrets, session, unsubscribe, ALICE.id, ALICE.source_id, ALICE.email, ALICE.name]) {
        assert.ok(!logs.includes(needle), `the logs hold ${needle.slice(0, 24)}…`);
      }
      for (const line of stack.logs) assert.doesNotThrow(() => JSON.parse(line), `not a structured line: ${line}`);
      assert.ok(
        stack.logs.some((line) => /"customer":"[0-9a-f]{12}"/.test(line)),
        'customers appear as a keyed digest',
      );
    } finally {
      await stack.close();
    }
  });

  it('ships no secret in the worker bundle: every value comes from env at run time', async () => {
    const bundle = await readFile(await workerBundle(), 'utf8');
    for (const secret of await secretValues()) assert.ok(!bundle.includes(secret), 'a dev secret is in the bundle');
    assert.ok(!bundle.includes('.dev.vars'), 'the bundle never reads dev vars files');
  });

  it('caches GET /v1/consents at the edge: one upstream call for repeated reads, public max-age 60', async () => {
    const stack = await startStack();
    try {
      const first = await stack.fetch('/v1/consents');
      const second = await stack.fetch('/v1/consents');
      assert.equal(first.status, 200);
      assert.equal(second.headers.get('cache-control'), 'public, max-age=60');
      assert.equal(second.headers.get('x-edge-cache'), 'HIT');
      assert.deepEqual(await json(second), await json(first));
      assert.equal(stack.upstream().filter((call) => call.path === '/v1/consents').length, 1);
      const shape = (await json(await stack.fetch('/v1/consents'))) as {
        consents: { object: string; data: unknown[] };
      };
      assert.equal(shape.consents.object, 'list');
      assert.equal(shape.consents.data.length, 5);
    } finally {
      await stack.close();
    }
  });

  it('limits writes per customer with WRITE_LIMITER (429 too_many_requests, Retry-After), leaving reads and other customers alone', async () => {
    const stack = await startStack({ rateLimits: { WRITE_LIMITER: { limit: 2, period: 60 } } });
    try {
      const alice = await devSessionToken(ALICE.id);
      const statuses = [];
      for (let i = 0; i < 3; i += 1)
        statuses.push(
          (await stack.call('PUT', '/v1/me/consents', alice, { [SEED_CONSENT_IDS.partners]: i % 2 === 0 })).status,
        );
      assert.deepEqual(statuses, [200, 200, 429]);
      const limited = await stack.call('PUT', '/v1/me', alice, { name: 'A' });
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '60');
      assert.equal((await json(limited)).key, 'too_many_requests');
      assert.equal((await stack.call('GET', '/v1/me', alice)).status, 200);
      assert.equal((await stack.call('PUT', '/v1/me', await devSessionToken(BOB.id), { name: 'Bob' })).status, 200);
    } finally {
      await stack.close();
    }
  });

  it('is inert without rate-limit bindings', async () => {
    const stack = await startStack();
    try {
      const alice = await devSessionToken(ALICE.id);
      for (let i = 0; i < 5; i += 1)
        assert.equal((await stack.call('PUT', '/v1/me', alice, { name: `A${i}` })).status, 200);
    } finally {
      await stack.close();
    }
  });

  it('puts the security headers on every kind of answer', async () => {
    const stack = await startStack();
    try {
      const answers = [
        await stack.fetch('/healthz'),
        await stack.fetch('/nope'),
        await stack.fetch('/v1/me'),
        await stack.fetch('/v1/consents'),
        await stack.fetch(`/unsubscribe/${await devUnsubscribeToken(ALICE.id)}`),
        await stack.fetch('/v1/me', {
          method: 'OPTIONS',
          headers: { origin: 'http://127.0.0.1:8000', 'access-control-request-method': 'GET' },
        }),
        await stack.fetch('/v1/customers', {
          headers: { 'x-app-id': 'edge-admin', 'x-app-token': 'edge-admin-token' },
        }),
      ];
      for (const response of answers) {
        assert.equal(response.headers.get('x-content-type-options'), 'nosniff', response.url);
        assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
        assert.equal(response.headers.get('x-frame-options'), 'DENY');
        assert.match(response.headers.get('strict-transport-security') ?? '', /max-age=/);
        assert.match(
          response.headers.get('content-security-policy') ?? '',
          /default-src 'none'.*frame-ancestors 'none'/,
        );
        assert.match(response.headers.get('x-request-id') ?? '', /^v-[0-9a-f]{18}$/);
        if (!response.url.endsWith('/v1/consents'))
          assert.equal(response.headers.get('cache-control'), 'no-store', response.url);
      }
    } finally {
      await stack.close();
    }
  });
});
