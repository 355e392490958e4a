import { localized, msg, str } from '@lit/localize';
import { Task, TaskStatus } from '@lit/task';
import { LitElement, html, nothing } from 'lit';
import type { PropertyValues, TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { endpoint, getMyConsents, listConsentDefinitions, send, updateMyConsents } from '../../api/edge.js';
import { path } from '../../api/path.js';
import type { EdgeConsentDefinition, EdgeConsents } from '../../api/edge-types.js';
import type { ConsentsList } from '../../api/types.js';
import {
  VcConsentChangeEvent,
  VcConsentSaveEvent,
  VcConsentSavedEvent,
  VcErrorEvent,
  VcSessionExpiredEvent,
} from '../events.js';
import type { ConsentChoices, VcErrorAction } from '../events.js';
import { LocaleController, formatDate } from '../localization.js';
import { configError, describeError, isExpired, isTransient } from '../messages.js';
import { sharedStyles, switchStyles } from '../styles.js';
import { sessionKey, subjectOf } from '../session.js';
import { fromConsentsList, isOlder, pending, sanitize } from './choices.js';
import { styles } from './consent-panel.styles.js';

/**
 * @summary The preference center: the customer's marketing consents, grouped, each a labelled switch, with "accept
 * all", "opt out of everything" and save. Saves through Voucherify's client-side consents endpoint or the edge worker,
 * retries failed saves and never drops a choice. Form-associated.
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
 * @csspart switch - A consent's on/off switch (a checkbox with `role="switch"`).
 * @csspart label - A consent's name.
 * @csspart description - A consent's description and decision date.
 * @csspart actions - The row of buttons.
 * @csspart button - Every button.
 * @csspart accept-all - The "accept all" button.
 * @csspart opt-out - The "opt out of everything" button.
 * @csspart save - The save button (hidden when the panel is a named control of a form).
 * @csspart retry - The "try again" button shown after a failure.
 * @csspart status - The live status line.
 *
 * @cssproperty --vc-consent-panel-background - Background of the box (default `--vc-color-surface`).
 * @cssproperty --vc-consent-panel-border-color - Borders of the box and between consents (default `--vc-color-border`).
 * @cssproperty --vc-consent-panel-padding - Padding of the box (default `--vc-space`).
 * @cssproperty --vc-consent-panel-switch-color - A switch that is on (default `--vc-color-accent`).
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
 *
 * @fires {VcConsentChangeEvent} vc-consent-change - The customer changed a choice: `{consentId, value, choices}`.
 * @fires {VcConsentSaveEvent} vc-consent-save - Before choices are sent: `{choices}`. Cancelable.
 * @fires {VcConsentSavedEvent} vc-consent-saved - Choices were saved: `{choices, state?}`.
 * @fires {VcErrorEvent} vc-error - Loading or saving failed: `{error, action: 'load' | 'save'}`.
 * @fires {VcSessionExpiredEvent} vc-session-expired - The worker refused the session token; set a fresh `sessionToken`.
 */
@localized()
export class VcConsentPanel extends LitElement {
  static override styles = [sharedStyles, switchStyles, styles];
  static formAssociated = true;

  /** Waits between automatic retries of a failed save, in ms. The `online` event and the Retry button retry at once. */
  static retryDelays = [2_000, 5_000, 15_000, 30_000];

  private readonly internals = this.attachInternals();
  private readonly i18n = new LocaleController(this, () => this.locale);

  private readonly loader = new Task(this, {
    args: () => [this.workerUrl, sessionKey(this.sessionToken), this.apiUrl, this.clientApplicationId, this.clientToken] as const,
    task: async ([workerUrl, session, apiUrl, appId, clientToken], { signal }) => {
      let data: EdgeConsents;
      if (workerUrl && session) {
        data = await getMyConsents({ url: workerUrl, token: this.sessionToken }, signal);
      } else if (appId && clientToken) {
        data = fromConsentsList(await send<ConsentsList>(endpoint(apiUrl, 'client/v1/consents'), { headers: this.keys, signal }));
      } else if (workerUrl) {
        data = fromConsentsList(await listConsentDefinitions({ url: workerUrl }, signal));
      } else {
        throw configError('vc-consent-panel needs client-application-id and client-token, or worker-url');
      }
      return this.loaded(sanitize(data));
    },
    onError: (error) => this.fail(error, 'load'),
  });

  /** Voucherify client-side application id (`X-Client-Application-Id`). */
  @property({ attribute: 'client-application-id' }) clientApplicationId?: string;
  /** Voucherify client-side secret key (`X-Client-Token`); a publishable key, safe in a page. */
  @property({ attribute: 'client-token' }) clientToken?: string;
  /** Voucherify API base URL for the client-side endpoints (your cluster, or the emulator). */
  @property({ attribute: 'api-url' }) apiUrl = 'https://api.voucherify.io';
  /** The customer whose choices are saved through the client-side endpoint: a `cust_…` id or a source id (e.g. email). */
  @property() customer?: string;
  /** The edge worker's base URL. With `session-token` the panel shows and saves the signed-in customer's choices. */
  @property({ attribute: 'worker-url' }) workerUrl?: string;
  /**
   * A session token from the shop's backend. A fresh token for the same customer is used from then on (and retries a
   * call refused as expired); a token for another customer reloads.
   */
  @property({ attribute: 'session-token' }) sessionToken?: string;
  /** Forces the save path: `worker` (`PUT /v1/me/consents`) or `client` (client keys). Default: the worker when signed in. */
  @property({ attribute: 'save-via' }) saveVia?: 'worker' | 'client';
  /** The page's current policy version; customers who agreed to an older one are asked to review their choices. */
  @property({ attribute: 'policy-version' }) policyVersion?: string;
  /** The policy version the customer agreed to, when the worker does not know it. */
  @property({ attribute: 'agreed-policy-version' }) agreedPolicyVersion?: string;
  /** Language of the texts (e.g. `de`, `pt-BR`); default: the nearest `lang`, then the browser's. */
  @property() locale?: string;
  /** `light`, `dark` or `auto` (default: follows `prefers-color-scheme`). */
  @property({ reflect: true }) theme?: 'light' | 'dark' | 'auto';
  /** Form field name: inside a `<form>` the choices are submitted as JSON under this name, and the form saves them. */
  @property({ reflect: true }) name?: string;
  /** Inside a form: at least one consent must be given for the form to submit. */
  @property({ type: Boolean, reflect: true }) required = false;
  /** Disables every control. */
  @property({ type: Boolean, reflect: true }) disabled = false;

  @state() private choices: Record<string, boolean> = {};
  @state() private optedOut = false;
  @state() private status: '' | 'saving' | 'saved' | 'error' = '';
  @state() private failure: unknown;
  @state() private agreedNow?: string;
  @state() private formDisabled = false;
  private data?: EdgeConsents;
  private initial: ConsentChoices = {};
  private preset?: ConsentChoices;
  private attempt = 0;
  private timer?: ReturnType<typeof setTimeout>;

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('online', this.onOnline);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('online', this.onOnline);
    clearTimeout(this.timer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A fresh token for the same customer changes nothing on screen, but it is what a failed call was waiting for.
    if (changed.has('sessionToken') && changed.get('sessionToken')) {
      if (this.status === 'error' && isExpired(this.failure)) void this.send();
      else if (this.loader.status === TaskStatus.ERROR) void this.reload();
    }
  }

  protected override updated(changed: PropertyValues): void {
    super.updated(changed);
    const value = this.data ? JSON.stringify(this.value) : null;
    this.internals.setFormValue(value, value);
    const missing = this.required && !this.optedOut && !Object.values(this.choices).includes(true);
    this.internals.setValidity(
      missing ? { valueMissing: true } : {},
      missing ? msg('Choose at least one option.') : '',
      this.renderRoot.querySelector('input') ?? undefined,
    );
  }

  /**
   * The choices as the API takes them: every visible consent as `{cnst_…: boolean}`, or `{unsubscribed: true}` after
   * "opt out of everything". Setting it changes the switches (no event); before loading it presets them.
   */
  get value(): ConsentChoices {
    return this.optedOut ? { unsubscribed: true } : { ...this.choices };
  }

  set value(value: ConsentChoices) {
    if (!value || typeof value !== 'object') return;
    if (!this.data) {
      this.preset = value;
      return;
    }
    const choices: Record<string, boolean> = {};
    for (const consent of this.data.consents) choices[consent.id] = !value.unsubscribed && value[consent.id] === true;
    this.choices = choices;
    this.optedOut = value.unsubscribed === true;
  }

  /** Sends the current choices (fires the cancelable `vc-consent-save` first). Resolves `true` once saved. */
  async save(): Promise<boolean> {
    if (this.status === 'saving' || !this.data) return false;
    if (!this.dispatchEvent(new VcConsentSaveEvent(this.value))) return false;
    this.attempt = 0;
    return this.send();
  }

  /** Loads the definitions and the customer's choices again. */
  async reload(): Promise<void> {
    this.status = '';
    await this.loader.run().catch(() => undefined);
  }

  /** The form the panel belongs to, if any. */
  get form(): HTMLFormElement | null {
    return this.internals.form;
  }

  /** Constraint validation, as on native controls (`required`: at least one consent given). */
  get validity(): ValidityState {
    return this.internals.validity;
  }

  get validationMessage(): string {
    return this.internals.validationMessage;
  }

  checkValidity(): boolean {
    return this.internals.checkValidity();
  }

  reportValidity(): boolean {
    return this.internals.reportValidity();
  }

  /** @internal Form reset: the choices as loaded. */
  formResetCallback(): void {
    this.value = this.initial;
    this.status = '';
  }

  /** @internal Back/forward navigation and autofill restore the submitted JSON. */
  formStateRestoreCallback(state: string | null): void {
    try {
      this.value = JSON.parse(state ?? '') as ConsentChoices;
    } catch {
      // Not ours: keep the current choices.
    }
  }

  /** @internal */
  formDisabledCallback(disabled: boolean): void {
    this.formDisabled = disabled;
  }

  private get keys(): Record<string, string> {
    return { 'x-client-application-id': this.clientApplicationId ?? '', 'x-client-token': this.clientToken ?? '' };
  }

  private get storageKey(): string | undefined {
    return this.customer || subjectOf(this.sessionToken);
  }

  private get formMode(): boolean {
    return !!this.name && !!this.internals.form;
  }

  private loaded(data: EdgeConsents): EdgeConsents {
    clearTimeout(this.timer);
    this.data = data;
    this.status = '';
    this.agreedNow = undefined;
    this.value = data.unsubscribed ? { unsubscribed: true } : Object.fromEntries(
      Object.entries(data.state).map(([id, decision]) => [id, decision?.value === true]),
    );
    this.initial = this.value;
    const unsaved = pending(this.storageKey);
    if (this.preset || unsaved) this.value = (unsaved ?? this.preset)!;
    this.preset = undefined;
    if (unsaved) {
      // The customer asked to save these before the page was reloaded: finish the job.
      this.attempt = 0;
      void this.updateComplete.then(() => this.send());
    }
    return data;
  }

  private async send(): Promise<boolean> {
    clearTimeout(this.timer);
    const data = this.data!;
    const choices = this.value;
    const key = this.storageKey;
    const viaWorker = this.saveVia ? this.saveVia === 'worker' : !!(this.workerUrl && this.sessionToken);
    pending(key, choices);
    this.status = 'saving';
    try {
      let state: EdgeConsents | undefined;
      if (viaWorker) {
        if (!this.workerUrl) throw configError('save-via="worker" needs worker-url and session-token');
        state = sanitize(
          await updateMyConsents({ url: this.workerUrl, token: this.sessionToken }, choices, {
            policyVersion: this.policyVersion,
          }),
        );
      } else {
        if (!this.customer) throw configError('vc-consent-panel needs a customer attribute to save');
        const consentsPath = path`client/v1/customers/${this.customer}/consents`;
        await send(endpoint(this.apiUrl, consentsPath), { method: 'PUT', json: choices, headers: this.keys });
      }
      const date = new Date().toISOString();
      this.data = state ?? {
        ...data,
        unsubscribed: !!choices.unsubscribed,
        state: Object.fromEntries(Object.entries(choices).map(([id, value]) => [id, { date, value }])),
      };
      if (JSON.stringify(this.value) === JSON.stringify(choices)) pending(key, null);
      this.initial = choices;
      this.agreedNow = this.policyVersion;
      this.status = 'saved';
      this.dispatchEvent(new VcConsentSavedEvent(choices, state));
      return true;
    } catch (error) {
      this.fail(error, 'save');
      const delay = (this.constructor as typeof VcConsentPanel).retryDelays[this.attempt++];
      if (isTransient(error) && delay !== undefined) {
        const asked = (error as { retryAfter?: number | null }).retryAfter ?? 0;
        this.timer = setTimeout(() => void this.send(), Math.max(delay, asked * 1000));
      }
      return false;
    }
  }

  private fail(error: unknown, action: VcErrorAction): void {
    if (action === 'save') {
      this.failure = error;
      this.status = 'error';
    }
    this.dispatchEvent(new VcErrorEvent(error, action));
    if (isExpired(error)) this.dispatchEvent(new VcSessionExpiredEvent());
  }

  // Back online: finish a failed save, or a load that failed for want of a network.
  private readonly onOnline = (): void => {
    if (this.status === 'error' && isTransient(this.failure)) void this.send();
    else if (this.loader.status === TaskStatus.ERROR && isTransient(this.loader.error)) void this.reload();
  };

  private change(consentId: string | null, value: boolean, choices: Record<string, boolean>, optOut = false): void {
    this.choices = choices;
    this.optedOut = optOut;
    if (this.status === 'saved') this.status = '';
    // While a save is failing, what the customer adds is part of what will be retried (after a reload too).
    if (this.status === 'error') pending(this.storageKey, this.value);
    this.dispatchEvent(new VcConsentChangeEvent(consentId, value, this.value));
  }

  private onToggle(event: Event): void {
    const input = event.target as HTMLInputElement;
    this.change(input.id, input.checked, { ...this.choices, [input.id]: input.checked });
  }

  private setAll(value: boolean): void {
    const choices = Object.fromEntries(Object.keys(this.choices).map((id) => [id, value]));
    this.change(null, value, choices, !value);
    if (!this.formMode) void this.save();
  }

  private async retry(): Promise<void> {
    this.attempt = 0;
    const saved = await this.send();
    await this.updateComplete;
    // The Retry button is gone: keep focus in the panel rather than dropping it on the page.
    if (saved) this.focusFirst('[part~=save]', 'input');
  }

  private async retryLoad(): Promise<void> {
    await this.reload();
    await this.updateComplete;
    this.focusFirst('input', 'button');
  }

  private focusFirst(...selectors: string[]): void {
    for (const selector of selectors) {
      const target = this.renderRoot.querySelector<HTMLElement>(selector);
      if (target) return target.focus();
    }
  }

  protected override render(): TemplateResult {
    return html`<div part="base" class="base">
      <slot></slot>
      ${this.loader.render({
        pending: () => html`<p class="status muted" role="status">${msg('Loading your choices…')}</p>`,
        complete: () => this.renderChoices(this.data!),
        error: (error) => html`<p class="status error" role="alert">
            ${msg('Your choices could not be loaded.')} ${describeError(error)}
          </p>
          <button part="button retry" @click=${this.retryLoad}>${msg('Try again')}</button>`,
      })}
    </div>`;
  }

  private renderChoices(data: EdgeConsents): TemplateResult {
    if (!data.consents.length) return html`<p>${msg('There is nothing to choose here yet.')}</p>`;
    const byId = new Map(data.consents.map((consent) => [consent.id, consent]));
    const grouped = new Set(data.groups.flatMap((group) => group.consents));
    const rest = data.consents.filter((consent) => !grouped.has(consent.id));
    const agreed = this.agreedNow ?? this.agreedPolicyVersion ?? data.policy_version;
    const review =
      this.policyVersion && (agreed ? isOlder(agreed, this.policyVersion) : Object.keys(data.state).length > 0);
    const optedOutOn = data.unsubscribed && data.state.unsubscribed?.date;
    const status = this.status;
    return html`
      ${review
        ? html`<p part="notice" class="notice">
            <strong>${msg('Our privacy policy has changed.')}</strong>
            ${msg('Please review your choices and save them again.')}
          </p>`
        : nothing}
      ${optedOutOn
        ? html`<p class="muted">${msg(str`You opted out of everything on ${this.date(optedOutOn)}.`)}</p>`
        : nothing}
      ${data.groups.map((group) =>
        this.renderGroup(
          group.name,
          group.description,
          group.consents.map((id) => byId.get(id)!).filter(Boolean),
        ),
      )}
      ${rest.length ? this.renderGroup(data.groups.length ? msg('Other') : msg('Your choices'), '', rest) : nothing}
      <div part="actions" class="actions">
        <button part="button accept-all" ?disabled=${this.off} @click=${() => this.setAll(true)}>
          ${msg('Accept all')}
        </button>
        <button part="button opt-out" ?disabled=${this.off} @click=${() => this.setAll(false)}>
          ${msg('Opt out of everything')}
        </button>
        ${this.formMode
          ? nothing
          : html`<button part="button save" class="primary" ?disabled=${this.off} @click=${this.save}>
              ${msg('Save choices')}
            </button>`}
      </div>
      <p part="status" class="status ${status === 'error' ? 'error' : status ? 'ok' : ''}" role="status">
        ${status === 'saving'
          ? msg('Saving…')
          : status === 'saved'
            ? msg('Your choices have been saved.')
            : status === 'error'
              ? html`${msg('Your choices have not been saved yet.')} ${describeError(this.failure)}
                ${isTransient(this.failure) ? msg('They are kept here and we will try again.') : nothing}`
              : nothing}
      </p>
      ${status === 'error'
        ? html`<button part="button retry" @click=${this.retry}>${msg('Try again')}</button>`
        : nothing}
    `;
  }

  private renderGroup(name: string, description: string, consents: EdgeConsentDefinition[]): TemplateResult | typeof nothing {
    if (!consents.length) return nothing;
    const state = this.data?.state ?? {};
    return html`<fieldset part="group">
      <legend part="legend" dir="auto">${name}</legend>
      ${description ? html`<p part="group-description" class="muted"><bdi>${description}</bdi></p>` : nothing}
      ${consents.map((consent) => {
        const decision = this.optedOut ? undefined : state[consent.id];
        return html`<div part="consent" class="consent">
          <input
            type="checkbox"
            role="switch"
            part="switch"
            id=${consent.id}
            aria-describedby="${consent.id}-d"
            .checked=${this.choices[consent.id] === true}
            ?disabled=${this.off}
            @change=${this.onToggle}
          />
          <div>
            <label part="label" for=${consent.id} dir="auto">${consent.name}</label>
            <div part="description" class="muted" id="${consent.id}-d">
              <bdi>${consent.description}</bdi>
              ${decision?.date
                ? html`<br />${decision.value
                      ? msg(str`Agreed on ${this.date(decision.date)}.`)
                      : msg(str`Declined on ${this.date(decision.date)}.`)}`
                : nothing}
            </div>
          </div>
        </div>`;
      })}
    </fieldset>`;
  }

  private get off(): boolean {
    return this.disabled || this.formDisabled;
  }

  private date(value: string): string {
    return formatDate(this.i18n.tag, value, { dateStyle: 'medium' });
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vc-consent-panel': VcConsentPanel;
  }
}
