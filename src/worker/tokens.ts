/**
 * Session and unsubscribe tokens: minted by a shop's backend (Node, see `node.ts`), verified by the edge worker.
 * One module for both sides, so the two can never drift apart. Runs anywhere `jose` and WebCrypto run.
 *
 * - Session token: a JWT `{alg, kid, typ:'JWT'}` with `iss`, `aud`, `sub` (customer id or source_id), `scope`,
 *   `iat`, `exp`, `jti`; short-lived; HS256 with a shared secret, or ES256/EdDSA with the worker holding only the
 *   public JWK.
 * - Unsubscribe token: a compact JWS `{alg:'HS256', kid, typ:'vc-unsubscribe+jwt'}` over `{sub, pur:'unsubscribe',
 *   iat, jti}`, long-lived (no `exp`), signed with an unsubscribe key, never with a session key.
 * - Link tokens of the double opt-in (`vc-confirm+jwt`) and of the preference center (`vc-preferences+jwt`): the same
 *   link keys, each with its own `typ` and `pur`, and an `exp`.
 *
 * Both carry a key id, and both verifiers take a list of keys, so keys rotate without breaking live tokens.
 */
import { SignJWT, decodeProtectedHeader, errors, importJWK, jwtVerify } from 'jose';
import type { CryptoKey, JWK, JWTPayload, KeyObject } from 'jose';
import { SCOPES } from '../api/edge-types.js';
import type { Scope } from '../api/edge-types.js';

export type SessionAlgorithm = 'HS256' | 'ES256' | 'EdDSA';

/** One entry of `SESSION_KEYS`: what the worker verifies with. */
export type SessionKeyConfig =
  | { kid: string; alg: 'HS256'; secret: string }
  | { kid: string; alg: 'ES256' | 'EdDSA'; jwk: JWK };

/** What a shop's backend signs session tokens with: an HS256 secret, or the PRIVATE JWK of an ES256/EdDSA pair. */
export type SessionSigningKey =
  | { kid: string; alg: 'HS256'; secret: string }
  | { kid: string; alg: 'ES256' | 'EdDSA'; jwk: JWK };

/** One entry of `UNSUBSCRIBE_KEYS`. The first entry of the list signs; every entry verifies. */
export interface UnsubscribeKeyConfig {
  kid: string;
  secret: string;
}

/** The shortest HMAC secret accepted (bytes of UTF-8): 256 bits, as RFC 7518 asks for HS256. */
export const MIN_SECRET_LENGTH = 32;
export const SESSION_TOKEN_TYPE = 'JWT';
export const UNSUBSCRIBE_TOKEN_TYPE = 'vc-unsubscribe+jwt';
export const UNSUBSCRIBE_PURPOSE = 'unsubscribe';
/** Clock skew tolerated between the shop's backend and the edge. */
export const CLOCK_TOLERANCE_SECONDS = 30;
export const DEFAULT_SESSION_TTL_SECONDS = 600;
export const DEFAULT_SESSION_MAX_TTL_SECONDS = 900;
export const DEFAULT_SESSION_AUDIENCE = 'vc-edge';
/** Every scope, in the order `SCOPES` lists them. */
export const ALL_SCOPES: readonly Scope[] = Object.values(SCOPES);
/** Longest token (characters) either verifier reads; anything longer is refused before any crypto. */
export const MAX_TOKEN_LENGTH = 4096;

const KID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** A customer id or source_id as a token may carry it: 1..200 characters, no control characters, not `.`/`..`. */
export function isValidCustomerId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= 200 &&
    value !== '.' &&
    value !== '..' &&
    // eslint-disable-next-line no-control-regex
    !/[\u0000-\u001f\u007f]/.test(value) &&
    value.trim() === value
  );
}

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------------------------
// Key lists (parsing is shared: the worker validates its secrets with these, the CLI its dev vars)

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

