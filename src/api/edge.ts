/**
 * A small browser client for the edge worker's customer routes (`/v1/me…`, `/v1/consents`, `/preferences/…`,
 * `/unsubscribe/…`), and the one-attempt `fetch` transport the web components use for every call.
 *
 * Why not `createHttp` (ky): the components ship under a size budget (test/build/budgets.test.ts) that must also carry
 * Lit, the localization runtime and the styles, and ky plus the HTTP core would take a large share of it; this
 * transport is a few lines and throws the same `VoucherifyError` (kind `http` | `network` | `timeout`, status, key,
 * details, `retryAfter`), so callers handle errors the same way. Retrying is the caller's business here: the
 * components retry saves themselves (with backoff, on `online`, and on demand) and show every attempt.
 *
 * Every function is standalone so a bundle keeps only the routes it calls.
 */
import type {
  EdgeActivityList,
  EdgeConsentHistory,
  EdgeConsents,
  EdgeConsentsUpdate,
  EdgePermanentDeletion,
  EdgeProfile,
  EdgeProfileUpdate,
  EdgeSegmentList,
  EdgeUnsubscribeResult,
} from './edge-types.js';
import { VoucherifyError, parseJsonBody } from './errors.js';
import { path } from './path.js';
import type { ConsentsList, VoucherifyErrorBody } from './types.js';

/** Where the worker lives and who is calling. */
export interface EdgeConnection {
  /** The worker's base URL, e.g. `https://edge.shop.example` (a path prefix is kept). */
  url: string;
  /** A session token minted by the shop's backend (`Authorization: Bearer …`). Needed by the `/v1/me…` routes. */
  token?: string | null | undefined;
  /** Milliseconds to wait for an answer. Default 10 000. */
  timeout?: number;
}

export interface SendOptions {
  method?: 'GET' | 'PUT' | 'POST';
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Milliseconds to wait for an answer. Default 10 000. */
  timeout?: number | undefined;
  /** The caller's own abort: rejects with the signal's reason, not with a `VoucherifyError`. */
  signal?: AbortSignal | undefined;
}

/**
 * Joins a base URL and a path (`base` may carry a path prefix and a trailing slash). Throws a `TypeError` when `base`
 * is not an absolute http(s) URL, so a misconfigured attribute never turns into a request to the page's own origin.
 */
export function endpoint(base: string, path: string): string {
  const url = new URL(base);
  if (!/^https?:$/.test(url.protocol)) throw new TypeError(`Not an http(s) URL: ${base}`);
  return url.href.replace(/\/?$/, '/') + path.replace(/^\//, '');
}

/** One request, one attempt: JSON in, JSON out, Voucherify's errors. */
export async function send<T>(url: string, options: SendOptions = {}): Promise<T> {
  const timeout = AbortSignal.timeout(options.timeout ?? 10_000);
  const caller = options.signal;
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.json !== undefined) headers['content-type'] = 'application/json';
  let text: string;
  let response: Response;
  try {
    response = await fetch(url, {
      method: options.method ?? 'GET',
      headers,
      body: options.json === undefined ? null : JSON.stringify(options.json),
      signal: caller ? AbortSignal.any([caller, timeout]) : timeout,
      credentials: 'omit',
    });
    text = await response.text();
  } catch (cause) {
    if (caller?.aborted) throw caller.reason;
    throw new VoucherifyError({ kind: timeout.aborted ? 'timeout' : 'network', cause });
  }
  if (!response.ok) {
    throw new VoucherifyError({
      kind: 'http',
      status: response.status,
      body: errorBody(text),
      retryAfter: Number(response.headers.get('retry-after')) || null,
    });
  }
  return parseJsonBody(text, response.status) as T;
}

/**
 * The JSON error body, when there is one. (The Node client's `parseErrorBody` also reads Voucherify's odd 413 and
 * plain-text 429 bodies and dated `Retry-After` values; the components only need the status, so the browser path
 * leaves that weight out. The worker and the emulator always answer JSON errors and seconds.)
 */
