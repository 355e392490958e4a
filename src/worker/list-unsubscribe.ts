/**
 * The RFC 8058 one-click unsubscribe headers of a marketing mail, for the URL of an unsubscribe link.
 */

export interface ListUnsubscribeHeaders {
  'List-Unsubscribe': string;
  'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click';
}

function isLocalHost(hostname: string): boolean {
  return (
    hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname.endsWith('.localhost')
  );
}

/**
 * The two RFC 8058 header values for a marketing mail. RFC 8058 requires an HTTPS URI, so plain `http:` is only
 * accepted for localhost (development). Add the headers before DKIM signing, and have the signature cover both.
 */
export function listUnsubscribeHeaders(url: string, options: { mailto?: string } = {}): ListUnsubscribeHeaders {
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLocalHost(parsed.hostname))) {
    throw new TypeError('RFC 8058 needs an https: unsubscribe URL (plain http is accepted for localhost only)');
  }
  const parts = [`<${parsed.href}>`];
  if (options.mailto) {
    const mailto = options.mailto.startsWith('mailto:') ? options.mailto : `mailto:${options.mailto}`;
    if (/[<>\s,]/.test(mailto))
      throw new TypeError('mailto must be a bare address or mailto: URI without spaces, commas or angle brackets');
    parts.push(`<${mailto}>`);
  }
  return { 'List-Unsubscribe': parts.join(', '), 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' };
}