function parseJsonArray(variable: string, raw: string | undefined, allowEmpty: boolean): unknown[] {
  if (raw === undefined || raw.trim() === '') {
    if (allowEmpty) return [];
    throw new KeyConfigError(variable, 'is not set (expected a JSON array of keys)');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new KeyConfigError(variable, 'is not valid JSON (expected a JSON array of keys)');
  }
  if (!Array.isArray(parsed)) throw new KeyConfigError(variable, 'must be a JSON array');
  if (parsed.length === 0 && !allowEmpty) throw new KeyConfigError(variable, 'must hold at least one key');
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

function checkSecret(variable: string, secret: unknown, index: number, kid: string): string {
  if (typeof secret !== 'string' || new TextEncoder().encode(secret).length < MIN_SECRET_LENGTH) {
    throw new KeyConfigError(
      variable,
      `entry ${index} (kid ${JSON.stringify(kid)}): "secret" must be a string of at least ${MIN_SECRET_LENGTH} bytes`,
    );
  }
  return secret;
}

function checkJwk(variable: string, jwk: unknown, alg: 'ES256' | 'EdDSA', index: number, kid: string, want: 'public' | 'private'): JWK {
  const where = `entry ${index} (kid ${JSON.stringify(kid)})`;
  if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk)) throw new KeyConfigError(variable, `${where}: "jwk" must be a JWK object`);
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
  return parseJsonArray(variable, raw, false).map((entry, index) => {
    const object = entryObject(variable, entry, index);
    const kid = checkKid(variable, object.kid, index, seen);
    if (object.alg === 'HS256') return { kid, alg: 'HS256', secret: checkSecret(variable, object.secret, index, kid) };
    if (object.alg === 'ES256' || object.alg === 'EdDSA') {
      return { kid, alg: object.alg, jwk: checkJwk(variable, object.jwk, object.alg, index, kid, 'public') };
    }
    throw new KeyConfigError(variable, `entry ${index} (kid ${JSON.stringify(kid)}): "alg" must be HS256, ES256 or EdDSA`);
  });
}

