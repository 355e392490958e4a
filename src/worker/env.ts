/**
 * The worker's environment, typed once, and its non-secret configuration, validated on first use with messages
 * that name the variable and say what is wrong (never quoting a value that could be a secret). Secrets are parsed
 * in `secrets.ts`, which is the only module that reads them.
 */
import type { DurableObjectNamespaceLike, RateLimitBinding } from './cloudflare.js';

/** Everything the worker reads from `env`: `[vars]`, secrets (`wrangler secret put`) and bindings. */
export interface Env {
  // Upstream
  VOUCHERIFY_API_URL?: string;
  /** Secret. */
  VOUCHERIFY_APP_ID?: string;
  /** Secret. */
  VOUCHERIFY_APP_TOKEN?: string;
  // Sessions
  SESSION_ISSUER?: string;
  SESSION_AUDIENCE?: string;
  /** Secret: JSON array of `{kid, alg:'HS256', secret}` or `{kid, alg:'ES256'|'EdDSA', jwk}` (public JWK). */
  SESSION_KEYS?: string;
  SESSION_MAX_TTL?: string | number;
  // Unsubscribe
  /** Secret: JSON array of `{kid, secret}`; the first signs, all verify. */
  UNSUBSCRIBE_KEYS?: string;
  PUBLIC_URL?: string;
  PREFERENCES_URL?: string;
  /** Where the shop serves the elements' CDN build (`vc-consent-panel.js`): the preference center page loads it. */
  ELEMENTS_URL?: string;
  // Back office
  /** Secret: JSON array of `{appId, appToken}`; absent or `[]` turns the back office off. */
  ADMIN_KEYS?: string;
  /** Secret: the webhook secret key of the Voucherify project; absent turns `POST /webhooks/voucherify` off. */
  VOUCHERIFY_WEBHOOK_SECRET?: string;
  // Behaviour
  ALLOWED_ORIGINS?: string;
  CONSENT_STORAGE?: string;
  CONSENT_METADATA_KEY?: string;
  /** `on` (default): keep the consent ledger in each customer's Durable Object; `off`: keep none. */
  CONSENT_LEDGER?: string;
  PROFILE_METADATA_KEYS?: string;
  UPSTREAM_TIMEOUT_MS?: string | number;
  UPSTREAM_RETRIES?: string | number;
  UPSTREAM_MAX_RETRY_DELAY_MS?: string | number;
  /** Seconds a customer's reads are kept (0: no read cache). */
  READ_CACHE_TTL?: string | number;
  /** Upstream requests kept for writes: under this many left, reads are served from cache or deferred. */
  UPSTREAM_RESERVE?: string | number;
  CSV_MAX_BYTES?: string | number;
  BACKOFFICE_MAX_JSON_BYTES?: string | number;
  RATE_LIMIT_PERIOD?: string | number;
  LOG_LEVEL?: string;
  /** How long a one-click POST waits for its opt-out to reach Voucherify before answering it as pending (0: never). */
  OPTOUT_INLINE_WAIT_MS?: string | number;
  /** The first wait before a pending opt-out is tried again; it doubles with each failed try. */
  OPTOUT_MIN_RETRY_MS?: string | number;
  /** The longest wait between two tries of a pending opt-out (a longer `Retry-After` is still honoured). */
  OPTOUT_MAX_RETRY_MS?: string | number;
  // Bindings
  WRITE_LIMITER?: RateLimitBinding;
  UNSUBSCRIBE_LIMITER?: RateLimitBinding;
  /** The per-customer Durable Object every write passes through (`[[durable_objects.bindings]]`). */
  CUSTOMER_OBJECTS?: DurableObjectNamespaceLike;
}

export type ConsentStorage = 'consents' | 'metadata';
export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'none';

export interface WorkerConfig {
  upstreamUrl: string;
  sessionIssuer: string;
  sessionAudience: string;
  sessionMaxTtl: number;
  allowedOrigins: ReadonlySet<string>;
  consentStorage: ConsentStorage;
  consentMetadataKey: string;
  consentLedger: boolean;
  profileMetadataKeys: readonly string[];
  publicUrl: string | null;
  preferencesUrl: string | null;
  /** The elements' CDN build (no trailing slash), or null: the preference center is then the plain form only. */
  elementsUrl: string | null;
  upstreamTimeoutMs: number;
  upstreamRetries: number;
  upstreamMaxRetryDelayMs: number;
  readCacheTtl: number;
  upstreamReserve: number;
  csvMaxBytes: number;
  backOfficeMaxJsonBytes: number;
  rateLimitPeriod: number;
  logLevel: LogLevel;
  optOutInlineWaitMs: number;
  optOutMinRetryMs: number;
  optOutMaxRetryMs: number;
}

