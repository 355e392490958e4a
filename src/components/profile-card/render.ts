/**
 * The profile card's markup for what it is given: the details, segments and activities read, a form field, the delete
 * section and what a deletion leaves. The card keeps the state and passes its handlers (Lit calls them with the card
 * as `this`).
 */
import { msg, str } from '@lit/localize';
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { EARLIEST_BIRTHDATE, today } from '../../api/profile-rules.js';
import type { EdgeActivity, EdgePermanentDeletion, EdgeProfile, EdgeSegmentList } from '../../api/edge-types.js';
import { labelled } from '../labels.js';
import type { Labels } from '../labels.js';
import { formatDate } from '../localization.js';
import { accountError, describeError, isExpired, isGone } from '../messages.js';
import { activityLabel } from './activity.js';
import { addressLines } from './address.js';
import { addressFields, personFields } from './profile-form.js';
import type { Field } from './profile-form.js';

/** The customer's segments, or why they could not be read. */
export type Segments = EdgeSegmentList | { error: unknown };

type Listener<E extends Event = Event> = (event: E) => unknown;

/** Escape in a form does what its Cancel button does (and does not also close a dialog around the card). */
function escape(event: KeyboardEvent): void {
  if (event.key !== 'Escape') return;
  event.preventDefault();
  (event.currentTarget as HTMLFormElement).querySelector<HTMLElement>('[type=button]')!.click();
}

export function renderDeleted(deletion: EdgePermanentDeletion): TemplateResult {
  return html`<section part="section" role="status">
    <h2 part="heading" tabindex="-1">
      ${deletion.status === 'DONE' ? msg('Your data has been deleted.') : msg('Your request to delete your data has been received.')}
    </h2>
    <p>${msg('Your profile, consents and activity history are permanently removed. This cannot be undone.')}</p>
    <p class="muted">${msg(str`Reference: ${deletion.id}`)}</p>
  </section>`;
}