/** Parses one session SIGNING key (`SESSION_SIGNING_KEY`: HS256 secret, or a PRIVATE JWK). */
export function parseSessionSigningKey(raw: string, variable = 'SESSION_SIGNING_KEY'): SessionSigningKey {
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
  return parseJsonArray(variable, raw, false).map((entry, index) => {
    const object = entryObject(variable, entry, index);
    const kid = checkKid(variable, object.kid, index, seen);
    return { kid, secret: checkSecret(variable, object.secret, index, kid) };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Imported keys (the worker imports once per isolate; jose needs a CryptoKey, a KeyObject or raw bytes)

type VerifyKey = CryptoKey | KeyObject | JWK | Uint8Array;

export interface ImportedSessionKey {
  readonly kid: string;
  readonly alg: SessionAlgorithm;
  readonly key: VerifyKey;
}

export interface ImportedUnsubscribeKey {
  readonly kid: string;
  readonly key: Uint8Array;
}

const encoder = new TextEncoder();

export async function importSessionKeys(keys: SessionKeyConfig[]): Promise<ImportedSessionKey[]> {
  return Promise.all(
    keys.map(async (entry) => ({
      kid: entry.kid,
      alg: entry.alg,
      key: entry.alg === 'HS256' ? encoder.encode(entry.secret) : await importJWK({ ...entry.jwk, alg: entry.alg }, entry.alg),
    })),
  );
}

export function importUnsubscribeKeys(keys: UnsubscribeKeyConfig[]): ImportedUnsubscribeKey[] {
  return keys.map((entry) => ({ kid: entry.kid, key: encoder.encode(entry.secret) }));
}

// ---------------------------------------------------------------------------------------------------------------
// Session tokens

export interface MintSessionTokenOptions {
  /** The Voucherify customer id (`cust_…`) or source_id of the logged-in customer. */
  customerId: string;
  /** Default: every scope. */
  scopes?: readonly Scope[];
  /** Lifetime in seconds. Default 600; keep it at or under the worker's `SESSION_MAX_TTL` (default 900). */
  ttlSeconds?: number;
  /** The shop's backend, as the worker's `SESSION_ISSUER` names it. */
  issuer: string;
  /** Default `vc-edge`. */
  audience?: string;
  key: SessionSigningKey;
  /** For tests: the clock. */
  now?: Date;
}

/** Mints a session token for one customer (run this in the shop's backend, never in a browser). */
export async function mintSessionToken(options: MintSessionTokenOptions): Promise<string> {
  const { customerId, key } = options;
  if (!isValidCustomerId(customerId)) throw new TypeError('customerId must be a customer id or source_id (1-200 characters)');
  const scopes = options.scopes ?? ALL_SCOPES;
  for (const scope of scopes) if (!isScope(scope)) throw new TypeError(`Unknown scope ${JSON.stringify(scope)}; known: ${ALL_SCOPES.join(' ')}`);
  const ttl = options.ttlSeconds ?? DEFAULT_SESSION_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new TypeError('ttlSeconds must be a positive whole number');
  if (!options.issuer) throw new TypeError('issuer is required (the worker checks it against SESSION_ISSUER)');
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const signingKey = key.alg === 'HS256' ? encoder.encode(key.secret) : await importJWK({ ...key.jwk, alg: key.alg }, key.alg);
  return new SignJWT({ scope: [...new Set(scopes)].join(' ') })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: SESSION_TOKEN_TYPE })
    .setIssuer(options.issuer)
    .setAudience(options.audience ?? DEFAULT_SESSION_AUDIENCE)
    .setSubject(customerId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .setJti(crypto.randomUUID())
    .sign(signingKey);
}

/** Why a token was refused. Only for logs and tests: callers answer every reason the same way. */
export type TokenFailure =
  | 'malformed'
  | 'wrong_type'
  | 'unknown_key'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'wrong_issuer'
  | 'wrong_audience'
  | 'missing_claim'
  | 'too_long_lived'
  | 'wrong_purpose';

export class TokenError extends Error {
  constructor(readonly reason: TokenFailure) {
    super(`token refused: ${reason}`);
    this.name = 'TokenError';
  }
}

export interface VerifiedSession {
  customerId: string;
  scopes: Set<Scope>;
  jti: string;
  expiresAt: number;
}

export interface SessionVerifyOptions {
  keys: readonly ImportedSessionKey[];
  issuer: string;
  audience: string;
  maxTtlSeconds: number;
  now?: Date;
}

function protectedHeader(token: string): Record<string, unknown> {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw new TokenError('malformed');
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) throw new TokenError('malformed');
  try {
    return decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    throw new TokenError('malformed');
  }
}

function failureOf(error: unknown): TokenFailure {
  if (error instanceof TokenError) return error.reason;
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' || error.claim === 'iat') return 'not_yet_valid';
    if (error.claim === 'iss') return 'wrong_issuer';
    if (error.claim === 'aud') return 'wrong_audience';
    if (error.claim === 'typ') return 'wrong_type';
    if (error.reason === 'missing') return 'missing_claim';
    return 'malformed';
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad_signature';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'bad_signature';
  return 'malformed';
}

/** Verifies a session token; throws `TokenError` with the reason. The customer is `sub`, nothing else. */
export async function verifySessionToken(token: string, options: SessionVerifyOptions): Promise<VerifiedSession> {
  const header = protectedHeader(token);
  if (header.typ !== SESSION_TOKEN_TYPE) throw new TokenError('wrong_type');
  const key = options.keys.find((candidate) => candidate.kid === header.kid);
  if (!key) throw new TokenError('unknown_key');
  if (header.alg !== key.alg) throw new TokenError('bad_signature');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key.key, {
      algorithms: [key.alg],
      issuer: options.issuer,
      audience: options.audience,
      typ: SESSION_TOKEN_TYPE,
      requiredClaims: ['sub', 'exp', 'iat', 'jti'],
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      maxTokenAge: options.maxTtlSeconds,
      ...(options.now ? { currentDate: options.now } : {}),
    }));
  } catch (error) {
    throw new TokenError(failureOf(error));
  }
  if ('pur' in payload) throw new TokenError('wrong_purpose');
  const { sub, exp, iat, jti, scope } = payload;
  if (!isValidCustomerId(sub) || typeof jti !== 'string' || jti.length === 0 || jti.length > 200) throw new TokenError('malformed');
  if (typeof exp !== 'number' || typeof iat !== 'number') throw new TokenError('malformed');
  if (exp - iat > options.maxTtlSeconds) throw new TokenError('too_long_lived');
  if (scope !== undefined && typeof scope !== 'string') throw new TokenError('malformed');
  const scopes = new Set<Scope>();
  for (const item of (scope ?? '').split(' ')) if (isScope(item)) scopes.add(item);
  return { customerId: sub, scopes, jti, expiresAt: exp };
}