/** Customer metadata keys the worker keeps for itself; never shown to or editable by a customer. */
export const UNSUBSCRIBE_METADATA_KEY = 'vc_unsubscribe';
export const POLICY_METADATA_KEY = 'vc_consent_policy';
export const CONFIRM_METADATA_KEY = 'vc_double_opt_in';

export const DEFAULTS = {
  upstreamUrl: 'https://api.voucherify.io',
  sessionAudience: 'vc-edge',
  sessionMaxTtl: 900,
  consentMetadataKey: 'vc_consents',
  upstreamTimeoutMs: 10_000,
  upstreamRetries: 2,
  upstreamMaxRetryDelayMs: 3_000,
  readCacheTtl: 300,
  upstreamReserve: 10,
  csvMaxBytes: 128 * 1024 * 1024,
  backOfficeMaxJsonBytes: 10 * 1024 * 1024,
  rateLimitPeriod: 60,
  optOutInlineWaitMs: 1_000,
  optOutMinRetryMs: 1_000,
  optOutMaxRetryMs: 10 * 60_000,
} as const;

export interface ConfigProblem {
  variable: string;
  reason: string;
}

/** A misconfigured worker: every problem found, each naming its variable. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      `The worker is misconfigured: ${problems.map((problem) => `${problem.variable} ${problem.reason}`).join('; ')}`,
    );
    this.name = 'ConfigError';
  }
}

const METADATA_KEY_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,99}$/;

function text(value: unknown): string | undefined {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

function list(value: unknown): string[] {
  return (text(value) ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Reads the non-secret configuration; collects every problem instead of stopping at the first. */
