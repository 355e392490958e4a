import { msg, str } from '@lit/localize';
import { Task, TaskStatus } from '@lit/task';
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { deleteMe, getMe, listMyActivities, listMySegments, updateMe } from '../../api/edge.js';
import type { EdgeConnection } from '../../api/edge.js';
import { EARLIEST_BIRTHDATE, today } from '../../api/profile-rules.js';
import type { EdgeActivity, EdgeActivityList, EdgePermanentDeletion, EdgeProfile, EdgeSegmentList } from '../../api/edge-types.js';
import { VcProfileDeletedEvent, VcProfileSavedEvent } from '../events.js';
import { formatDate } from '../localization.js';
import { configError, describeError, isExpired, isTransient } from '../messages.js';
import { sessionKey } from '../session.js';
import { sharedStyles } from '../styles.js';
import { VcElement } from '../vc-element.js';
import { activityLabel } from './activity.js';
import { addressFields, changes, personFields, profileValue } from './profile-form.js';
import type { Field } from './profile-form.js';
import { styles } from './profile-card.styles.js';

interface Loaded {
  profile: EdgeProfile;
  segments: EdgeSegmentList | { error: unknown };
}

/**
 * @summary The account page card: the signed-in customer's details, segments, loyalty points and recent activity,
 * editing of the allowed fields, and "delete my data" behind a typed confirmation. Talks only to the edge worker.
 *
 * @tagname vc-profile-card
 *
 * @csspart base - The outer box.
 * @csspart section - Each section (details, loyalty, segments, activities, delete).
 * @csspart heading - Each section's heading.
 * @csspart details - The list of the customer's details.
 * @csspart segments - The list of segments.
 * @csspart loyalty - The loyalty points figure.
 * @csspart activities - The list of activities.
 * @csspart activity - One activity.
 * @csspart form - The edit form and the delete confirmation.
 * @csspart field - A label with its input and message.
 * @csspart input - Every text input.
 * @csspart field-error - A field's validation message.
 * @csspart actions - A row of buttons.
 * @csspart button - Every button.
 * @csspart edit - The "edit" button.
 * @csspart load-more - The "load more" activities button.
 * @csspart delete - The "delete my data" buttons.
 * @csspart retry - The "try again" button after a failed load.
 * @csspart status - Status lines (saved, errors, final state).
 *
 * @cssproperty --vc-profile-card-background - Background of the box (default `--vc-color-surface`).
 * @cssproperty --vc-profile-card-border-color - Borders of the box and between sections (default `--vc-color-border`).
 * @cssproperty --vc-profile-card-padding - Padding of the box (default `--vc-space`).
 * @cssproperty --vc-profile-card-heading-size - Font size of section headings (default `1.125em`).
 *
 * @fires {VcProfileSavedEvent} vc-profile-saved - The customer saved their details: `{profile}`.
 * @fires {VcProfileDeletedEvent} vc-profile-deleted - The customer's data was deleted: `{deletion}`.
 * @fires {VcSessionExpiredEvent} vc-session-expired - The worker refused the session token; set a fresh `sessionToken`.
 * @fires {VcErrorEvent} vc-error - A request failed: `{error, action: 'load' | 'load-more' | 'save' | 'delete'}`.
 */
export class VcProfileCard extends VcElement {
  static override styles = [sharedStyles, styles];

  private readonly loader = new Task(this, {
    args: () => [this.workerUrl, sessionKey(this.sessionToken), this.limit] as const,
    task: async ([url, session, limit], { signal }): Promise<Loaded | null> => {
      if (!url) throw configError('vc-profile-card needs worker-url');
      if (!session) return null;
      const edge = { url, token: this.sessionToken };
      const [profile, lists] = await Promise.all([getMe(edge, signal), this.lists(edge, limit, signal)]);
      this.deletion = undefined;
      return { profile, segments: lists };
    },
    onError: (error) => this.fail(error, 'load'),
  });

  /** The edge worker's base URL. */
  @property({ attribute: 'worker-url' }) workerUrl?: string;
  /**
   * A session token from the shop's backend. A fresh token for the same customer is used from then on (and reloads a
   * card that failed, e.g. after `vc-session-expired`); a token for another customer reloads.
   */
  @property({ attribute: 'session-token' }) sessionToken?: string;
  /** How many activities to show at first and per "load more" (1–100). */
  @property({ attribute: 'page-size', type: Number }) pageSize = 5;

  @state() private activities: EdgeActivity[] = [];
  @state() private activityError: unknown;
  @state() private more?: string;
  @state() private busy: '' | 'save' | 'delete' | 'more' = '';
  @state() private editing = false;
  @state() private draft?: Record<string, string>;
  @state() private invalid: Record<string, string> = {};
  @state() private saveError: unknown;
  @state() private saved = false;
  @state() private confirming = false;
  @state() private confirmError = '';
  @state() private deleteError: unknown;
  @state() private deletion?: EdgePermanentDeletion;