// ---------------------------------------------------------------------------------------------------------------
// Unsubscribe tokens

export interface MintUnsubscribeTokenOptions {
  customerId: string;
  /** An `UNSUBSCRIBE_KEYS` entry: sign with the FIRST one of the list. */
  key: UnsubscribeKeyConfig;
  now?: Date;
  /** Default: a random UUID. One undo is allowed per `jti`. */
  jti?: string;
}

/** Mints the long-lived, purpose-bound token of an unsubscribe link (one per mail is fine). */
export async function mintUnsubscribeToken(options: MintUnsubscribeTokenOptions): Promise<string> {
  if (!isValidCustomerId(options.customerId)) throw new TypeError('customerId must be a customer id or source_id (1-200 characters)');
  checkSecret('key', options.key.secret, 0, options.key.kid);
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ pur: UNSUBSCRIBE_PURPOSE })
    .setProtectedHeader({ alg: 'HS256', kid: options.key.kid, typ: UNSUBSCRIBE_TOKEN_TYPE })
    .setSubject(options.customerId)
    .setIssuedAt(iat)
    .setJti(options.jti ?? crypto.randomUUID())
    .sign(encoder.encode(options.key.secret));
}

export interface VerifiedUnsubscribe {
  customerId: string;
  jti: string;
  issuedAt: number;
  kid: string;
}

/**
 * What every link token (unsubscribe, confirmation, preferences) is checked for before its own claims: HS256 with a key of the list
 * (by `kid`; an unknown one is `unknown_key`, i.e. retired), its own `typ`, the claims it needs, `exp` when it has one.
 */
async function verifyLinkToken(
  token: string,
  keys: readonly ImportedUnsubscribeKey[],
  type: string,
  requiredClaims: string[],
  now?: Date,
): Promise<{ payload: JWTPayload; kid: string }> {
  const header = protectedHeader(token);
  if (header.typ !== type) throw new TokenError('wrong_type');
  if (header.alg !== 'HS256') throw new TokenError('bad_signature');
  if (typeof header.kid !== 'string') throw new TokenError('malformed');
  const key = keys.find((candidate) => candidate.kid === header.kid);
  if (!key) throw new TokenError('unknown_key');
  try {
    const { payload } = await jwtVerify(token, key.key, {
      algorithms: ['HS256'],
      typ: type,
      requiredClaims,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      ...(now ? { currentDate: now } : {}),
    });
    return { payload, kid: key.kid };
  } catch (error) {
    throw new TokenError(failureOf(error));
  }
}

/**
 * Verifies an unsubscribe token. Reasons: `malformed`/`bad_signature`/`wrong_type`/`wrong_purpose` (tampered or
 * not an unsubscribe token), `unknown_key` (signed with a key no longer in the list: retired), `expired`.
 */
