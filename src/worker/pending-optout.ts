/**
 * What the preference center and the panel show while a one-click opt-out waits for Voucherify: the consents as they
 * will be once it is applied, with the decisions not stored upstream yet under `pending`.
 */
import type { ConsentDecision } from '../api/types.js';
import type { EdgeConsents } from '../api/edge-types.js';
import { UNSUBSCRIBED, nextState } from './consent-state.js';
import type { AppContext } from './context.js';
import { pendingOptOut } from './customer-object.js';

export interface EdgeConsentsWithPending extends EdgeConsents {
  /** Decisions the worker keeps and has not applied upstream yet (already shown in `state`); absent when none. */
  pending?: Record<string, ConsentDecision>;
}

/** `consents` with an opt-out clicked at `decidedAt` applied and marked pending (unchanged without one). */
export function withPendingOptOut(consents: EdgeConsents, decidedAt: string | null): EdgeConsentsWithPending {
  if (decidedAt === null || consents.unsubscribed) return consents;
  const ids = consents.consents.map((consent) => consent.id);
  return {
    ...consents,
    state: nextState(consents.state, { [UNSUBSCRIBED]: true }, ids, decidedAt),
    unsubscribed: true,
    pending: { [UNSUBSCRIBED]: { value: true, date: decidedAt } },
  };
}

/** The customer's consents as shown: with their pending one-click opt-out, if any (`customerId`: the `cust_…` id). */
export async function shownConsents(
  c: AppContext,
  customerId: string,
  consents: EdgeConsents,
): Promise<EdgeConsentsWithPending> {
  return withPendingOptOut(consents, await pendingOptOut(c, customerId));
}