  /** Loads everything again. */
  async reload(): Promise<void> {
    await this.loader.run().catch(() => undefined);
  }

  /** `page-size`, kept within what the worker accepts (1–100). */
  private get limit(): number {
    return Math.min(100, Math.max(1, Math.trunc(this.pageSize) || 5));
  }

  /**
   * Back online after a load failed for want of a network: tries again by itself. A fresh token for the same customer
   * keeps the card as it is, unless loading had failed (e.g. expired).
   */
  protected override retryFailed(online: boolean): void {
    if (this.loader.status === TaskStatus.ERROR && (!online || isTransient(this.loader.error))) void this.reload();
  }

  private get edge(): EdgeConnection {
    return { url: this.workerUrl ?? '', token: this.sessionToken };
  }

  /** Segments and the first page of activities; a failure of either shows in its own section. */
  private async lists(edge: EdgeConnection, limit: number, signal?: AbortSignal): Promise<Loaded['segments']> {
    const keep = (error: unknown) => ({ error });
    const [segments, activities] = await Promise.all([
      listMySegments(edge, signal).catch(keep),
      listMyActivities(edge, { limit }, signal).catch(keep),
    ]);
    this.takeActivities(activities, true);
    return segments;
  }

  private takeActivities(page: EdgeActivityList | { error: unknown }, first: boolean): void {
    if ('error' in page) {
      this.activityError = page.error;
      if (!first) this.fail(page.error, 'load-more');
      return;
    }
    this.activityError = undefined;
    const items = Array.isArray(page.data) ? page.data : [];
    this.activities = first ? items : [...this.activities, ...items];
    this.more = page.has_more ? page.more_starting_after : undefined;
  }

  private async loadMore(): Promise<void> {
    if (this.busy) return;
    const before = this.activities.length;
    this.busy = 'more';
    this.takeActivities(
      await listMyActivities(this.edge, { limit: this.limit, startingAfterId: this.more }).catch((error: unknown) => ({
        error,
      })),
      false,
    );
    this.busy = '';
    await this.updateComplete;
    // Move to the first new entry, so keyboard and screen-reader users continue where the list grew.
    this.focusOn(`[part~=activity]:nth-child(${before + 1})`);
  }

  private focusOn(selector: string): void {
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private async edit(): Promise<void> {
    this.editing = true;
    this.saved = false;
    this.saveError = undefined;
    await this.updateComplete;
    this.focusOn('input');
  }

  private async cancel(): Promise<void> {
    this.editing = false;
    this.draft = undefined;
    this.invalid = {};
    await this.updateComplete;
    this.focusOn('[part~=edit]');
  }

  private onInput(event: Event): void {
    const input = event.target as HTMLInputElement;
    if (this.invalid[input.name] && input.checkValidity()) {
      const { [input.name]: _, ...rest } = this.invalid;
      this.invalid = rest;
    }
  }

  private async onSave(event: SubmitEvent, profile: EdgeProfile): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const form = event.target as HTMLFormElement;
    const invalid: Record<string, string> = {};
    for (const input of form.querySelectorAll('input')) {
      if (!input.checkValidity()) invalid[input.name] = input.dataset.invalid || msg('Check this field.');
    }
    this.invalid = invalid;
    this.draft = Object.fromEntries([...new FormData(form)].map(([key, value]) => [key, String(value)]));
    if (Object.keys(invalid).length) {
      await this.updateComplete;
      this.focusOn('[aria-invalid=true]');
      return;
    }
    const update = changes(profile, this.draft);
    this.busy = 'save';
    this.saveError = undefined;
    try {
      const saved = Object.keys(update).length ? await updateMe(this.edge, update) : profile;
      const loaded = this.loader.value!;
      loaded.profile = saved;
      this.editing = false;
      this.draft = undefined;
      this.saved = true;
      this.dispatchEvent(new VcProfileSavedEvent(saved));
      // The change shows in the activity list (and may move the customer into or out of segments).
      void this.lists(this.edge, this.limit).then((segments) => {
        loaded.segments = segments;
        this.requestUpdate();
      });
    } catch (error) {
      this.saveError = error;
      this.fail(error, 'save');
    }
    this.busy = '';
    await this.updateComplete;
    if (this.saved) this.focusOn('[part~=edit]');
  }

  private async askDelete(): Promise<void> {
    this.confirming = true;
    this.confirmError = '';
    this.deleteError = undefined;
    await this.updateComplete;
    this.focusOn('#confirm');
  }

  private async cancelDelete(): Promise<void> {
    this.confirming = false;
    await this.updateComplete;
    this.focusOn('[part~=delete]');
  }

