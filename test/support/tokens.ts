/**
 * Dev tokens for tests, minted with the kit's own helpers and the committed dev keys (`.dev.vars.example`), so
 * a worker started by `startWorker()` accepts them.
 */
import { SignJWT } from 'jose';
import { ALL_SCOPES, loadKeys, mintSessionToken, mintUnsubscribeToken, unsubscribeUrl } from '../../src/worker/node.js';
import type { Scope } from '../../src/worker/node.js';
import { ROOT } from '../../src/worker/build.js';

const keys = loadKeys({ env: {}, cwd: ROOT, devVars: true });

/** The dev keys and settings as the worker sees them. */
export const devKeys = keys;

/** A session token for `customerId` (default: every scope, 600 s), signed with the dev session key. */
export function devSessionToken(customerId: string, options: { scopes?: readonly Scope[]; ttlSeconds?: number; now?: Date } = {}): Promise<string> {
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
 * A preferences-link token for `customerId` (`/preferences/<token>/…`), signed with the dev link key (the first
 * unsubscribe key): `{alg:'HS256', kid, typ:'vc-preferences+jwt'}` over `{sub, pur:'preferences', iat, exp, jti}`.
 * `now` in the past with a short `ttlSeconds` makes an expired one.
 *
 * Temporary: minted here, in the same shape as the other link tokens, until the kit's own preferences-link helper is
 * on main; then this calls it.
 */
export async function devPreferencesToken(customerId: string, options: { ttlSeconds?: number; now?: Date } = {}): Promise<string> {
  const key = keys.unsubscribeKey!;
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({ pur: 'preferences' })
    .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'vc-preferences+jwt' })
    .setSubject(customerId)
    .setIssuedAt(iat)
    .setExpirationTime(iat + (options.ttlSeconds ?? 3600))
    .setJti(crypto.randomUUID())
    .sign(new TextEncoder().encode(key.secret));
}
