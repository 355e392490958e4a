/**
 * The development keys committed in `.dev.vars.example` are public: anyone can sign a session or an unsubscribe
 * link with them, or call the back office. The worker refuses to serve with them except on localhost, and the CLI
 * refuses to sign with them when `NODE_ENV=production`.
 *
 * Only SHA-256 digests (hex) of the secret material are kept here, never the values: a session `secret`, an
 * unsubscribe/link `secret`, an admin `appToken`. `test/worker/published-keys.test.ts` checks they still match the
 * committed file.
 */
import { sha256Hex } from '../api/hex.js';

/** SHA-256 of each published secret, per variable that may hold it. */
export const PUBLISHED_KEY_DIGESTS = {
  SESSION_KEYS: ['18730c8aab411ce9fa9913a65b1c1f53963af4c8ca04ad5682fd2364efaf331d'],
  UNSUBSCRIBE_KEYS: ['0db61089aac242ed39a397e97e545864e85ba43720f5218341a5886855e19f9f'],
  ADMIN_KEYS: ['1308e539698ba55f88147ca92155c41ba0d15265cbd67e33ee20510fd61f2637'],
} as const;

export type PublishedKeyVariable = keyof typeof PUBLISHED_KEY_DIGESTS;

/** Why a variable holding a published key is refused (names the variable, never the value). */
export function publishedKeyReason(where: string): string {
  return `holds the published development key${where}; generate your own with \`npx vc-consent init worker\``;
}

/** Hosts on which the worker still runs with the published keys (local development and tests). */
export function isLocalHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host === '127.0.0.1' || host === '[::1]' || host === '::1';
}

/** True when SHA-256(`secret`) is one of the published digests for `variable` (Web Crypto: workerd and Node). */
export async function isPublishedSecret(variable: PublishedKeyVariable, secret: string): Promise<boolean> {
  const digest = await sha256Hex(secret);
  return (PUBLISHED_KEY_DIGESTS[variable] as readonly string[]).includes(digest);
}
