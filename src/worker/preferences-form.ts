/**
 * Reads the preference center's plain form. The form sends, per consent, its checkbox (present when ticked) and the
 * value it was rendered with (`shown.<id>` = 1 or 0); the update is `{id: ticked}` for the consents whose checkbox
 * differs from what was shown, and nothing else. So a consent changed elsewhere since the page was rendered, and not
 * touched on the page, is never rewritten.
 */
import type { ConsentsUpdate } from '../api/types.js';
import { invalidPayload } from './errors.js';
import { CHECKBOX_PREFIX, SHOWN_PREFIX } from './pages/preferences.js';

const CONSENT_ID = /^[A-Za-z0-9_-]{1,64}$/;
/** Fields a form may carry: two per consent, the proof and the button. */
const MAX_FIELDS = 402;

export interface PreferencesForm {
  /** `save`, or `unsubscribe` ("Unsubscribe from everything": the update is `{unsubscribed: true}`). */
  action: 'save' | 'unsubscribe';
  /**
   * Only what the person changed on the page: `{id: ticked}` where the checkbox differs from the value shown. The
   * route leaves out consents no longer defined (removed since the page was rendered).
   */
  changed: ConsentsUpdate;
  csrf: string | undefined;
}

/** Validates the fields and computes what changed; anything malformed is a 400 `invalid_payload`. */
export function readPreferencesForm(form: Map<string, string>): PreferencesForm {
  if (form.size > MAX_FIELDS) throw invalidPayload('The form has too many fields.');
  const action = form.get('action') ?? 'save';
  if (action !== 'save' && action !== 'unsubscribe') throw invalidPayload('action must be save or unsubscribe.');
  const shown = new Map<string, boolean>();
  const ticked = new Set<string>();
  const unknown: string[] = [];
  for (const [name, value] of form) {
    if (name === 'csrf' || name === 'action') continue;
    const [prefix, id] = name.startsWith(SHOWN_PREFIX)
      ? [SHOWN_PREFIX, name.slice(SHOWN_PREFIX.length)]
      : name.startsWith(CHECKBOX_PREFIX)
        ? [CHECKBOX_PREFIX, name.slice(CHECKBOX_PREFIX.length)]
        : [null, ''];
    if (!prefix || !CONSENT_ID.test(id) || id === 'unsubscribed') {
      unknown.push(name.slice(0, 80));
      continue;
    }
    if (prefix === SHOWN_PREFIX) {
      if (value !== '1' && value !== '0') throw invalidPayload(`${SHOWN_PREFIX}${id} must be 1 or 0.`);
      shown.set(id, value === '1');
    } else {
      if (value !== '1') throw invalidPayload(`${CHECKBOX_PREFIX}${id} must be 1 when ticked.`);
      ticked.add(id);
    }
  }
  if (unknown.length) throw invalidPayload(`Unknown form fields: ${unknown.join(', ')}.`);
  const orphans = [...ticked].filter((id) => !shown.has(id));
  if (orphans.length) throw invalidPayload(`Ticked consents without their shown value: ${orphans.join(', ')}.`);
  const changed: ConsentsUpdate = {};
  for (const [id, was] of shown) if (ticked.has(id) !== was) changed[id] = ticked.has(id);
  return { action, changed, csrf: form.get('csrf') };
}