export async function verifyUnsubscribeToken(token: string, keys: readonly ImportedUnsubscribeKey[], now?: Date): Promise<VerifiedUnsubscribe> {
  const { payload, kid } = await verifyLinkToken(token, keys, UNSUBSCRIBE_TOKEN_TYPE, ['sub', 'pur', 'jti', 'iat'], now);
  if (payload.pur !== UNSUBSCRIBE_PURPOSE) throw new TokenError('wrong_purpose');
  if ('scope' in payload || 'aud' in payload) throw new TokenError('wrong_purpose');
  const { sub, jti, iat } = payload;
  if (!isValidCustomerId(sub) || typeof jti !== 'string' || !/^[A-Za-z0-9._:-]{1,100}$/.test(jti)) throw new TokenError('malformed');
  if (typeof iat !== 'number') throw new TokenError('malformed');
  const nowSeconds = Math.floor((now ?? new Date()).getTime() / 1000);
  if (iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) throw new TokenError('not_yet_valid');
  return { customerId: sub, jti, issuedAt: iat, kid };
}

/** `${publicUrl}/${route}/${token}`: a link to one of the worker's token pages. */
function linkUrl(publicUrl: string, route: 'unsubscribe' | 'confirm' | 'preferences', token: string): string {
  const base = new URL(publicUrl);
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new TypeError('publicUrl must be an http(s) URL');
  return `${base.origin}${base.pathname.replace(/\/+$/, '')}/${route}/${token}`;
}

/** `${publicUrl}/unsubscribe/${token}`: the one URL for the `List-Unsubscribe` header, the GET page and the POST. */
export const unsubscribeUrl = (publicUrl: string, token: string): string => linkUrl(publicUrl, 'unsubscribe', token);

export interface ListUnsubscribeHeaders {
  'List-Unsubscribe': string;
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click';
}

function isLocalHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname.endsWith('.localhost');
}

/**
 * The two RFC 8058 header values for a marketing mail. RFC 8058 requires an HTTPS URI, so plain `http:` is only
 * accepted for localhost (development). Add the headers before DKIM signing, and have the signature cover both.
 */
export function listUnsubscribeHeaders(url: string, options: { mailto?: string } = {}): ListUnsubscribeHeaders {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLocalHost(parsed.hostname))) {
    throw new TypeError('RFC 8058 needs an https: unsubscribe URL (plain http is accepted for localhost only)');
  }
  const parts = [`<${parsed.href}>`];
  if (options.mailto) {
    const mailto = options.mailto.startsWith('mailto:') ? options.mailto : `mailto:${options.mailto}`;
    if (/[<>\s,]/.test(mailto)) throw new TypeError('mailto must be a bare address or mailto: URI without spaces, commas or angle brackets');
    parts.push(`<${mailto}>`);
  }
  return { 'List-Unsubscribe': parts.join(', '), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}

// ---------------------------------------------------------------------------------------------------------------
// Double opt-in (confirmation) tokens

export const CONFIRM_TOKEN_TYPE = 'vc-confirm+jwt';
export const CONFIRM_PURPOSE = 'confirm';
/** How long a confirmation link works by default: three days. */
export const DEFAULT_CONFIRM_TTL_SECONDS = 3 * 24 * 3600;
const MAX_CONFIRM_TTL_SECONDS = 30 * 24 * 3600;
const CONSENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
const EMAIL_ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>.]{2,}$/u;

/** `{consent id: boolean}` as a confirmation carries it: 1 to 100 consents, never `unsubscribed`. */
function isConsentChoices(value: unknown): value is Record<string, boolean> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length > 0 &&
    entries.length <= 100 &&
    entries.every(([id, given]) => id !== 'unsubscribed' && CONSENT_ID.test(id) && typeof given === 'boolean')
  );
}

