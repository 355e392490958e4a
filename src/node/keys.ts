/**
 * The signing keys and settings of a shop's backend: from the environment, then (in development) the dev vars file
 * `npm run worker:dev` gives the worker, so what is signed here is what the worker verifies.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as util from 'node:util';
import { PUBLISHED_KEY_DIGESTS, publishedKeyReason } from '../worker/dev-keys.js';
import { DEFAULT_SESSION_AUDIENCE, DEFAULT_SESSION_MAX_TTL_SECONDS } from '../worker/session-tokens.js';
import {
  KeyConfigError,
  parseSessionKeys,
  parseSessionSigningKey,
  parseUnsubscribeKeys,
} from '../worker/token-keys.js';
import type { SessionKeyConfig, UnsubscribeKeyConfig } from '../worker/token-keys.js';

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
  sessionKey: SessionKeyConfig | null;
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
  sessionOptions(): { key: SessionKeyConfig; issuer: string; audience: string };
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
    throw new MissingKeysError(
      `Reading ${file} needs Node 20.12 or later (util.parseEnv); or set the variables in the environment.`,
    );
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
  const layers: Array<{ name: string; values: Record<string, string | undefined> }> = [
    { name: 'environment', values: env },
  ];
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

  let sessionKey: SessionKeyConfig | null = null;
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
  const maxTtlSeconds =
    maxTtlRaw && Number.isInteger(Number(maxTtlRaw)) ? Number(maxTtlRaw) : DEFAULT_SESSION_MAX_TTL_SECONDS;
  const issuer = get('SESSION_ISSUER') ?? null;
  const audience = get('SESSION_AUDIENCE') ?? DEFAULT_SESSION_AUDIENCE;
  const where = `Looked in: ${looked.join(', ')}${useDevVars ? '' : ' (dev vars files are not read when NODE_ENV=production)'}.`;
  if (env.NODE_ENV === 'production') {
    // The keys of `.dev.vars.example` are public: never sign with them in production (the worker refuses them too).
    const published = (digests: readonly string[], secret: string) =>
      digests.includes(createHash('sha256').update(secret, 'utf8').digest('hex'));
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
      if (!sessionKey)
        throw new MissingKeysError(`No session signing key: set SESSION_SIGNING_KEY or SESSION_KEYS. ${where}`);
      if (!issuer)
        throw new MissingKeysError(`No issuer: set SESSION_ISSUER (the worker checks tokens against it). ${where}`);
      return { key: sessionKey, issuer, audience };
    },
  };
}