function errorBody(text: string): Partial<VoucherifyErrorBody> | null {
  try {
    const body: unknown = JSON.parse(text);
    return body && typeof body === 'object' ? body : null;
  } catch {
    return null;
  }
}

function me<T>(edge: EdgeConnection, path: string, options: SendOptions = {}): Promise<T> {
  return send<T>(endpoint(edge.url, path), {
    timeout: edge.timeout,
    ...options,
    headers: edge.token ? { authorization: `Bearer ${edge.token}` } : {},
  });
}

/** `GET /v1/me`. */
export function getMe(edge: EdgeConnection, signal?: AbortSignal): Promise<EdgeProfile> {
  return me(edge, 'v1/me', { signal });
}

/** `PUT /v1/me` with allow-listed fields. */
export function updateMe(edge: EdgeConnection, update: EdgeProfileUpdate, signal?: AbortSignal): Promise<EdgeProfile> {
  return me(edge, 'v1/me', { method: 'PUT', json: update, signal });
}

/** `GET /v1/me/activities`, newest first; pass `startingAfterId` (a page's `more_starting_after`) for the next page. */
export function listMyActivities(
  edge: EdgeConnection,
  page: { limit?: number; startingAfterId?: string | undefined } = {},
  signal?: AbortSignal,
): Promise<EdgeActivityList> {
  const query = new URLSearchParams();
  if (page.limit) query.set('limit', String(page.limit));
  if (page.startingAfterId) query.set('starting_after_id', page.startingAfterId);
  const search = String(query);
  return me(edge, `v1/me/activities${search ? `?${search}` : ''}`, { signal });
}

/** `GET /v1/me/segments`. */
export function listMySegments(edge: EdgeConnection, signal?: AbortSignal): Promise<EdgeSegmentList> {
  return me(edge, 'v1/me/segments', { signal });
}

/** `GET /v1/me/consents`: definitions, this customer's decisions and the policy version they agreed to. */
export function getMyConsents(edge: EdgeConnection, signal?: AbortSignal): Promise<EdgeConsents> {
  return me(edge, 'v1/me/consents', { signal });
}

/** Options of a consents update: the policy version the choices were made under (recorded by the worker). */
export interface ConsentsUpdateOptions {
  policyVersion?: string | null | undefined;
  signal?: AbortSignal;
}

/** `?policy_version=…`, or nothing. */
const policyQuery = (version: string | null | undefined): string =>
  version ? `?${new URLSearchParams({ policy_version: version })}` : '';

/** `PUT /v1/me/consents[?policy_version=…]`: `{cnst_…: bool}` or `{unsubscribed: true}`. */
export function updateMyConsents(
  edge: EdgeConnection,
  consents: EdgeConsentsUpdate,
  options: ConsentsUpdateOptions = {},
): Promise<EdgeConsents> {
  return me(edge, `v1/me/consents${policyQuery(options.policyVersion)}`, {
    method: 'PUT',
    json: consents,
    signal: options.signal,
  });
}

/** `GET /v1/me/consents/history`: the customer's consent changes, oldest first (scope `consents:read`). */
export function getMyConsentHistory(edge: EdgeConnection, signal?: AbortSignal): Promise<EdgeConsentHistory> {
  return me(edge, 'v1/me/consents/history', { signal });
}

/**
 * `/preferences/<token>/consents…`: the routes of a preferences link (from a marketing email). The token in the path is
 * the credential: no session, no `Authorization` header (`edge.token` is not sent). An expired link answers 410
 * (`token_retired`), an invalid one 400 (`invalid_token`).
 */
function preferences<T>(edge: EdgeConnection, token: string, path: string, options: SendOptions = {}): Promise<T> {
  return send<T>(endpoint(edge.url, `preferences/${encodeURIComponent(token)}/consents${path}`), {
    timeout: edge.timeout,
    ...options,
  });
}

/** `GET /preferences/<token>/consents`: as `getMyConsents`, for the customer of a preferences link. */
export function getPreferenceConsents(
  edge: EdgeConnection,
  token: string,
  signal?: AbortSignal,
): Promise<EdgeConsents> {
  return preferences(edge, token, '', { signal });
}

