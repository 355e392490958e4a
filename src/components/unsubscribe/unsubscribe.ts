import { msg } from '@lit/localize';
import { css, html, nothing } from 'lit';
import type { PropertyDeclarations, TemplateResult } from 'lit';
import { undoUnsubscribe, unsubscribe } from '../../api/edge.js';
import type { EdgeUnsubscribeResult } from '../../api/edge-types.js';
import { isVoucherifyError } from '../../api/errors.js';
import { VcErrorEvent, VcResubscribedEvent, VcUnsubscribedEvent } from '../events.js';
import { configError, describeError } from '../messages.js';
import { sharedStyles } from '../styles.js';
import { VcElement } from '../vc-element.js';

/** The token in the page URL: `?token=…`, else the segment after `/unsubscribe/`. */
export function tokenFromUrl(href: string): string | undefined {
  const url = new URL(href);
  const match = /\/unsubscribe\/([^/]+)/.exec(url.pathname);
  const token = url.searchParams.get('token') || (match && decodeURIComponent(match[1]!));
  return token || undefined;
}

/**
 * @summary One-click unsubscribe for marketing pages: one button opts the bearer of an unsubscribe token out of
 * everything through the edge worker, then offers undo (once) and a link to the full preferences.
 *
 * @tagname vc-unsubscribe
 *
 * @slot - Optional text shown above the button.
 *
 * @csspart base - The outer box.
 * @csspart message - The status message (ready, done, undone, error).
 * @csspart actions - The row of the button and the link.
 * @csspart button - Every button.
 * @csspart unsubscribe - The unsubscribe button.
 * @csspart undo - The undo (re-subscribe) button.
 * @csspart link - The link to the full preferences.
 *
 * @cssproperty --vc-unsubscribe-background - Background of the box (default `--vc-color-surface`).
 * @cssproperty --vc-unsubscribe-border-color - Border of the box (default `--vc-color-border`).
 * @cssproperty --vc-unsubscribe-padding - Padding of the box (default `--vc-space`).
 *
 * @fires {VcUnsubscribedEvent} vc-unsubscribed - The customer is unsubscribed: `{result}`.
 * @fires {VcResubscribedEvent} vc-resubscribed - The customer undid the unsubscribe: `{result}`.
 * @fires {VcErrorEvent} vc-error - A request failed: `{error, action: 'unsubscribe' | 'undo'}`.
 */
export class VcUnsubscribe extends VcElement {
  static override styles = [
    sharedStyles,
    css`
      :host {
        --_bg: var(--vc-unsubscribe-background, var(--_surface));
        --_line: var(--vc-unsubscribe-border-color, var(--_border));
        --_pad: var(--vc-unsubscribe-padding, var(--_space));
      }
      .actions {
        align-items: center;
      }
    `,
  ];
  // Within the size budget: reactive properties are declared here rather than with decorators, and internal members are
  // named `_like` (the script-tag bundles shorten such names; they cannot shorten TypeScript's `private` ones).
  static override properties: PropertyDeclarations = {
    token: {},
    workerUrl: { attribute: 'worker-url' },
    preferencesUrl: { attribute: 'preferences-url' },
    _phase: { state: true },
    _busy: { state: true },
    _result: { state: true },
    _error: { state: true },
  };

  /** The unsubscribe token; default: `?token=` or the `/unsubscribe/<token>` path of the page URL. */
  token?: string;
  /** The edge worker's base URL; default: the page's origin (the worker's own confirmation page). */
  workerUrl?: string;
  /** Where the customer manages every preference; overrides the worker's `preferences_url`. */
  preferencesUrl?: string;

  private _phase: '' | 'done' | 'undone' = '';
  private _busy = false;
  private _result?: EdgeUnsubscribeResult;
  private _error: unknown;

  private get _resolvedToken(): string | undefined {
    try {
      return this.token || tokenFromUrl(location.href);
    } catch {
      return undefined;
    }
  }

  /** Unsubscribes now (what the button does). Resolves `true` on success. */
  async unsubscribe(): Promise<boolean> {
    return this._call('unsubscribe');
  }

  /** Undoes the unsubscribe (once). Resolves `true` on success. */
  async undo(): Promise<boolean> {
    return this._call('undo');
  }

  private async _call(action: 'unsubscribe' | 'undo'): Promise<boolean> {
    if (this._busy) return false;
    this._busy = true;
    this._error = undefined;
    let ok = false;
    try {
      const token = this._resolvedToken;
      if (!token) throw configError('vc-unsubscribe needs a token attribute or ?token= in the page URL');
      const edge = { url: this.workerUrl || location.origin };
      const undo = action === 'undo';
      this._result = await (undo ? undoUnsubscribe : unsubscribe)(edge, token);
      this._phase = undo ? 'undone' : 'done';
      this.dispatchEvent(undo ? new VcResubscribedEvent(this._result) : new VcUnsubscribedEvent(this._result));
      ok = true;
    } catch (error) {
      this._error = error;
      if (this._result && isVoucherifyError(error) && error.status === 409)
        this._result = { ...this._result, undo_available: false };
      this.dispatchEvent(new VcErrorEvent(error, action));
    }
    this._busy = false;
    await this.updateComplete;
    // The button just pressed may be gone: move to the next thing to do, else to the message.
    for (const selector of ['button', 'a', '[part~=message]']) {
      const next = this.renderRoot.querySelector<HTMLElement>(selector);
      if (next) {
        next.focus();
        break;
      }
    }
    return ok;
  }

  protected override render(): TemplateResult {
    const { _phase: phase, _error: error, _busy: busy } = this;
    const status = isVoucherifyError(error) ? error.status : 0;
    const invalid =
      !this._resolvedToken || (status >= 400 && status < 500 && status !== 408 && status !== 409 && status !== 429);
    const link = this.preferencesUrl || this._result?.preferences_url;
    let message: unknown;
    if (invalid) message = msg('This unsubscribe link is invalid or has expired.');
    else if (status === 409) message = msg('Undo is no longer available for this link.');
    else if (error) message = html`${msg('That did not work.')} ${describeError(error)}`;
    else if (phase === 'done')
      message = msg('You have been unsubscribed. You will no longer receive marketing emails from us.');
    else if (phase === 'undone') message = msg('You are subscribed again. Your previous choices have been restored.');
    return html`<div part="base" class="base" aria-busy=${busy}>
      ${phase ? nothing : html`<slot></slot>`}
      <div role="status">
        ${
          message
            ? html`<p part="message" class=${error || invalid ? 'error' : 'ok'} tabindex="-1">${message}</p>`
            : nothing
        }
      </div>
      <div part="actions" class="actions">
        ${
          phase === '' && !invalid
            ? html`<button part="button unsubscribe" class="primary" @click=${this.unsubscribe}>
              ${busy ? msg('Unsubscribing…') : msg('Unsubscribe from marketing emails')}
            </button>`
            : nothing
        }
        ${
          phase === 'done' && this._result?.undo_available
            ? html`<button part="button undo" @click=${this.undo}>${busy ? msg('Undoing…') : msg('Undo')}</button>`
            : nothing
        }
        ${
          link && (phase || invalid)
            ? html`<a part="link" href=${link}>${msg('Manage all your preferences')}</a>`
            : nothing
        }
      </div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vc-unsubscribe': VcUnsubscribe;
  }
}
