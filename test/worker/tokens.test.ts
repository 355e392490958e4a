/**
 * The token helpers on their own (Node): what the shop backend mints, the worker's verifier accepts, and nothing
 * else. The same functions run inside the worker (see auth-matrix.test.ts for them in workerd).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SignJWT, UnsecuredJWT, exportJWK, generateKeyPair } from 'jose';
import {
  KeyConfigError,
  TokenError,
  importSessionKeys,
  importUnsubscribeKeys,
  listUnsubscribeHeaders,
  mintSessionToken,
  mintUnsubscribeToken,
  parseSessionKeys,
  parseUnsubscribeKeys,
  unsubscribeUrl,
  verifySessionToken,
  verifyUnsubscribeToken,
} from '../../src/worker/tokens.js';
import type { SessionKeyConfig } from '../../src/worker/tokens.js';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';
const HS: SessionKeyConfig = { kid: 'k1', alg: 'HS256', secret: SECRET };
const ISSUER = 'https://shop.example';

async function verify(token: string, keys: SessionKeyConfig[] = [HS], extra: { maxTtlSeconds?: number; now?: Date } = {}) {
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
    const token = await mintSessionToken({ customerId: 'alice@example.com', scopes: ['profile:read'], issuer: ISSUER, key: HS });
    const verified = await verify(token);
    assert.equal(verified.customerId, 'alice@example.com');
    assert.deepEqual([...verified.scopes], ['profile:read']);
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString());
    assert.deepEqual(header, { alg: 'HS256', kid: 'k1', typ: 'JWT' });
  });

  it('refuses alg none, a wrong signature, an unknown kid, and other issuers or audiences', async () => {
    const none = new UnsecuredJWT({ scope: 'profile:read' }).setIssuer(ISSUER).setAudience('vc-edge').setSubject('x').setIssuedAt().setExpirationTime('5m').setJti('j').encode();
    await refused(verify(none), 'malformed');
    const forged = await mintSessionToken({ customerId: 'x', issuer: ISSUER, key: { ...HS, secret: `${SECRET}-other` } });
    await refused(verify(forged), 'bad_signature');
    await refused(verify(await mintSessionToken({ customerId: 'x', issuer: ISSUER, key: { ...HS, kid: 'k9' } })), 'unknown_key');
    await refused(verify(await mintSessionToken({ customerId: 'x', issuer: 'https://evil.example', key: HS })), 'wrong_issuer');
    await refused(verify(await mintSessionToken({ customerId: 'x', issuer: ISSUER, audience: 'other', key: HS })), 'wrong_audience');
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
      .setIssuer(ISSUER).setAudience('vc-edge').setSubject('x').setIssuedAt().setExpirationTime('5m').setJti('j')
      .setNotBefore('2m')
      .sign(new TextEncoder().encode(SECRET));
    await refused(verify(nbf), 'not_yet_valid');
  });

  it('verifies ES256 with only the public JWK, and refuses an HS256 token made with that public key (algorithm confusion)', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const keys = parseSessionKeys(JSON.stringify([HS, { kid: 'es1', alg: 'ES256', jwk: publicJwk }]));
    const token = await mintSessionToken({ customerId: 'x', issuer: ISSUER, key: { kid: 'es1', alg: 'ES256', jwk: await exportJWK(privateKey) } });
    assert.equal((await verify(token, keys)).customerId, 'x');
    const confused = await new SignJWT({ scope: 'profile:read' })
      .setProtectedHeader({ alg: 'HS256', kid: 'es1', typ: 'JWT' })
      .setIssuer(ISSUER).setAudience('vc-edge').setSubject('x').setIssuedAt().setExpirationTime('5m').setJti('j')
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
    assert.throws(() => parseSessionKeys(JSON.stringify([{ kid: 'p', alg: 'ES256', jwk: privateJwk }])), /holds a PRIVATE key/);
  });

  it('refuses short secrets and malformed key lists without quoting the secret', () => {
    assert.throws(() => parseSessionKeys('[{"kid":"k","alg":"HS256","secret":"short-secret-value"}]'), (error: unknown) => {
      assert.ok(error instanceof KeyConfigError);
      assert.doesNotMatch(error.message, /short-secret-value/);
      assert.match(error.message, /SESSION_KEYS: entry 0 .*at least 32 bytes/);
      return true;
    });
    assert.throws(() => parseSessionKeys('{not json'), /SESSION_KEYS: is not valid JSON/);
    assert.throws(() => parseSessionKeys('[{"kid":"k","alg":"none","secret":"x"}]'), /"alg" must be HS256, ES256 or EdDSA/);
    assert.throws(() => parseUnsubscribeKeys('[]'), /UNSUBSCRIBE_KEYS: must hold at least one key/);
  });
});

describe('unsubscribe tokens', () => {
  const U = { kid: 'u1', secret: `${SECRET}-unsubscribe` };

  it('round-trips and is purpose-bound: a session token is not an unsubscribe token, and vice versa', async () => {
    const keys = importUnsubscribeKeys([U]);
    const token = await mintUnsubscribeToken({ customerId: 'cust_1', key: U, jti: 'mail-1' });
    assert.deepEqual(await verifyUnsubscribeToken(token, keys), { customerId: 'cust_1', jti: 'mail-1', issuedAt: (await verifyUnsubscribeToken(token, keys)).issuedAt, kid: 'u1' });
    const session = await mintSessionToken({ customerId: 'cust_1', issuer: ISSUER, key: { kid: 'u1', alg: 'HS256', secret: U.secret } });
    await refused(verifyUnsubscribeToken(session, keys), 'wrong_type');
    await refused(verify(token, [{ kid: 'u1', alg: 'HS256', secret: U.secret }]), 'wrong_type');
  });

  it('calls a token of a retired key unknown_key, and a tampered one bad_signature', async () => {
    const token = await mintUnsubscribeToken({ customerId: 'cust_1', key: U });
    await refused(verifyUnsubscribeToken(token, importUnsubscribeKeys([{ kid: 'u2', secret: `${SECRET}-new` }])), 'unknown_key');
    const [header, payload, signature] = token.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const swapped = Buffer.from(JSON.stringify({ ...claims, sub: 'cust_2' })).toString('base64url');
    await refused(verifyUnsubscribeToken(`${header}.${swapped}.${signature}`, importUnsubscribeKeys([U])), 'bad_signature');
  });

  it('builds the URL and both RFC 8058 headers, https only except on localhost', () => {
    const url = unsubscribeUrl('https://edge.example.com/', 'a.b.c');
    assert.equal(url, 'https://edge.example.com/unsubscribe/a.b.c');
    assert.deepEqual(listUnsubscribeHeaders(url, { mailto: 'unsubscribe@example.com' }), {
      'List-Unsubscribe': '<https://edge.example.com/unsubscribe/a.b.c>, <mailto:unsubscribe@example.com>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    assert.throws(() => listUnsubscribeHeaders('http://edge.example.com/unsubscribe/x'), /https/);
    assert.equal(listUnsubscribeHeaders('http://127.0.0.1:8787/unsubscribe/x')['List-Unsubscribe'], '<http://127.0.0.1:8787/unsubscribe/x>');
  });
});
