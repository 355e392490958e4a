/**
 * Voucherify's webhook signature: each webhook carries `x-voucherify-signature`, the HMAC-SHA256 of the request body
 * keyed with the project's webhook secret key, in hex (https://docs.voucherify.io/reference/introduction-to-webhooks,
 * "Authentication"). The key is imported once and cannot be exported; `crypto.subtle.verify` compares in constant time.
 */

export const SIGNATURE_HEADER = 'x-voucherify-signature';

const HEX_SHA256 = /^[0-9a-fA-F]{64}$/;

function hexBytes(text: string) {
  const bytes = new Uint8Array(text.length / 2);
  for (let index = 0; index < bytes.length; index += 1) {
    bytes[index] = Number.parseInt(text.slice(index * 2, index * 2 + 2), 16);
  }
  return bytes;
}

export class WebhookVerifier {
  readonly #key: CryptoKey;

  private constructor(key: CryptoKey) {
    this.#key = key;
  }

  static async import(secret: string): Promise<WebhookVerifier> {
    const key = await crypto.subtle.importKey(
      'raw',
      new TextEncoder().encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    return new WebhookVerifier(key);
  }

  /** True when `signature` (the header's value) is the body's HMAC under the secret. */
  async verify(body: Uint8Array, signature: string | undefined): Promise<boolean> {
    const value = signature?.trim() ?? '';
    if (!HEX_SHA256.test(value)) return false;
    return crypto.subtle.verify('HMAC', this.#key, hexBytes(value), body as Uint8Array<ArrayBuffer>);
  }
}
