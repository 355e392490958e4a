import { msg } from '@lit/localize';
import type { PropertyValues, TemplateResult } from 'lit';
import { VcConsentSaveEvent } from '../events.js';
import type { ConsentChoices, VcErrorAction } from '../events.js';
import { isExpired, isTransient } from '../messages.js';
import { sessionKey, subjectOf } from '../session.js';
import { labelsAttribute } from '../labels.js';
import type { Labels } from '../labels.js';
import { holdRoom } from '../room.js';
import { sharedStyles, skeletonStyles, switchStyles } from '../styles.js';
import { clearKept, keep, saveKept } from './choices.js';
import { styles } from './consent-panel.styles.js';
import { readHistory } from './history.js';
import { load } from './loading.js';
import { ConsentPanelBase } from './panel-base.js';
import { renderPanel } from './render.js';
import { send } from './saving.js';
import { apply, changesOf, due, forget, formMode, linked, readOnly, reset, storageKey, tokenOf } from './state.js';

/**
 * @summary The preference center: the customer's marketing consents, grouped, each a labelled switch, with "accept
 * all", "opt out of everything" (both confirmed, then undoable) and save. Sends only what the customer changed, through
 * the edge worker (signed in, or from a preferences link in an email) or Voucherify's client-side consents endpoint;
 * marks unsaved choices, retries failed saves and never drops a choice. With `history`, shows under each consent how it
 * last changed. Form-associated.
 *
 * @tagname vc-consent-panel
 *
 * @slot - Optional introduction shown above the choices.
 *
 * @csspart base - The outer box: a region named by its heading.
 * @csspart heading - The panel's heading (`heading`, at level `heading-level`).
 * @csspart skeleton - What shows while the choices load: grey bars in the room the panel took when last shown.
 * @csspart notice - The "our policy changed" prompt.
 * @csspart policy-link - The notice's link to the policy (`policy-url`).
 * @csspart group - A fieldset holding one consent group.
 * @csspart legend - A group's name.
 * @csspart group-description - A group's description.
 * @csspart consent - One consent's row.
 * @csspart unsaved - A consent's row whose choice is not saved yet (together with `consent`).
 * @csspart mark - The "Unsaved" mark of such a row.
 * @csspart history - A consent's last changes (with `history`); the one below the buttons is the opt-out's.
 * @csspart switch - A consent's on/off switch (a checkbox with `role="switch"`).
 * @csspart label - A consent's name.
 * @csspart description - A consent's description and decision date.
 * @csspart actions - The row of buttons.
 * @csspart button - Every button.
 * @csspart accept-all - The "accept all" button.
 * @csspart opt-out - The "opt out of everything" button.
 * @csspart save - The save button (hidden when the panel is a named control of a form).
 * @csspart retry - The "try again" button shown after a failure.
 * @csspart confirmation - What "accept all" or "opt out of everything" will change, with Confirm and Cancel.
 * @csspart confirm - The Confirm button of a bulk action.
 * @csspart cancel - The Cancel button of a bulk action.
 * @csspart undo - The Undo button offered after a bulk action was saved.
 * @csspart status - The live status line.
 *
 * @cssproperty --vc-consent-panel-background - Background of the box (default `--vc-color-surface`).
 * @cssproperty --vc-consent-panel-border-color - Borders of the box and between consents (default `--vc-color-border`).
 * @cssproperty --vc-consent-panel-padding - Padding of the box (default `--vc-space`).
 * @cssproperty --vc-consent-panel-switch-color - A switch that is on (default `--vc-color-accent`).
 *
 * @fires {VcConsentChangeEvent} vc-consent-change - The customer changed a choice: `{consentId, value, choices}`
 * (`choices`: every change not saved yet).
 * @fires {VcConsentSaveEvent} vc-consent-save - Before the changes are sent: `{choices}`. Cancelable.
 * @fires {VcConsentSavedEvent} vc-consent-saved - The changes were saved: `{choices, state?}`.
 * @fires {VcErrorEvent} vc-error - Loading or saving failed: `{error, action: 'load' | 'save'}`, or the history could not
 * be read (`action: 'history'`; the panel then shows none and works as before).
 * @fires {VcSessionExpiredEvent} vc-session-expired - The worker refused the session token; set a fresh `sessionToken`.
 */
