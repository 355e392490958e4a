/** Facts about the package and the platform the client runs on. */

/** The package version, sent in `X-Voucherify-Channel` (a test keeps it equal to package.json's). */
export const VERSION = '0.1.0';

/**
 * True in a web page (a `window` with a `document`). Node, Deno, Bun, workerd and web workers are not browsers here:
 * they may hold server keys, and they must send `origin` themselves.
 */
export function isBrowser(): boolean {
  const scope = globalThis as { window?: unknown; document?: unknown };
  return typeof scope.window === 'object' && scope.window !== null && typeof scope.document === 'object';
}