export function renderDetails(profile: EdgeProfile, tag: string): TemplateResult {
  const address = addressLines(profile.address);
  const birthdate = profile.birthdate;
  const rows: Array<[string, unknown]> = [
    [msg('Name'), profile.name],
    [msg('Email'), profile.email],
    [msg('Phone'), profile.phone],
    [msg('Address'), address.length ? address.map((line, i) => html`${i ? html`<br />` : nothing}${line}`) : ''],
    [
      msg('Date of birth'),
      birthdate && formatDate(tag, `${birthdate}T00:00:00Z`, { dateStyle: 'long', timeZone: 'UTC' }),
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

/** "Your details": the list (or the edit form, while editing) and whether they were saved. */
export const renderDetailsSection = (
  profile: EdgeProfile,
  tag: string,
  form: TemplateResult | undefined,
  saved: boolean,
  edit: Listener,
): TemplateResult =>
  html`<section part="section" aria-labelledby="details">
    <div class="head">
      <h2 part="heading" id="details">${msg('Your details')}</h2>
      ${form ? nothing : html`<button part="button edit" @click=${edit}>${msg('Edit details')}</button>`}
    </div>
    ${form ?? renderDetails(profile, tag)}
    <p part="status" class="status ok" role="status">${saved ? msg('Your details have been saved.') : nothing}</p>
  </section>`;

/** While the profile loads: its details and a section, in grey (`holdRoom` keeps the room the card took last time). */
export const renderSkeleton = (): TemplateResult =>
  html`<div part="skeleton" aria-hidden="true">
      <div class="head"><i class="bone heading"></i><i class="bone button"></i></div>
      <dl>${[1, 2, 3, 4, 5].map(() => html`<dt><i class="bone"></i></dt><dd><i class="bone"></i></dd>`)}</dl>
      <section><i class="bone heading"></i><i class="bone"></i><i class="bone"></i></section>
    </div>
    <p class="status visually-hidden" role="status">${msg('Loading your profile…')}</p>`;

export const renderLoyalty = (points: number | undefined, tag: string) =>
  typeof points === 'number'
    ? html`<section part="section" aria-labelledby="loyalty">
        <h2 part="heading" id="loyalty">${msg('Loyalty points')}</h2>
        <p part="loyalty" class="points">${new Intl.NumberFormat(tag).format(points)}</p>
      </section>`
    : nothing;

export function renderSegments(segments: Segments, labels: Labels | undefined, tag: string): TemplateResult {
  return html`<section part="section" aria-labelledby="segments">
    <h2 part="heading" id="segments">${msg('Segments')}</h2>
    ${
      'error' in segments
        ? html`<p class="error">${msg('Your segments could not be loaded.')} ${describeError(segments.error)}</p>`
        : segments.data?.length
          ? html`<ul part="segments">
            ${segments.data.map((segment) => html`<li><bdi>${labelled(segment, labels, tag).name}</bdi></li>`)}
          </ul>`
          : html`<p class="muted">${msg('You are not in any segment.')}</p>`
    }
  </section>`;
}

/** The activities read so far, why the last page could not be read, "load more", and whether the list is open. */
export interface ActivitiesView {
  /** `undefined`: not read yet (a lazy card, until its list is opened). */
  activities: EdgeActivity[] | undefined;
  error: unknown;
  more?: string | undefined;
  loading: boolean;
  /** The list shows; its heading's button opens and closes it. */
  open: boolean;
}

export function renderActivities(
  view: ActivitiesView,
  tag: string,
  labels: Labels | undefined,
  on: { loadMore: Listener; toggle: Listener },
): TemplateResult {
  const { activities, error } = view;
  return html`<section part="section" aria-labelledby="activity">
    <h2 part="heading" id="activity">
      <button part="button toggle" aria-expanded=${view.open} aria-controls="activity-list" @click=${on.toggle}>
        ${msg('Recent activity')}
      </button>
    </h2>
    <div id="activity-list" ?hidden=${!view.open}>
      ${
        activities?.length
          ? html`<ol part="activities" role="list">
            ${activities.map(
              (activity) => html`<li part="activity" tabindex="-1">
                <bdi>${activityLabel(activity, tag, labels)}</bdi>
                <time class="muted" datetime=${activity.created_at}
                  >${formatDate(tag, activity.created_at, { dateStyle: 'medium', timeStyle: 'short' })}</time
                >
              </li>`,
            )}
          </ol>`
          : error
            ? nothing
            : activities
              ? html`<p class="muted">${msg('No activity yet.')}</p>`
              : html`<p class="muted" role="status">${msg('Loading…')}</p>`
      }
      ${error ? html`<p class="error" role="alert">${msg('Activities could not be loaded.')} ${describeError(error)}</p>` : nothing}
      ${
        view.more || error
          ? html`<div class="actions">
            <button part="button load-more" @click=${on.loadMore}>
              ${view.loading ? msg('Loading…') : activities?.length ? msg('Load more') : msg('Try again')}
            </button>
          </div>`
          : nothing
      }
    </div>
  </section>`;
}

/** Why the profile could not be loaded, and "try again" unless it cannot help (expired, deleted). */
export function renderLoadError(error: unknown, retry: Listener): TemplateResult {
  return isExpired(error) || isGone(error)
    ? html`<p part="status" class="status error" role="alert">${accountError(error)}</p>`
    : html`<p part="status" class="status error" role="alert">
          ${msg('Your profile could not be loaded.')} ${describeError(error)}
        </p>
        <div class="actions">
          <button part="button retry" @click=${retry}>${msg('Try again')}</button>
        </div>`;
}

/** The edit form: the person's fields, then the address's (`field` renders one), why saving failed, the buttons. */
export function renderForm(
  field: (field: Field) => TemplateResult,
  saveError: unknown,
  saving: boolean,
  on: { submit: Listener<SubmitEvent>; cancel: Listener },
): TemplateResult {
  return html`<form part="form" novalidate @submit=${on.submit} @keydown=${escape}>
    ${personFields().map(field)}
    <fieldset>
      <legend>${msg('Address')}</legend>
      ${addressFields().map(field)}
    </fieldset>
    ${
      saveError
        ? html`<p part="status" class="status error" role="alert">
          ${msg('Your details have not been saved.')} ${accountError(saveError)}
        </p>`
        : nothing
    }
    <div part="actions" class="actions">
      <button part="button" class="primary" type="submit">${saving ? msg('Saving…') : msg('Save details')}</button>
      <button part="button" type="button" @click=${on.cancel}>${msg('Cancel')}</button>
    </div>
  </form>`;
}

/** One input of the edit form, with its constraints and, once checked, its message. */
export function renderField(field: Field, value: string, error: string | undefined, onInput: Listener): TemplateResult {
  const id = `f-${field.name.replace('.', '-')}`;
  const date = field.type === 'date';
  return html`<div part="field" class="field">
    <label for=${id}>${field.label}</label>
    <input
      part="input"
      id=${id}
      name=${field.name}
      type=${field.type}
      autocomplete=${field.autocomplete}
      .value=${value}
      maxlength=${field.max ?? nothing}
      pattern=${field.pattern ?? nothing}
      min=${date ? EARLIEST_BIRTHDATE : nothing}
      max=${date ? today() : nothing}
      data-invalid=${field.invalid ?? nothing}
      aria-invalid=${error ? 'true' : nothing}
      aria-describedby=${error ? `${id}-e` : nothing}
      @input=${onInput}
    />
    ${error ? html`<p part="field-error" class="error" id="${id}-e">${error}</p>` : nothing}
  </div>`;
}

/** "Delete my data": the button, then the typed confirmation and why it failed, and what the buttons do. */
export interface DeleteView {
  _confirming: boolean;
  /** The typed word was wrong. */
  _confirmError: string;
  _deleteError: unknown;
  _deleting: boolean;
  /** The word to type, in the customer's language. */
  _word: string;
  _ask: Listener;
  _cancel: Listener;
  _submit: Listener<SubmitEvent>;
}

/** "Type DELETE to confirm" with the word in bold: translations are plain text, so the word goes in afterwards. */
function markedOut(word: string): TemplateResult {
  const [before, after] = msg(str`Type ${'\0'} to confirm`).split('\0');
  return html`${before}<strong>${word}</strong>${after}`;
}

export function renderDelete(view: DeleteView): TemplateResult {
  const { _confirmError: confirmError, _deleteError: deleteError } = view;
  return html`<section part="section" aria-labelledby="delete">
    <h2 part="heading" id="delete">${msg('Delete my data')}</h2>
    <p>${msg('This permanently deletes your profile, your consents and your activity history. It cannot be undone.')}</p>
    ${
      view._confirming
        ? html`<form part="form" novalidate @submit=${view._submit} @keydown=${escape}>
            <div part="field" class="field">
              <label for="confirm">${markedOut(view._word)}</label>
              <input
                part="input"
                id="confirm"
                name="confirm"
                autocomplete="off"
                aria-invalid=${confirmError ? 'true' : nothing}
                aria-describedby=${confirmError || deleteError ? 'confirm-e' : nothing}
              />
              ${
                confirmError || deleteError
                  ? html`<p part="field-error" class="error" id="confirm-e" role="alert">
                      ${confirmError || html`${msg('Your data has not been deleted.')} ${accountError(deleteError)}`}
                    </p>`
                  : nothing
              }
            </div>
            <div part="actions" class="actions">
              <button part="button delete" class="danger" type="submit">
                ${view._deleting ? msg('Deleting…') : msg('Delete permanently')}
              </button>
              <button part="button" type="button" @click=${view._cancel}>${msg('Cancel')}</button>
            </div>
          </form>`
        : html`<button part="button delete" class="danger" @click=${view._ask}>${msg('Delete my data…')}</button>`
    }
  </section>`;
}
