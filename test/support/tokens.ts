/**
 * Dev tokens for tests, minted with the kit's own helpers and the committed dev keys (`.dev.vars.example`), so
 * a worker started by `startWorker()` accepts them.
 */
import {
  ALL_SCOPES,
  loadKeys,
  mintPreferencesToken,
  mintSessionToken,
  mintUnsubscribeToken,
  preferencesLink,
  unsubscribeUrl,
} from '../../src/node/index.js';
import type { Scope } from '../../src/node/index.js';
import { ROOT } from '../../scripts/build-worker.js';

const keys = loadKeys({ env: {}, cwd: ROOT, devVars: true });

/** The dev keys and settings as the worker sees them. */
export const devKeys = keys;

/** A session token for `customerId` (default: every scope, 600 s), signed with the dev session key. */
export function devSessionToken(
  customerId: string,
  options: { scopes?: readonly Scope[]; ttlSeconds?: number; now?: Date } = {},
): Promise<string> {
  return mintSessionToken({
    customerId,
    ...keys.sessionOptions(),
    scopes: options.scopes ?? ALL_SCOPES,
    ttlSeconds: options.ttlSeconds ?? 600,
    ...(options.now ? { now: options.now } : {}),
  });
}

/** An unsubscribe token for `customerId`, signed with the dev unsubscribe key. */
export function devUnsubscribeToken(customerId: string, options: { jti?: string } = {}): Promise<string> {
  return mintUnsubscribeToken({ customerId, key: keys.unsubscribeKey!, ...(options.jti ? { jti: options.jti } : {}) });
}

/** The unsubscribe URL of `customerId` on a running worker. */
export async function devUnsubscribeUrl(workerUrl: string, customerId: string): Promise<string> {
  return unsubscribeUrl(workerUrl, await devUnsubscribeToken(customerId));
}

/**
 * A preferences-link token for `customerId` (`/preferences/<token>/…`), signed with the dev link key, as a shop's
 * backend mints it (`preferencesLink`; default lifetime 60 days). `now` in the past (with a short `ttlSeconds`) makes
 * an expired one, through `mintPreferencesToken`, which `preferencesLink` uses.
 */
export async function devPreferencesToken(
  customerId: string,
  options: { ttlSeconds?: number; now?: Date } = {},
): Promise<string> {
  const ttl = options.ttlSeconds ? { ttlSeconds: options.ttlSeconds } : {};
  if (!options.now) return (await preferencesLink(keys, customerId, ttl)).token;
  return mintPreferencesToken({ customerId, key: keys.unsubscribeKey!, now: options.now, ...ttl });
}
