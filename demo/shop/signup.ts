/**
 * The storefront's newsletter sign-up, with double opt-in: an email field and a form-associated
 * `<vc-consent-panel name="consents">`, whose JSON holds only what the person chose. The shop records nothing yet: it
 * mails a confirmation link (`confirmationLink()` from the kit), and the edge worker records the choices when the
 * person opens it and confirms. The answer is the same whether the address is known or not, so the form tells
 * nobody who is a customer, and a sign-up with someone else's address changes nothing of theirs.
 */
import { html } from 'hono/html';
import { confirmationLink, maskEmail, type LoadedKeys } from 'vc-consent/node';
import type { Outbox } from './emails.js';
import { layout } from './layout.js';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>.]{2,}$/u;

function parseChoices(raw: unknown): Record<string, boolean> | null {
  if (typeof raw !== 'string') return null;
  try {
    const value = JSON.parse(raw) as unknown;
    if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
    const entries = Object.entries(value as Record<string, unknown>);
    return entries.every(([, given]) => typeof given === 'boolean')
      ? (Object.fromEntries(entries) as Record<string, boolean>)
      : null;
  } catch {
    return null;
  }
}

export interface SignUpOptions {
  keys: LoadedKeys;
  outbox: Outbox;
  workerUrl: string;
  /** The consents' names by id, so the page names what the person chose (never the raw ids). */
  consentNames?: () => Promise<Map<string, string>>;
}

/** What the person chose, in words: "Newsletter: yes". A consent whose name cannot be read is named generically. */
async function choiceList(choices: Record<string, boolean>, consentNames: SignUpOptions['consentNames']) {
  const names = await consentNames?.().catch(() => undefined);
  const items = Object.entries(choices).map(
    ([id, given]) =>
      html`<li data-consent-id="${id}" data-given="${String(given)}">
        ${names?.get(id) ?? 'A consent'}: ${given ? 'yes' : 'no'}
      </li>`,
  );
  return html`<ul data-testid="received">
    ${items}
  </ul>`;
}

export async function signUp(form: Record<string, unknown>, { keys, outbox, workerUrl, consentNames }: SignUpOptions) {
  const email = typeof form.email === 'string' ? form.email.trim() : '';
  const choices = parseChoices(form.consents);
  const page = (title: string, body: ReturnType<typeof html>) => layout({ title, current: '/', body });
  const back = html`<p><a href="/">Back to the shop</a></p>`;
  if (!EMAIL.test(email) || !choices) {
    return page(
      'Sign-up failed',
      html`<h1>Sign-up failed</h1><p>Give a valid email address and your choices.</p>${back}`,
    );
  }
  // `unsubscribed` is not something to confirm: opting out needs no confirmation and is done from the emails.
  delete choices.unsubscribed;
  if (Object.keys(choices).length === 0) {
    return page(
      'Nothing to confirm',
      html`<h1>Nothing to confirm</h1><p>You did not choose anything, so we recorded nothing and will not write to you.</p>${back}`,
    );
  }
  const link = await confirmationLink(keys, email, choices, { publicUrl: workerUrl });
  outbox.add({
    kind: 'confirmation',
    to: email,
    subject: 'Please confirm your choices',
    confirmUrl: link.url,
    expiresAt: link.expiresAt,
    choices,
  });
  return page(
    'Check your inbox',
    html`<h1>Check your inbox</h1>
      <p>We sent a link to <strong>${maskEmail(email)}</strong>. Nothing is recorded until you open it and confirm; it works
        once, until ${new Date(link.expiresAt).toUTCString()}.</p>
      <h2>Your choices</h2>
      ${await choiceList(choices, consentNames)}
      <p>In this demo the email is on the <a href="/emails">Sent emails</a> page.</p>
      ${back}`,
  );
}
