/**
 * Helpers for a shop's backend (Node): mint session tokens for the logged-in customer, unsubscribe links with their
 * RFC 8058 mail headers, double opt-in and preference center links, with exactly the keys the edge worker verifies.
 * Also used by `npx vc-consent`.
 *
 * ```ts
 * import { loadKeys, mintSessionToken, unsubscribeLink } from 'vc-consent/node';
 * const keys = loadKeys();                                   // process.env, then .dev.vars(.example) in development
 * const token = await mintSessionToken({ customerId, ...keys.sessionOptions() });
 * const { url, headers } = await unsubscribeLink(keys, customerId);   // headers: List-Unsubscribe, List-Unsubscribe-Post
 * const preferences = await preferencesLink(keys, customerId);       // { url, token, expiresAt }: "manage your preferences"
 * ```
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as util from 'node:util';
import type { Scope } from '../api/edge-types.js';
import {
  DEFAULT_CONFIRM_TTL_SECONDS,
  DEFAULT_PREFERENCES_TTL_SECONDS,
  confirmUrl,
  mintConfirmToken,
  mintPreferencesToken,
  preferencesPageUrl,
  DEFAULT_SESSION_AUDIENCE,
  DEFAULT_SESSION_MAX_TTL_SECONDS,
  KeyConfigError,
  listUnsubscribeHeaders,
  mintSessionToken,
  mintUnsubscribeToken,
  parseSessionKeys,
  parseSessionSigningKey,
  parseUnsubscribeKeys,
  unsubscribeUrl,
} from './tokens.js';
import type { ListUnsubscribeHeaders, SessionSigningKey, UnsubscribeKeyConfig } from './tokens.js';
import { PUBLISHED_KEY_DIGESTS, publishedKeyReason } from './dev-keys.js';

export {
  ALL_SCOPES,
  DEFAULT_CONFIRM_TTL_SECONDS,
  DEFAULT_PREFERENCES_TTL_SECONDS,
  confirmUrl,
  mintConfirmToken,
  mintPreferencesToken,
  preferencesPageUrl,
  verifyConfirmToken,
  verifyPreferencesToken,
  DEFAULT_SESSION_AUDIENCE,
  DEFAULT_SESSION_TTL_SECONDS,
  KeyConfigError,
  listUnsubscribeHeaders,
  mintSessionToken,
  mintUnsubscribeToken,
  parseSessionKeys,
  parseSessionSigningKey,
  parseUnsubscribeKeys,
  unsubscribeUrl,
  verifySessionToken,
  verifyUnsubscribeToken,
} from './tokens.js';
export type {
  ListUnsubscribeHeaders,
  MintConfirmTokenOptions,
  MintPreferencesTokenOptions,
  MintSessionTokenOptions,
  MintUnsubscribeTokenOptions,
  SessionKeyConfig,
  SessionSigningKey,
  UnsubscribeKeyConfig,
} from './tokens.js';
export { SCOPES } from '../api/edge-types.js';
export type { Scope } from '../api/edge-types.js';

/**
 * The dev vars files, as `npm run worker:dev` picks them: `.dev.vars` when it exists, else the committed
 * `.dev.vars.example`. Only that one file is read (like wrangler), so the CLI signs with what the worker verifies.
 */
export const DEV_VARS_FILES = ['.dev.vars', '.dev.vars.example'] as const;

/** Variables the helpers read. */
export const KEY_VARIABLES = [
  'SESSION_SIGNING_KEY',
  'SESSION_KEYS',
  'SESSION_ISSUER',
  'SESSION_AUDIENCE',
  'SESSION_MAX_TTL',
  'UNSUBSCRIBE_KEYS',
  'PUBLIC_URL',
  'PREFERENCES_URL',
] as const;
type KeyVariable = (typeof KEY_VARIABLES)[number];

export interface LoadKeysOptions {
  /** Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Where the dev vars files are looked for. Default `process.cwd()`. */
  cwd?: string;
  /**
   * Read `.dev.vars` (or, when it does not exist, `.dev.vars.example`) for variables the environment lacks. Default: on unless
   * `NODE_ENV=production`, so a production backend never signs with the committed dev-only keys.
   */
  devVars?: boolean;
}

export interface LoadedKeys {
  /** The session signing key (`SESSION_SIGNING_KEY`, else the first `SESSION_KEYS` entry), or null. */
  sessionKey: SessionSigningKey | null;
  issuer: string | null;
  audience: string;
  maxTtlSeconds: number;
  /** The first `UNSUBSCRIBE_KEYS` entry (the one that signs), or null. */
  unsubscribeKey: UnsubscribeKeyConfig | null;
  publicUrl: string | null;
  preferencesUrl: string | null;
  /** Where each variable found came from: `environment` or a file path. */
  sources: Partial<Record<KeyVariable, string>>;
  /** Every place looked at, for error messages. */
  looked: string[];
  /** Options for `mintSessionToken` (throws a clear error when the session key or issuer is missing). */
  sessionOptions(): { key: SessionSigningKey; issuer: string; audience: string };
}