/** `PUT /preferences/<token>/consents[?policy_version=…]`: as `updateMyConsents`, for the customer of a preferences link. */
export function updatePreferenceConsents(
  edge: EdgeConnection,
  token: string,
  consents: EdgeConsentsUpdate,
  options: ConsentsUpdateOptions = {},
): Promise<EdgeConsents> {
  return preferences(edge, token, policyQuery(options.policyVersion), {
    method: 'PUT',
    json: consents,
    signal: options.signal,
  });
}

/** `GET /preferences/<token>/consents/history`: as `getMyConsentHistory`, for the customer of a preferences link. */
export function getPreferenceConsentHistory(
  edge: EdgeConnection,
  token: string,
  signal?: AbortSignal,
): Promise<EdgeConsentHistory> {
  return preferences(edge, token, '/history', { signal });
}

/** `POST /v1/me/permanent-deletion`. */
export function deleteMe(edge: EdgeConnection, signal?: AbortSignal): Promise<EdgePermanentDeletion> {
  return me(edge, 'v1/me/permanent-deletion', { method: 'POST', signal });
}

/** `GET /v1/consents` (public, no session): Voucherify's own `ConsentsList` shape. */
export function listConsentDefinitions(edge: EdgeConnection, signal?: AbortSignal): Promise<ConsentsList> {
  return send(endpoint(edge.url, 'v1/consents'), { timeout: edge.timeout, signal });
}

function unsubscribeRoute(edge: EdgeConnection, token: string, undo: boolean, signal?: AbortSignal) {
  const path = `unsubscribe/${encodeURIComponent(token)}${undo ? '/undo' : ''}`;
  return send<EdgeUnsubscribeResult>(endpoint(edge.url, path), { method: 'POST', timeout: edge.timeout, signal });
}

/** `POST /unsubscribe/<token>`: opts the token's customer out of everything (idempotent). */
export function unsubscribe(edge: EdgeConnection, token: string, signal?: AbortSignal): Promise<EdgeUnsubscribeResult> {
  return unsubscribeRoute(edge, token, false, signal);
}

/** `POST /unsubscribe/<token>/undo`: restores the choices from before; a second undo is refused (409 `undo_used`). */
export function undoUnsubscribe(
  edge: EdgeConnection,
  token: string,
  signal?: AbortSignal,
): Promise<EdgeUnsubscribeResult> {
  return unsubscribeRoute(edge, token, true, signal);
}

/**
 * Voucherify's client-side consent endpoints, called straight from the page (no worker, no session) with the project's
 * publishable client keys. The names are those of `<vc-consent-panel>`'s attributes, so the element passes itself.
 */
export interface ClientSideConnection {
  /** Voucherify's API base URL (your cluster, or the emulator). */
  apiUrl: string;
  /** `X-Client-Application-Id` (sent empty when missing: Voucherify then refuses the call). */
  clientApplicationId?: string | undefined;
  /** `X-Client-Token`, the publishable client secret key (sent empty when missing). */
  clientToken?: string | undefined;
}

function clientSide<T>(client: ClientSideConnection, route: string, options: SendOptions = {}): Promise<T> {
  return send<T>(endpoint(client.apiUrl, route), {
    ...options,
    headers: {
      'x-client-application-id': client.clientApplicationId ?? '',
      'x-client-token': client.clientToken ?? '',
    },
  });
}

/** `GET /client/v1/consents`: the consent groups and consents, as Voucherify's `ConsentsList`. */
export function listClientSideConsents(client: ClientSideConnection, signal?: AbortSignal): Promise<ConsentsList> {
  return clientSide(client, 'client/v1/consents', { signal });
}

/** `PUT /client/v1/customers/{customer}/consents` (a `cust_…` or source id): `{cnst_…: bool}` or `{unsubscribed: true}`. */
export function updateClientSideConsents(
  client: ClientSideConnection,
  customer: string,
  consents: EdgeConsentsUpdate,
  signal?: AbortSignal,
): Promise<void> {
  return clientSide(client, path`client/v1/customers/${customer}/consents`, { method: 'PUT', json: consents, signal });
}
