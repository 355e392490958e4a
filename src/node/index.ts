/**
 * Helpers for a shop's backend (Node): mint session tokens for the logged-in customer, unsubscribe links with their
 * RFC 8058 mail headers, double opt-in and preference center links, with exactly the keys the edge worker verifies.
 * Also used by `npx vc-consent`.
 *
 * ```ts
 * import { loadKeys, mintSessionToken, unsubscribeLink } from 'vc-consent/node';
 * const keys = loadKeys();                                   // process.env, then .dev.vars(.example) in development
 * const token = await mintSessionToken({ customerId, ...keys.sessionOptions() });
 * const { url, headers } = await unsubscribeLink(keys, customerId);   // headers: List-Unsubscribe, List-Unsubscribe-Post
 * const preferences = await preferencesLink(keys, customerId);       // { url, token, expiresAt }: "manage your preferences"
 * ```
 */
export { ALL_SCOPES } from '../worker/tokens.js';
export {
  KeyConfigError,
  parseSessionKeys,
  parseSessionSigningKey,
  parseUnsubscribeKeys,
} from '../worker/token-keys.js';
export type { SessionKeyConfig, UnsubscribeKeyConfig } from '../worker/token-keys.js';
export {
  DEFAULT_SESSION_AUDIENCE,
  DEFAULT_SESSION_TTL_SECONDS,
  mintSessionToken,
  verifySessionToken,
} from '../worker/session-tokens.js';
export type { MintSessionTokenOptions } from '../worker/session-tokens.js';
export {
  DEFAULT_CONFIRM_TTL_SECONDS,
  DEFAULT_PREFERENCES_TTL_SECONDS,
  confirmUrl,
  mintConfirmToken,
  mintPreferencesToken,
  mintUnsubscribeToken,
  preferencesPageUrl,
  unsubscribeUrl,
  verifyConfirmToken,
  verifyPreferencesToken,
  verifyUnsubscribeToken,
} from '../worker/link-tokens.js';
export type {
  MintConfirmTokenOptions,
  MintPreferencesTokenOptions,
  MintUnsubscribeTokenOptions,
} from '../worker/link-tokens.js';
export { listUnsubscribeHeaders } from '../worker/list-unsubscribe.js';
export type { ListUnsubscribeHeaders } from '../worker/list-unsubscribe.js';
export { maskEmail } from '../worker/mask-email.js';
export { SCOPES } from '../api/edge-types.js';
export type { Scope } from '../api/edge-types.js';
export { DEV_VARS_FILES, KEY_VARIABLES, MissingKeysError, loadKeys, readDevVarsFile } from './keys.js';
export type { LoadKeysOptions, LoadedKeys } from './keys.js';
export { confirmationLink, preferencesLink, sessionTokenFor, unsubscribeLink } from './links.js';
export type { ConfirmationLink, PreferencesLink, UnsubscribeLink } from './links.js';
