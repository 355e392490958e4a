/**
 * Consents as the routes see them: the definitions (shared by an isolate's requests for a minute), a customer's
 * consents as the edge answers them, and the validation of what a client sends. The changes themselves are in
 * `consent-updates.ts`; where decisions are stored, in `consent-store.ts`.
 */
import { isVoucherifyError } from '../api/errors.js';
import type { ConsentsList, ConsentsUpdate, Customer } from '../api/types.js';
import type { EdgeConsentDefinitions, EdgeConsents } from '../api/edge-types.js';
import type { WorkerConfig } from './env.js';
import { invalidPayload, invalidQuery, onlyQueryParams } from './errors.js';
import type { UpstreamApi } from './secrets.js';
import { UNSUBSCRIBED, isObject, isUnsubscribed, policyVersionOf } from './consent-state.js';
import { consentStoreFor } from './consent-store.js';

/** What reading consents needs. */
export interface ConsentSource {
  api: UpstreamApi;
  config: WorkerConfig;
}

const DEFINITIONS_TTL_MS = 60_000;

const definitionsMemo = new Map<string, { at: number; value: ConsentsList }>();

/**
 * Consent definitions, shared by every request of this isolate for a minute. Only an answer is shared, never a call
 * under way: in workerd a fetch belongs to the request that started it, and once that request has been answered (an
 * error page while the definitions were still loading) its fetch never settles, so a later request awaiting the same
 * promise would wait for ever.
 */
export async function loadDefinitions(source: ConsentSource): Promise<ConsentsList> {
  const key = source.config.upstreamUrl;
  const memo = definitionsMemo.get(key);
  if (memo && Date.now() - memo.at < DEFINITIONS_TTL_MS) return memo.value;
  const value = await source.api.listConsents();
  definitionsMemo.set(key, { at: Date.now(), value });
  return value;
}

/** Voucherify's `ConsentsList`, re-built field by field (the public route answers exactly this shape). */
export function cleanConsentsList(list: ConsentsList): ConsentsList {
  const groups = Array.isArray(list?.groups?.data)
    ? list.groups.data.filter((group) => isObject(group) && typeof group.id === 'string')
    : [];
  const consents = Array.isArray(list?.consents?.data)
    ? list.consents.data.filter((consent) => isObject(consent) && typeof consent.id === 'string')
    : [];
  return {
    groups: {
      object: 'list',
      data_ref: 'data',
      total: groups.length,
      data: groups.map((group) => ({
        id: group.id,
        name: String(group.name ?? ''),
        description: String(group.description ?? ''),
        consents: Array.isArray(group.consents)
          ? group.consents.filter((id): id is string => typeof id === 'string')
          : [],
        created_at: String(group.created_at ?? ''),
        updated_at: typeof group.updated_at === 'string' ? group.updated_at : null,
        object: 'consent_group',
      })),
    },
    consents: {
      object: 'list',
      data_ref: 'data',
      total: consents.length,
      data: consents.map((consent) => ({
        id: consent.id,
        name: String(consent.name ?? ''),
        description: String(consent.description ?? ''),
        category: String(consent.category ?? ''),
        created_at: String(consent.created_at ?? ''),
        updated_at: typeof consent.updated_at === 'string' ? consent.updated_at : null,
        object: 'consent',
      })),
    },
  };
}

export function flattenDefinitions(list: ConsentsList): EdgeConsentDefinitions {
  const clean = cleanConsentsList(list);
  return {
    groups: clean.groups.data.map(({ id, name, description, consents }) => ({ id, name, description, consents })),
    consents: clean.consents.data.map(({ id, name, description, category }) => ({ id, name, description, category })),
  };
}

/** The ids of the defined consents. */
export function consentIds(list: ConsentsList): string[] {
  return flattenDefinitions(list).consents.map((consent) => consent.id);
}

export function edgeConsents(definitions: ConsentsList, customer: Customer, config: WorkerConfig): EdgeConsents {
  const state = consentStoreFor(config).read(customer);
  return {
    ...flattenDefinitions(definitions),
    state,
    unsubscribed: isUnsubscribed(state),
    policy_version: policyVersionOf(customer),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// What a client sends

/**
 * Validates a `PUT /v1/me/consents` body: `{cnst_…: boolean}` for defined consents, `unsubscribed: false` (clears
 * the opt-out flag) among them, or `{unsubscribed: true}` alone. Unknown consent ids are refused by name.
 */
export function parseConsentsUpdate(
  body: Record<string, unknown>,
  definitions: ConsentsList,
  options: { allowEmpty?: boolean } = {},
): ConsentsUpdate {
  const keys = Object.keys(body);
  if (keys.length === 0 && !options.allowEmpty)
    throw invalidPayload('The payload cannot be empty (send policy_version to record only the policy).');
  const known = new Set(consentIds(definitions));
  const notBoolean = keys.filter((key) => typeof body[key] !== 'boolean');
  if (notBoolean.length) throw invalidPayload(`Values must be true or false: ${notBoolean.join(', ')}.`);
  if (body[UNSUBSCRIBED] === true && keys.length > 1) {
    throw invalidPayload('unsubscribed: true opts out of everything and cannot be combined with other consents.');
  }
  const unknown = keys.filter((key) => key !== UNSUBSCRIBED && !known.has(key));
  if (unknown.length) throw invalidPayload(`Unknown consents: ${unknown.join(', ')}.`);
  return body as ConsentsUpdate;
}

const POLICY_VERSION = /^[A-Za-z0-9._:+-]{1,64}$/;

export function parsePolicyVersion(query: URLSearchParams): string | null {
  onlyQueryParams(query, ['policy_version']);
  const values = query.getAll('policy_version');
  if (values.length === 0) return null;
  if (values.length > 1 || !POLICY_VERSION.test(values[0]!)) {
    throw invalidQuery('policy_version must be given once, 1-64 characters of letters, digits and . _ : + -');
  }
  return values[0]!;
}

/** The customer by id or source id, or null when Voucherify has none (404); any other failure is thrown. */
export function findCustomer(api: UpstreamApi, idOrSourceId: string): Promise<Customer | null> {
  return api.getCustomer(idOrSourceId).catch((error: unknown) => {
    if (isVoucherifyError(error) && error.status === 404) return null;
    throw error;
  });
}
