/**
 * Loading the consent panel: the definitions and the customer's choices (through the worker, or the client-side or
 * public definitions), then the choices kept from before a reload, finishing a save the customer had asked for.
 */
import {
  getMyConsents,
  getPreferenceConsents,
  listClientSideConsents,
  listConsentDefinitions,
} from '../../api/edge.js';
import type { EdgeConsents } from '../../api/edge-types.js';
import type { ConsentChoices } from '../events.js';
import { isGone } from '../messages.js';
import { fromConsentsList, readKept, sanitize } from './choices.js';
import type { VcConsentPanel } from './consent-panel.js';
import { readHistory } from './history.js';
import { send } from './saving.js';
import { apply, changesOf, forget, linked, notSetUp, reset, storageKey, viaLink } from './state.js';

/** Loads the definitions and the customer's choices; a load under way is abandoned. */
export async function load(p: VcConsentPanel): Promise<void> {
  p._loading?.abort();
  const { signal } = (p._loading = new AbortController());
  clearTimeout(p._timer);
  p._data = p._loadError = p._records = undefined;
  p._reads++;
  p._gone = false;
  const { workerUrl, clientApplicationId, clientToken } = p;
  const readable = linked(p);
  try {
    let data: EdgeConsents;
    if (readable) {
      data = await viaLink(
        p,
        (edge, token) => getPreferenceConsents(edge, token, signal),
        (edge) => getMyConsents(edge, signal),
      );
    } else if (clientApplicationId && clientToken) {
      data = fromConsentsList(await listClientSideConsents(p, signal));
    } else if (workerUrl) {
      data = fromConsentsList(await listConsentDefinitions({ url: workerUrl }, signal));
    } else {
      throw notSetUp();
    }
    if (!signal.aborted) loaded(p, sanitize(data), readable);
  } catch (error) {
    if (signal.aborted) return;
    if (readable && isGone(error)) return forget(p);
    p._loadError = error;
    p.fail(error, 'load');
  }
}

function loaded(p: VcConsentPanel, data: EdgeConsents, readable: boolean): void {
  p._data = data;
  p._status = '';
  p._agreedNow = p._confirming = p._undo = p._prior = undefined;
  reset(p);
  if (p._preset) apply(p, p._preset);
  p._preset = undefined;
  // Choices kept from before a reload come back, unless what is stored changed since and not by a save of ours that
  // got no answer (someone else is newer).
  const kept = readKept(storageKey(p));
  const restore: ConsentChoices = {};
  for (const [id, [value, base, sent]] of Object.entries(kept?.changes ?? {})) {
    const now = data.state[id];
    const stored = now?.value ?? false;
    if (readable && ((base?.value ?? false) !== stored || base?.date !== now?.date) && sent !== stored) continue;
    restore[id] = value;
    if (sent !== undefined) p._unsure[id] = sent;
  }
  apply(p, restore);
  p._requested = !!kept?.save && Object.keys(changesOf(p)).length > 0;
  if (p._requested) {
    // The customer asked to save these before the page was reloaded: finish the job.
    p._attempt = 0;
    void p.updateComplete.then(() => send(p));
  }
  void readHistory(p);
}
