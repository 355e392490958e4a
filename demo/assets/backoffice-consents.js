// The consent definitions (Voucherify's `GET /v1/consents`, through the worker) and how the back office shows one
// customer's decision: in words, with an icon and a date, never by colour alone.
import { api } from './backoffice-ui.js';

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** The definitions, in the order Voucherify lists them. */
export async function loadConsentDefinitions() {
  const { consents } = await api('/consents');
  return consents.data.map(({ id, name, category }) => ({ id, name, category }));
}

/**
 * One consent's decision in `state` (the customer's `consent_state`, as the shop server read it): its own entry, or
 * the opt-out of everything, or nothing yet.
 */
export function decisionOf(state, consentId) {
  const own = state?.[consentId];
  if (own) return { ...own, optOut: false };
  const optOut = state?.unsubscribed;
  return optOut?.value ? { value: false, date: optOut.date, optOut: true } : null;
}

const STATES = {
  given: { icon: '✓', text: 'Given' },
  withdrawn: { icon: '✕', text: 'Withdrawn' },
  optOut: { icon: '✕', text: 'Opted out' },
  never: { icon: '–', text: 'Never asked' },
};

function stateKey(decision) {
  if (!decision) return 'never';
  if (decision.value) return 'given';
  return decision.optOut ? 'optOut' : 'withdrawn';
}

/** "Given 12 Mar 2024": the state in words (with an icon hidden from screen readers) and the decision's date. */
export function decisionContent(decision) {
  const key = stateKey(decision);
  const wrap = document.createElement('span');
  wrap.className = `consent-state consent-${key}`;
  const icon = document.createElement('span');
  icon.className = 'consent-icon';
  icon.setAttribute('aria-hidden', 'true');
  icon.textContent = STATES[key].icon;
  const label = document.createElement('span');
  label.className = 'consent-label';
  const text = document.createElement('span');
  text.textContent = STATES[key].text;
  label.append(icon, text);
  wrap.append(label);
  if (decision?.date) {
    const time = document.createElement('time');
    time.dateTime = decision.date;
    time.textContent = dateOnly.format(new Date(decision.date));
    wrap.append(' ', time);
  }
  return wrap;
}

/** A table cell per definition, for the customers list. */
export function consentCells(definitions, customer) {
  return definitions.map((definition) => {
    const td = document.createElement('td');
    td.className = 'consent-cell';
    td.append(decisionContent(decisionOf(customer.consent_state, definition.id)));
    return td;
  });
}
