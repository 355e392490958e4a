/**
 * Link tokens: the signed tokens of the links a shop mails, each a compact JWS `{alg:'HS256', kid, typ}` signed with a
 * link key (`UNSUBSCRIBE_KEYS`), never with a session key, and each with its own `typ` and `pur`:
 * - unsubscribe (`vc-unsubscribe+jwt`): `{sub, pur:'unsubscribe', iat, jti}`, long-lived (no `exp`);
 * - double opt-in confirmation (`vc-confirm+jwt`): the email and the choices to record, with an `exp`;
 * - preference center (`vc-preferences+jwt`): the customer, with an `exp`.
 */
import { SignJWT, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import { checkSecret, hmacKey } from './token-keys.js';
import type { ImportedUnsubscribeKey, UnsubscribeKeyConfig } from './token-keys.js';
import { CLOCK_TOLERANCE_SECONDS, TokenError, failureOf, isValidCustomerId, protectedHeader } from './tokens.js';

export const UNSUBSCRIBE_TOKEN_TYPE = 'vc-unsubscribe+jwt';
export const UNSUBSCRIBE_PURPOSE = 'unsubscribe';
const encoder = new TextEncoder();

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
  if (!isValidCustomerId(options.customerId))
    throw new TypeError('customerId must be a customer id or source_id (1-200 characters)');
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

const verifyingKeys = new WeakMap<ImportedUnsubscribeKey, Promise<CryptoKey>>();

/** The key as a CryptoKey, imported once per key object (jose would import the raw bytes on every verification). */
function verifyingKey(key: ImportedUnsubscribeKey): Promise<CryptoKey> {
  let imported = verifyingKeys.get(key);
  if (!imported) {
    imported = hmacKey(key.key, ['verify']);
    verifyingKeys.set(key, imported);
  }
  return imported;
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
    const { payload } = await jwtVerify(token, await verifyingKey(key), {
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
export async function verifyUnsubscribeToken(
  token: string,
  keys: readonly ImportedUnsubscribeKey[],
  now?: Date,
): Promise<VerifiedUnsubscribe> {
  const { payload, kid } = await verifyLinkToken(
    token,
    keys,
    UNSUBSCRIBE_TOKEN_TYPE,
    ['sub', 'pur', 'jti', 'iat'],
    now,
  );
  if (payload.pur !== UNSUBSCRIBE_PURPOSE) throw new TokenError('wrong_purpose');
  if ('scope' in payload || 'aud' in payload) throw new TokenError('wrong_purpose');
  const { sub, jti, iat } = payload;
  if (!isValidCustomerId(sub) || typeof jti !== 'string' || !/^[A-Za-z0-9._:-]{1,100}$/.test(jti))
    throw new TokenError('malformed');
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
  if (!isValidCustomerId(options.email) || !EMAIL_ADDRESS.test(options.email))
    throw new TypeError('email must be an email address');
  if (!isConsentChoices(options.consents)) {
    throw new TypeError('consents must map 1 to 100 consent ids to true or false (unsubscribed is not a consent)');
  }
  const ttl = options.ttlSeconds ?? DEFAULT_CONFIRM_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_CONFIRM_TTL_SECONDS)
    throw new TypeError('ttlSeconds must be a whole number of seconds, at most 30 days');
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
export async function verifyConfirmToken(
  token: string,
  keys: readonly ImportedUnsubscribeKey[],
  now?: Date,
): Promise<VerifiedConfirm> {
  const { payload } = await verifyLinkToken(token, keys, CONFIRM_TOKEN_TYPE, ['sub', 'pur', 'jti', 'iat', 'exp'], now);
  if (payload.pur !== CONFIRM_PURPOSE || 'scope' in payload || 'aud' in payload) throw new TokenError('wrong_purpose');
  const { sub, jti, exp, iat } = payload;
  if (!isValidCustomerId(sub) || !EMAIL_ADDRESS.test(sub) || !isConsentChoices(payload.cns))
    throw new TokenError('malformed');
  if (
    typeof jti !== 'string' ||
    !/^[A-Za-z0-9._:-]{1,100}$/.test(jti) ||
    typeof exp !== 'number' ||
    typeof iat !== 'number'
  )
    throw new TokenError('malformed');
  if (exp - iat > MAX_CONFIRM_TTL_SECONDS) throw new TokenError('too_long_lived');
  return { email: sub, consents: payload.cns, jti, expiresAt: exp };
}

/** `${publicUrl}/confirm/${token}`: the link of a double opt-in mail (a page; its button confirms). */
export const confirmUrl = (publicUrl: string, token: string): string => linkUrl(publicUrl, 'confirm', token);

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
export async function signPreferencesToken(
  customerId: string,
  key: LinkSigningKey,
  options: { ttlSeconds?: number; now?: Date; jti?: string } = {},
): Promise<string> {
  if (!isValidCustomerId(customerId))
    throw new TypeError('customerId must be a customer id or source_id (1-200 characters)');
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
export async function verifyPreferencesToken(
  token: string,
  keys: readonly ImportedUnsubscribeKey[],
  now?: Date,
): Promise<VerifiedPreferences> {
  const { payload } = await verifyLinkToken(
    token,
    keys,
    PREFERENCES_TOKEN_TYPE,
    ['sub', 'pur', 'jti', 'iat', 'exp'],
    now,
  );
  if (payload.pur !== PREFERENCES_PURPOSE || 'scope' in payload || 'aud' in payload || 'cns' in payload)
    throw new TokenError('wrong_purpose');
  const { sub, jti, exp, iat } = payload;
  if (!isValidCustomerId(sub) || typeof jti !== 'string' || !/^[A-Za-z0-9._:-]{1,100}$/.test(jti))
    throw new TokenError('malformed');
  if (typeof exp !== 'number' || typeof iat !== 'number') throw new TokenError('malformed');
  const nowSeconds = Math.floor((now ?? new Date()).getTime() / 1000);
  if (iat > nowSeconds + CLOCK_TOLERANCE_SECONDS) throw new TokenError('not_yet_valid');
  if (exp - iat > MAX_PREFERENCES_TTL_SECONDS) throw new TokenError('too_long_lived');
  return { customerId: sub, jti, issuedAt: iat, expiresAt: exp };
}

/** `${publicUrl}/preferences/${token}`: the preference center link of a mail (a page; nothing changes until it is saved). */
export const preferencesPageUrl = (publicUrl: string, token: string): string =>
  linkUrl(publicUrl, 'preferences', token);
