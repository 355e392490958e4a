/**
 * Links the worker's own pages put on themselves: the worker's base URL as the person reached it, and a fresh
 * preference center link for a customer (the worker holds the link keys, so its pages can mint one).
 */
import type { AppContext } from './context.js';
import { setupOf } from './context.js';
import { preferencesPageUrl } from './link-tokens.js';

/**
 * This worker's public base URL: `PUBLIC_URL` (with its path prefix) when the request came in on that origin, else the
 * origin the request came in on (a workers.dev host, a test's random port), so links and scripts stay on one origin.
 */
export function workerBase(c: AppContext): string {
  const { config } = setupOf(c);
  const origin = new URL(c.req.url).origin;
  return config.publicUrl && new URL(config.publicUrl).origin === origin ? config.publicUrl : origin;
}

/** A fresh `/preferences/<token>` link (default lifetime) for this customer, in the language the page was asked in. */
export async function preferencesLinkFor(c: AppContext, customerId: string): Promise<string> {
  const token = await setupOf(c).secrets.preferencesToken(customerId);
  const lang = c.req.query('lang');
  return preferencesPageUrl(workerBase(c), token) + (lang ? `?lang=${encodeURIComponent(lang)}` : '');
}
