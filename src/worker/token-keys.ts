/**
 * The signing and verifying keys of tokens: parsing the key lists (the worker validates its secrets with these, the
 * CLI its dev vars) and importing them once per isolate (jose needs a CryptoKey, a KeyObject or raw bytes).
 *
 * Every key carries a key id, and verifiers take a list of keys, so keys rotate without breaking live tokens.
 */
import { importJWK } from 'jose';
import type { CryptoKey, JWK, KeyObject } from 'jose';

export type SessionAlgorithm = 'HS256' | 'ES256' | 'EdDSA';

/**
 * A session key: an HS256 secret, or a JWK of an ES256/EdDSA pair. `SESSION_KEYS` entries (what the worker verifies
 * with) hold the PUBLIC JWK; a shop's backend signs with the PRIVATE one (`SESSION_SIGNING_KEY`).
 */
export type SessionKeyConfig =
  { kid: string; alg: 'HS256'; secret: string } | { kid: string; alg: 'ES256' | 'EdDSA'; jwk: JWK };

/** One entry of `UNSUBSCRIBE_KEYS`. The first entry of the list signs; every entry verifies. */
export interface UnsubscribeKeyConfig {
  kid: string;
  secret: string;
}

/** The shortest HMAC secret accepted (bytes of UTF-8): 256 bits, as RFC 7518 asks for HS256. */
export const MIN_SECRET_LENGTH = 32;

const KID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** Thrown when a key list is not what it should be. The message names the variable and never quotes a secret. */
export class KeyConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly reason: string,
  ) {
    super(`${variable}: ${reason}`);
    this.name = 'KeyConfigError';
  }
}

/** A JSON array held in an environment variable; `expected` says in the error what the array should hold. */
export function readJsonArray(variable: string, raw: string, expected: string): unknown[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new KeyConfigError(variable, `is not valid JSON (expected ${expected})`);
  }
  if (!Array.isArray(parsed)) throw new KeyConfigError(variable, 'must be a JSON array');
  return parsed;
}

function parseJsonArray(variable: string, raw: string | undefined): unknown[] {
  if (raw === undefined || raw.trim() === '')
    throw new KeyConfigError(variable, 'is not set (expected a JSON array of keys)');
  const parsed = readJsonArray(variable, raw, 'a JSON array of keys');
  if (parsed.length === 0) throw new KeyConfigError(variable, 'must hold at least one key');
  return parsed;
}

function entryObject(variable: string, entry: unknown, index: number): Record<string, unknown> {
  if (!entry || typeof entry !== 'object' || Array.isArray(entry)) {
    throw new KeyConfigError(variable, `entry ${index} must be an object`);
  }
  return entry as Record<string, unknown>;
}

function checkKid(variable: string, kid: unknown, index: number, seen: Set<string>): string {
  if (typeof kid !== 'string' || !KID_PATTERN.test(kid)) {
    throw new KeyConfigError(variable, `entry ${index}: "kid" must be 1-64 characters of A-Z a-z 0-9 . _ : -`);
  }
  if (seen.has(kid)) throw new KeyConfigError(variable, `entry ${index}: "kid" ${JSON.stringify(kid)} appears twice`);
  seen.add(kid);
  return kid;
}

/** The secret of an HMAC key, when it is long enough. */
export function checkSecret(variable: string, secret: unknown, index: number, kid: string): string {
  if (typeof secret !== 'string' || new TextEncoder().encode(secret).length < MIN_SECRET_LENGTH) {
    throw new KeyConfigError(
      variable,
      `entry ${index} (kid ${JSON.stringify(kid)}): "secret" must be a string of at least ${MIN_SECRET_LENGTH} bytes`,
    );
  }
  return secret;
}

function checkJwk(
  variable: string,
  jwk: unknown,
  alg: 'ES256' | 'EdDSA',
  index: number,
  kid: string,
  want: 'public' | 'private',
): JWK {
  const where = `entry ${index} (kid ${JSON.stringify(kid)})`;
  if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk))
    throw new KeyConfigError(variable, `${where}: "jwk" must be a JWK object`);
  const key = jwk as JWK;
  if (alg === 'ES256' && (key.kty !== 'EC' || key.crv !== 'P-256')) {
    throw new KeyConfigError(variable, `${where}: an ES256 key must be a JWK with kty "EC" and crv "P-256"`);
  }
  if (alg === 'EdDSA' && (key.kty !== 'OKP' || key.crv !== 'Ed25519')) {
    throw new KeyConfigError(variable, `${where}: an EdDSA key must be a JWK with kty "OKP" and crv "Ed25519"`);
  }
  if (typeof key.x !== 'string' || (alg === 'ES256' && typeof key.y !== 'string')) {
    throw new KeyConfigError(variable, `${where}: the JWK lacks its public coordinates`);
  }
  if (want === 'public' && key.d !== undefined) {
    throw new KeyConfigError(variable, `${where}: holds a PRIVATE key; give the worker only the public JWK (drop "d")`);
  }
  if (want === 'private' && typeof key.d !== 'string') {
    throw new KeyConfigError(variable, `${where}: signing needs the private JWK (with "d")`);
  }
  return key;
}