export class VcConsentPanel extends ConsentPanelBase {
  static override styles = [sharedStyles, switchStyles, skeletonStyles, styles];
  // Within the size budget: reactive properties are declared here rather than with decorators, and members no one
  // else may touch are `#private` (the minifier shortens those names; it cannot shorten TypeScript's `private`). The
  // internal state, shared with the panel's other modules, and the form association are its base class's.
  static override properties = {
    clientApplicationId: { attribute: 'client-application-id' },
    clientToken: { attribute: 'client-token' },
    apiUrl: { attribute: 'api-url' },
    customer: {},
    workerUrl: { attribute: 'worker-url' },
    sessionToken: { attribute: 'session-token' },
    preferencesToken: { attribute: 'preferences-token' },
    history: { type: Boolean },
    saveVia: { attribute: 'save-via' },
    policyVersion: { attribute: 'policy-version' },
    agreedPolicyVersion: { attribute: 'agreed-policy-version' },
    policyUrl: { attribute: 'policy-url' },
    policySummary: { attribute: 'policy-summary' },
    heading: {},
    labels: { converter: labelsAttribute },
    headingLevel: { attribute: 'heading-level', type: Number },
    name: { reflect: true },
    required: { type: Boolean, reflect: true },
    disabled: { type: Boolean, reflect: true },
  };

  /** Waits between automatic retries of a failed save, in ms. The `online` event and the Retry button retry at once. */
  static retryDelays = [2_000, 5_000, 15_000, 30_000];
  /** How long Undo is offered once "accept all" or "opt out of everything" was saved, in ms. */
  static undoWindowMs = 15_000;

  /** Voucherify client-side application id (`X-Client-Application-Id`). */
  clientApplicationId?: string;
  /** Voucherify client-side secret key (`X-Client-Token`); a publishable key, safe in a page. */
  clientToken?: string;
  /** Voucherify API base URL for the client-side endpoints (your cluster, or the emulator). */
  apiUrl = 'https://api.voucherify.io';
  /** The customer whose choices are saved through the client-side endpoint: a `cust_…` id or a source id (e.g. email). */
  customer?: string;
  /** The edge worker's base URL. With `session-token` the panel shows and saves the signed-in customer's choices. */
  workerUrl?: string;
  /**
   * A session token from the shop's backend. A fresh token for the same customer is used from then on (and retries a
   * call refused as expired); a token for another customer reloads.
   */
  sessionToken?: string;
  /**
   * The token of a preferences link (from a marketing email). With `worker-url`, the panel reads and saves that
   * customer's choices through `/preferences/{token}/consents`, without a session; it takes precedence over
   * `session-token`. An expired or invalid link is said so.
   */
  preferencesToken?: string;
  /**
   * Shows under each consent its last few changes, when and how (e.g. "Given 6 Jan 2025 via sign-up"), read from the
   * worker with the session or preferences token (nothing is requested without it). Unreadable: none is shown.
   */
  history = false;
  /** Forces the save path: `worker` (`PUT /v1/me/consents`) or `client` (client keys). Default: the worker when signed in. */
  saveVia?: 'worker' | 'client';
  /** The page's current policy version; customers who agreed to an older one are asked to review their choices. */
  policyVersion?: string;
  /** The policy version the customer agreed to, when the worker does not know it. */
  agreedPolicyVersion?: string;
  /** Where the policy is read; the "policy changed" notice links to it (http, https or a relative URL). */
  policyUrl?: string;
  /** One line on what changed in the policy, in the page's language, shown in the notice. */
  policySummary?: string;
  /** The panel's heading, which also names its region. Default: "Your marketing choices", translated. */
  heading?: string;
  /**
   * The shop's texts per locale for the consents' and groups' names and descriptions, which Voucherify holds in one
   * language: `{"ar": {"cnst_…": {"name": "…", "description": "…"}}}` (a string is a name). As an attribute: JSON.
   * Looked up by the language tag (`pt-BR`), then the language (`pt`); Voucherify's text otherwise.
   */
  labels?: Labels;
  /** The heading's level in the page's outline (1-6). */
  headingLevel = 2;
  /** Form field name: inside a `<form>` the changes are submitted as JSON under this name, and the form saves them. */
  name?: string;
  /** Inside a form: at least one consent must be given for the form to submit. */
  required = false;
  /** Disables every control. */
  disabled = false;

