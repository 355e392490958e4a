import { msg } from '@lit/localize';
import { Task, TaskStatus } from '@lit/task';
import { html } from 'lit';
import type { PropertyDeclarations, TemplateResult } from 'lit';
import { getMe, listMyActivities, listMySegments, updateMe } from '../../api/edge.js';
import type { EdgeConnection } from '../../api/edge.js';
import type { EdgeActivity, EdgeActivityList, EdgeProfile } from '../../api/edge-types.js';
import { VcProfileSavedEvent } from '../events.js';
import { configError, isTransient } from '../messages.js';
import { labelsAttribute } from '../labels.js';
import type { Labels } from '../labels.js';
import { holdRoom } from '../room.js';
import { sessionKey } from '../session.js';
import { sharedStyles, skeletonStyles } from '../styles.js';
import { VcElement } from '../vc-element.js';
import { changes, profileValue, readForm } from './profile-form.js';
import type { Field } from './profile-form.js';
import { styles } from './profile-card.styles.js';
import { DeletionController } from './deletion.js';
import * as view from './render.js';

/** A failed read, kept to show in its own section. */
const keep = (error: unknown) => ({ error });

interface Loaded {
  profile: EdgeProfile;
  segments: view.Segments;
}

/**
 * @summary The account page card: the signed-in customer's details, segments, loyalty points and recent activity,
 * editing of the allowed fields, and "delete my data" behind a typed confirmation. Talks only to the edge worker.
 *
 * @tagname vc-profile-card
 *
 * @csspart base - The outer box.
 * @csspart skeleton - What shows while the profile loads: grey bars in the room the card took when last shown.
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
 * @csspart load-more - The "load more" activities button (or "try again" when the first page could not be read).
 * @csspart toggle - The button in the activity heading that opens and closes the list.
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
  static override styles = [sharedStyles, skeletonStyles, styles];
  // Within the size budget: reactive properties are declared here rather than with decorators, and internal members are
  // named `_like` (the script-tag bundles shorten such names; they cannot shorten TypeScript's `private` ones).
  static override properties: PropertyDeclarations = {
    workerUrl: { attribute: 'worker-url' },
    sessionToken: { attribute: 'session-token' },
    pageSize: { attribute: 'page-size', type: Number },
    activities: {},
    labels: { converter: labelsAttribute },
    _activities: { state: true },
    _activityError: { state: true },
    _more: { state: true },
    _open: { state: true },
    _busy: { state: true },
    _editing: { state: true },
    _draft: { state: true },
    _invalid: { state: true },
    _saveError: { state: true },
    _saved: { state: true },
  };

  private readonly _loader = new Task(this, {
    args: () => [this.workerUrl, sessionKey(this.sessionToken), this._limit] as const,
    task: async ([url, session, limit], { signal }): Promise<Loaded | null> => {
      if (!url) throw configError('vc-profile-card needs worker-url');
      if (!session) return null;
      const edge = { url, token: this.sessionToken };
      const [profile, lists] = await Promise.all([getMe(edge, signal), this._lists(edge, limit, signal)]);
      this._deleting._deletion = undefined;
      return { profile, segments: lists };
    },
    onError: (error) => this.fail(error, 'load'),
  });

  private readonly _deleting = new DeletionController(this, {
    _edge: () => this._edge,
    _busy: (now) => {
      if (now !== undefined) this._busy = now ? 'delete' : '';
      return !!this._busy;
    },
    _fail: (error) => this.fail(error, 'delete'),
    _focusOn: (selector) => this._focusOn(selector),
  });

  /** The edge worker's base URL. */
  workerUrl?: string;
  /**
   * A session token from the shop's backend. A fresh token for the same customer is used from then on (and reloads a
   * card that failed, e.g. after `vc-session-expired`); a token for another customer reloads.
   */
  sessionToken?: string;
  /** How many activities to show at first and per "load more" (1–100). */
  pageSize = 5;
  /**
   * When the activity history is read: `lazy` once the customer opens it with its heading's button, which spares the
   * worker and Voucherify a request on every page view; `eager` with the profile, shown open.
   */
  activities: 'lazy' | 'eager' = 'lazy';
  /**
   * The shop's texts per locale for the names Voucherify holds in one language (segments, and consents in the
   * activity list): `{"ar": {"seg_…": "…", "cnst_…": {"name": "…"}}}`, as on `<vc-consent-panel>`. As an attribute: JSON.
   */
  labels?: Labels;

  /** The activities read so far; `undefined`: not read (yet). */
  private _activities?: EdgeActivity[] | undefined;
  /** A lazy card's activity list is open. */
  private _open = false;
  /** Why the last page of activities could not be read. */
  private _activityError: unknown;
  /** Where the next page of activities starts; `undefined`: no more. */
  private _more?: string;
  /** The request under way. */
  private _busy: '' | 'save' | 'delete' | 'more' = '';
  private _editing = false;
  /** What the edit form held when it was last submitted. */
  private _draft?: Record<string, string>;
  /** The message of each field that breaks a constraint. */
  private _invalid: Record<string, string> = {};
  private _saveError: unknown;
  private _saved = false;

  /** Loads everything again. */
  async reload(): Promise<void> {
    await this._loader.run().catch(() => undefined);
  }

  /** `page-size`, kept within what the worker accepts (1–100). */
  private get _limit(): number {
    return Math.min(100, Math.max(1, Math.trunc(this.pageSize) || 5));
  }

  /**
   * Back online after a load failed for want of a network: tries again by itself. A fresh token for the same customer
   * keeps the card as it is, unless loading had failed (e.g. expired).
   */
  protected override retryFailed(online: boolean): void {
    if (this._loader.status === TaskStatus.ERROR && (!online || isTransient(this._loader.error))) void this.reload();
  }

  private get _edge(): EdgeConnection {
    return { url: this.workerUrl ?? '', token: this.sessionToken };
  }

  /** Segments and, when shown, the first page of activities; a failure of either shows in its own section. */
  private async _lists(edge: EdgeConnection, limit: number, signal?: AbortSignal): Promise<Loaded['segments']> {
    const [segments, activities] = await Promise.all([
      listMySegments(edge, signal).catch(keep),
      (this._open ||= this.activities === 'eager') && listMyActivities(edge, { limit }, signal).catch(keep),
    ]);
    if (activities) this._takeActivities(activities, true);
    else this._activities = this._more = undefined;
    return segments;
  }

  private _takeActivities(page: EdgeActivityList | { error: unknown }, first: boolean): void {
    if ('error' in page) {
      this._activityError = page.error;
      if (!first) this.fail(page.error, 'load-more');
      return;
    }
    this._activityError = undefined;
    const items = Array.isArray(page.data) ? page.data : [];
    this._activities = first ? items : [...(this._activities ?? []), ...items];
    this._more = page.has_more ? page.more_starting_after : undefined;
  }

  /** The next page, or the first one when none could be read. */
  private async _loadMore(): Promise<void> {
    if (this._busy) return;
    const before = this._activities?.length ?? 0;
    this._busy = 'more';
    this._takeActivities(
      await listMyActivities(this._edge, { limit: this._limit, startingAfterId: this._more }).catch(keep),
      !before,
    );
    this._busy = '';
    await this.updateComplete;
    // Move to the first new entry, so keyboard and screen-reader users continue where the list grew.
    if (before) this._focusOn(`[part~=activity]:nth-child(${before + 1})`);
  }

  /** Opens or closes a lazy card's activity list; opening it the first time reads the first page. */
  private _toggle(): void {
    this._open = !this._open;
    if (this._open && !this._activities) void this._loadMore();
  }

  private _focusOn(selector: string): void {
    this.renderRoot.querySelector<HTMLElement>(selector)?.focus();
  }

  private async _edit(): Promise<void> {
    this._editing = true;
    this._saved = false;
    this._saveError = undefined;
    await this.updateComplete;
    this._focusOn('input');
  }

  private async _cancel(): Promise<void> {
    this._editing = false;
    this._draft = undefined;
    this._invalid = {};
    await this.updateComplete;
    this._focusOn('[part~=edit]');
  }

  private _onInput(event: Event): void {
    const input = event.target as HTMLInputElement;
    if (this._invalid[input.name] && input.checkValidity()) {
      const { [input.name]: _, ...rest } = this._invalid;
      this._invalid = rest;
    }
  }

  private async _onSave(event: SubmitEvent, profile: EdgeProfile): Promise<void> {
    event.preventDefault();
    if (this._busy) return;
    const { invalid, draft } = readForm(event.target as HTMLFormElement);
    this._invalid = invalid;
    this._draft = draft;
    if (Object.keys(invalid).length) {
      await this.updateComplete;
      this._focusOn('[aria-invalid=true]');
      return;
    }
    const update = changes(profile, this._draft);
    this._busy = 'save';
    this._saveError = undefined;
    try {
      const saved = Object.keys(update).length ? await updateMe(this._edge, update) : profile;
      const loaded = this._loader.value!;
      loaded.profile = saved;
      this._editing = false;
      this._draft = undefined;
      this._saved = true;
      this.dispatchEvent(new VcProfileSavedEvent(saved));
      // The change shows in the activity list (and may move the customer into or out of segments).
      void this._lists(this._edge, this._limit).then((segments) => {
        loaded.segments = segments;
        this.requestUpdate();
      });
    } catch (error) {
      this._saveError = error;
      this.fail(error, 'save');
    }
    this._busy = '';
    await this.updateComplete;
    if (this._saved) this._focusOn('[part~=edit]');
  }

  protected override updated(): void {
    const { status, value } = this._loader;
    holdRoom(this, status === TaskStatus.PENDING, !!value && status === TaskStatus.COMPLETE);
  }

  protected override render(): TemplateResult {
    return html`<div part="base" class="base" aria-busy=${this._loader.status === TaskStatus.PENDING}>
      ${
        this._deleting._deletion
          ? view.renderDeleted(this._deleting._deletion)
          : this._loader.render({
              pending: view.renderSkeleton,
              complete: (data) =>
                data
                  ? this._renderProfile(data)
                  : html`<p part="status" class="status">${msg('Sign in to see your profile.')}</p>`,
              error: (error) => view.renderLoadError(error, this.reload),
            })
      }
    </div>`;
  }

  private _field(field: Field, profile: EdgeProfile): TemplateResult {
    const value = this._draft?.[field.name] ?? profileValue(profile, field.name);
    return view.renderField(field, value, this._invalid[field.name], this._onInput);
  }

  private _renderProfile({ profile, segments }: Loaded): TemplateResult {
    const tag = this._i18n.tag;
    return html`
      ${view.renderDetailsSection(
        profile,
        tag,
        this._editing
          ? view.renderForm((field) => this._field(field, profile), this._saveError, this._busy === 'save', {
              submit: (event) => this._onSave(event, profile),
              cancel: this._cancel,
            })
          : undefined,
        this._saved,
        this._edit,
      )}
      ${view.renderLoyalty(profile.loyalty?.points, tag)}
      ${view.renderSegments(segments, this.labels, tag)}
      ${view.renderActivities(
        {
          activities: this._activities,
          error: this._activityError,
          more: this._more,
          loading: this._busy === 'more',
          open: this._open,
        },
        tag,
        this.labels,
        { loadMore: this._loadMore, toggle: this._toggle },
      )}
      ${this._deleting._render()}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'vc-profile-card': VcProfileCard;
  }
}