  private async onDelete(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    const typed = new FormData(event.target as HTMLFormElement).get('confirm');
    const said = String(typed ?? '').trim().toLocaleUpperCase();
    if (said !== this.word.toLocaleUpperCase() && said !== 'DELETE') {
      this.confirmError = msg(str`Type ${this.word} to confirm`);
      this.focusOn('#confirm');
      return;
    }
    this.confirmError = '';
    this.busy = 'delete';
    this.deleteError = undefined;
    try {
      this.deletion = await deleteMe(this.edge);
      this.dispatchEvent(new VcProfileDeletedEvent(this.deletion));
    } catch (error) {
      this.deleteError = error;
      this.fail(error, 'delete');
    }
    this.busy = '';
    await this.updateComplete;
    this.focusOn(this.deletion ? 'h2' : '#confirm');
  }

  /** The word the customer types to confirm deletion, in their language. */
  private get word(): string {
    return msg('DELETE');
  }

  protected override render(): TemplateResult {
    return html`<div part="base" class="base">
      ${this.deletion
        ? this.renderDeleted(this.deletion)
        : this.loader.render({
            pending: () => html`<p part="status" class="status muted" role="status">${msg('Loading your profile…')}</p>`,
            complete: (data) =>
              data
                ? this.renderProfile(data)
                : html`<p part="status" class="status">${msg('Sign in to see your profile.')}</p>`,
            error: (error) =>
              isExpired(error)
                ? html`<p part="status" class="status error" role="alert">
                    ${msg('Your session has expired. Please sign in again.')}
                  </p>`
                : html`<p part="status" class="status error" role="alert">
                      ${msg('Your profile could not be loaded.')} ${describeError(error)}
                    </p>
                    <button part="button retry" @click=${this.reload}>${msg('Try again')}</button>`,
          })}
    </div>`;
  }

  private renderDeleted(deletion: EdgePermanentDeletion): TemplateResult {
    return html`<section part="section" role="status">
      <h2 part="heading" tabindex="-1">
        ${deletion.status === 'DONE' ? msg('Your data has been deleted.') : msg('Your request to delete your data has been received.')}
      </h2>
      <p>${msg('Your profile, consents and activity history are permanently removed. This cannot be undone.')}</p>
      <p class="muted">${msg(str`Reference: ${deletion.id}`)}</p>
    </section>`;
  }

  private renderProfile({ profile, segments }: Loaded): TemplateResult {
    const tag = this.i18n.tag;
    const points = profile.loyalty?.points;
    return html`
      <section part="section" aria-labelledby="details">
        <div class="head">
          <h2 part="heading" id="details">${msg('Your details')}</h2>
          ${this.editing
            ? nothing
            : html`<button part="button edit" @click=${this.edit}>${msg('Edit details')}</button>`}
        </div>
        ${this.editing ? this.renderForm(profile) : this.renderDetails(profile)}
        <p part="status" class="status ok" role="status">${this.saved ? msg('Your details have been saved.') : nothing}</p>
      </section>
      ${typeof points === 'number'
        ? html`<section part="section" aria-labelledby="loyalty">
            <h2 part="heading" id="loyalty">${msg('Loyalty points')}</h2>
            <p part="loyalty" class="points">${new Intl.NumberFormat(tag).format(points)}</p>
          </section>`
        : nothing}
      <section part="section" aria-labelledby="segments">
        <h2 part="heading" id="segments">${msg('Segments')}</h2>
        ${'error' in segments
          ? html`<p class="error">${msg('Your segments could not be loaded.')} ${describeError(segments.error)}</p>`
          : segments.data?.length
            ? html`<ul part="segments">
                ${segments.data.map((segment) => html`<li><bdi>${segment.name}</bdi></li>`)}
              </ul>`
            : html`<p class="muted">${msg('You are not in any segment.')}</p>`}
      </section>
      <section part="section" aria-labelledby="activity">
        <h2 part="heading" id="activity">${msg('Recent activity')}</h2>
        ${this.activities.length
          ? html`<ol part="activities" role="list">
              ${this.activities.map(
                (activity) => html`<li part="activity" tabindex="-1">
                  <bdi>${activityLabel(activity, tag)}</bdi>
                  <time class="muted" datetime=${activity.created_at}
                    >${formatDate(tag, activity.created_at, { dateStyle: 'medium', timeStyle: 'short' })}</time
                  >
                </li>`,
              )}
            </ol>`
          : this.activityError
            ? nothing
            : html`<p class="muted">${msg('No activity yet.')}</p>`}
        ${this.activityError
          ? html`<p class="error" role="alert">${msg('Activities could not be loaded.')} ${describeError(this.activityError)}</p>`
          : nothing}
        ${this.more || (this.activityError && this.activities.length)
          ? html`<div class="actions">
              <button part="button load-more" @click=${this.loadMore}>
                ${this.busy === 'more' ? msg('Loading…') : msg('Load more')}
              </button>
            </div>`
          : nothing}
      </section>
      ${this.renderDelete()}
    `;
  }

