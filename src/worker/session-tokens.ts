/**
 * Session tokens: a JWT `{alg, kid, typ:'JWT'}` with `iss`, `aud`, `sub` (customer id or source_id), `scope`, `iat`,
 * `exp`, `jti`; short-lived; HS256 with a shared secret, or ES256/EdDSA with the worker holding only the public JWK.
 * Minted by a shop's backend (`vc-consent/node`), verified by the edge worker.
 */
import { SignJWT, jwtVerify } from 'jose';
import type { JWTPayload } from 'jose';
import type { Scope } from '../api/edge-types.js';
import { sessionKeyMaterial } from './token-keys.js';
import type { ImportedSessionKey, SessionKeyConfig } from './token-keys.js';
import {
  ALL_SCOPES,
  CLOCK_TOLERANCE_SECONDS,
  TokenError,
  failureOf,
  isScope,
  isValidCustomerId,
  protectedHeader,
} from './tokens.js';

export const SESSION_TOKEN_TYPE = 'JWT';
export const DEFAULT_SESSION_TTL_SECONDS = 600;
export const DEFAULT_SESSION_MAX_TTL_SECONDS = 900;
export const DEFAULT_SESSION_AUDIENCE = 'vc-edge';

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
  /** An HS256 secret, or the PRIVATE JWK of an ES256/EdDSA pair. */
  key: SessionKeyConfig;
  /** For tests: the clock. */
  now?: Date;
}

/** Mints a session token for one customer (run this in the shop's backend, never in a browser). */
export async function mintSessionToken(options: MintSessionTokenOptions): Promise<string> {
  const { customerId, key } = options;
  if (!isValidCustomerId(customerId))
    throw new TypeError('customerId must be a customer id or source_id (1-200 characters)');
  const scopes = options.scopes ?? ALL_SCOPES;
  for (const scope of scopes)
    if (!isScope(scope)) throw new TypeError(`Unknown scope ${JSON.stringify(scope)}; known: ${ALL_SCOPES.join(' ')}`);
  const ttl = options.ttlSeconds ?? DEFAULT_SESSION_TTL_SECONDS;
  if (!Number.isInteger(ttl) || ttl <= 0) throw new TypeError('ttlSeconds must be a positive whole number');
  if (!options.issuer) throw new TypeError('issuer is required (the worker checks it against SESSION_ISSUER)');
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ scope: [...new Set(scopes)].join(' ') })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: SESSION_TOKEN_TYPE })
    .setIssuer(options.issuer)
    .setAudience(options.audience ?? DEFAULT_SESSION_AUDIENCE)
    .setSubject(customerId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + ttl)
    .setJti(crypto.randomUUID())
    .sign(await sessionKeyMaterial(key));
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
  if (!isValidCustomerId(sub) || typeof jti !== 'string' || jti.length === 0 || jti.length > 200)
    throw new TokenError('malformed');
  if (typeof exp !== 'number' || typeof iat !== 'number') throw new TokenError('malformed');
  if (exp - iat > options.maxTtlSeconds) throw new TokenError('too_long_lived');
  if (scope !== undefined && typeof scope !== 'string') throw new TokenError('malformed');
  const scopes = new Set<Scope>();
  for (const item of (scope ?? '').split(' ')) if (isScope(item)) scopes.add(item);
  return { customerId: sub, scopes, jti, expiresAt: exp };
}
