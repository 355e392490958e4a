/**
 * The storefront's newsletter sign-up: an email field and a form-associated `<vc-consent-panel name="consents">`.
 * The shop's server receives the choices as JSON under the panel's name, creates (upserts) the customer and records
 * the consents — all through the edge worker's admin routes, as a shop backend without Voucherify's keys would.
 */
import { html } from 'hono/html';
import { isVoucherifyError, type CustomersServerApi } from '../../src/api/index.js';
import type { ConsentsUpdate } from '../../src/api/types.js';
import { layout } from './layout.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function parseChoices(raw: unknown): ConsentsUpdate | null {
  if (typeof raw !== 'string') return null;
  try {
    const value = JSON.parse(raw) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.every(([, given]) => typeof given === 'boolean') ? Object.fromEntries(entries) as ConsentsUpdate : null;
  } catch {
    return null;
  }
}

export async function signUp(api: CustomersServerApi, form: Record<string, unknown>) {
  const email = typeof form.email === 'string' ? form.email.trim() : '';
  const choices = parseChoices(form.consents);
  const page = (title: string, body: ReturnType<typeof html>) => layout({ title, current: '/', body });
  if (!EMAIL.test(email) || !choices) {
    return page('Sign-up failed', html`<h1>Sign-up failed</h1><p>Give a valid email address and your choices.</p><p><a href="/">Back to the shop</a></p>`);
  }
  try {
    const customer = await api.createCustomer({ source_id: email, email });
    // Voucherify refuses an empty consent map; nothing chosen means nothing to record.
    if (Object.keys(choices).length) await api.updateCustomersConsents(customer.id, choices);
    const given = Object.entries(choices).filter(([, value]) => value).map(([id]) => id);
    return page(
      'Welcome',
      html`<h1>Welcome!</h1>
        <p>We created your customer profile (<code>${customer.id}</code>) and recorded your choices:</p>
        <pre data-testid="received">${JSON.stringify(choices, null, 2)}</pre>
        <p>${given.length ? `${given.length} consent(s) given.` : 'No consent given: we will not send you marketing.'}</p>
        <p><a href="/">Back to the shop</a></p>`,
    );
  } catch (error) {
    const reason = isVoucherifyError(error) ? error.message : 'unexpected error';
    return page('Sign-up failed', html`<h1>Sign-up failed</h1><p>We could not save your sign-up: ${reason}. Please try again.</p><p><a href="/">Back to the shop</a></p>`);
  }
}
