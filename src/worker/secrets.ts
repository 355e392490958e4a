/**
 * The one module that reads the worker's secrets: Voucherify's server keys, the session and unsubscribe signing
 * keys, the back office key pairs and Voucherify's webhook secret. Everything else receives capabilities (verify this token, is this an admin,
 * call the upstream) and never a secret value. Secret material is kept in private fields, so it cannot end up in
 * `JSON.stringify`, a log line or an error body by accident.
 */
import { VoucherifyError, isVoucherifyError, retryAfterSeconds } from '../api/errors.js';
import { IDEMPOTENT_METHODS, withRetry } from '../api/retry.js';
import { customersServerApi, serverSideHeaders } from '../api/server.js';
import type { CustomersServerApi } from '../api/server.js';
import { createFetchHttp } from '../api/fetch-http.js';
import type { ConfigProblem, Env, WorkerConfig } from './env.js';
import {
  KeyConfigError,
  importSessionKeys,
  importUnsubscribeKeys,
  parseSessionKeys,
  parseUnsubscribeKeys,
  purposeKey,
} from './token-keys.js';
import { hex } from '../api/hex.js';
import type { ImportedSessionKey, ImportedUnsubscribeKey } from './token-keys.js';
import { verifySessionToken } from './session-tokens.js';
import type { VerifiedSession } from './session-tokens.js';
import {
  signPreferencesToken,
  verifyConfirmToken,
  verifyPreferencesToken,
  verifyUnsubscribeToken,
} from './link-tokens.js';
import type { VerifiedConfirm, VerifiedPreferences, VerifiedUnsubscribe } from './link-tokens.js';
import { checkFormProof, signFormProof } from './form-proof.js';
import type { FormProofCheck } from './form-proof.js';
import { isPublishedSecret, publishedKeyReason } from './dev-keys.js';
import { adminDigest as digest, equalBytes, parseAdminKeys } from './admin-keys.js';
import { budgetWatchingFetch } from './upstream-budget.js';
import { WebhookVerifier } from './webhook-signature.js';

/** The upstream client the routes use: the seed's method names, Voucherify's server keys injected here. */
export type UpstreamApi = CustomersServerApi;

/** Request headers a back office caller may have forwarded upstream; every other header is dropped. */
export const FORWARDED_REQUEST_HEADERS: readonly string[] = [
  'content-type',
  'accept',
  'x-voucherify-api-version',
  'x-voucherify-channel',
];

export interface ForwardRequest {
  method: string;
  /** Path and query, e.g. `/v1/customers/cust_1?x=1`: appended to the upstream base URL. */
  pathAndQuery: string;
  headers: Headers;
  /** Buffered body (retried when the method is idempotent) or a stream (never retried). */
  body: Uint8Array | ReadableStream<Uint8Array> | null;
  signal?: AbortSignal;
}

export type ForwardResult =
  { ok: true; response: Response } | { ok: false; kind: 'network' | 'timeout'; cause: unknown };

export class Secrets {
  readonly #appId: string;
  readonly #appToken: string;
  readonly #sessionKeys: readonly ImportedSessionKey[];
  readonly #unsubscribeKeys: readonly ImportedUnsubscribeKey[];
  /** SHA-256 digests of `appId\0appToken`, so a comparison never depends on where two strings first differ. */
  readonly #adminDigests: readonly Uint8Array[];
  readonly #config: WorkerConfig;
  /**
   * Variables holding a key published in `.dev.vars.example` (by digest; never the value). The configuration gate
   * refuses every request with these problems unless its host is localhost.
   */
  readonly publishedKeys: readonly ConfigProblem[];
  /** Checks Voucherify's webhook signatures; null without `VOUCHERIFY_WEBHOOK_SECRET` (the webhook route is off). */
  readonly webhooks: WebhookVerifier | null;
  #api: UpstreamApi | undefined;
  readonly #refs = new Map<string, string>();
  #refKey: Promise<CryptoKey> | undefined;

  private constructor(init: {
    appId: string;
    appToken: string;
    sessionKeys: ImportedSessionKey[];
    unsubscribeKeys: ImportedUnsubscribeKey[];
    adminDigests: Uint8Array[];
    config: WorkerConfig;
    publishedKeys: ConfigProblem[];
    webhooks: WebhookVerifier | null;
  }) {
    this.#appId = init.appId;
    this.#appToken = init.appToken;
    this.#sessionKeys = init.sessionKeys;
    this.#unsubscribeKeys = init.unsubscribeKeys;
    this.#adminDigests = init.adminDigests;
    this.#config = init.config;
    this.publishedKeys = init.publishedKeys;
    this.webhooks = init.webhooks;
  }

