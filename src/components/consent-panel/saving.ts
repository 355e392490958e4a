/**
 * Saving the consent panel's changes: through the worker (which answers with what is stored) or Voucherify's
 * client-side endpoint (the panel works out what is stored), automatic retries of a failed save, and Undo after a
 * saved bulk action. A choice is never dropped: what a save that got no answer sent stays "unsure" until one succeeds.
 */
import { updateClientSideConsents, updateMyConsents, updatePreferenceConsents } from '../../api/edge.js';
import type { EdgeConsents } from '../../api/edge-types.js';
import { VcConsentSavedEvent } from '../events.js';
import type { ConsentChoices } from '../events.js';
import { isGone, isTransient } from '../messages.js';
import { sanitize } from './choices.js';
import type { VcConsentPanel } from './consent-panel.js';
import { readHistory } from './history.js';
import { changesOf, due, each, forget, notSetUp, viaLink, viaWorker } from './state.js';

/** Sends the changes now; resolves `true` once nothing is left to save. */
export async function send(p: VcConsentPanel): Promise<boolean> {
  clearTimeout(p._timer);
  const data = p._data!;
  const sent = changesOf(p);
  const worker = viaWorker(p);
  if (!due(p, sent)) {
    p._requested = false;
    p._status = 'none';
    return true;
  }
  const { _shown: shown, _optOut: optOut } = p;
  const panel = p.constructor as typeof VcConsentPanel;
  p._requested = true;
  p._unsure = { ...p._unsure, ...(sent.unsubscribed ? each(p, () => false) : {}), ...sent };
  p._status = 'saving';
  try {
    let state: EdgeConsents | undefined;
    let next: EdgeConsents;
    if (!(worker ? p.workerUrl : p.customer)) throw notSetUp();
    if (worker) {
      const options = { policyVersion: p.policyVersion };
      next = state = sanitize(
        await viaLink(
          p,
          (edge, token) => updatePreferenceConsents(edge, token, sent, options),
          (edge) => updateMyConsents(edge, sent, options),
        ),
      );
    } else {
      await updateClientSideConsents(p, p.customer!, sent);
      next = storedAfter(p, data, sent);
    }
    // Loaded again meanwhile (another customer): this answer is none of theirs.
    if (p._data !== data) return false;
    p._data = next;
    // A choice changed while this was under way stays as it is, unsaved; every other one shows what is stored now.
    p._shown = each(p, (id) => (p._shown[id] === shown[id] ? next.state[id]?.value : p._shown[id]));
    // An opt-out sent (or its undo) is what is stored now, unless the customer changed it meanwhile.
    if (p._optOut === optOut && 'unsubscribed' in sent) p._optOut = undefined;
    p._unsure = {};
    p._requested = false;
    p._agreedNow = p.policyVersion;
    p._note = [sent, new Date().toISOString()];
    p._status = Object.keys(changesOf(p)).length ? 'partial' : 'saved';
    if (p._prior) {
      p._undo = p._prior;
      p._prior = undefined;
      clearTimeout(p._undoTimer);
      p._undoTimer = setTimeout(() => (p._undo = undefined), panel.undoWindowMs);
    }
    p.dispatchEvent(new VcConsentSavedEvent(sent, state));
    void readHistory(p);
    if (p._again) {
      p._again = false;
      if (due(p, changesOf(p))) return send(p);
    }
    return true;
  } catch (error) {
    p._again = false;
    if (worker && isGone(error)) {
      forget(p);
      return false;
    }
    p.fail(error, 'save');
    const delay = panel.retryDelays[p._attempt++];
    if (isTransient(error) && delay !== undefined) {
      const asked = (error as { retryAfter?: number | null }).retryAfter ?? 0;
      p._timer = setTimeout(() => void send(p), Math.max(delay, asked * 1000));
    }
    return false;
  }
}

/** What is stored after a client-side save, as Voucherify applies it: opting out declines every consent, giving one ends it. */
function storedAfter(p: VcConsentPanel, data: EdgeConsents, sent: ConsentChoices): EdgeConsents {
  const date = new Date().toISOString();
  const written: ConsentChoices = sent.unsubscribed ? { ...each(p, () => false), unsubscribed: true } : { ...sent };
  if (Object.values(sent).includes(true) && data.state.unsubscribed?.value) written.unsubscribed = false;
  const stored = { ...data.state };
  for (const [id, value] of Object.entries(written)) stored[id] = { date, value };
  return { ...data, state: stored, unsubscribed: !!stored.unsubscribed?.value };
}
