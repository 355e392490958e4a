/**
 * The consent panel's state as functions of the element: how it reaches the customer's choices, what the customer
 * changed, what the panel may do, and the changes of what is shown. The element holds the state; its other modules
 * (loading, saving, actions, rendering) share these.
 */
import type { EdgeConnection } from '../../api/edge.js';
import { VcConsentChangeEvent } from '../events.js';
import type { ConsentChoices } from '../events.js';
import { configError } from '../messages.js';
import { subjectOf } from '../session.js';
import { clearKept, isOlder } from './choices.js';
import type { VcConsentPanel } from './consent-panel.js';

/** The visible choice of each consent; `undefined`: not chosen yet. */
export type Shown = Record<string, boolean | undefined>;
/** The visible choices and the opt-out request before a bulk action, and whether it was "accept all". */
export type Before = [shown: Shown, optedOut: boolean, all: boolean];

type Panel = VcConsentPanel;

/** A value for each consent shown. */
export const each = <T>(p: Panel, value: (id: string) => T): Record<string, T> =>
  Object.fromEntries((p._data?.consents ?? []).map(({ id }) => [id, value(id)]));

/** The token the worker knows the customer by: the preferences link's, else the session's. */
export const tokenOf = (p: Panel): string | undefined => p.preferencesToken || p.sessionToken;

/** Whose unsaved choices are kept for a reload. */
export const storageKey = (p: Panel): string | undefined => p.customer || subjectOf(tokenOf(p));

/** The customer's own choices can be read (and saved) through the worker: signed in, or with a preferences link. */
export const linked = (p: Panel): boolean => !!(p.workerUrl && tokenOf(p));

/** A call through the worker: the preferences link's route when there is one, else the session's. */
export function viaLink<T>(
  p: Panel,
  link: (edge: EdgeConnection, token: string) => Promise<T>,
  session: (edge: EdgeConnection) => Promise<T>,
): Promise<T> {
  const edge = { url: p.workerUrl!, token: p.sessionToken };
  return p.preferencesToken ? link(edge, p.preferencesToken) : session(edge);
}

/** A named control of a form: the form submits the changes and saves them. */
export const formMode = (p: Panel): boolean => !!p.name && !!p.form;

export const viaWorker = (p: Panel): boolean => (p.saveVia ? p.saveVia === 'worker' : linked(p));

/** Outside a form, with no way to save: the choices are shown, not offered. */
export const readOnly = (p: Panel): boolean =>
  !formMode(p) && !(viaWorker(p) ? linked(p) : p.clientApplicationId && p.clientToken && p.customer);

/** Every control is disabled. */
export const off = (p: Panel): boolean => p.disabled || p._formDisabled || p._gone || readOnly(p);

export const notSetUp = (): Error =>
  configError('vc-consent-panel needs worker-url or client keys (and session-token or customer to save)');

/** What the customer changed, as the API takes it (see the element's `value`). */
export function changesOf(p: Panel): ConsentChoices {
  const { _data: data, _shown: shown, _optOut: optOut, _unsure: unsure } = p;
  if (!data) return {};
  if (optOut && (!data.unsubscribed || 'unsubscribed' in unsure)) return { unsubscribed: true };
  const changes: ConsentChoices = {};
  for (const { id } of data.consents) {
    const value = shown[id];
    if (id in unsure || (value !== undefined && value !== data.state[id]?.value)) changes[id] = !!value;
  }
  if (optOut === false && (data.unsubscribed || 'unsubscribed' in unsure)) changes.unsubscribed = false;
  return changes;
}

/** Opted out of everything, as shown: asked for, or stored with no consent turned on since. */
export const shownOut = (p: Panel): boolean =>
  p._optOut ?? (!!p._data?.unsubscribed && !Object.values(p._shown).includes(true));

/**
 * A newer policy than the customer agreed to (or none recorded for their choices): they are asked to review. Not
 * someone who opted out of everything and turned nothing on since: they receive nothing the policy could cover.
 */
export function review(p: Panel): boolean {
  const data = p._data!;
  const agreed = p._agreedNow ?? p.agreedPolicyVersion ?? data.policy_version;
  const out = data.unsubscribed && !data.consents.some(({ id }) => data.state[id]?.value);
  return !!p.policyVersion && !out && (agreed ? isOlder(agreed, p.policyVersion) : Object.keys(data.state).length > 0);
}

/** Something to send: changes, or (through the worker) a policy review to record. */
export const due = (p: Panel, changes: ConsentChoices): boolean =>
  Object.keys(changes).length > 0 || (viaWorker(p) && review(p));

/** The visible choices back to what is stored. */
export function reset(p: Panel): void {
  const data = p._data;
  p._optOut = undefined;
  p._unsure = {};
  p._shown = each(p, (id) => data!.state[id]?.value);
}

/** Sets the visible choices of the keys given; `{unsubscribed: true}` asks to opt out of everything. */
export function apply(p: Panel, value: ConsentChoices): void {
  const out = value.unsubscribed === true;
  const shown = { ...p._shown };
  for (const { id } of p._data!.consents) {
    const choice = out || value[id];
    if (typeof choice === 'boolean') shown[id] = !out && choice;
    if (choice === true && !out) p._optOut = undefined;
  }
  if (out) p._optOut = true;
  else if (value.unsubscribed === false) p._optOut = false;
  p._shown = shown;
}

/** Leaves a saving or failing status alone; any other goes once the customer does something else. */
export function quiet(p: Panel): void {
  if (p._status !== 'saving' && p._status !== 'error') p._status = '';
}

/** The customer changed the visible choices (`consentId` `null`: a bulk action). */
export function change(
  p: Panel,
  consentId: string | null,
  value: boolean,
  shown: Shown,
  optOut: boolean | undefined,
): void {
  p._shown = shown;
  p._optOut = optOut;
  p._confirming = p._undo = p._prior = undefined;
  quiet(p);
  p.dispatchEvent(new VcConsentChangeEvent(consentId, value, changesOf(p)));
}

/** The customer no longer exists: nothing is kept, retried or offered any more. */
export function forget(p: Panel): void {
  clearKept(storageKey(p));
  clearTimeout(p._timer);
  clearTimeout(p._undoTimer);
  p._gone = true;
  p._status = '';
  p._requested = false;
  // Nor is its history shown (a read under way is ignored).
  p._reads++;
  p._confirming = p._undo = p._prior = p._records = undefined;
  reset(p);
}