/** Thrown when what a helper needs is not configured; the message says which variables and files were looked at. */
export class MissingKeysError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingKeysError';
  }
}

/** Reads a dotenv-format vars file (`.dev.vars`) the way wrangler does, with Node's own parser (Node ≥ 20.12). */
export function readDevVarsFile(file: string): Record<string, string> {
  const parseEnv = (util as { parseEnv?: (content: string) => Record<string, string> }).parseEnv;
  if (typeof parseEnv !== 'function') {
    throw new MissingKeysError(`Reading ${file} needs Node 20.12 or later (util.parseEnv); or set the variables in the environment.`);
  }
  return parseEnv(readFileSync(file, 'utf8'));
}

/**
 * Reads the signing keys and settings: each variable from the environment first, then (in development) from
 * `.dev.vars` in `cwd`, or `.dev.vars.example` when there is no `.dev.vars`. Malformed values throw `KeyConfigError`, naming the variable;
 * so do the published development keys of `.dev.vars.example` when `NODE_ENV=production`, wherever they come from.
 */
export function loadKeys(options: LoadKeysOptions = {}): LoadedKeys {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const useDevVars = options.devVars ?? env.NODE_ENV !== 'production';
  const layers: Array<{ name: string; values: Record<string, string | undefined> }> = [{ name: 'environment', values: env }];
  const looked = ['the environment'];
  if (useDevVars) {
    for (const name of DEV_VARS_FILES) {
      const file = path.join(cwd, name);
      looked.push(file);
      if (existsSync(file)) {
        layers.push({ name: file, values: readDevVarsFile(file) });
        break;
      }
    }
  }
  const sources: Partial<Record<KeyVariable, string>> = {};
  const get = (variable: KeyVariable): string | undefined => {
    for (const layer of layers) {
      const value = layer.values[variable];
      if (value !== undefined && value.trim() !== '') {
        sources[variable] = layer.name;
        return value.trim();
      }
    }
    return undefined;
  };

  let sessionKey: SessionSigningKey | null = null;
  const signing = get('SESSION_SIGNING_KEY');
  if (signing) sessionKey = parseSessionSigningKey(signing);
  else {
    const raw = get('SESSION_KEYS');
    if (raw) {
      const first = parseSessionKeys(raw)[0]!;
      if (first.alg !== 'HS256') {
        throw new KeyConfigError(
          'SESSION_KEYS',
          `its first key (kid ${JSON.stringify(first.kid)}) is a public ${first.alg} key, which cannot sign: set SESSION_SIGNING_KEY to the private JWK`,
        );
      }
      sessionKey = first;
    }
  }
  const unsubscribeRaw = get('UNSUBSCRIBE_KEYS');
  const unsubscribeKey = unsubscribeRaw ? parseUnsubscribeKeys(unsubscribeRaw)[0]! : null;
  const maxTtlRaw = get('SESSION_MAX_TTL');
  const maxTtlSeconds = maxTtlRaw && Number.isInteger(Number(maxTtlRaw)) ? Number(maxTtlRaw) : DEFAULT_SESSION_MAX_TTL_SECONDS;
  const issuer = get('SESSION_ISSUER') ?? null;
  const audience = get('SESSION_AUDIENCE') ?? DEFAULT_SESSION_AUDIENCE;
  const where = `Looked in: ${looked.join(', ')}${useDevVars ? '' : ' (dev vars files are not read when NODE_ENV=production)'}.`;
  if (env.NODE_ENV === 'production') {
    // The keys of `.dev.vars.example` are public: never sign with them in production (the worker refuses them too).
    const published = (digests: readonly string[], secret: string) => digests.includes(createHash('sha256').update(secret, 'utf8').digest('hex'));
    if (sessionKey?.alg === 'HS256' && published(PUBLISHED_KEY_DIGESTS.SESSION_KEYS, sessionKey.secret)) {
      throw new KeyConfigError(signing ? 'SESSION_SIGNING_KEY' : 'SESSION_KEYS', publishedKeyReason(''));
    }
    if (unsubscribeKey && published(PUBLISHED_KEY_DIGESTS.UNSUBSCRIBE_KEYS, unsubscribeKey.secret)) {
      throw new KeyConfigError('UNSUBSCRIBE_KEYS', publishedKeyReason(''));
    }
  }

  return {
    sessionKey,
    issuer,
    audience,
    maxTtlSeconds,
    unsubscribeKey,
    publicUrl: get('PUBLIC_URL') ?? null,
    preferencesUrl: get('PREFERENCES_URL') ?? null,
    sources,
    looked,
    sessionOptions() {
      if (!sessionKey) throw new MissingKeysError(`No session signing key: set SESSION_SIGNING_KEY or SESSION_KEYS. ${where}`);
      if (!issuer) throw new MissingKeysError(`No issuer: set SESSION_ISSUER (the worker checks tokens against it). ${where}`);
      return { key: sessionKey, issuer, audience };
    },
  };
}

