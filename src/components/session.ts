/**
 * Session tokens as the elements see them: opaque, except for their subject, which tells a refreshed token of the same
 * customer (use it, keep what is on screen) from another customer's (load again).
 */

/** The `sub` claim of a session token, unverified (the worker verifies); `undefined` when it is not a readable JWT. */
export function subjectOf(token: string | null | undefined): string | undefined {
  try {
    const payload = token!.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const sub = (JSON.parse(atob(payload)) as { sub?: unknown }).sub;
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What a load depends on in a session token: its subject when it has one, so that handing over a fresh token for the
 * same customer (every few minutes) does not reload and wipe what the customer is doing.
 */
export const sessionKey = (token: string | null | undefined): string | undefined =>
  subjectOf(token) ?? token ?? undefined;
