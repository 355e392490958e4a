/**
 * The token helpers on their own (Node): what the shop backend mints, the worker's verifier accepts, and nothing
 * else. The same functions run inside the worker (see auth-matrix.test.ts for them in workerd).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair } from 'jose';
import { TokenError } from '../../src/worker/tokens.js';
import {
  KeyConfigError,
  importSessionKeys,
  importUnsubscribeKeys,
  parseSessionKeys,
  parseUnsubscribeKeys,
} from '../../src/worker/token-keys.js';
import type { SessionKeyConfig } from '../../src/worker/token-keys.js';
import { mintSessionToken, verifySessionToken } from '../../src/worker/session-tokens.js';
import {
  CONFIRM_TOKEN_TYPE,
  DEFAULT_PREFERENCES_TTL_SECONDS,
  PREFERENCES_TOKEN_TYPE,
  mintConfirmToken,
  mintPreferencesToken,
  mintUnsubscribeToken,
  preferencesPageUrl,
  unsubscribeUrl,
  verifyConfirmToken,
  verifyPreferencesToken,
  verifyUnsubscribeToken,
} from '../../src/worker/link-tokens.js';
import { listUnsubscribeHeaders } from '../../src/worker/list-unsubscribe.js';
import { MissingKeysError, loadKeys, preferencesLink } from '../../src/node/index.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const HS: SessionKeyConfig = { kid: 'k1', alg: 'HS256', secret: SECRET };
const ISSUER = 'https://shop.example';

async function verify(
  token: string,
  keys: SessionKeyConfig[] = [HS],
  extra: { maxTtlSeconds?: number; now?: Date } = {},
) {
  return verifySessionToken(token, {
    keys: await importSessionKeys(keys),
    issuer: ISSUER,
    audience: 'vc-edge',
    maxTtlSeconds: extra.maxTtlSeconds ?? 900,
    ...(extra.now ? { now: extra.now } : {}),
  });
}

async function refused(promise: Promise<unknown>, reason: string) {
  await assert.rejects(promise, (error: unknown) => error instanceof TokenError && error.reason === reason);
}

describe('session tokens', () => {
  it('round-trips customer, scopes and a key id through mint and verify', async () => {
    const token = await mintSessionToken({
      customerId: 'alice@example.com',
      scopes: ['profile:read'],
      issuer: ISSUER,
      key: HS,
    });
    const verified = await verify(token);
    assert.equal(verified.customerId, 'alice@example.com');
    assert.deepEqual([...verified.scopes], ['profile:read']);
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    assert.deepEqual(header, { alg: 'HS256', kid: 'k1', typ: 'JWT' });
  });

  it('refuses alg none, a wrong signature, an unknown kid, and other issuers or audiences', async () => {
    const none = new UnsecuredJWT({ scope: 'profile:read' })
      .setIssuer(ISSUER)
      .setAudience('vc-edge')
      .setSubject('x')
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti('j')
      .encode();
    await refused(verify(none), 'malformed');
    const forged = await mintSessionToken({
      customerId: 'x',
      issuer: ISSUER,
      key: { ...HS, secret: `${SECRET}-other` },
    });
    await refused(verify(forged), 'bad_signature');
    await refused(
      verify(await mintSessionToken({ customerId: 'x', issuer: ISSUER, key: { ...HS, kid: 'k9' } })),
      'unknown_key',
    );
    await refused(
      verify(await mintSessionToken({ customerId: 'x', issuer: 'https://evil.example', key: HS })),
      'wrong_issuer',
    );
    await refused(
      verify(await mintSessionToken({ customerId: 'x', issuer: ISSUER, audience: 'other', key: HS })),
      'wrong_audience',
    );
  });

  it('refuses expired, not-yet-valid and too-long-lived tokens, with 30 s of tolerance', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const token = await mintSessionToken({ customerId: 'x', issuer: ISSUER, key: HS, ttlSeconds: 60, now });
    await verify(token, [HS], { now: new Date(now.getTime() + 80_000) });
    await refused(verify(token, [HS], { now: new Date(now.getTime() + 100_000) }), 'expired');
    await refused(verify(token, [HS], { now: new Date(now.getTime() - 120_000) }), 'not_yet_valid');
    const long = await mintSessionToken({ customerId: 'x', issuer: ISSUER, key: HS, ttlSeconds: 3600 });
    await refused(verify(long), 'too_long_lived');
    const nbf = await new SignJWT({ scope: 'profile:read' })
      .setProtectedHeader({ alg: 'HS256', kid: 'k1', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience('vc-edge')
      .setSubject('x')
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti('j')
      .setNotBefore('2m')
      .sign(new TextEncoder().encode(SECRET));
    await refused(verify(nbf), 'not_yet_valid');
  });

  it('verifies ES256 with only the public JWK, and refuses an HS256 token made with that public key (algorithm confusion)', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const keys = parseSessionKeys(JSON.stringify([HS, { kid: 'es1', alg: 'ES256', jwk: publicJwk }]));
    const token = await mintSessionToken({
      customerId: 'x',
      issuer: ISSUER,
      key: { kid: 'es1', alg: 'ES256', jwk: await exportJWK(privateKey) },
    });
    assert.equal((await verify(token, keys)).customerId, 'x');
    const confused = await new SignJWT({ scope: 'profile:read' })
      .setProtectedHeader({ alg: 'HS256', kid: 'es1', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience('vc-edge')
      .setSubject('x')
      .setIssuedAt()
      .setExpirationTime('5m')
      .setJti('j')
      .sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    await refused(verify(confused, keys), 'bad_signature');
  });

  it('accepts every key of a rotated list, and refuses a private JWK in the worker configuration', async () => {
    const old = { kid: 'old', alg: 'HS256' as const, secret: `${SECRET}-old` };
    const token = await mintSessionToken({ customerId: 'x', issuer: ISSUER, key: old });
    assert.equal((await verify(token, [HS, old])).customerId, 'x');
    await refused(verify(token, [HS]), 'unknown_key');
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const privateJwk = await exportJWK(privateKey);
    assert.throws(
      () => parseSessionKeys(JSON.stringify([{ kid: 'p', alg: 'ES256', jwk: privateJwk }])),
      /holds a PRIVATE key/,
    );
  });

  it('refuses short secrets and malformed key lists without quoting the secret', () => {
    assert.throws(
      () => parseSessionKeys('[{"kid":"k","alg":"HS256","secret":"short-secret-value"}]'),
      (error: unknown) => {
        assert.ok(error instanceof KeyConfigError);
        assert.doesNotMatch(error.message, /short-secret-value/);
        assert.match(error.message, /SESSION_KEYS: entry 0 .*at least 32 bytes/);
        return true;
      },
    );
    assert.throws(() => parseSessionKeys('{not json'), /SESSION_KEYS: is not valid JSON/);
    assert.throws(
      () => parseSessionKeys('[{"kid":"k","alg":"none","secret":"x"}]'),
      /"alg" must be HS256, ES256 or EdDSA/,
    );
    assert.throws(() => parseUnsubscribeKeys('[]'), /UNSUBSCRIBE_KEYS: must hold at least one key/);
  });
});

describe('unsubscribe tokens', () => {
  const U = { kid: 'u1', secret: `${SECRET}-unsubscribe` };

  it('round-trips and is purpose-bound: a session token is not an unsubscribe token, and vice versa', async () => {
    const keys = importUnsubscribeKeys([U]);
    const token = await mintUnsubscribeToken({ customerId: 'cust_1', key: U, jti: 'mail-1' });
    assert.deepEqual(await verifyUnsubscribeToken(token, keys), {
      customerId: 'cust_1',
      jti: 'mail-1',
      issuedAt: (await verifyUnsubscribeToken(token, keys)).issuedAt,
      kid: 'u1',
    });
    const session = await mintSessionToken({
      customerId: 'cust_1',
      issuer: ISSUER,
      key: { kid: 'u1', alg: 'HS256', secret: U.secret },
    });
    await refused(verifyUnsubscribeToken(session, keys), 'wrong_type');
    await refused(verify(token, [{ kid: 'u1', alg: 'HS256', secret: U.secret }]), 'wrong_type');
  });

  it('calls a token of a retired key unknown_key, and a tampered one bad_signature', async () => {
    const token = await mintUnsubscribeToken({ customerId: 'cust_1', key: U });
    await refused(
      verifyUnsubscribeToken(token, importUnsubscribeKeys([{ kid: 'u2', secret: `${SECRET}-new` }])),
      'unknown_key',
    );
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const swapped = Buffer.from(JSON.stringify({ ...claims, sub: 'cust_2' })).toString('base64url');
    await refused(
      verifyUnsubscribeToken(`${header}.${swapped}.${signature}`, importUnsubscribeKeys([U])),
      'bad_signature',
    );
  });

  it('builds the URL and both RFC 8058 headers, https only except on localhost', () => {
    const url = unsubscribeUrl('https://edge.example.com/', 'a.b.c');
    assert.equal(url, 'https://edge.example.com/unsubscribe/a.b.c');
    assert.deepEqual(listUnsubscribeHeaders(url, { mailto: 'unsubscribe@example.com' }), {
      'List-Unsubscribe': '<https://edge.example.com/unsubscribe/a.b.c>, <mailto:unsubscribe@example.com>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    assert.throws(() => listUnsubscribeHeaders('http://edge.example.com/unsubscribe/x'), /https/);
    assert.equal(
      listUnsubscribeHeaders('http://127.0.0.1:8787/unsubscribe/x')['List-Unsubscribe'],
      '<http://127.0.0.1:8787/unsubscribe/x>',
    );
  });
});

describe('preferences tokens', () => {
  const U = { kid: 'u1', secret: `${SECRET}-links` };
  const keys = importUnsubscribeKeys([U]);
  const claimsOf = (token: string) =>
    JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;

  it('round-trips, with typ vc-preferences+jwt, pur preferences and a 60-day default lifetime (configurable, at most a year)', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const token = await mintPreferencesToken({ customerId: 'cust_1', key: U, jti: 'mail-1', now });
    assert.deepEqual(JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()), {
      alg: 'HS256',
      kid: 'u1',
      typ: PREFERENCES_TOKEN_TYPE,
    });
    const claims = claimsOf(token);
    assert.equal(claims.pur, 'preferences');
    assert.equal(Number(claims.exp) - Number(claims.iat), DEFAULT_PREFERENCES_TTL_SECONDS);
    assert.equal(DEFAULT_PREFERENCES_TTL_SECONDS, 60 * 24 * 3600);
    assert.deepEqual(await verifyPreferencesToken(token, keys, now), {
      customerId: 'cust_1',
      jti: 'mail-1',
      issuedAt: Number(claims.iat),
      expiresAt: Number(claims.exp),
    });
    const week = await mintPreferencesToken({ customerId: 'cust_1', key: U, ttlSeconds: 7 * 24 * 3600 });
    assert.equal(Number(claimsOf(week).exp) - Number(claimsOf(week).iat), 7 * 24 * 3600);
    await assert.rejects(
      mintPreferencesToken({ customerId: 'cust_1', key: U, ttlSeconds: 400 * 24 * 3600 }),
      TypeError,
    );
    await assert.rejects(mintPreferencesToken({ customerId: 'cust_1', key: U, ttlSeconds: 0 }), TypeError);
    await assert.rejects(mintPreferencesToken({ customerId: '', key: U }), TypeError);
    await assert.rejects(
      mintPreferencesToken({ customerId: 'cust_1', key: { kid: 'u1', secret: 'short' } }),
      KeyConfigError,
    );
  });

  it('expires, with 30 s of tolerance', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const token = await mintPreferencesToken({ customerId: 'cust_1', key: U, ttlSeconds: 3600, now });
    await verifyPreferencesToken(token, keys, new Date(now.getTime() + 3620_000));
    await refused(verifyPreferencesToken(token, keys, new Date(now.getTime() + 3700_000)), 'expired');
    await refused(verifyPreferencesToken(token, keys, new Date(now.getTime() - 120_000)), 'not_yet_valid');
    const forever = await new SignJWT({ pur: 'preferences' })
      .setProtectedHeader({ alg: 'HS256', kid: 'u1', typ: PREFERENCES_TOKEN_TYPE })
      .setSubject('cust_1')
      .setIssuedAt()
      .setExpirationTime('3y')
      .setJti('j')
      .sign(new TextEncoder().encode(U.secret));
    await refused(verifyPreferencesToken(forever, keys), 'too_long_lived');
    const noExp = await new SignJWT({ pur: 'preferences' })
      .setProtectedHeader({ alg: 'HS256', kid: 'u1', typ: PREFERENCES_TOKEN_TYPE })
      .setSubject('cust_1')
      .setIssuedAt()
      .setJti('j')
      .sign(new TextEncoder().encode(U.secret));
    await refused(verifyPreferencesToken(noExp, keys), 'missing_claim');
  });

  it('is purpose-bound both ways: session, unsubscribe and confirmation tokens are not preferences tokens, and vice versa', async () => {
    const preferences = await mintPreferencesToken({ customerId: 'cust_1', key: U });
    const session = await mintSessionToken({
      customerId: 'cust_1',
      issuer: ISSUER,
      key: { kid: 'u1', alg: 'HS256', secret: U.secret },
    });
    const unsubscribe = await mintUnsubscribeToken({ customerId: 'cust_1', key: U });
    const confirm = await mintConfirmToken({ email: 'a@example.com', consents: { cnst_1: true }, key: U });
    for (const other of [session, unsubscribe, confirm])
      await refused(verifyPreferencesToken(other, keys), 'wrong_type');
    await refused(verifyUnsubscribeToken(preferences, keys), 'wrong_type');
    await refused(verifyConfirmToken(preferences, keys), 'wrong_type');
    await refused(verify(preferences, [{ kid: 'u1', alg: 'HS256', secret: U.secret }]), 'wrong_type');
    // The right typ with another purpose (or a confirmation's claims) is refused too.
    const sign = (typ: string, claims: Record<string, unknown>) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256', kid: 'u1', typ })
        .setSubject('cust_1')
        .setIssuedAt()
        .setExpirationTime('1d')
        .setJti('j')
        .sign(new TextEncoder().encode(U.secret));
    await refused(
      verifyPreferencesToken(await sign(PREFERENCES_TOKEN_TYPE, { pur: 'unsubscribe' }), keys),
      'wrong_purpose',
    );
    await refused(
      verifyPreferencesToken(await sign(PREFERENCES_TOKEN_TYPE, { pur: 'preferences', scope: 'consents:write' }), keys),
      'wrong_purpose',
    );
    await refused(verifyConfirmToken(await sign(CONFIRM_TOKEN_TYPE, { pur: 'preferences' }), keys), 'wrong_purpose');
  });

  it('calls a token of a retired key unknown_key, and one with a byte changed bad_signature or malformed', async () => {
    const token = await mintPreferencesToken({ customerId: 'cust_1', key: U });
    await refused(
      verifyPreferencesToken(token, importUnsubscribeKeys([{ kid: 'u2', secret: `${SECRET}-new` }])),
      'unknown_key',
    );
    const [header, payload, signature] = token.split('.') as [string, string, string];
    for (let at = 0; at < payload.length; at += 7) {
      const tampered = `${header}.${payload.slice(0, at)}${payload[at] === 'A' ? 'B' : 'A'}${payload.slice(at + 1)}.${signature}`;
      await assert.rejects(
        verifyPreferencesToken(tampered, keys),
        (error: unknown) => error instanceof TokenError && ['bad_signature', 'malformed'].includes(error.reason),
        `byte ${at}`,
      );
    }
    const resigned = `${header}.${payload}.${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    await refused(verifyPreferencesToken(resigned, keys), 'bad_signature');
  });

  it('preferencesLink (vc-consent/node) mints the URL, the token and its expiry from the loaded keys', async () => {
    const loaded = loadKeys({
      env: { UNSUBSCRIBE_KEYS: JSON.stringify([U]), PUBLIC_URL: 'https://edge.example.com/' },
      devVars: false,
    });
    const link = await preferencesLink(loaded, 'alice@example.com');
    assert.equal(link.url, `https://edge.example.com/preferences/${link.token}`);
    const verified = await verifyPreferencesToken(link.token, keys);
    assert.equal(verified.customerId, 'alice@example.com');
    assert.equal(new Date(link.expiresAt).getTime() / 1000, verified.expiresAt);
    assert.ok(Math.abs(verified.expiresAt - Date.now() / 1000 - DEFAULT_PREFERENCES_TTL_SECONDS) < 5);
    const short = await preferencesLink(loaded, 'cust_1', { publicUrl: 'http://127.0.0.1:8787', ttlSeconds: 3600 });
    assert.ok(short.url.startsWith('http://127.0.0.1:8787/preferences/'));
    assert.equal(
      (await verifyPreferencesToken(short.token, keys)).expiresAt - Math.floor(Date.now() / 1000) <= 3600,
      true,
    );
    assert.equal(
      preferencesPageUrl('https://edge.example.com/prefix/', 'a.b.c'),
      'https://edge.example.com/prefix/preferences/a.b.c',
    );
    await assert.rejects(
      preferencesLink(loadKeys({ env: { PUBLIC_URL: 'https://edge.example.com' }, devVars: false }), 'cust_1'),
      MissingKeysError,
    );
    await assert.rejects(
      preferencesLink(loadKeys({ env: { UNSUBSCRIBE_KEYS: JSON.stringify([U]) }, devVars: false }), 'cust_1'),
      /PUBLIC_URL/,
    );
  });
});
