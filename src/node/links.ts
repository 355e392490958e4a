/**
 * Tokens and mail links minted with loaded keys: session tokens, unsubscribe links with their RFC 8058 headers,
 * double opt-in and preference center links.
 */
import type { Scope } from '../api/edge-types.js';
import {
  DEFAULT_CONFIRM_TTL_SECONDS,
  DEFAULT_PREFERENCES_TTL_SECONDS,
  confirmUrl,
  mintConfirmToken,
  mintPreferencesToken,
  mintUnsubscribeToken,
  preferencesPageUrl,
  unsubscribeUrl,
} from '../worker/link-tokens.js';
import { listUnsubscribeHeaders } from '../worker/list-unsubscribe.js';
import type { ListUnsubscribeHeaders } from '../worker/list-unsubscribe.js';
import { mintSessionToken } from '../worker/session-tokens.js';
import { MissingKeysError } from './keys.js';
import type { LoadedKeys } from './keys.js';

/** Mints a session token with loaded keys (`scopes` default: every scope; `ttlSeconds` default 600, capped by `SESSION_MAX_TTL`). */
export async function sessionTokenFor(
  keys: LoadedKeys,
  customerId: string,
  options: { scopes?: readonly Scope[]; ttlSeconds?: number } = {},
): Promise<string> {
  const ttlSeconds = options.ttlSeconds ?? Math.min(600, keys.maxTtlSeconds);
  if (ttlSeconds > keys.maxTtlSeconds) {
    throw new RangeError(
      `ttlSeconds ${ttlSeconds} is longer than SESSION_MAX_TTL (${keys.maxTtlSeconds} s): the worker would refuse the token`,
    );
  }
  return mintSessionToken({
    customerId,
    ...keys.sessionOptions(),
    ttlSeconds,
    ...(options.scopes ? { scopes: options.scopes } : {}),
  });
}

export interface UnsubscribeLink {
  token: string;
  url: string;
  headers: ListUnsubscribeHeaders;
}

/** The link signing key and the worker's public URL a link needs, or a `MissingKeysError` naming what is missing. */
function linkSetup(
  keys: LoadedKeys,
  publicUrl: string | undefined,
  keyName: string,
): { key: NonNullable<LoadedKeys['unsubscribeKey']>; publicUrl: string } {
  const where = `Looked in: ${keys.looked.join(', ')}.`;
  if (!keys.unsubscribeKey) throw new MissingKeysError(`No ${keyName}: set UNSUBSCRIBE_KEYS. ${where}`);
  const url = publicUrl ?? keys.publicUrl;
  if (!url) throw new MissingKeysError(`No public URL for the worker: set PUBLIC_URL. ${where}`);
  return { key: keys.unsubscribeKey, publicUrl: url };
}

/** When a token minted at `now` for `ttlSeconds` stops working (its `exp`, as an ISO date). */
const expiryOf = (now: Date, ttlSeconds: number): string =>
  new Date((Math.floor(now.getTime() / 1000) + ttlSeconds) * 1000).toISOString();

/** A fresh unsubscribe token, its URL (`PUBLIC_URL` + `/unsubscribe/<token>`) and the two mail header values. */
export async function unsubscribeLink(
  keys: LoadedKeys,
  customerId: string,
  options: { publicUrl?: string; mailto?: string } = {},
): Promise<UnsubscribeLink> {
  const { key, publicUrl } = linkSetup(keys, options.publicUrl, 'unsubscribe key');
  const token = await mintUnsubscribeToken({ customerId, key });
  const url = unsubscribeUrl(publicUrl, token);
  return { token, url, headers: listUnsubscribeHeaders(url, options.mailto ? { mailto: options.mailto } : {}) };
}

export interface ConfirmationLink {
  token: string;
  /** `PUBLIC_URL` + `/confirm/<token>`: the worker's page whose button records the choices. */
  url: string;
  /** When the link stops working (ISO date). */
  expiresAt: string;
}

/**
 * A double opt-in link for a sign-up: mail it to `email`; nothing is recorded until the person opens it and confirms.
 * `consents` is what they chose, e.g. the JSON a form-associated `<vc-consent-panel>` submitted (only what they
 * touched). The link works once, for `ttlSeconds` (default three days).
 */
export async function confirmationLink(
  keys: LoadedKeys,
  email: string,
  consents: Record<string, boolean>,
  options: { publicUrl?: string; ttlSeconds?: number } = {},
): Promise<ConfirmationLink> {
  const { key, publicUrl } = linkSetup(keys, options.publicUrl, 'link signing key');
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_CONFIRM_TTL_SECONDS;
  const now = new Date();
  const token = await mintConfirmToken({ email, consents, key, ttlSeconds, now });
  return { token, url: confirmUrl(publicUrl, token), expiresAt: expiryOf(now, ttlSeconds) };
}

export interface PreferencesLink {
  token: string;
  /** `PUBLIC_URL` + `/preferences/<token>`: the worker's preference center page for this customer. */
  url: string;
  /** When the link stops working (ISO date). */
  expiresAt: string;
}

/**
 * A preference center link for a marketing mail ("manage your preferences"): the worker's page where the person manages
 * every consent without signing in. It works for `ttlSeconds` (default 60 days, at most 365); mint one per mail.
 */
export async function preferencesLink(
  keys: LoadedKeys,
  customerId: string,
  options: { publicUrl?: string; ttlSeconds?: number } = {},
): Promise<PreferencesLink> {
  const { key, publicUrl } = linkSetup(keys, options.publicUrl, 'link signing key');
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_PREFERENCES_TTL_SECONDS;
  const now = new Date();
  const token = await mintPreferencesToken({ customerId, key, ttlSeconds, now });
  return { token, url: preferencesPageUrl(publicUrl, token), expiresAt: expiryOf(now, ttlSeconds) };
}
