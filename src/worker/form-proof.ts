/**
 * The CSRF proof of the preference center's plain form, which must work without JavaScript and without a cookie: a
 * hidden field `v1.<iat>.<mac>`, where `mac` is an HMAC-SHA-256 over the link token's `jti` and `iat`, keyed with a
 * value derived from a link key (`UNSUBSCRIBE_KEYS`). Only the worker can make one; it is bound to one link and works
 * for `FORM_PROOF_TTL_SECONDS` after the page was rendered. Secrets never leave `secrets.ts`, which calls these.
 */
import { purposeKey } from './token-keys.js';

/** How long a rendered form can be sent: two hours. */
export const FORM_PROOF_TTL_SECONDS = 2 * 3600;
/** Clock skew tolerated between isolates. */
const SKEW_SECONDS = 60;
const LABEL = 'vc-consent preferences form proof';
const PROOF = /^v1\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export type FormProofCheck = 'ok' | 'missing' | 'invalid' | 'expired';

const derived = new WeakMap<Uint8Array, Promise<CryptoKey>>();

/** A key for this purpose only, derived from the link key (so a proof is never a token signature, and vice versa). */
function proofKey(linkKey: Uint8Array): Promise<CryptoKey> {
  let key = derived.get(linkKey);
  if (!key) {
    key = purposeKey(LABEL, linkKey);
    derived.set(linkKey, key);
  }
  return key;
}

const message = (jti: string, iat: number) => new TextEncoder().encode(`${jti}\u0000${iat}`);

function base64url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(binary, (char) => char.charCodeAt(0));
}

/** A fresh proof for a form rendered now, for the link `jti`. */
export async function signFormProof(linkKey: Uint8Array, jti: string, now = Date.now()): Promise<string> {
  const iat = Math.floor(now / 1000);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', await proofKey(linkKey), message(jti, iat)));
  return `v1.${iat}.${base64url(mac)}`;
}

/**
 * Checks a proof sent back with the form: made by one of the link keys (so keys can rotate), for this `jti`, and not
 * older than two hours. The MAC is checked first (in constant time, by WebCrypto), so a forged proof is `invalid`
 * whatever its date.
 */
export async function checkFormProof(
  linkKeys: readonly Uint8Array[],
  jti: string,
  value: string | undefined,
  now = Date.now(),
): Promise<FormProofCheck> {
  if (!value) return 'missing';
  const match = PROOF.exec(value);
  if (!match) return 'invalid';
  const iat = Number(match[1]);
  const mac = fromBase64url(match[2]!);
  let valid = false;
  for (const key of linkKeys)
    valid = (await crypto.subtle.verify('HMAC', await proofKey(key), mac, message(jti, iat))) || valid;
  if (!valid) return 'invalid';
  const nowSeconds = Math.floor(now / 1000);
  if (iat > nowSeconds + SKEW_SECONDS) return 'invalid';
  return nowSeconds - iat > FORM_PROOF_TTL_SECONDS ? 'expired' : 'ok';
}
