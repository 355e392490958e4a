import { msg } from '@lit/localize';
import { Task, TaskStatus } from '@lit/task';
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { getMe, listMyActivities, listMySegments, updateMe } from '../../api/edge.js';
import type { EdgeConnection } from '../../api/edge.js';
import type { EdgeActivity, EdgeActivityList, EdgeProfile } from '../../api/edge-types.js';
import { VcProfileSavedEvent } from '../events.js';
import { configError, describeError, isExpired, isTransient } from '../messages.js';
import { sessionKey } from '../session.js';
import { sharedStyles } from '../styles.js';
import { VcElement } from '../vc-element.js';
import { changes, profileValue, readForm } from './profile-form.js';
import type { Field } from './profile-form.js';
import { styles } from './profile-card.styles.js';
import { DeletionController } from './deletion.js';
import { renderActivities, renderDeleted, renderDetails, renderField, renderForm, renderSegments } from './render.js';
import type { Segments } from './render.js';

interface Loaded {
  profile: EdgeProfile;
  segments: Segments;
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
      this.deleting.deletion = undefined;
      return { profile, segments: lists };
    },
    onError: (error) => this.fail(error, 'load'),
  });

  private readonly deleting = new DeletionController(this, {
    edge: () => this.edge,
    busy: (now) => {
      if (now !== undefined) this.busy = now ? 'delete' : '';
      return !!this.busy;
    },
    fail: (error) => this.fail(error, 'delete'),
    focusOn: (selector) => this.focusOn(selector),
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
    const { invalid, draft } = readForm(event.target as HTMLFormElement);
    this.invalid = invalid;
    this.draft = draft;
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

  protected override render(): TemplateResult {
    return html`<div part="base" class="base">
      ${
        this.deleting.deletion
          ? renderDeleted(this.deleting.deletion)
          : this.loader.render({
              pending: () =>
                html`<p part="status" class="status muted" role="status">${msg('Loading your profile…')}</p>`,
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
            })
      }
    </div>`;
  }

  private renderField(field: Field, profile: EdgeProfile): TemplateResult {
    return renderField(
      field,
      this.draft?.[field.name] ?? profileValue(profile, field.name),
      this.invalid[field.name],
      this.onInput,
    );
  }

  private renderProfile({ profile, segments }: Loaded): TemplateResult {
    const tag = this.i18n.tag;
    const points = profile.loyalty?.points;
    return html`
      <section part="section" aria-labelledby="details">
        <div class="head">
          <h2 part="heading" id="details">${msg('Your details')}</h2>
          ${
            this.editing
              ? nothing
              : html`<button part="button edit" @click=${this.edit}>${msg('Edit details')}</button>`
          }
        </div>
        ${
          this.editing
            ? renderForm((field) => this.renderField(field, profile), this.saveError, this.busy === 'save', {
                submit: (event) => this.onSave(event, profile),
                cancel: this.cancel,
              })
            : renderDetails(profile, tag)
        }
        <p part="status" class="status ok" role="status">
          ${this.saved ? msg('Your details have been saved.') : nothing}
        </p>
      </section>
      ${
        typeof points === 'number'
          ? html`<section part="section" aria-labelledby="loyalty">
              <h2 part="heading" id="loyalty">${msg('Loyalty points')}</h2>
              <p part="loyalty" class="points">${new Intl.NumberFormat(tag).format(points)}</p>
            </section>`
          : nothing
      }
      ${renderSegments(segments)}
      ${renderActivities(
        { activities: this.activities, error: this.activityError, more: this.more, loading: this.busy === 'more' },
        tag,
        this.loadMore,
      )}
      ${this.deleting.render()}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vc-profile-card': VcProfileCard;
  }
}