/** Mints a session token with loaded keys (`scopes` default: every scope; `ttlSeconds` default 600, capped by `SESSION_MAX_TTL`). */
export async function sessionTokenFor(keys: LoadedKeys, customerId: string, options: { scopes?: readonly Scope[]; ttlSeconds?: number } = {}): Promise<string> {
  const ttlSeconds = options.ttlSeconds ?? Math.min(600, keys.maxTtlSeconds);
  if (ttlSeconds > keys.maxTtlSeconds) {
    throw new RangeError(`ttlSeconds ${ttlSeconds} is longer than SESSION_MAX_TTL (${keys.maxTtlSeconds} s): the worker would refuse the token`);
  }
  return mintSessionToken({ customerId, ...keys.sessionOptions(), ttlSeconds, ...(options.scopes ? { scopes: options.scopes } : {}) });
}

export interface UnsubscribeLink {
  token: string;
  url: string;
  headers: ListUnsubscribeHeaders;
}

/** The link signing key and the worker's public URL a link needs, or a `MissingKeysError` naming what is missing. */
function linkSetup(keys: LoadedKeys, publicUrl: string | undefined, keyName: string): { key: NonNullable<LoadedKeys['unsubscribeKey']>; publicUrl: string } {
  const where = `Looked in: ${keys.looked.join(', ')}.`;
  if (!keys.unsubscribeKey) throw new MissingKeysError(`No ${keyName}: set UNSUBSCRIBE_KEYS. ${where}`);
  const url = publicUrl ?? keys.publicUrl;
  if (!url) throw new MissingKeysError(`No public URL for the worker: set PUBLIC_URL. ${where}`);
  return { key: keys.unsubscribeKey, publicUrl: url };
}

/** When a token minted at `now` for `ttlSeconds` stops working (its `exp`, as an ISO date). */
const expiryOf = (now: Date, ttlSeconds: number): string => new Date((Math.floor(now.getTime() / 1000) + ttlSeconds) * 1000).toISOString();

/** A fresh unsubscribe token, its URL (`PUBLIC_URL` + `/unsubscribe/<token>`) and the two mail header values. */
export async function unsubscribeLink(keys: LoadedKeys, customerId: string, options: { publicUrl?: string; mailto?: string } = {}): Promise<UnsubscribeLink> {
  const { key, publicUrl } = linkSetup(keys, options.publicUrl, 'unsubscribe key');
  const token = await mintUnsubscribeToken({ customerId, key });
  const url = unsubscribeUrl(publicUrl, token);
  return { token, url, headers: listUnsubscribeHeaders(url, options.mailto ? { mailto: options.mailto } : {}) };
}

export interface ConfirmationLink {
  token: string;
  /** `PUBLIC_URL` + `/confirm/<token>`: the worker's page whose button records the choices. */
  url: string;
  /** When the link stops working (ISO date). */
  expiresAt: string;
}

/**
 * A double opt-in link for a sign-up: mail it to `email`; nothing is recorded until the person opens it and confirms.
 * `consents` is what they chose, e.g. the JSON a form-associated `<vc-consent-panel>` submitted (only what they
 * touched). The link works once, for `ttlSeconds` (default three days).
 */
export async function confirmationLink(
  keys: LoadedKeys,
  email: string,
  consents: Record<string, boolean>,
  options: { publicUrl?: string; ttlSeconds?: number } = {},
): Promise<ConfirmationLink> {
  const { key, publicUrl } = linkSetup(keys, options.publicUrl, 'link signing key');
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_CONFIRM_TTL_SECONDS;
  const now = new Date();
  const token = await mintConfirmToken({ email, consents, key, ttlSeconds, now });
  return { token, url: confirmUrl(publicUrl, token), expiresAt: expiryOf(now, ttlSeconds) };
}

export interface PreferencesLink {
  token: string;
  /** `PUBLIC_URL` + `/preferences/<token>`: the worker's preference center page for this customer. */
  url: string;
  /** When the link stops working (ISO date). */
  expiresAt: string;
}

/**
 * A preference center link for a marketing mail ("manage your preferences"): the worker's page where the person manages
 * every consent without signing in. It works for `ttlSeconds` (default 60 days, at most 365); mint one per mail.
 */
export async function preferencesLink(keys: LoadedKeys, customerId: string, options: { publicUrl?: string; ttlSeconds?: number } = {}): Promise<PreferencesLink> {
  const { key, publicUrl } = linkSetup(keys, options.publicUrl, 'link signing key');
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_PREFERENCES_TTL_SECONDS;
  const now = new Date();
  const token = await mintPreferencesToken({ customerId, key, ttlSeconds, now });
  return { token, url: preferencesPageUrl(publicUrl, token), expiresAt: expiryOf(now, ttlSeconds) };
}
