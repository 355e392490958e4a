/**
 * Who may do what, in workerd against the emulator: every customer route × every way a session can be wrong (link
 * tokens included), and every way of naming another customer. Each case checks the status and error key, and that
 * the upstream saw no call at all (for refused tokens) or no call naming the other customer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT } from 'jose';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import { ALL_SCOPES, mintPreferencesToken, mintSessionToken } from '../../src/node/index.js';
import type { Scope } from '../../src/node/index.js';
import { devKeys, devSessionToken, devUnsubscribeToken } from '../support/tokens.js';
import { json } from '../support/http.js';
import { stackPerSuite } from '../support/stack.js';
import type { Stack } from '../support/stack.js';

const ALICE = DEMO_CUSTOMERS.alice;
const BOB = DEMO_CUSTOMERS.bob;

interface RouteCase {
  method: string;
  path: string;
  scope: Scope;
  body?: unknown;
}

const ROUTES: RouteCase[] = [
  { method: 'GET', path: '/v1/me', scope: 'profile:read' },
  { method: 'PUT', path: '/v1/me', scope: 'profile:write', body: { name: 'Alice M.' } },
  { method: 'GET', path: '/v1/me/activities', scope: 'profile:read' },
  { method: 'GET', path: '/v1/me/segments', scope: 'profile:read' },
  { method: 'GET', path: '/v1/me/consents', scope: 'consents:read' },
  { method: 'PUT', path: '/v1/me/consents', scope: 'consents:write', body: { [SEED_CONSENT_IDS.partners]: true } },
  { method: 'POST', path: '/v1/me/permanent-deletion', scope: 'profile:delete' },
];

const session = devKeys.sessionOptions();
const secret = session.key.alg === 'HS256' ? session.key.secret : '';
const minutes = (n: number) => new Date(Date.now() + n * 60_000);

function claims<T extends SignJWT | UnsecuredJWT>(
  builder: T,
  overrides: { iss?: string; aud?: string; sub?: string } = {},
): T {
  builder.setIssuer(overrides.iss ?? session.issuer);
  builder.setAudience(overrides.aud ?? session.audience);
  builder.setSubject(overrides.sub ?? ALICE.id);
  builder.setIssuedAt();
  builder.setExpirationTime('5m');
  builder.setJti(crypto.randomUUID());
  return builder;
}

/** Each way a session can be wrong: the Authorization header it sends (null = none), and the answer expected. */
const BAD_SESSIONS: Array<{
  name: string;
  header: (route: RouteCase) => Promise<string | null>;
  status: number;
  key: string;
}> = [
  { name: 'no token', header: async () => null, status: 401, key: 'unauthorized' },
  { name: 'a malformed token', header: async () => 'Bearer not.a-jwt', status: 401, key: 'unauthorized' },
  {
    name: 'another auth scheme',
    header: async () => `Basic ${btoa('alice:secret')}`,
    status: 401,
    key: 'unauthorized',
  },
  {
    name: 'an expired token',
    header: async () => `Bearer ${await devSessionToken(ALICE.id, { now: minutes(-20), ttlSeconds: 600 })}`,
    status: 401,
    key: 'unauthorized',
  },
  {
    name: 'a token not yet valid',
    header: async () =>
      `Bearer ${await claims(
        new SignJWT({ scope: ALL_SCOPES.join(' ') }).setProtectedHeader({
          alg: 'HS256',
          kid: session.key.kid,
          typ: 'JWT',
        }),
      )
        .setNotBefore('3m')
        .sign(new TextEncoder().encode(secret))}`,
    status: 401,
    key: 'unauthorized',
  },
  {
    name: 'a token issued in the future',
    header: async () => `Bearer ${await devSessionToken(ALICE.id, { now: minutes(5) })}`,
    status: 401,
    key: 'unauthorized',
  },
  {
    name: 'a wrong signature',
    header: async () =>
      `Bearer ${await mintSessionToken({ customerId: ALICE.id, issuer: session.issuer, key: { kid: session.key.kid, alg: 'HS256', secret: `${secret}-forged` } })}`,
    status: 401,
    key: 'unauthorized',
  },
  {
    name: 'alg none',
    header: async () => {
      const unsigned = claims(new UnsecuredJWT({ scope: ALL_SCOPES.join(' ') })).encode();
      const [, payload] = unsigned.split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'none', kid: session.key.kid, typ: 'JWT' })).toString(
        'base64url',
      );
      return `Bearer ${header}.${payload}.`;
    },
    status: 401,
    key: 'unauthorized',
  },
  {
    name: 'a wrong issuer',
    header: async () =>
      `Bearer ${await mintSessionToken({ customerId: ALICE.id, issuer: 'https://evil.example', key: session.key })}`,
    status: 401,
    key: 'unauthorized',
  },
  {
    name: 'a wrong audience',
    header: async () =>
      `Bearer ${await mintSessionToken({ customerId: ALICE.id, issuer: session.issuer, audience: 'other-api', key: session.key })}`,
    status: 401,
    key: 'unauthorized',
  },
  {
    name: 'a token living longer than SESSION_MAX_TTL',
    header: async () => `Bearer ${await devSessionToken(ALICE.id, { ttlSeconds: 3600 })}`,
    status: 401,
    key: 'unauthorized',
  },
  {
    name: 'an unsubscribe token',
    header: async () => `Bearer ${await devUnsubscribeToken(ALICE.id)}`,
    status: 401,
    key: 'unauthorized',
  },
  {
    name: 'a preferences link token',
    header: async () => `Bearer ${await mintPreferencesToken({ customerId: ALICE.id, key: devKeys.unsubscribeKey! })}`,
    status: 401,
    key: 'unauthorized',
  },
  {
    name: 'a token without the route’s scope',
    header: async (route) =>
      `Bearer ${await devSessionToken(ALICE.id, { scopes: ALL_SCOPES.filter((scope) => scope !== route.scope) })}`,
    status: 403,
    key: 'forbidden',
  },
];

