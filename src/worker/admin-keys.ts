/**
 * The back office key pairs (`ADMIN_KEYS`, parsed for `secrets.ts`, which alone reads it) and how a presented pair is
 * compared with them: by SHA-256 digest of `appId\0appToken`, so a comparison never depends on where two strings differ.
 */
import { KeyConfigError, readJsonArray } from './token-keys.js';

/** `ADMIN_KEYS`: `[{appId, appToken}, …]`; absent or empty is no pair (the back office is off). */
export function parseAdminKeys(raw: string | undefined): Array<{ appId: string; appToken: string }> {
  const variable = 'ADMIN_KEYS';
  if (raw === undefined || raw.trim() === '') return [];
  return readJsonArray(variable, raw, '[{"appId","appToken"}, …] or []').map((entry: unknown, index) => {
    const pair = entry as { appId?: unknown; appToken?: unknown } | null;
    if (!pair || typeof pair !== 'object' || typeof pair.appId !== 'string' || !pair.appId.trim()) {
      throw new KeyConfigError(variable, `entry ${index} needs a non-empty "appId"`);
    }
    if (typeof pair.appToken !== 'string' || pair.appToken.length < 16) {
      throw new KeyConfigError(variable, `entry ${index} needs an "appToken" of at least 16 characters`);
    }
    return { appId: pair.appId, appToken: pair.appToken };
  });
}

/** The digest a pair is compared by. */
export async function adminDigest(appId: string, appToken: string): Promise<Uint8Array> {
  const bytes = new TextEncoder().encode(`${appId}\u0000${appToken}`);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

/** Compares two digests in constant time. */
export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  let difference = a.length ^ b.length;
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) difference |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return difference === 0;
}
