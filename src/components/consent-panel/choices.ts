/**
 * Small pure helpers of the consent panel: reading consent definitions defensively, comparing policy versions, and
 * keeping unsaved choices in `sessionStorage` so a reload does not drop them.
 */
import type { EdgeConsents } from '../../api/edge-types.js';
import type { ConsentDecision, ConsentsList, ConsentsUpdate } from '../../api/types.js';

const list = <T>(value: unknown): T[] => (Array.isArray(value) ? (value as T[]) : []);

/** Voucherify's `ConsentsList` (client API or the worker's public route) as the flat shape `/v1/me/consents` uses. */
export function fromConsentsList(body: Partial<ConsentsList> | undefined): EdgeConsents {
  return {
    groups: list(body?.groups?.data),
    consents: list(body?.consents?.data),
    state: {},
    unsubscribed: false,
  };
}

/** Keeps only well-formed entries, so an unexpected answer renders as "nothing to choose" rather than throwing. */
export function sanitize(data: EdgeConsents): EdgeConsents {
  const ok = (item: { id?: unknown; name?: unknown }) => typeof item?.id === 'string' && typeof item.name === 'string';
  return {
    ...data,
    groups: list<EdgeConsents['groups'][number]>(data?.groups)
      .filter(ok)
      .map((group) => ({ ...group, consents: list(group.consents) })),
    consents: list<EdgeConsents['consents'][number]>(data?.consents).filter(ok),
    state: data?.state && typeof data.state === 'object' ? data.state : {},
  };
}

/** Whether policy version `agreed` is older than `current`, comparing numbers as numbers (`1.9` < `1.10`). */
export const isOlder = (agreed: string, current: string): boolean =>
  agreed.localeCompare(current, 'en', { numeric: true }) < 0;

/**
 * Unsaved choices kept for a customer (format 2): each change (`{cnst_…: value}` or `{unsubscribed: bool}`) with the
 * stored decision it was made against (`null`: none known; for `unsubscribed`, the stored flag) and, when a save that
 * got no answer sent it, the value sent (it may have been written); whether the customer asked to save them (Save, or
 * a confirmed bulk action, until it succeeds); and when this was written.
 */
export interface KeptChoices {
  v: 2;
  at: string;
  save: boolean;
  changes: Record<string, [value: boolean, base: ConsentDecision | null, sent?: boolean]>;
}

/** What was changed against `data`'s stored state (and `unsure`: sent without an answer), in the kept format. */
export const keep = (
  changes: ConsentsUpdate,
  data: EdgeConsents,
  save: boolean,
  unsure: ConsentsUpdate,
): KeptChoices => ({
  v: 2,
  at: new Date().toISOString(),
  save,
  changes: Object.fromEntries(
    Object.entries(changes).map(([id, value]) => [
      id,
      id in unsure ? [value, data.state[id] ?? null, unsure[id]!] : [value, data.state[id] ?? null],
    ]),
  ),
});

/**
 * Runs `use` on the storage key of a customer's kept choices. Storage may be unavailable (privacy settings, sandboxed
 * frames): the choices then stay on screen only.
 */
function kept<T>(customer: string | undefined, use: (key: string) => T): T | undefined {
  if (!customer) return undefined;
  try {
    return use(`vc-consent-pending:${customer}`);
  } catch {
    // Nothing kept, or nothing readable.
    return undefined;
  }
}

/** The unsaved choices kept for a customer; an entry of another format is dropped. */
export const readKept = (customer: string | undefined): KeptChoices | undefined =>
  kept(customer, (key) => {
    const value = JSON.parse(sessionStorage.getItem(key)!) as KeptChoices | null;
    if (value?.v === 2 && value.changes) return value;
    sessionStorage.removeItem(key);
    return undefined;
  });

/** Keeps a customer's unsaved choices for a reload. */
export const saveKept = (customer: string | undefined, value: KeptChoices): void =>
  kept(customer, (key) => sessionStorage.setItem(key, JSON.stringify(value)));

/** Forgets a customer's kept choices: all is saved, or the customer is gone. */
export const clearKept = (customer: string | undefined): void =>
  kept(customer, (key) => sessionStorage.removeItem(key));
