/**
 * Small pure helpers of the consent panel: reading consent definitions defensively, comparing policy versions, and
 * keeping unsaved choices in `sessionStorage` so a reload does not drop them.
 */
import type { EdgeConsents } from '../../api/edge-types.js';
import type { ConsentsList } from '../../api/types.js';

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

/** Reads, writes (`value`) or clears (`null`) the unsaved choices kept for a customer; storage may be unavailable. */
export function pending(key: string | undefined, value?: Record<string, boolean> | null): Record<string, boolean> | undefined {
  if (!key) return undefined;
  key = `vc-consent-pending:${key}`;
  try {
    if (value === null) sessionStorage.removeItem(key);
    else if (value) sessionStorage.setItem(key, JSON.stringify(value));
    else return JSON.parse(sessionStorage.getItem(key) ?? 'null') ?? undefined;
  } catch {
    // Storage disabled (privacy settings, sandboxed frames): the choices stay on screen, only a reload loses them.
  }
  return undefined;
}