  /** What the current load is for: connection, customer and keys. */
  #loadKey?: string;

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('beforeunload', this.#onUnload);
    document.addEventListener('vc-profile-deleted', this.#onDeleted);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('beforeunload', this.#onUnload);
    document.removeEventListener('vc-profile-deleted', this.#onDeleted);
    clearTimeout(this._timer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const key = JSON.stringify([
      this.workerUrl,
      sessionKey(this.sessionToken),
      this.preferencesToken,
      this.apiUrl,
      this.clientApplicationId,
      this.clientToken,
    ]);
    if (key !== this.#loadKey) {
      this.#loadKey = key;
      void load(this);
    } else if (changed.has('history') && this._data) {
      void readHistory(this);
    } else {
      super.willUpdate(changed);
    }
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const { _data: data } = this;
    // A customer's choices and the public definitions alone are laid out differently: each has its own room.
    holdRoom(this, !data && !this._loadError && !this._gone, !!data, linked(this) ? 'me' : '');
    const changes = changesOf(this);
    const value = data ? JSON.stringify(changes) : null;
    this._internals.setFormValue(value, value);
    const missing = this.required && !Object.values(this._shown).includes(true);
    this._internals.setValidity(
      missing ? { valueMissing: true } : {},
      missing ? msg('Choose at least one option.') : '',
      this.renderRoot.querySelector('input') ?? undefined,
    );
    // Whatever is not saved is kept for a reload, from the first change on; nothing kept once all is saved.
    if (data && !this._gone) {
      if (Object.keys(changes).length) saveKept(storageKey(this), keep(changes, data, this._requested, this._unsure));
      else clearKept(storageKey(this));
    }
  }

  /**
   * What the customer changed, as the API takes it: `{cnst_…: boolean}` for each consent whose choice differs from
   * what is stored (or was never decided), or `{unsubscribed: true}` after "opt out of everything"; `{}` when nothing
   * changed. Setting it changes the switches of the keys given (no event); before loading it presets them.
   */
  get value(): ConsentChoices {
    return changesOf(this);
  }

  set value(value: ConsentChoices) {
    if (!value || typeof value !== 'object') return;
    if (this._data) apply(this, value);
    else this._preset = value;
  }

  /** Sends the changes (fires the cancelable `vc-consent-save` first). Resolves `true` once nothing is left to save. */
  async save(): Promise<boolean> {
    if (this._status === 'saving') this._again = true;
    if (this._status === 'saving' || !this._data || this._gone || readOnly(this)) return false;
    const changes = changesOf(this);
    if (!due(this, changes)) {
      this._status = 'none';
      return true;
    }
    if (!this.dispatchEvent(new VcConsentSaveEvent(changes))) return false;
    this._attempt = 0;
    return send(this);
  }

  /** Loads the definitions and the customer's choices again. */
  async reload(): Promise<void> {
    this._status = '';
    await load(this);
  }

  /** @internal Form reset: the choices as stored. */
  formResetCallback(): void {
    reset(this);
    this._status = '';
  }

  /** @internal Back/forward navigation and autofill restore the submitted changes. */
  formStateRestoreCallback(state: string | null): void {
    try {
      const value = JSON.parse(state ?? '') as ConsentChoices;
      reset(this);
      this.value = value;
    } catch {
      // Not ours: keep the current choices.
    }
  }

  /**
   * Back online: finishes a failed save, or a load that failed for want of a network. A fresh token for the same
   * customer changes nothing on screen, but it is what a save refused as expired, or a failed load, was waiting for.
   */
  protected override retryFailed(online: boolean): void {
    if (this._status === 'error' && (online ? isTransient : isExpired)(this._failure)) void send(this);
    else if (online ? isTransient(this._loadError) : this._loadError) void this.reload();
  }

  /** @internal A failed save shows in the status line. */
  override fail(error: unknown, action: VcErrorAction): void {
    if (action === 'save') {
      this._failure = error;
      this._status = 'error';
    }
    super.fail(error, action);
  }

  // Leaving the page with unsaved changes: the browser asks the customer first.
  readonly #onUnload = (event: BeforeUnloadEvent): void => {
    if (!formMode(this) && Object.keys(changesOf(this)).length) {
      event.preventDefault();
      event.returnValue = '';
    }
  };

  // "Delete my data" of the same customer, from a profile card anywhere on the page.
  readonly #onDeleted = (event: Event): void => {
    const subject = subjectOf(tokenOf(this));
    if (subject && subjectOf((event.composedPath()[0] as { sessionToken?: string }).sessionToken) === subject)
      forget(this);
  };

  protected override render(): TemplateResult {
    return renderPanel(this);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vc-consent-panel': VcConsentPanel;
  }
}