/** Parses `SESSION_KEYS` (verification side: HS256 secrets or PUBLIC JWKs). */
export function parseSessionKeys(raw: string | undefined, variable = 'SESSION_KEYS'): SessionKeyConfig[] {
  const seen = new Set<string>();
  return parseJsonArray(variable, raw).map((entry, index) => {
    const object = entryObject(variable, entry, index);
    const kid = checkKid(variable, object.kid, index, seen);
    if (object.alg === 'HS256') return { kid, alg: 'HS256', secret: checkSecret(variable, object.secret, index, kid) };
    if (object.alg === 'ES256' || object.alg === 'EdDSA') {
      return { kid, alg: object.alg, jwk: checkJwk(variable, object.jwk, object.alg, index, kid, 'public') };
    }
    throw new KeyConfigError(
      variable,
      `entry ${index} (kid ${JSON.stringify(kid)}): "alg" must be HS256, ES256 or EdDSA`,
    );
  });
}

/** Parses one session SIGNING key (`SESSION_SIGNING_KEY`: HS256 secret, or a PRIVATE JWK). */
export function parseSessionSigningKey(raw: string, variable = 'SESSION_SIGNING_KEY'): SessionKeyConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new KeyConfigError(variable, 'is not valid JSON (expected {"kid","alg","secret"|"jwk"})');
  }
  const object = entryObject(variable, parsed, 0);
  const kid = checkKid(variable, object.kid, 0, new Set());
  if (object.alg === 'HS256') return { kid, alg: 'HS256', secret: checkSecret(variable, object.secret, 0, kid) };
  if (object.alg === 'ES256' || object.alg === 'EdDSA') {
    return { kid, alg: object.alg, jwk: checkJwk(variable, object.jwk, object.alg, 0, kid, 'private') };
  }
  throw new KeyConfigError(variable, `"alg" must be HS256, ES256 or EdDSA`);
}

/** Parses `UNSUBSCRIBE_KEYS`; the first key signs, all verify. */
export function parseUnsubscribeKeys(raw: string | undefined, variable = 'UNSUBSCRIBE_KEYS'): UnsubscribeKeyConfig[] {
  const seen = new Set<string>();
  return parseJsonArray(variable, raw).map((entry, index) => {
    const object = entryObject(variable, entry, index);
    const kid = checkKid(variable, object.kid, index, seen);
    return { kid, secret: checkSecret(variable, object.secret, index, kid) };
  });
}

type VerifyKey = CryptoKey | KeyObject | JWK | Uint8Array;

export interface ImportedSessionKey {
  readonly kid: string;
  readonly alg: SessionAlgorithm;
  readonly key: VerifyKey;
}

export interface ImportedUnsubscribeKey {
  readonly kid: string;
  readonly key: Uint8Array<ArrayBuffer>;
}

const encoder = new TextEncoder();

/** What jose signs or verifies with for a session key: the secret's bytes, or the imported JWK. */
export async function sessionKeyMaterial(key: SessionKeyConfig): Promise<VerifyKey> {
  return key.alg === 'HS256' ? encoder.encode(key.secret) : importJWK({ ...key.jwk, alg: key.alg }, key.alg);
}

/**
 * The worker imports its keys once per isolate: an HS256 secret as a CryptoKey too, since jose would import raw
 * bytes again on every verification.
 */
export async function importSessionKeys(keys: SessionKeyConfig[]): Promise<ImportedSessionKey[]> {
  return Promise.all(
    keys.map(async (entry) => ({
      kid: entry.kid,
      alg: entry.alg,
      key:
        entry.alg === 'HS256'
          ? await hmacKey(encoder.encode(entry.secret), ['verify'])
          : await sessionKeyMaterial(entry),
    })),
  );
}

/** An HMAC-SHA-256 CryptoKey of `bytes`, for `usages`. */
export function hmacKey(bytes: BufferSource, usages: KeyUsage[]): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', bytes, { name: 'HMAC', hash: 'SHA-256' }, false, usages);
}

/**
 * A key for one purpose only (`label`), derived from a link key: HMAC-SHA-256 keyed with SHA-256(label, NUL, link
 * key), so what it makes is never a token signature, nor the output of another purpose.
 */
export async function purposeKey(label: string, linkKey: Uint8Array): Promise<CryptoKey> {
  const seed = await crypto.subtle.digest('SHA-256', new Uint8Array([...encoder.encode(`${label}\u0000`), ...linkKey]));
  return hmacKey(seed, ['sign', 'verify']);
}

export function importUnsubscribeKeys(keys: UnsubscribeKeyConfig[]): ImportedUnsubscribeKey[] {
  return keys.map((entry) => ({ kid: entry.kid, key: encoder.encode(entry.secret) }));
}