export function readConfig(env: Env, problems: ConfigProblem[]): WorkerConfig {
  const integer = (variable: keyof Env, fallback: number, min: number, max: number): number => {
    const raw = text(env[variable]);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push({ variable, reason: `must be a whole number from ${min} to ${max}` });
      return fallback;
    }
    return value;
  };
  const httpUrl = (variable: keyof Env, value: string | undefined): string | null => {
    if (value === undefined) return null;
    try {
      const url = new URL(value);
      if (url.protocol === 'https:' || url.protocol === 'http:') return url.href.replace(/\/+$/, '');
    } catch {
      // reported below
    }
    problems.push({ variable, reason: 'must be an absolute http(s) URL' });
    return null;
  };

  const elementsUrl = (() => {
    const raw = text(env.ELEMENTS_URL);
    if (raw === undefined) return null;
    let bare = true;
    try {
      const url = new URL(raw);
      bare = url.search === '' && url.hash === '' && url.username === '' && url.password === '';
    } catch {
      // httpUrl reports it
    }
    if (!bare) {
      problems.push({
        variable: 'ELEMENTS_URL',
        reason: 'must be an absolute http(s) URL without query, fragment or credentials',
      });
      return null;
    }
    return httpUrl('ELEMENTS_URL', raw);
  })();

  const upstreamUrl =
    httpUrl('VOUCHERIFY_API_URL', text(env.VOUCHERIFY_API_URL) ?? DEFAULTS.upstreamUrl) ?? DEFAULTS.upstreamUrl;

  const sessionIssuer = text(env.SESSION_ISSUER) ?? '';
  if (!sessionIssuer)
    problems.push({
      variable: 'SESSION_ISSUER',
      reason: 'is not set (the `iss` the shop backend puts in session tokens)',
    });
  const sessionAudience = text(env.SESSION_AUDIENCE) ?? DEFAULTS.sessionAudience;

  const allowedOrigins = new Set<string>();
  for (const origin of list(env.ALLOWED_ORIGINS)) {
    let exact: boolean;
    try {
      exact = new URL(origin).origin === origin;
    } catch {
      exact = false;
    }
    if (exact) allowedOrigins.add(origin);
    else
      problems.push({
        variable: 'ALLOWED_ORIGINS',
        reason: `holds ${JSON.stringify(origin)}, which is not an exact origin (scheme://host[:port], no path, no wildcard)`,
      });
  }

  const storage = text(env.CONSENT_STORAGE) ?? 'consents';
  if (storage !== 'consents' && storage !== 'metadata') {
    problems.push({ variable: 'CONSENT_STORAGE', reason: 'must be "consents" or "metadata"' });
  }
  const consentMetadataKey = text(env.CONSENT_METADATA_KEY) ?? DEFAULTS.consentMetadataKey;
  if (!METADATA_KEY_PATTERN.test(consentMetadataKey)) {
    problems.push({ variable: 'CONSENT_METADATA_KEY', reason: 'must be a metadata key (letters, digits, _ . -)' });
  }
  const ledger = text(env.CONSENT_LEDGER) ?? 'on';
  if (ledger !== 'on' && ledger !== 'off')
    problems.push({ variable: 'CONSENT_LEDGER', reason: 'must be "on" or "off"' });
  const reserved = new Set([consentMetadataKey, UNSUBSCRIBE_METADATA_KEY, POLICY_METADATA_KEY, CONFIRM_METADATA_KEY]);
  const profileMetadataKeys = list(env.PROFILE_METADATA_KEYS);
  for (const key of profileMetadataKeys) {
    if (!METADATA_KEY_PATTERN.test(key))
      problems.push({
        variable: 'PROFILE_METADATA_KEYS',
        reason: `holds ${JSON.stringify(key)}, which is not a metadata key`,
      });
    else if (reserved.has(key))
      problems.push({
        variable: 'PROFILE_METADATA_KEYS',
        reason: `must not expose the worker's own key ${JSON.stringify(key)}`,
      });
  }

  const period = integer('RATE_LIMIT_PERIOD', DEFAULTS.rateLimitPeriod, 1, 3600);
  const logLevel = (text(env.LOG_LEVEL) ?? 'info') as LogLevel;
  if (!['debug', 'info', 'warn', 'error', 'none'].includes(logLevel)) {
    problems.push({ variable: 'LOG_LEVEL', reason: 'must be one of debug, info, warn, error, none' });
  }

  return {
    upstreamUrl,
    sessionIssuer,
    sessionAudience,
    sessionMaxTtl: integer('SESSION_MAX_TTL', DEFAULTS.sessionMaxTtl, 30, 86_400),
    allowedOrigins,
    consentStorage: storage === 'metadata' ? 'metadata' : 'consents',
    consentMetadataKey,
    consentLedger: ledger !== 'off',
    profileMetadataKeys: [...new Set(profileMetadataKeys)],
    publicUrl: httpUrl('PUBLIC_URL', text(env.PUBLIC_URL)),
    preferencesUrl: httpUrl('PREFERENCES_URL', text(env.PREFERENCES_URL)),
    elementsUrl,
    upstreamTimeoutMs: integer('UPSTREAM_TIMEOUT_MS', DEFAULTS.upstreamTimeoutMs, 100, 60_000),
    upstreamRetries: integer('UPSTREAM_RETRIES', DEFAULTS.upstreamRetries, 0, 5),
    upstreamMaxRetryDelayMs: integer('UPSTREAM_MAX_RETRY_DELAY_MS', DEFAULTS.upstreamMaxRetryDelayMs, 0, 30_000),
    readCacheTtl: integer('READ_CACHE_TTL', DEFAULTS.readCacheTtl, 0, 86_400),
    upstreamReserve: integer('UPSTREAM_RESERVE', DEFAULTS.upstreamReserve, 0, 1_000_000),
    csvMaxBytes: integer('CSV_MAX_BYTES', DEFAULTS.csvMaxBytes, 1024, 2 ** 31),
    backOfficeMaxJsonBytes: integer(
      'BACKOFFICE_MAX_JSON_BYTES',
      DEFAULTS.backOfficeMaxJsonBytes,
      1024,
      100 * 1024 * 1024,
    ),
    rateLimitPeriod: period,
    logLevel,
    optOutInlineWaitMs: integer('OPTOUT_INLINE_WAIT_MS', DEFAULTS.optOutInlineWaitMs, 0, 10_000),
    optOutMinRetryMs: integer('OPTOUT_MIN_RETRY_MS', DEFAULTS.optOutMinRetryMs, 10, 600_000),
    optOutMaxRetryMs: integer('OPTOUT_MAX_RETRY_MS', DEFAULTS.optOutMaxRetryMs, 1_000, 6 * 3_600_000),
  };
}
