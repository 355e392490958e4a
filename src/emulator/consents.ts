/**
 * Consent definitions (groups `cnstgr_…`, consents `cnst_…`) and how a consent update changes a customer's
 * `system_metadata.consents`.
 */
import type { ConsentsList, CustomerConsentsState, SimpleConsent } from '../api/types.js';
import { invalidPayload } from './errors.js';
import type { SeedConsent, SeedConsentGroup } from './seed.js';
import { describe, isPlainObject } from './validation.js';

export const UNSUBSCRIBED = 'unsubscribed';
const DEFINITIONS_CREATED_AT = '2024-03-01T09:00:00.000Z';

export class ConsentCatalog {
  private readonly byId: Map<string, SeedConsent>;

  constructor(
    readonly consents: readonly SeedConsent[],
    readonly groups: readonly SeedConsentGroup[],
  ) {
    this.byId = new Map(consents.map((consent) => [consent.id, consent]));
  }

  has(id: string): boolean {
    return this.byId.has(id);
  }

  simple(id: string): SimpleConsent {
    return { id, name: this.byId.get(id)?.name ?? id, object: 'consent' };
  }

  render(): ConsentsList {
    return {
      groups: {
        object: 'list',
        data_ref: 'data',
        total: this.groups.length,
        data: this.groups.map((group) => ({
          id: group.id,
          name: group.name,
          description: group.description,
          consents: [...group.consents],
          created_at: group.created_at ?? DEFINITIONS_CREATED_AT,
          updated_at: null,
          object: 'consent_group' as const,
        })),
      },
      consents: {
        object: 'list',
        data_ref: 'data',
        total: this.consents.length,
        data: this.consents.map((consent) => ({
          id: consent.id,
          name: consent.name,
          description: consent.description,
          category: consent.category,
          created_at: consent.created_at ?? DEFINITIONS_CREATED_AT,
          updated_at: null,
          object: 'consent' as const,
        })),
      },
    };
  }

  /** `{<cnst_id>|unsubscribed: boolean}`, not empty, every id defined. */
  validate(body: unknown): Record<string, boolean> {
    if (!isPlainObject(body))
      throw invalidPayload(
        `The payload must be an object of consent ids and booleans (actual value is ${describe(body)})`,
      );
    const entries = Object.entries(body);
    if (entries.length === 0) throw invalidPayload('The payload cannot be empty');
    for (const [id, value] of entries) {
      if (id !== UNSUBSCRIBED && !this.byId.has(id)) throw invalidPayload(`${id}: consent does not exist`);
      if (typeof value !== 'boolean')
        throw invalidPayload(`${id}: must be a boolean (actual value is ${describe(value)})`);
    }
    return body as Record<string, boolean>;
  }

  /**
   * Applies decisions at `date`. `unsubscribed: true` opts out of every consent; giving any consent clears the
   * opt-out; `unsubscribed: false` only clears the flag. Every decision sent is (re)written with `date`; `given` and
   * `revoked` list only consents whose value changed (an absent consent set to false counts as revoked).
   */
  apply(
    state: Readonly<CustomerConsentsState> | undefined,
    decisions: Record<string, boolean>,
    date: string,
  ): { state: CustomerConsentsState; given: string[]; revoked: string[] } {
    const next: CustomerConsentsState = { ...state };
    const written: Record<string, boolean> = {};
    if (decisions[UNSUBSCRIBED] === true) {
      written[UNSUBSCRIBED] = true;
      for (const consent of this.consents) written[consent.id] = false;
    } else {
      for (const [id, value] of Object.entries(decisions)) written[id] = value;
      const givesAny = Object.entries(decisions).some(([id, value]) => id !== UNSUBSCRIBED && value);
      if (givesAny && state?.[UNSUBSCRIBED]?.value === true) written[UNSUBSCRIBED] = false;
    }
    const given: string[] = [];
    const revoked: string[] = [];
    for (const [id, value] of Object.entries(written)) {
      const before = state?.[id]?.value;
      next[id] = { date, value };
      if (id === UNSUBSCRIBED || before === value) continue;
      (value ? given : revoked).push(id);
    }
    return { state: next, given, revoked };
  }
}