export interface MintConfirmTokenOptions {
  /** The address that signed up; it becomes the customer's `source_id` and `email` when confirmed. */
  email: string;
  /** What the person chose, as the consent panel's form value: `{cnst_…: boolean}` (only what they touched). */
  consents: Record<string, boolean>;
  /** An `UNSUBSCRIBE_KEYS` entry (the first): confirmation links are signed with the link keys, never a session key. */
  key: UnsubscribeKeyConfig;
  /** Default three days; at most 30. */
  ttlSeconds?: number;
  now?: Date;
  /** Default: a random UUID. Each link can be used once. */
  jti?: string;
}

/** Mints the signed, single-use, expiring token of a double opt-in link. */
export async function mintConfirmToken(options: MintConfirmTokenOptions): Promise<string> {
  if (!isValidCustomerId(options.email) || !EMAIL_ADDRESS.test(options.email)) throw new TypeError('email must be an email address');
  if (!isConsentChoices(options.consents)) {
    throw new TypeError('consents must map 1 to 100 consent ids to true or false (unsubscribed is not a consent)');
  }
  const ttl = options.ttlSeconds ?? DEFAULT_CONFIRM_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_CONFIRM_TTL_SECONDS) throw new TypeError('ttlSeconds must be a whole number of seconds, at most 30 days');
  checkSecret('key', options.key.secret, 0, options.key.kid);
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ pur: CONFIRM_PURPOSE, cns: options.consents })
    .setProtectedHeader({ alg: 'HS256', kid: options.key.kid, typ: CONFIRM_TOKEN_TYPE })
    .setSubject(options.email)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .setJti(options.jti ?? crypto.randomUUID())
    .sign(encoder.encode(options.key.secret));
}

export interface VerifiedConfirm {
  email: string;
  consents: Record<string, boolean>;
  jti: string;
  expiresAt: number;
}

/** Verifies a confirmation token. Reasons as for unsubscribe tokens; `expired` once its `exp` has passed. */
export async function verifyConfirmToken(token: string, keys: readonly ImportedUnsubscribeKey[], now?: Date): Promise<VerifiedConfirm> {
  const { payload } = await verifyLinkToken(token, keys, CONFIRM_TOKEN_TYPE, ['sub', 'pur', 'jti', 'iat', 'exp'], now);
  if (payload.pur !== CONFIRM_PURPOSE || 'scope' in payload || 'aud' in payload) throw new TokenError('wrong_purpose');
  const { sub, jti, exp, iat } = payload;
  if (!isValidCustomerId(sub) || !EMAIL_ADDRESS.test(sub) || !isConsentChoices(payload.cns)) throw new TokenError('malformed');
  if (typeof jti !== 'string' || !/^[A-Za-z0-9._:-]{1,100}$/.test(jti) || typeof exp !== 'number' || typeof iat !== 'number') throw new TokenError('malformed');
  if (exp - iat > MAX_CONFIRM_TTL_SECONDS) throw new TokenError('too_long_lived');
  return { email: sub, consents: payload.cns, jti, expiresAt: exp };
}

/** `${publicUrl}/confirm/${token}`: the link of a double opt-in mail (a page; its button confirms). */
export const confirmUrl = (publicUrl: string, token: string): string => linkUrl(publicUrl, 'confirm', token);

// ---------------------------------------------------------------------------------------------------------------
// Preference center tokens: the link to `/preferences/<token>`, where a person manages every consent without signing in

export const PREFERENCES_TOKEN_TYPE = 'vc-preferences+jwt';
export const PREFERENCES_PURPOSE = 'preferences';
/** How long a preferences link works by default: 60 days (mails are opened weeks later). */
export const DEFAULT_PREFERENCES_TTL_SECONDS = 60 * 24 * 3600;
/** The longest lifetime a preferences link may have: one year. */
export const MAX_PREFERENCES_TTL_SECONDS = 365 * 24 * 3600;