  /** Parses and imports every secret; adds a problem (never a value) for each one that is missing or malformed. */
  static async load(env: Env, config: WorkerConfig, problems: ConfigProblem[]): Promise<Secrets | null> {
    const before = problems.length;
    const appId = typeof env.VOUCHERIFY_APP_ID === 'string' ? env.VOUCHERIFY_APP_ID.trim() : '';
    const appToken = typeof env.VOUCHERIFY_APP_TOKEN === 'string' ? env.VOUCHERIFY_APP_TOKEN.trim() : '';
    if (!appId)
      problems.push({
        variable: 'VOUCHERIFY_APP_ID',
        reason: 'is not set (a secret: wrangler secret put VOUCHERIFY_APP_ID)',
      });
    if (!appToken)
      problems.push({
        variable: 'VOUCHERIFY_APP_TOKEN',
        reason: 'is not set (a secret: wrangler secret put VOUCHERIFY_APP_TOKEN)',
      });

    const attempt = <T>(read: () => T): T | null => {
      try {
        return read();
      } catch (error) {
        if (error instanceof KeyConfigError) {
          problems.push({ variable: error.variable, reason: error.reason });
          return null;
        }
        throw error;
      }
    };
    const sessionConfig = attempt(() => parseSessionKeys(env.SESSION_KEYS));
    const unsubscribeConfig = attempt(() => parseUnsubscribeKeys(env.UNSUBSCRIBE_KEYS));
    const adminPairs = attempt(() => parseAdminKeys(env.ADMIN_KEYS));
    const webhookSecret = typeof env.VOUCHERIFY_WEBHOOK_SECRET === 'string' ? env.VOUCHERIFY_WEBHOOK_SECRET.trim() : '';

    let sessionKeys: ImportedSessionKey[] = [];
    if (sessionConfig) {
      try {
        sessionKeys = await importSessionKeys(sessionConfig);
      } catch {
        problems.push({ variable: 'SESSION_KEYS', reason: 'holds a JWK that cannot be imported for its "alg"' });
      }
    }
    if (problems.length > before || !sessionConfig || !unsubscribeConfig || !adminPairs) return null;
    const publishedKeys: ConfigProblem[] = [];
    const published = async (
      variable: 'SESSION_KEYS' | 'UNSUBSCRIBE_KEYS' | 'ADMIN_KEYS',
      secrets: Array<{ label: string; secret: string }>,
    ) => {
      for (const { label, secret } of secrets) {
        if (await isPublishedSecret(variable, secret)) {
          publishedKeys.push({ variable, reason: publishedKeyReason(` (${label})`) });
          return;
        }
      }
    };
    await published(
      'SESSION_KEYS',
      sessionConfig.flatMap((entry, index) =>
        entry.alg === 'HS256' ? [{ label: `entry ${index}`, secret: entry.secret }] : [],
      ),
    );
    await published(
      'UNSUBSCRIBE_KEYS',
      unsubscribeConfig.map((entry, index) => ({ label: `entry ${index}`, secret: entry.secret })),
    );
    await published(
      'ADMIN_KEYS',
      adminPairs.map((pair, index) => ({ label: `entry ${index}`, secret: pair.appToken })),
    );
    return new Secrets({
      appId,
      appToken,
      sessionKeys,
      unsubscribeKeys: importUnsubscribeKeys(unsubscribeConfig),
      adminDigests: await Promise.all(adminPairs.map((pair) => digest(pair.appId, pair.appToken))),
      config,
      publishedKeys,
      webhooks: webhookSecret ? await WebhookVerifier.import(webhookSecret) : null,
    });
  }

  get backOfficeEnabled(): boolean {
    return this.#adminDigests.length > 0;
  }

  verifySession(token: string): Promise<VerifiedSession> {
    return verifySessionToken(token, {
      keys: this.#sessionKeys,
      issuer: this.#config.sessionIssuer,
      audience: this.#config.sessionAudience,
      maxTtlSeconds: this.#config.sessionMaxTtl,
    });
  }