function mentionsBob(path: string): boolean {
  const decoded = decodeURIComponent(path);
  return [BOB.id, BOB.source_id].some((needle) => decoded.includes(needle));
}

describe('authorization matrix', () => {
  let stack: Stack;
  stackPerSuite((started) => (stack = started));

  for (const route of ROUTES) {
    describe(`${route.method} ${route.path} (needs ${route.scope})`, () => {
      for (const bad of BAD_SESSIONS) {
        it(`answers ${bad.status} to ${bad.name}, without calling the upstream`, async () => {
          const header = await bad.header(route);
          const response = await stack.fetch(route.path, {
            method: route.method,
            headers: {
              ...(header ? { authorization: header } : {}),
              ...(route.body ? { 'content-type': 'application/json' } : {}),
            },
            ...(route.body ? { body: JSON.stringify(route.body) } : {}),
          });
          const body = await json(response);
          assert.equal(response.status, bad.status);
          assert.equal(body.key, bad.key);
          assert.match(String(body.request_id), /^v-[0-9a-f]{18}$/);
          const challenge = response.headers.get('www-authenticate') ?? '';
          if (bad.status === 401) assert.match(challenge, /^Bearer error="invalid_token"/);
          else assert.match(challenge, new RegExp(`insufficient_scope.*${route.scope}`));
          assert.deepEqual(stack.upstream(), []);
        });
      }

      it('answers 404 when another customer’s id is appended to the path, without calling the upstream', async () => {
        const response = await stack.call(
          route.method,
          `${route.path}/${encodeURIComponent(BOB.id)}`,
          await devSessionToken(ALICE.id),
          route.body,
        );
        assert.equal(response.status, 404);
        assert.equal((await json(response)).key, 'not_found');
        assert.deepEqual(stack.upstream(), []);
      });

      it('refuses another customer’s id in the query, without calling the upstream', async () => {
        const response = await stack.call(
          route.method,
          `${route.path}?customer_id=${encodeURIComponent(BOB.id)}`,
          await devSessionToken(ALICE.id),
          route.body,
        );
        assert.equal(response.status, 400);
        assert.equal((await json(response)).key, 'invalid_query_params');
        assert.deepEqual(stack.upstream(), []);
      });

      if (route.method !== 'GET') {
        it('refuses another customer’s id in the body, and never sends it upstream', async () => {
          const body = { ...(route.body as object), id: BOB.id, source_id: BOB.source_id, customer_id: BOB.id };
          const response = await stack.call(route.method, route.path, await devSessionToken(ALICE.id), body);
          assert.equal(response.status, 400);
          assert.equal((await json(response)).key, 'invalid_payload');
          assert.ok(
            !stack.upstream().some((request) => mentionsBob(request.path + request.query)),
            JSON.stringify(stack.upstream()),
          );
        });
      }

      it('serves the token’s customer (sub) only: every upstream call names Alice, none Bob', async () => {
        const response = await stack.call(
          route.method,
          route.path,
          await devSessionToken(ALICE.id, { scopes: [route.scope] }),
          route.body,
        );
        assert.equal(response.status, 200, await response.clone().text());
        const calls = stack.upstream();
        assert.ok(calls.length > 0);
        for (const call of calls) {
          assert.ok(!mentionsBob(call.path + call.query), call.path);
          assert.ok(call.path === '/v1/consents' || call.path.startsWith(`/v1/customers/${ALICE.id}`), call.path);
        }
      });
    });
  }

  it('treats a session token as no credential on the back office paths (401), calling nothing', async () => {
    const token = await devSessionToken(ALICE.id);
    for (const path of [`/v1/customers/${BOB.id}`, '/v1/customers', `/v1/customers/${BOB.id}/consents`]) {
      const response = await stack.call('GET', path, token);
      assert.equal(response.status, 401, path);
    }
    assert.deepEqual(stack.upstream(), []);
  });

  it('identifies the customer by source_id as well as by id', async () => {
    const response = await stack.call('GET', '/v1/me', await devSessionToken(ALICE.source_id));
    assert.equal(response.status, 200);
    assert.equal((await json(response)).id, ALICE.id);
    assert.deepEqual(
      stack.upstream().map((request) => request.path),
      [`/v1/customers/${encodeURIComponent(ALICE.source_id)}`],
    );
  });
});
