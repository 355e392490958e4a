import { LitElement } from 'lit';
import type { PropertyDeclarations, PropertyValues } from 'lit';
import { VcErrorEvent, VcSessionExpiredEvent } from './events.js';
import type { VcErrorAction } from './events.js';
import { LocaleController } from './localization.js';
import { isExpired } from './messages.js';

/**
 * What every `vc-*` element shares: its language and theme, the design tokens it is styled with, how it reports a
 * failure, and when it tries a failed call again.
 *
 * @cssproperty --vc-color-text - Text (default `#1d1b20` light, `#e6e0e9` dark).
 * @cssproperty --vc-color-muted - Secondary text (default `#4f4b55` / `#c0bac6`).
 * @cssproperty --vc-color-surface - Background (default `#fff` / `#1d1b20`).
 * @cssproperty --vc-color-border - Borders and separators (default `#cac4d0` / `#49454f`).
 * @cssproperty --vc-color-control - Outlines of inputs and switches (default `#6f6a75` / `#938f99`).
 * @cssproperty --vc-color-accent - Buttons, links, switches that are on (default `#2851b5` / `#adc6ff`).
 * @cssproperty --vc-color-on-accent - Text on the accent color (default `#fff` / `#0f1d40`).
 * @cssproperty --vc-color-danger - Errors and destructive actions (default `#b3261e` / `#ffb4ab`).
 * @cssproperty --vc-color-success - Success messages (default `#1d6b34` / `#86d99d`).
 * @cssproperty --vc-color-focus - Focus ring (default: the accent color).
 * @cssproperty --vc-radius - Corner radius (default `0.5rem`).
 * @cssproperty --vc-space - Base spacing (default `1rem`).
 * @cssproperty --vc-font-family - Font (default: inherited from the page).
 * @cssproperty --vc-font-size - Base font size (default `1rem`).
 */
export class VcElement extends LitElement {
  // Declared here rather than with decorators: the single-element bundles then carry no decorator helper.
  static override properties: PropertyDeclarations = {
    locale: {},
    theme: { reflect: true },
  };

  /** Language of the texts (e.g. `de`, `pt-BR`); default: the nearest `lang`, then the browser's. */
  locale?: string;
  /** `light`, `dark` or `auto` (default: follows `prefers-color-scheme`). */
  theme?: 'light' | 'dark' | 'auto';

  /** @internal The locale shown (and the language tag dates and numbers are formatted for); read by render modules. */
  readonly _i18n = new LocaleController(this, () => this.locale);

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('online', this.#onOnline);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('online', this.#onOnline);
  }

  protected override willUpdate(changed: PropertyValues): void {
    // A fresh token replacing one (not the first one): what was refused as expired may now go through.
    if (changed.get('sessionToken')) this.retryFailed(false);
  }

  /**
   * Tries again, if it is worth it, what failed and may now succeed: `online`, the browser is back online; else the page
   * set a fresh session token. Nothing by default.
   */
  protected retryFailed(_online: boolean): void {}

  /** Reports a failure on `vc-error`, and a session token the worker refused on `vc-session-expired`. */
  protected fail(error: unknown, action: VcErrorAction): void {
    this.dispatchEvent(new VcErrorEvent(error, action));
    if (isExpired(error)) this.dispatchEvent(new VcSessionExpiredEvent());
  }

  readonly #onOnline = (): void => this.retryFailed(true);
}