  verifyUnsubscribe(token: string): Promise<VerifiedUnsubscribe> {
    return verifyUnsubscribeToken(token, this.#unsubscribeKeys);
  }

  /** Double opt-in links are signed with the same link keys as unsubscribe links (their type and purpose differ). */
  verifyConfirm(token: string): Promise<VerifiedConfirm> {
    return verifyConfirmToken(token, this.#unsubscribeKeys);
  }

  /** Preference center links are signed with the same link keys too (again, their type and purpose differ). */
  verifyPreferences(token: string): Promise<VerifiedPreferences> {
    return verifyPreferencesToken(token, this.#unsubscribeKeys);
  }

  /** A fresh preferences token for a customer (default lifetime), signed with the first link key: the worker's pages link to it. */
  preferencesToken(customerId: string): Promise<string> {
    return signPreferencesToken(customerId, this.#unsubscribeKeys[0]!);
  }

  /** The CSRF proof for a preferences form rendered now for the link `jti` (see `form-proof.ts`). */
  formProof(jti: string): Promise<string> {
    return signFormProof(this.#unsubscribeKeys[0]!.key, jti);
  }

  /** Checks a form's CSRF proof against every link key (keys rotate). */
  checkFormProof(jti: string, value: string | undefined): Promise<FormProofCheck> {
    return checkFormProof(
      this.#unsubscribeKeys.map((entry) => entry.key),
      jti,
      value,
    );
  }

  /** True when the pair is one of `ADMIN_KEYS`. Compares fixed-length digests, every pair, in constant time. */
  async isAdmin(appId: string, appToken: string): Promise<boolean> {
    if (!this.backOfficeEnabled || appId.length > 512 || appToken.length > 512) return false;
    const candidate = await digest(appId, appToken);
    let found = false;
    for (const known of this.#adminDigests) found = equalBytes(candidate, known) || found;
    return found;
  }

  /**
   * A 12-hex-digit HMAC of a customer id, keyed with a value derived from the signing unsubscribe key: enough to
   * follow one customer through the logs, useless for finding out who it is (emails cannot be guessed back).
   */
  async customerRef(customerId: string): Promise<string> {
    const known = this.#refs.get(customerId);
    if (known) return known;
    this.#refKey ??= purposeKey('vc-consent log ref', this.#unsubscribeKeys[0]!.key);
    const mac = new Uint8Array(
      await crypto.subtle.sign('HMAC', await this.#refKey, new TextEncoder().encode(customerId)),
    );
    const ref = hex(mac.slice(0, 6));
    // A few hundred recent customers, so a busy isolate does not sign the same id over and over.
    if (this.#refs.size >= 500) this.#refs.delete(this.#refs.keys().next().value!);
    this.#refs.set(customerId, ref);
    return ref;
  }

  /** The typed upstream client (one per isolate), with Voucherify's keys and the worker's retry policy. */
  get api(): UpstreamApi {
    if (!this.#api) {
      const headers = serverSideHeaders({ applicationId: this.#appId, secretKey: this.#appToken });
      this.#api = customersServerApi(
        createFetchHttp({
          headers,
          baseUrl: this.#config.upstreamUrl,
          timeout: this.#config.upstreamTimeoutMs,
          retry: this.#config.upstreamRetries,
          retryWrites: false,
          maxRetryDelay: this.#config.upstreamMaxRetryDelayMs,
          fetch: budgetWatchingFetch,
        }),
      );
    }
    return this.#api;
  }

  /**
   * Sends a back office request upstream with Voucherify's keys swapped in and only the allowed client headers.
   * Buffered idempotent requests are retried on 408/429/5xx and network errors, honouring `Retry-After` up to the
   * configured bound; after the last attempt the upstream's own answer is returned as is (wire compatibility).
   */
  async forward(request: ForwardRequest): Promise<ForwardResult> {
    const config = this.#config;
    const headers = new Headers();
    for (const name of FORWARDED_REQUEST_HEADERS) {
      const value = request.headers.get(name);
      if (value !== null) headers.set(name, value);
    }
    headers.set('X-App-Id', this.#appId);
    headers.set('X-App-Token', this.#appToken);
    const url = config.upstreamUrl + request.pathAndQuery;
    const streaming = request.body instanceof ReadableStream;
    const attempt = async (): Promise<Response> => {
      const timeout = streaming ? null : AbortSignal.timeout(config.upstreamTimeoutMs);
      const signals = [timeout, request.signal].filter(
        (signal): signal is AbortSignal => signal !== null && signal !== undefined,
      );
      const init: RequestInit & { duplex?: 'half' } = {
        method: request.method,
        headers,
        redirect: 'manual',
        ...(signals.length ? { signal: signals.length === 1 ? signals[0]! : AbortSignal.any(signals) } : {}),
      };
      if (request.body) {
        init.body = request.body as BodyInit;
        if (streaming) init.duplex = 'half';
      }
      try {
        return await budgetWatchingFetch(url, init);
      } catch (cause) {
        throw new VoucherifyError({ kind: timeout?.aborted ? 'timeout' : 'network', cause });
      }
    };
    try {
      const response = await withRetry(attempt, {
        limit: IDEMPOTENT_METHODS.includes(request.method) && !streaming ? config.upstreamRetries : 0,
        maxDelay: config.upstreamMaxRetryDelayMs,
        signal: request.signal,
        // The last answer is returned as it is, an error status included: the back office sees Voucherify's own.
        failureOf: (answer) =>
          answer.ok
            ? null
            : {
                kind: 'http',
                status: answer.status,
                retryAfter: retryAfterSeconds(answer.headers, Date.now(), answer.status),
              },
        discard: (answer) => answer.body?.cancel().catch(() => undefined),
      });
      return { ok: true, response };
    } catch (error) {
      // No answer: a network failure, a timeout, or the caller gone while waiting to retry.
      const timedOut = isVoucherifyError(error) && error.kind === 'timeout';
      return {
        ok: false,
        kind: timedOut ? 'timeout' : 'network',
        cause: isVoucherifyError(error) ? error.cause : error,
      };
    }
  }
}