export interface MintPreferencesTokenOptions {
  customerId: string;
  /** An `UNSUBSCRIBE_KEYS` entry (the first): preferences links are signed with the link keys, never a session key. */
  key: UnsubscribeKeyConfig;
  /** Default 60 days; at most 365. */
  ttlSeconds?: number;
  now?: Date;
  /** Default: a random UUID. Rate limits and the form's CSRF proof are bound to it. */
  jti?: string;
}

/** A link key as the worker holds it (imported bytes), or as a backend configures it (the secret). */
type LinkSigningKey = ImportedUnsubscribeKey | UnsubscribeKeyConfig;

/** Signs a preferences token with a link key; used by `mintPreferencesToken` and by the worker's own pages. */
export async function signPreferencesToken(customerId: string, key: LinkSigningKey, options: { ttlSeconds?: number; now?: Date; jti?: string } = {}): Promise<string> {
  if (!isValidCustomerId(customerId)) throw new TypeError('customerId must be a customer id or source_id (1-200 characters)');
  const ttl = options.ttlSeconds ?? DEFAULT_PREFERENCES_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_PREFERENCES_TTL_SECONDS) {
    throw new TypeError('ttlSeconds must be a positive whole number of seconds, at most 365 days');
  }
  const bytes = 'secret' in key ? encoder.encode(checkSecret('key', key.secret, 0, key.kid)) : key.key;
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ pur: PREFERENCES_PURPOSE })
    .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: PREFERENCES_TOKEN_TYPE })
    .setSubject(customerId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .setJti(options.jti ?? crypto.randomUUID())
    .sign(bytes);
}

/** Mints the signed, expiring token of a preference center link (one per mail is fine). */
export function mintPreferencesToken(options: MintPreferencesTokenOptions): Promise<string> {
  return signPreferencesToken(options.customerId, options.key, {
    ...(options.ttlSeconds !== undefined ? { ttlSeconds: options.ttlSeconds } : {}),
    ...(options.now ? { now: options.now } : {}),
    ...(options.jti ? { jti: options.jti } : {}),
  });
}

export interface VerifiedPreferences {
  customerId: string;
  jti: string;
  issuedAt: number;
  expiresAt: number;
}

/**
 * Verifies a preferences token. Reasons as for the other link tokens: `wrong_type`/`wrong_purpose` for a session,
 * unsubscribe or confirmation token, `bad_signature`/`malformed` when tampered, `unknown_key` when its key was retired,
 * `expired` once its `exp` has passed, `too_long_lived` past a year.
 */
export async function verifyPreferencesToken(token: string, keys: readonly ImportedUnsubscribeKey[], now?: Date): Promise<VerifiedPreferences> {
  const { payload } = await verifyLinkToken(token, keys, PREFERENCES_TOKEN_TYPE, ['sub', 'pur', 'jti', 'iat', 'exp'], now);
  if (payload.pur !== PREFERENCES_PURPOSE || 'scope' in payload || 'aud' in payload || 'cns' in payload) throw new TokenError('wrong_purpose');
  const { sub, jti, exp, iat } = payload;
  if (!isValidCustomerId(sub) || typeof jti !== 'string' || !/^[A-Za-z0-9._:-]{1,100}$/.test(jti)) throw new TokenError('malformed');
  if (typeof exp !== 'number' || typeof iat !== 'number') throw new TokenError('malformed');
  const nowSeconds = Math.floor((now ?? new Date()).getTime() / 1000);
  if (iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) throw new TokenError('not_yet_valid');
  if (exp - iat > MAX_PREFERENCES_TTL_SECONDS) throw new TokenError('too_long_lived');
  return { customerId: sub, jti, issuedAt: iat, expiresAt: exp };
}

/** `${publicUrl}/preferences/${token}`: the preference center link of a mail (a page; nothing changes until it is saved). */
export const preferencesPageUrl = (publicUrl: string, token: string): string => linkUrl(publicUrl, 'preferences', token);
