/**
 * Segments with simple rules (every `path equals value` must hold; a missing value counts as `null`), and the
 * membership index that `segment_id` filters read. Membership is re-evaluated after every change of a customer.
 */
import type { SimpleSegment } from '../api/types.js';
import type { SeedSegment } from './seed.js';

export type SegmentDefinition = SeedSegment;

type Getter = (view: Record<string, unknown>) => unknown;

/** Paths are split once per segment, not once per evaluation (segments are evaluated on every write). */
function compilePath(path: string): Getter {
  const parts = path.split('.');
  return (view) => {
    let current: unknown = view;
    for (const part of parts) {
      if (typeof current !== 'object' || current === null) return null;
      current = (current as Record<string, unknown>)[part];
    }
    return current ?? null;
  };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

const compiled = new WeakMap<SegmentDefinition, Array<{ get: Getter; equals: unknown }>>();

export function qualifies(segment: SegmentDefinition, view: Record<string, unknown>): boolean {
  let rules = compiled.get(segment);
  if (!rules)
    compiled.set(
      segment,
      (rules = segment.rules.map((rule) => ({ get: compilePath(rule.path), equals: rule.equals ?? null }))),
    );
  return rules.every((rule) => sameValue(rule.get(view), rule.equals));
}

export const renderSegment = (segment: SegmentDefinition): SimpleSegment => ({
  id: segment.id,
  name: segment.name,
  object: 'segment',
});

export class SegmentIndex {
  private readonly members = new Map<string, Set<string>>();
  private readonly byCustomer = new Map<string, Set<string>>();

  constructor(readonly definitions: readonly SegmentDefinition[]) {
    for (const segment of definitions) this.members.set(segment.id, new Set());
  }

  find(segmentId: string): SegmentDefinition | undefined {
    return this.definitions.find((segment) => segment.id === segmentId);
  }

  /** Segments a customer with this view belongs to (also the "would qualify" answer for unknown customers). */
  evaluate(view: Record<string, unknown>): SegmentDefinition[] {
    return this.definitions.filter((segment) => qualifies(segment, view));
  }

  /** Re-evaluates one customer; returns the segments it entered and left. */
  update(
    customerId: string,
    view: Record<string, unknown>,
  ): { entered: SegmentDefinition[]; left: SegmentDefinition[] } {
    const before = this.byCustomer.get(customerId) ?? new Set<string>();
    const now = this.evaluate(view);
    const after = new Set(now.map((segment) => segment.id));
    const entered = now.filter((segment) => !before.has(segment.id));
    const left = this.definitions.filter((segment) => before.has(segment.id) && !after.has(segment.id));
    for (const segment of entered) this.members.get(segment.id)?.add(customerId);
    for (const segment of left) this.members.get(segment.id)?.delete(customerId);
    if (after.size) this.byCustomer.set(customerId, after);
    else this.byCustomer.delete(customerId);
    return { entered, left };
  }

  /** Forgets a customer; returns how many memberships it had. */
  remove(customerId: string): number {
    const segments = this.byCustomer.get(customerId);
    if (!segments) return 0;
    for (const id of segments) this.members.get(id)?.delete(customerId);
    this.byCustomer.delete(customerId);
    return segments.size;
  }

  segmentsOf(customerId: string): SegmentDefinition[] {
    const ids = this.byCustomer.get(customerId);
    return ids ? this.definitions.filter((segment) => ids.has(segment.id)) : [];
  }

  membersOf(segmentId: string): ReadonlySet<string> {
    return this.members.get(segmentId) ?? new Set();
  }

  clear(): void {
    for (const set of this.members.values()) set.clear();
    this.byCustomer.clear();
  }
}
