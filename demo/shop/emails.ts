/**
 * The "sent emails" page: the marketing email a shop would send, with the RFC 8058 headers and the body links (the
 * unsubscribe landing page, the preference center) minted by the kit's helpers exactly as a real mailer integration
 * would mint them.
 */
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import { DEMO_CUSTOMERS } from 'vc-consent/emulator';
import { preferencesLink, unsubscribeLink, type LoadedKeys } from 'vc-consent/node';
import type { DemoCustomerKey } from './sessions.js';
import { layout } from './layout.js';

/** A double opt-in mail the sign-up sent: its link confirms the choices. */
export interface ConfirmationEmail {
  kind: 'confirmation';
  to: string;
  subject: string;
  confirmUrl: string;
  expiresAt: string;
  choices: Record<string, boolean>;
}

/** The mails the demo shop "sent" (newest first, the last 20), shown on the sent-emails page instead of delivered. */
export class Outbox {
  readonly #mails: ConfirmationEmail[] = [];

  add(mail: ConfirmationEmail): void {
    this.#mails.unshift(mail);
    this.#mails.length = Math.min(this.#mails.length, 20);
  }

  get mails(): readonly ConfirmationEmail[] {
    return this.#mails;
  }
}

export interface SentEmail {
  to: string;
  subject: string;
  headers: Array<[string, string]>;
  unsubscribeUrl: string;
  landingUrl: string;
  preferencesUrl: string;
}

export async function composeEmail(
  keys: LoadedKeys,
  customer: DemoCustomerKey,
  urls: { workerUrl: string; demoUrl: string },
): Promise<SentEmail> {
  const person = DEMO_CUSTOMERS[customer];
  const link = await unsubscribeLink(keys, person.id, {
    publicUrl: urls.workerUrl,
    mailto: 'unsubscribe@shop.example',
  });
  // "Manage your preferences": the worker's preference center for this recipient, no sign-in (works for 60 days).
  const preferences = await preferencesLink(keys, person.id, { publicUrl: urls.workerUrl });
  return {
    to: person.email,
    subject: 'Spring collection: 20% off for newsletter readers',
    headers: [
      ['From', 'Demo Shop <news@shop.example>'],
      ['To', person.email],
      ['Subject', 'Spring collection: 20% off for newsletter readers'],
      ['List-Unsubscribe', link.headers['List-Unsubscribe']],
      ['List-Unsubscribe-Post', link.headers['List-Unsubscribe-Post']],
    ],
    unsubscribeUrl: link.url,
    landingUrl: `${urls.demoUrl}/unsubscribe.html?token=${encodeURIComponent(link.token)}`,
    preferencesUrl: preferences.url,
  };
}

function confirmationArticle(mail: ConfirmationEmail, index: number) {
  return html`<article class="email" aria-labelledby="confirmation-${index}">
    <h2 id="confirmation-${index}">${mail.subject} <small>to ${mail.to}</small></h2>
    <div class="email-body">
      <p>Hello,</p>
      <p>Someone, hopefully you, signed up with this address. Nothing is recorded until you confirm:</p>
      <p><a href="${mail.confirmUrl}" data-testid="confirm-link">Confirm my choices</a></p>
      <p class="email-footer">The link works once, until ${new Date(mail.expiresAt).toUTCString()}. If it was not you, ignore this
        email: nothing changes.</p>
    </div>
  </article>`;
}

export function emailsPage(
  email: SentEmail,
  customer: DemoCustomerKey,
  outbox: Outbox,
): Promise<HtmlEscapedString> | HtmlEscapedString {
  const options = (Object.keys(DEMO_CUSTOMERS) as DemoCustomerKey[]).map(
    (key) => html`<option value="${key}" ${key === customer ? 'selected' : ''}>${DEMO_CUSTOMERS[key].name}</option>`,
  );
  return layout({
    title: 'Sent emails',
    current: '/emails',
    body: html`
      <h1>Sent emails</h1>
      ${
        outbox.mails.length
          ? html`<h2>Sign-up confirmations</h2>
            <p>Double opt-in: the storefront's sign-up form records nothing until the person confirms.</p>
            ${outbox.mails.map(confirmationArticle)}
            <h2>Marketing</h2>`
          : ''
      }
      <p>
        The last marketing email the shop sent, as the recipient's mailbox provider receives it. Its headers carry a
        one-click unsubscribe link (RFC 8058) that the provider POSTs to; the body links to the landing page with
        <code>&lt;vc-unsubscribe&gt;</code> and to the worker's preference center, where the recipient manages every
        choice without signing in. Each view mints fresh links.
      </p>
      <form class="inline" method="get" action="/emails">
        <label for="customer">Recipient</label>
        <select id="customer" name="customer">${options}</select>
        <button type="submit">Show</button>
      </form>
      <article class="email" aria-labelledby="email-subject">
        <h2 id="email-subject">${email.subject}</h2>
        <h3>Headers</h3>
        <pre class="headers" data-testid="headers">${email.headers.map(([name, value]) => `${name}: ${value}\n`).join('')}</pre>
        <h3>Body</h3>
        <div class="email-body">
          <p>Hello ${email.to},</p>
          <p>Our spring collection is here, and newsletter readers get 20% off this week.</p>
          <p class="email-footer">
            You receive this email because you subscribed to our newsletter.
            <a href="${email.landingUrl}" data-testid="body-unsubscribe">Unsubscribe</a> ·
            <a href="${email.preferencesUrl}" data-testid="body-preferences">Manage your preferences</a>
          </p>
        </div>
      </article>
    `,
  });
}
