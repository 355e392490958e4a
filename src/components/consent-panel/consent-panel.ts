import { msg, str } from '@lit/localize';
import { html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import {
  getMyConsentHistory,
  getMyConsents,
  getPreferenceConsentHistory,
  getPreferenceConsents,
  listClientSideConsents,
  listConsentDefinitions,
  updateClientSideConsents,
  updateMyConsents,
  updatePreferenceConsents,
} from '../../api/edge.js';
import type { EdgeConnection } from '../../api/edge.js';
import type { VoucherifyError } from '../../api/errors.js';
import type { ConsentChannel, EdgeConsentDefinition, EdgeConsentRecord, EdgeConsents } from '../../api/edge-types.js';
import { VcConsentChangeEvent, VcConsentSaveEvent, VcConsentSavedEvent } from '../events.js';
import type { ConsentChoices, VcErrorAction } from '../events.js';
import { formatDate } from '../localization.js';
import { configError, describeError, isExpired, isGone, isTransient } from '../messages.js';
import { sharedStyles, switchStyles } from '../styles.js';
import { sessionKey, subjectOf } from '../session.js';
import { VcElement } from '../vc-element.js';
import { clearKept, fromConsentsList, isOlder, keep, readKept, sanitize, saveKept } from './choices.js';
import { styles } from './consent-panel.styles.js';

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
 * @csspart base - The outer box.
 * @csspart notice - The "our policy changed" prompt.
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
export class VcConsentPanel extends VcElement {
  static override styles = [sharedStyles, switchStyles, styles];
  static formAssociated = true;
  // Within the 15.7 KB budget: reactive properties are declared here rather than with decorators, and members no one
  // else may touch are `#private` (the minifier shortens those names; it cannot shorten TypeScript's `private`).
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
    name: { reflect: true },
    required: { type: Boolean, reflect: true },
    disabled: { type: Boolean, reflect: true },
    data: { state: true },
    shown: { state: true },
    optOut: { state: true },
    status: { state: true },
    failure: { state: true },
    loadError: { state: true },
    gone: { state: true },
    agreedNow: { state: true },
    formDisabled: { state: true },
    confirming: { state: true },
    undo: { state: true },
    records: { state: true },
  };

  /** Waits between automatic retries of a failed save, in ms. The `online` event and the Retry button retry at once. */
  static retryDelays = [2_000, 5_000, 15_000, 30_000];
  /** How long Undo is offered once "accept all" or "opt out of everything" was saved, in ms. */
  static undoWindowMs = 15_000;

  readonly #internals = this.attachInternals();

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
  /** Form field name: inside a `<form>` the changes are submitted as JSON under this name, and the form saves them. */
  name?: string;
  /** Inside a form: at least one consent must be given for the form to submit. */
  required = false;
  /** Disables every control. */
  disabled = false;

  /** The definitions and what is known to be stored (the base): `state` has no entry for an unknown decision. */
  private data?: EdgeConsents;
  /** The visible choice of each consent; `undefined`: not chosen yet. */
  private shown: Shown = {};
  /**
   * "Opt out of everything": `true` chosen (and no consent turned on since), `false` chosen not to be (Undo of an
   * opt-out), `undefined` as stored.
   */
  private optOut?: boolean;
  private status: '' | 'saving' | 'saved' | 'partial' | 'none' | 'same' | 'error' = '';
  private failure: unknown;
  private loadError: unknown;
  /** The customer no longer exists. */
  private gone = false;
  private agreedNow?: string;
  private formDisabled = false;
  /** A bulk action waiting for confirmation: `true` accept all, `false` opt out. */
  private confirming?: boolean;
  private undo?: Before;
  /** The consent history read from the worker, oldest first; `undefined` when not read (or unreadable). */
  private records?: EdgeConsentRecord[] | undefined;
  /** What the last successful save sent, and when. */
  #note: [ConsentChoices, string] = [{}, ''];
  /** The customer asked for the current changes to be saved (Save, or a confirmed bulk action) and they are not yet. */
  #requested = false;
  /** Save was pressed during a save: the changes made meanwhile are sent once it is done. */
  #again = false;
  /**
   * What saves that got no answer sent (they failed, or the page was reloaded meanwhile): they may have been written.
   * Until a save succeeds these consents are sent again with their current choice, even one equal to what was read,
   * and the worker (which compares with what is stored) writes them only where they differ.
   */
  #unsure: ConsentChoices = {};
  /** The choices before a confirmed bulk action, offered back as Undo once it is saved. */
  #prior?: Before;
  #preset?: ConsentChoices;
  #attempt = 0;
  #timer?: ReturnType<typeof setTimeout>;
  #undoTimer?: ReturnType<typeof setTimeout>;
  #loadKey?: string;
  #loading?: AbortController;
  /** Counts history reads: only the latest one's answer is shown. */
  #reads = 0;

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('beforeunload', this.#onUnload);
    document.addEventListener('vc-profile-deleted', this.#onDeleted);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('beforeunload', this.#onUnload);
    document.removeEventListener('vc-profile-deleted', this.#onDeleted);
    clearTimeout(this.#timer);
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
      void this.#load();
    } else if (changed.has('history') && this.data) {
      void this.#readHistory();
    } else {
      super.willUpdate(changed);
    }
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const { data } = this;
    const changes = this.#changes;
    const value = data ? JSON.stringify(changes) : null;
    this.#internals.setFormValue(value, value);
    const missing = this.required && !Object.values(this.shown).includes(true);
    this.#internals.setValidity(
      missing ? { valueMissing: true } : {},
      missing ? msg('Choose at least one option.') : '',
      this.renderRoot.querySelector('input') ?? undefined,
    );
    // Whatever is not saved is kept for a reload, from the first change on; nothing kept once all is saved.
    if (data && !this.gone) {
      if (Object.keys(changes).length) saveKept(this.#storageKey, keep(changes, data, this.#requested, this.#unsure));
      else clearKept(this.#storageKey);
    }
  }

  /**
   * What the customer changed, as the API takes it: `{cnst_…: boolean}` for each consent whose choice differs from
   * what is stored (or was never decided), or `{unsubscribed: true}` after "opt out of everything"; `{}` when nothing
   * changed. Setting it changes the switches of the keys given (no event); before loading it presets them.
   */
  get value(): ConsentChoices {
    return this.#changes;
  }

  set value(value: ConsentChoices) {
    if (!value || typeof value !== 'object') return;
    if (this.data) this.#apply(value);
    else this.#preset = value;
  }

  /** Sends the changes (fires the cancelable `vc-consent-save` first). Resolves `true` once nothing is left to save. */
  async save(): Promise<boolean> {
    if (this.status === 'saving') this.#again = true;
    if (this.status === 'saving' || !this.data || this.gone || this.#readOnly) return false;
    const changes = this.#changes;
    if (!this.#due(changes)) {
      this.status = 'none';
      return true;
    }
    if (!this.dispatchEvent(new VcConsentSaveEvent(changes))) return false;
    this.#attempt = 0;
    return this.#send();
  }

  /** Loads the definitions and the customer's choices again. */
  async reload(): Promise<void> {
    this.status = '';
    await this.#load();
  }

  /** The form the panel belongs to, if any. */
  get form(): HTMLFormElement | null {
    return this.#internals.form;
  }

  /** Constraint validation, as on native controls (`required`: at least one consent given). */
  get validity(): ValidityState {
    return this.#internals.validity;
  }

  get validationMessage(): string {
    return this.#internals.validationMessage;
  }

  checkValidity(): boolean {
    return this.#internals.checkValidity();
  }

  reportValidity(): boolean {
    return this.#internals.reportValidity();
  }

  /** @internal Form reset: the choices as stored. */
  formResetCallback(): void {
    this.#reset();
    this.status = '';
  }

  /** @internal Back/forward navigation and autofill restore the submitted changes. */
  formStateRestoreCallback(state: string | null): void {
    try {
      const value = JSON.parse(state ?? '') as ConsentChoices;
      this.#reset();
      this.value = value;
    } catch {
      // Not ours: keep the current choices.
    }
  }

  /** @internal */
  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
  }

  get #storageKey(): string | undefined {
    return this.customer || subjectOf(this.#token);
  }

  /** The token the worker knows the customer by: the preferences link's, else the session's. */
  get #token(): string | undefined {
    return this.preferencesToken || this.sessionToken;
  }

  /** The customer's own choices can be read (and saved) through the worker: signed in, or with a preferences link. */
  get #linked(): boolean {
    return !!(this.workerUrl && this.#token);
  }

  /** A call through the worker: the preferences link's route when there is one, else the session's. */
  #worker<T>(link: (edge: EdgeConnection, token: string) => Promise<T>, session: (edge: EdgeConnection) => Promise<T>): Promise<T> {
    const edge = { url: this.workerUrl!, token: this.sessionToken };
    return this.preferencesToken ? link(edge, this.preferencesToken) : session(edge);
  }

  get #formMode(): boolean {
    return !!this.name && !!this.#internals.form;
  }

  get #viaWorker(): boolean {
    return this.saveVia ? this.saveVia === 'worker' : this.#linked;
  }

  /** Outside a form, with no way to save: the choices are shown, not offered. */
  get #readOnly(): boolean {
    const { clientApplicationId, clientToken, customer } = this;
    return !this.#formMode && !(this.#viaWorker ? this.#linked : clientApplicationId && clientToken && customer);
  }

  get #changes(): ConsentChoices {
    const { data, shown, optOut } = this;
    const unsure = this.#unsure;
    if (!data) return {};
    if (optOut && (!data.unsubscribed || 'unsubscribed' in unsure)) return { unsubscribed: true };
    const changes: ConsentChoices = {};
    for (const { id } of data.consents) {
      const value = shown[id];
      if (id in unsure || (value !== undefined && value !== data.state[id]?.value)) changes[id] = !!value;
    }
    if (optOut === false && (data.unsubscribed || 'unsubscribed' in unsure)) changes.unsubscribed = false;
    return changes;
  }

  /** Opted out of everything, as shown: asked for, or stored with no consent turned on since. */
  get #shownOut(): boolean {
    return this.optOut ?? (!!this.data?.unsubscribed && !Object.values(this.shown).includes(true));
  }

  /** A newer policy than the customer agreed to (or none recorded for their choices): they are asked to review. */
  get #review(): boolean {
    const data = this.data!;
    const agreed = this.agreedNow ?? this.agreedPolicyVersion ?? data.policy_version;
    return !!this.policyVersion && (agreed ? isOlder(agreed, this.policyVersion) : Object.keys(data.state).length > 0);
  }

  /** Something to send: changes, or (through the worker) a policy review to record. */
  #due(changes: ConsentChoices): boolean {
    return Object.keys(changes).length > 0 || (this.#viaWorker && this.#review);
  }

  async #load(): Promise<void> {
    this.#loading?.abort();
    const { signal } = (this.#loading = new AbortController());
    clearTimeout(this.#timer);
    this.data = this.loadError = this.records = undefined;
    this.#reads++;
    this.gone = false;
    const { workerUrl, clientApplicationId, clientToken } = this;
    const readable = this.#linked;
    try {
      let data: EdgeConsents;
      if (readable) {
        data = await this.#worker(
          (edge, token) => getPreferenceConsents(edge, token, signal),
          (edge) => getMyConsents(edge, signal),
        );
      } else if (clientApplicationId && clientToken) {
        data = fromConsentsList(await listClientSideConsents(this, signal));
      } else if (workerUrl) {
        data = fromConsentsList(await listConsentDefinitions({ url: workerUrl }, signal));
      } else {
        throw notSetUp();
      }
      if (!signal.aborted) this.#loaded(sanitize(data), readable);
    } catch (error) {
      if (signal.aborted) return;
      if (readable && isGone(error)) return this.#forget();
      this.loadError = error;
      this.fail(error, 'load');
    }
  }

  #loaded(data: EdgeConsents, readable: boolean): void {
    this.data = data;
    this.status = '';
    this.agreedNow = this.confirming = this.undo = this.#prior = undefined;
    this.#reset();
    if (this.#preset) this.#apply(this.#preset);
    this.#preset = undefined;
    // Choices kept from before a reload come back, unless what is stored changed since and not by a save of ours that
    // got no answer (someone else is newer).
    const kept = readKept(this.#storageKey);
    const restore: ConsentChoices = {};
    for (const [id, [value, base, sent]] of Object.entries(kept?.changes ?? {})) {
      const now = data.state[id];
      const stored = now?.value ?? false;
      if (readable && ((base?.value ?? false) !== stored || base?.date !== now?.date) && sent !== stored) continue;
      restore[id] = value;
      if (sent !== undefined) this.#unsure[id] = sent;
    }
    this.#apply(restore);
    this.#requested = !!kept?.save && Object.keys(this.#changes).length > 0;
    if (this.#requested) {
      // The customer asked to save these before the page was reloaded: finish the job.
      this.#attempt = 0;
      void this.updateComplete.then(() => this.#send());
    }
    void this.#readHistory();
  }

  /**
   * Reads the consent history, with `history` and through the worker only. It is an extra: when it cannot be read the
   * panel shows none (and says why on `vc-error`, action `history`); the choices work as before.
   */
  async #readHistory(): Promise<void> {
    const read = ++this.#reads;
    let records: EdgeConsentRecord[] | undefined;
    if (this.history && this.#linked) {
      try {
        const { data } = await this.#worker(getPreferenceConsentHistory, getMyConsentHistory);
        if (Array.isArray(data)) records = data;
      } catch (error) {
        if (read === this.#reads) this.fail(error, 'history');
      }
    }
    if (read === this.#reads) this.records = records;
  }

  /** The visible choices back to what is stored. */
  #reset(): void {
    const data = this.data;
    this.optOut = undefined;
    this.#unsure = {};
    this.shown = this.#each((id) => data!.state[id]?.value);
  }

  /** Sets the visible choices of the keys given; `{unsubscribed: true}` asks to opt out of everything. */
  #apply(value: ConsentChoices): void {
    const out = value.unsubscribed === true;
    const shown = { ...this.shown };
    for (const { id } of this.data!.consents) {
      const choice = out || value[id];
      if (typeof choice === 'boolean') shown[id] = !out && choice;
      if (choice === true && !out) this.optOut = undefined;
    }
    if (out) this.optOut = true;
    else if (value.unsubscribed === false) this.optOut = false;
    this.shown = shown;
  }

  async #send(): Promise<boolean> {
    clearTimeout(this.#timer);
    const data = this.data!;
    const sent = this.#changes;
    const viaWorker = this.#viaWorker;
    if (!this.#due(sent)) {
      this.#requested = false;
      this.status = 'none';
      return true;
    }
    const { shown, optOut } = this;
    this.#requested = true;
    this.#unsure = { ...this.#unsure, ...(sent.unsubscribed ? this.#each(() => false) : {}), ...sent };
    this.status = 'saving';
    try {
      let state: EdgeConsents | undefined;
      let next: EdgeConsents;
      if (!(viaWorker ? this.workerUrl : this.customer)) throw notSetUp();
      if (viaWorker) {
        const options = { policyVersion: this.policyVersion };
        next = state = sanitize(
          await this.#worker(
            (edge, token) => updatePreferenceConsents(edge, token, sent, options),
            (edge) => updateMyConsents(edge, sent, options),
          ),
        );
      } else {
        await updateClientSideConsents(this, this.customer!, sent);
        // What is stored now, as Voucherify applies it: opting out declines every consent, giving one ends the opt-out.
        const date = new Date().toISOString();
        const written: ConsentChoices = sent.unsubscribed ? { ...this.#each(() => false), unsubscribed: true } : { ...sent };
        if (Object.values(sent).includes(true) && data.state.unsubscribed?.value) written.unsubscribed = false;
        const stored = { ...data.state };
        for (const [id, value] of Object.entries(written)) stored[id] = { date, value };
        next = { ...data, state: stored, unsubscribed: !!stored.unsubscribed?.value };
      }
      // Loaded again meanwhile (another customer): this answer is none of theirs.
      if (this.data !== data) return false;
      this.data = next;
      // A choice changed while this was under way stays as it is, unsaved; every other one shows what is stored now.
      this.shown = this.#each((id) => (this.shown[id] === shown[id] ? next.state[id]?.value : this.shown[id]));
      // An opt-out sent (or its undo) is what is stored now, unless the customer changed it meanwhile.
      if (this.optOut === optOut && 'unsubscribed' in sent) this.optOut = undefined;
      this.#unsure = {};
      this.#requested = false;
      this.agreedNow = this.policyVersion;
      this.#note = [sent, new Date().toISOString()];
      this.status = Object.keys(this.#changes).length ? 'partial' : 'saved';
      if (this.#prior) {
        this.undo = this.#prior;
        this.#prior = undefined;
        clearTimeout(this.#undoTimer);
        this.#undoTimer = setTimeout(() => (this.undo = undefined), (this.constructor as typeof VcConsentPanel).undoWindowMs);
      }
      this.dispatchEvent(new VcConsentSavedEvent(sent, state));
      void this.#readHistory();
      if (this.#again) {
        this.#again = false;
        if (this.#due(this.#changes)) return this.#send();
      }
      return true;
    } catch (error) {
      this.#again = false;
      if (viaWorker && isGone(error)) {
        this.#forget();
        return false;
      }
      this.fail(error, 'save');
      const delay = (this.constructor as typeof VcConsentPanel).retryDelays[this.#attempt++];
      if (isTransient(error) && delay !== undefined) {
        const asked = (error as { retryAfter?: number | null }).retryAfter ?? 0;
        this.#timer = setTimeout(() => void this.#send(), Math.max(delay, asked * 1000));
      }
      return false;
    }
  }

  protected override fail(error: unknown, action: VcErrorAction): void {
    if (action === 'save') {
      this.failure = error;
      this.status = 'error';
    }
    super.fail(error, action);
  }

  /** The customer no longer exists: nothing is kept, retried or offered any more. */
  #forget(): void {
    clearKept(this.#storageKey);
    clearTimeout(this.#timer);
    clearTimeout(this.#undoTimer);
    this.gone = true;
    this.status = '';
    this.#requested = false;
    // Nor is its history shown (a read under way is ignored).
    this.#reads++;
    this.confirming = this.undo = this.#prior = this.records = undefined;
    this.#reset();
  }

  /**
   * Back online: finishes a failed save, or a load that failed for want of a network. A fresh token for the same
   * customer changes nothing on screen, but it is what a save refused as expired, or a failed load, was waiting for.
   */
  protected override retryFailed(online: boolean): void {
    if (this.status === 'error' && (online ? isTransient : isExpired)(this.failure)) void this.#send();
    else if (online ? isTransient(this.loadError) : this.loadError) void this.reload();
  }

  // Leaving the page with unsaved changes: the browser asks the customer first.
  readonly #onUnload = (event: BeforeUnloadEvent): void => {
    if (!this.#formMode && Object.keys(this.#changes).length) {
      event.preventDefault();
      event.returnValue = '';
    }
  };

  // "Delete my data" of the same customer, from a profile card anywhere on the page.
  readonly #onDeleted = (event: Event): void => {
    const subject = subjectOf(this.#token);
    if (subject && subjectOf((event.composedPath()[0] as { sessionToken?: string }).sessionToken) === subject) this.#forget();
  };

  /** Leaves a saving or failing status alone; any other goes once the customer does something else. */
  #quiet(): void {
    if (this.status !== 'saving' && this.status !== 'error') this.status = '';
  }

  #change(consentId: string | null, value: boolean, shown: Shown, optOut: boolean | undefined): void {
    this.shown = shown;
    this.optOut = optOut;
    this.confirming = this.undo = this.#prior = undefined;
    this.#quiet();
    this.dispatchEvent(new VcConsentChangeEvent(consentId, value, this.#changes));
  }

  #onToggle(event: Event): void {
    const { id, checked } = event.target as HTMLInputElement;
    this.#change(id, checked, { ...this.shown, [id]: checked }, checked ? undefined : this.optOut);
  }

  /** A value for each consent shown. */
  #each<T>(value: (id: string) => T): Record<string, T> {
    return Object.fromEntries((this.data?.consents ?? []).map(({ id }) => [id, value(id)]));
  }

  /** "Accept all" / "opt out of everything": in a form they only change the switches; otherwise they ask first. */
  async #bulk(all: boolean): Promise<void> {
    if (this.#formMode) return this.#change(null, all, this.#each(() => all), all ? undefined : true);
    this.#quiet();
    this.confirming = undefined;
    if (all ? !this.data!.consents.some(({ id }) => !this.shown[id]) : this.#shownOut) {
      this.status = 'same';
      return;
    }
    this.confirming = all;
    await this.#focus('[part~=confirm]');
  }

  async #confirm(): Promise<void> {
    const all = this.confirming!;
    const before: Before = [this.shown, this.#shownOut, all];
    this.#change(null, all, this.#each(() => all), all ? undefined : true);
    this.#prior = before;
    const saved = this.save();
    await this.#focus(bulkButton(all));
    await saved;
  }

  async #cancel(): Promise<void> {
    const all = this.confirming!;
    this.confirming = undefined;
    await this.#focus(bulkButton(all));
  }

  /** Undo: the choices from before the bulk action, saved (a decision stored since cannot be unset: it is declined). */
  async #revert(): Promise<void> {
    const [shown, optOut, all] = this.undo!;
    const stored = this.data!.state;
    this.#change(null, !all, this.#each((id) => shown[id] ?? (stored[id] && false)), optOut);
    await this.save();
    await this.#focus('[part~=save]');
  }

  async #retry(): Promise<void> {
    this.#attempt = 0;
    // The Retry button is gone once saved: keep focus in the panel rather than dropping it on the page.
    if (await this.#send()) await this.#focus('[part~=save]', 'input');
  }

  async #retryLoad(): Promise<void> {
    await this.reload();
    await this.#focus('input', 'button');
  }

  /** Once rendered, focuses the first element matching one of the selectors. */
  async #focus(...selectors: string[]): Promise<void> {
    await this.updateComplete;
    for (const selector of selectors) {
      const target = this.renderRoot.querySelector<HTMLElement>(selector);
      if (target) return target.focus();
    }
  }

  protected override render(): TemplateResult {
    const { data, loadError } = this;
    return html`<div part="base" class="base">
      <slot></slot>
      ${data
        ? this.#renderChoices(data)
        : this.gone
          ? html`<p part="status" class="status error" role="status">${gone()}</p>`
          : loadError
            ? html`<p class="status error" role="alert">${msg('Your choices could not be loaded.')} ${why(loadError)}</p>
                ${linkRefused(loadError)
                  ? nothing
                  : html`<button part="button retry" @click=${this.#retryLoad}>${msg('Try again')}</button>`}`
            : html`<p class="status muted" role="status">${msg('Loading your choices…')}</p>`}
    </div>`;
  }

  #renderChoices(data: EdgeConsents): TemplateResult {
    if (!data.consents.length) return html`<p>${msg('There is nothing to choose here yet.')}</p>`;
    const byId = new Map(data.consents.map((consent) => [consent.id, consent]));
    const grouped = new Set(data.groups.flatMap((group) => group.consents));
    const rest = data.consents.filter((consent) => !grouped.has(consent.id));
    const optedOutOn = this.#shownOut && data.unsubscribed && data.state.unsubscribed?.date;
    const { status, confirming } = this;
    const off = this.#off;
    const list = (items: string[]) => new Intl.ListFormat(this.i18n.tag, { style: 'narrow' }).format(items);
    const [sent, at] = this.#note;
    const items = sent.unsubscribed
      ? [msg('opted out of everything')]
      : data.consents
          .filter(({ id }) => id in sent)
          .map(({ id, name }) => (sent[id] ? msg(str`${isolate(name)} on`) : msg(str`${isolate(name)} off`)));
    const time = this.#date(at, { timeStyle: 'short' });
    const what = list(items.length ? items : [msg('choices confirmed under the new privacy policy')]);
    const turnsOn = list(data.consents.filter(({ id }) => !this.shown[id]).map(({ name }) => isolate(name)));
    return html`
      ${this.#review
        ? html`<p part="notice" class="notice">
            <strong>${msg('Our privacy policy has changed.')}</strong>
            ${msg('Please review your choices and save them again.')}
          </p>`
        : nothing}
      ${optedOutOn
        ? html`<p class="muted">${msg(str`You opted out of everything on ${this.#date(optedOutOn)}.`)}</p>`
        : nothing}
      ${data.groups.map((group) =>
        this.#renderGroup(
          group.name,
          group.description,
          group.consents.map((id) => byId.get(id)!).filter(Boolean),
        ),
      )}
      ${rest.length ? this.#renderGroup(data.groups.length ? msg('Other') : msg('Your choices'), '', rest) : nothing}
      <div part="actions" class="actions">
        <button part="button accept-all" ?disabled=${off} @click=${() => this.#bulk(true)}>${msg('Accept all')}</button>
        <button part="button opt-out" ?disabled=${off} @click=${() => this.#bulk(false)}>
          ${msg('Opt out of everything')}
        </button>
        ${this.#formMode
          ? nothing
          : html`<button part="button save" class="primary" ?disabled=${off} @click=${this.save}>
              ${msg('Save choices')}
            </button>`}
      </div>
      ${this.#renderHistory('unsubscribed')}
      ${confirming === undefined
        ? nothing
        : html`<div part="confirmation" class="notice" @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && this.#cancel()}>
            <p id="vc-confirm">
              ${confirming
                ? msg(str`This turns on: ${turnsOn}.`)
                : msg('This turns off every consent, and you will receive no marketing messages.')}
            </p>
            <div class="actions">
              <button part="button confirm" class="primary" aria-describedby="vc-confirm" @click=${this.#confirm}>
                ${msg('Confirm')}
              </button>
              <button part="button cancel" @click=${this.#cancel}>${msg('Cancel')}</button>
            </div>
          </div>`}
      <p part="status" class="status ${this.gone || status === 'error' ? 'error' : status === 'saved' ? 'ok' : ''}" role="status">
        ${this.gone
          ? gone()
          : this.#readOnly
            ? msg('Sign in to change your choices.')
            : status === 'saved'
              ? msg(str`Saved ${time}: ${what}.`)
              : status === 'error'
                ? html`${msg('Your choices have not been saved yet.')} ${why(this.failure)}
                  ${isTransient(this.failure) ? msg('They are kept here and we will try again.') : nothing}`
                : (
                    {
                      saving: msg('Saving…'),
                      partial: msg('Some changes are not saved yet.'),
                      none: msg('There are no changes to save.'),
                      same: msg('That would change nothing.'),
                    } as Record<string, string>
                  )[status]}
      </p>
      ${status === 'error'
        ? linkRefused(this.failure)
          ? nothing
          : html`<button part="button retry" @click=${this.#retry}>${msg('Try again')}</button>`
        : this.undo
          ? html`<button part="button undo" @click=${this.#revert}>${msg('Undo')}</button>`
          : nothing}
    `;
  }

  #renderGroup(name: string, description: string, consents: EdgeConsentDefinition[]): TemplateResult | typeof nothing {
    if (!consents.length) return nothing;
    const state = this.data!.state;
    return html`<fieldset part="group">
      <legend part="legend" dir="auto">${name}</legend>
      ${description ? html`<p part="group-description" class="muted"><bdi>${description}</bdi></p>` : nothing}
      ${consents.map(({ id, name, description }) => {
        const stored = state[id];
        const shown = this.shown[id];
        const unsaved = id in this.#unsure || (shown !== undefined && shown !== stored?.value);
        return html`<div part="consent${unsaved ? ' unsaved' : ''}" class="consent">
          <input
            type="checkbox"
            role="switch"
            part="switch"
            id=${id}
            aria-describedby="${id}-d"
            .checked=${shown === true}
            ?disabled=${this.#off}
            @change=${this.#onToggle}
          />
          <div>
            <label part="label" for=${id} dir="auto">${name}</label>
            <div part="description" class="muted" id="${id}-d">
              <bdi>${description}</bdi><br />
              ${stored
                ? stored.value
                  ? msg(str`Agreed on ${this.#date(stored.date)}.`)
                  : msg(str`Declined on ${this.#date(stored.date)}.`)
                : shown === undefined
                  ? msg('Not chosen yet.')
                  : nothing}
              ${unsaved ? html`<strong part="mark" class="tag">${msg('Unsaved')}</strong>` : nothing}
            </div>
            ${this.#renderHistory(id)}
          </div>
        </div>`;
      })}
    </fieldset>`;
  }

  /**
   * The last three changes of a consent (or of the opt-out of everything, `unsubscribed`), newest last: "Given 6 Jan
   * 2025 via sign-up · Withdrawn 3 Mar 2026 via email link".
   */
  #renderHistory(id: string): TemplateResult | typeof nothing {
    const records = this.records?.filter((record) => record?.consent_id === id) ?? [];
    return records.length
      ? html`<div part="history" class="muted">
          ${records
            .slice(-3)
            .map((record) => {
              const date = this.#date(record.at);
              const channel = channelName(record.channel);
              return id === 'unsubscribed'
                ? record.new_value
                  ? msg(str`Opted out of everything ${date} via ${channel}`)
                  : msg(str`Opt-out ended ${date} via ${channel}`)
                : record.new_value
                  ? msg(str`Given ${date} via ${channel}`)
                  : record.old_value
                    ? msg(str`Withdrawn ${date} via ${channel}`)
                    : msg(str`Declined ${date} via ${channel}`);
            })
            .join(' · ')}
        </div>`
      : nothing;
  }

  get #off(): boolean {
    return this.disabled || this.formDisabled || this.gone || this.#readOnly;
  }

  #date(value: string, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }): string {
    return formatDate(this.i18n.tag, value, options);
  }
}

type Shown = Record<string, boolean | undefined>;
/** The visible choices and the opt-out request before a bulk action, and whether it was "accept all". */
type Before = [shown: Shown, optedOut: boolean, all: boolean];

const bulkButton = (all: boolean): string => (all ? '[part~=accept-all]' : '[part~=opt-out]');

/** A name from the API kept in its own direction inside a sentence (first-strong isolate … pop directional isolate). */
const isolate = (text: string): string => `\u2068${text}\u2069`;

const notSetUp = (): Error =>
  configError('vc-consent-panel needs worker-url or client keys (and session-token or customer to save)');

/** Where a change was made, as the customer knows it ("Given … via sign-up"); an unknown channel as it came. */
const channelName = (channel: ConsentChannel): string =>
  (
    ({
      panel: msg('account page'),
      'preferences-link': msg('email link'),
      'one-click': msg('one-click unsubscribe'),
      'sign-up': msg('sign-up'),
      'double-opt-in': msg('email confirmation'),
      'back-office': msg('customer service'),
      api: msg('the shop'),
    }) as Partial<Record<string, string>>
  )[channel] ?? channel;

/** A preferences link the worker refused: expired (410 `token_retired`) or not valid (400 `invalid_token`). */
const linkRefused = (error: unknown): string | undefined =>
  (error as VoucherifyError | undefined)?.status === 410
    ? msg('This link has expired. Please use the link in a newer email, or sign in.')
    : (error as VoucherifyError | undefined)?.key === 'invalid_token'
      ? msg('This link is not valid. Please open it again from the email.')
      : undefined;

/** Why a request failed, in the customer's words. */
const why = (error: unknown): string => linkRefused(error) ?? describeError(error);

const gone = (): string => msg('This account no longer exists. Its choices can no longer be changed.');

declare global {
  interface HTMLElementTagNameMap {
    'vc-consent-panel': VcConsentPanel;
  }
}
