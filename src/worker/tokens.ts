/**
 * What every token of the worker shares: session tokens (`session-tokens.ts`), minted by a shop's backend and verified
 * by the edge worker, and link tokens (`link-tokens.ts`) of unsubscribe, confirmation and preference center mails.
 * Minting and verifying live in the same modules, so the two sides can never drift apart; they run anywhere `jose`
 * and WebCrypto run. Keys are parsed and imported in `token-keys.ts`.
 */
import { decodeProtectedHeader, errors } from 'jose';
import { SCOPES } from '../api/edge-types.js';
import type { Scope } from '../api/edge-types.js';

/** Clock skew tolerated between the shop's backend and the edge. */
export const CLOCK_TOLERANCE_SECONDS = 30;
/** Every scope, in the order `SCOPES` lists them. */
export const ALL_SCOPES: readonly Scope[] = Object.values(SCOPES);
/** Longest token (characters) either verifier reads; anything longer is refused before any crypto. */
export const MAX_TOKEN_LENGTH = 4096;

/** A customer id or source_id as a token may carry it: 1..200 characters, no control characters, not `.`/`..`. */
export function isValidCustomerId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length > 0 &&
    value.length <= 200 &&
    value !== '.' &&
    value !== '..' &&
    // eslint-disable-next-line no-control-regex -- control characters are exactly what an id must not hold
    !/[\u0000-\u001f\u007f]/.test(value) &&
    value.trim() === value
  );
}

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as readonly string[]).includes(value);
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

/** The header of a compact JWS, once its shape is right; `malformed` otherwise. */
export function protectedHeader(token: string): Record<string, unknown> {
  if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH)
    throw new TokenError('malformed');
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) throw new TokenError('malformed');
  try {
    return decodeProtectedHeader(token) as Record<string, unknown>;
  } catch {
    throw new TokenError('malformed');
  }
}

/** The reason a jose verification failure stands for. */
export function failureOf(error: unknown): TokenFailure {
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