  private renderDetails(profile: EdgeProfile): TemplateResult {
    const [line1, line2, postalCode, city, region, country] = addressFields().map((field) => profileValue(profile, field.name));
    const address = [line1, line2, `${postalCode} ${city}`.trim(), region, country].filter(Boolean);
    const birthdate = profile.birthdate;
    const rows: Array<[string, unknown]> = [
      [msg('Name'), profile.name],
      [msg('Email'), profile.email],
      [msg('Phone'), profile.phone],
      [msg('Address'), address.length ? address.map((line, i) => html`${i ? html`<br />` : nothing}${line}`) : ''],
      [
        msg('Date of birth'),
        birthdate && formatDate(this.i18n.tag, `${birthdate}T00:00:00Z`, { dateStyle: 'long', timeZone: 'UTC' }),
      ],
    ];
    return html`<dl part="details">
      ${rows.map(
        ([label, value]) =>
          html`<dt>${label}</dt>
            <dd>${value ? html`<bdi>${value}</bdi>` : html`<span class="muted">${msg('Not provided')}</span>`}</dd>`,
      )}
    </dl>`;
  }

  private renderForm(profile: EdgeProfile): TemplateResult {
    const saving = this.busy === 'save';
    return html`<form part="form" novalidate @submit=${(event: SubmitEvent) => this.onSave(event, profile)}>
      ${personFields().map((field) => this.renderField(field, profile))}
      <fieldset>
        <legend>${msg('Address')}</legend>
        ${addressFields().map((field) => this.renderField(field, profile))}
      </fieldset>
      ${this.saveError
        ? html`<p part="status" class="status error" role="alert">
            ${msg('Your details have not been saved.')} ${describeError(this.saveError)}
          </p>`
        : nothing}
      <div part="actions" class="actions">
        <button part="button" class="primary" type="submit">${saving ? msg('Saving…') : msg('Save details')}</button>
        <button part="button" type="button" @click=${this.cancel}>${msg('Cancel')}</button>
      </div>
    </form>`;
  }

  private renderField(field: Field, profile: EdgeProfile): TemplateResult {
    const id = `f-${field.name.replace('.', '-')}`;
    const error = this.invalid[field.name];
    const date = field.type === 'date';
    return html`<div part="field" class="field">
      <label for=${id}>${field.label}</label>
      <input
        part="input"
        id=${id}
        name=${field.name}
        type=${field.type}
        autocomplete=${field.autocomplete}
        .value=${this.draft?.[field.name] ?? profileValue(profile, field.name)}
        maxlength=${field.max ?? nothing}
        pattern=${field.pattern ?? nothing}
        min=${date ? EARLIEST_BIRTHDATE : nothing}
        max=${date ? today() : nothing}
        data-invalid=${field.invalid ?? nothing}
        aria-invalid=${error ? 'true' : nothing}
        aria-describedby=${error ? `${id}-e` : nothing}
        @input=${this.onInput}
      />
      ${error ? html`<p part="field-error" class="error" id="${id}-e">${error}</p>` : nothing}
    </div>`;
  }

  private renderDelete(): TemplateResult {
    const deleting = this.busy === 'delete';
    return html`<section part="section" aria-labelledby="delete">
      <h2 part="heading" id="delete">${msg('Delete my data')}</h2>
      <p>${msg('This permanently deletes your profile, your consents and your activity history. It cannot be undone.')}</p>
      ${this.confirming
        ? html`<form part="form" novalidate @submit=${this.onDelete}>
            <div part="field" class="field">
              <label for="confirm">${msg(str`Type ${this.word} to confirm`)}</label>
              <input
                part="input"
                id="confirm"
                name="confirm"
                autocomplete="off"
                aria-invalid=${this.confirmError ? 'true' : nothing}
                aria-describedby=${this.confirmError || this.deleteError ? 'confirm-e' : nothing}
              />
              ${this.confirmError || this.deleteError
                ? html`<p part="field-error" class="error" id="confirm-e" role="alert">
                    ${this.confirmError ||
                    html`${msg('Your data has not been deleted.')} ${describeError(this.deleteError)}`}
                  </p>`
                : nothing}
            </div>
            <div part="actions" class="actions">
              <button part="button delete" class="danger" type="submit">
                ${deleting ? msg('Deleting…') : msg('Delete permanently')}
              </button>
              <button part="button" type="button" @click=${this.cancelDelete}>${msg('Cancel')}</button>
            </div>
          </form>`
        : html`<button part="button delete" class="danger" @click=${this.askDelete}>${msg('Delete my data…')}</button>`}
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vc-profile-card': VcProfileCard;
  }
}
