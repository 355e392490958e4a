/**
 * Key checks: server keys (`X-App-Id` + `X-App-Token`) on `/v1`, client keys (`X-Client-Application-Id` +
 * `X-Client-Token`) plus an allowed origin on `/client/v1`, with Voucherify's whitelist patterns.
 */
import { forbidden, unauthorized } from './errors.js';

export interface ServerKey {
  appId: string;
  appToken: string;
}

export interface ClientKey {
  clientApplicationId: string;
  clientToken: string;
}

type HeaderReader = (name: string) => string | undefined;

export function checkServerKeys(keys: readonly ServerKey[], header: HeaderReader): void {
  const appId = header('x-app-id');
  const appToken = header('x-app-token');
  if (!appId || !appToken)
    throw unauthorized('Missing X-App-Id or X-App-Token header; server-side endpoints need server keys');
  if (!keys.some((key) => key.appId === appId && key.appToken === appToken)) {
    throw unauthorized('Invalid X-App-Id or X-App-Token');
  }
}

export function checkClientKeys(keys: readonly ClientKey[], header: HeaderReader): void {
  const id = header('x-client-application-id');
  const token = header('x-client-token');
  if (!id || !token) {
    throw unauthorized(
      'Missing X-Client-Application-Id or X-Client-Token header; client-side endpoints need client keys',
    );
  }
  if (!keys.some((key) => key.clientApplicationId === id && key.clientToken === token)) {
    throw unauthorized('Invalid X-Client-Application-Id or X-Client-Token');
  }
}

interface ParsedOrigin {
  hostname: string;
  /** `hostname[:port]` */
  host: string;
  /** `scheme://host[:port]` when the value carried a scheme. */
  origin?: string;
}

/** Reads an `Origin` value: a browser's `https://shop.example:8443`, or a bare `shop.example` as Node clients send. */
export function parseOrigin(value: string): ParsedOrigin | undefined {
  const text = value.trim();
  if (!text || text === 'null') return undefined;
  try {
    const url = new URL(text.includes('://') ? text : `http://${text}`);
    return {
      hostname: url.hostname.toLowerCase(),
      host: url.host.toLowerCase(),
      ...(text.includes('://') ? { origin: url.origin } : {}),
    };
  } catch {
    return undefined;
  }
}

/**
 * Whitelist patterns: `*` any origin; `.example.com` that host and its subdomains; `example.com` (or
 * `example.com:8000`) that host; a pattern with a scheme (`http://localhost:8000`) that exact origin.
 */
export function originAllowed(patterns: readonly string[], value: string): boolean {
  if (patterns.includes('*')) return true;
  const origin = parseOrigin(value);
  if (!origin) return false;
  return patterns.some((raw) => {
    const pattern = raw.trim().toLowerCase();
    if (!pattern) return false;
    if (pattern.includes('://')) return origin.origin !== undefined && parseOrigin(pattern)?.origin === origin.origin;
    if (pattern.startsWith('.')) return origin.hostname === pattern.slice(1) || origin.hostname.endsWith(pattern);
    return pattern.includes(':') && !pattern.startsWith('[') ? origin.host === pattern : origin.hostname === pattern;
  });
}

export function checkOrigin(patterns: readonly string[], origin: string | undefined): void {
  if (!origin) throw forbidden('Missing Origin header; client-side requests must come from an allowed origin');
  if (!originAllowed(patterns, origin))
    throw forbidden(`Origin ${origin} is not allowed; add it to the allowed origins`);
}
