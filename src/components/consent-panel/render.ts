/** The consent panel's markup: loading and failure states, the grouped switches, the buttons and the status line. */
import { msg, str } from '@lit/localize';
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import type { EdgeConsentDefinition, EdgeConsents } from '../../api/edge-types.js';
import { labelled } from '../labels.js';
import { isTransient } from '../messages.js';
import { bulk, cancel, confirm, retry, retryLoad, revert, toggle } from './actions.js';
import type { VcConsentPanel } from './consent-panel.js';
import { renderHistory } from './history.js';
import { formMode, off, readOnly, review, shownOut } from './state.js';
import { dateIn, gone, isolate, linkRefused, why } from './texts.js';

type Panel = VcConsentPanel;

export function renderPanel(p: Panel): TemplateResult {
  const { _data: data, _loadError: loadError } = p;
  const busy = !data && !loadError && !p._gone;
  return html`<div part="base" class="base" role="region" aria-labelledby="vc-heading" aria-busy=${busy}>
    <div part="heading" class="heading" id="vc-heading" role="heading" aria-level=${p.headingLevel}>
      ${p.heading ?? msg('Your marketing choices')}
    </div>
    <slot></slot>
    ${
      data
        ? renderChoices(p, localized(p, data))
        : p._gone
          ? html`<p part="status" class="status error" role="status">${gone()}</p>`
          : loadError
            ? html`<p class="status error" role="alert">${msg('Your choices could not be loaded.')} ${why(loadError)}</p>
              ${
                linkRefused(loadError)
                  ? nothing
                  : html`<button part="button retry" @click=${() => retryLoad(p)}>${msg('Try again')}</button>`
              }`
            : renderSkeleton()
    }
  </div>`;
}

/** Three consents and the buttons, in grey; the room the panel took last time is held around it (`holdRoom`). */
const renderSkeleton = (): TemplateResult =>
  html`<div part="skeleton" aria-hidden="true">
      <i class="bone short"></i>
      ${[1, 2, 3].map(
        () =>
          html`<div class="consent">
            <i class="bone switch"></i>
            <div><i class="bone short"></i><i class="bone"></i></div>
          </div>`,
      )}
      <div class="actions"><i class="bone button"></i><i class="bone button"></i></div>
    </div>
    <p class="status visually-hidden" role="status">${msg('Loading your choices…')}</p>`;

/** The definitions with the shop's texts for the panel's language (`labels`). */
function localized(p: Panel, data: EdgeConsents): EdgeConsents {
  const { labels, _i18n: i18n } = p;
  if (!labels) return data;
  return {
    ...data,
    groups: data.groups.map((group) => labelled(group, labels, i18n.tag)),
    consents: data.consents.map((consent) => labelled(consent, labels, i18n.tag)),
  };
}

function renderChoices(p: Panel, data: EdgeConsents): TemplateResult {
  if (!data.consents.length) return html`<p>${msg('There is nothing to choose here yet.')}</p>`;
  const byId = new Map(data.consents.map((consent) => [consent.id, consent]));
  const grouped = new Set(data.groups.flatMap((group) => group.consents));
  const rest = data.consents.filter((consent) => !grouped.has(consent.id));
  const optedOutOn = shownOut(p) && data.unsubscribed && data.state.unsubscribed?.date;
  const { _status: status, _confirming: confirming } = p;
  const disabled = off(p);
  return html`
    ${
      review(p)
        ? html`<p part="notice" class="notice">
          <strong>${msg('Our privacy policy has changed.')}</strong>
          ${p.policySummary ?? nothing} ${msg('Please review your choices and save them again.')}
          ${
            safeUrl(p.policyUrl)
              ? html`<a part="policy-link" href=${p.policyUrl}>${msg('Read the policy')}</a>`
              : nothing
          }
        </p>`
        : nothing
    }
    ${optedOutOn ? html`<p class="muted">${msg(str`You opted out of everything on ${dateIn(p, optedOutOn)}.`)}</p>` : nothing}
    ${data.groups.map((group) =>
      renderGroup(p, group.name, group.description, group.consents.map((id) => byId.get(id)!).filter(Boolean)),
    )}
    ${rest.length ? renderGroup(p, data.groups.length ? msg('Other') : msg('Your choices'), '', rest) : nothing}
    <div part="actions" class="actions">
      <button part="button accept-all" ?disabled=${disabled} @click=${() => bulk(p, true)}>${msg('Accept all')}</button>
      <button part="button opt-out" ?disabled=${disabled} @click=${() => bulk(p, false)}>
        ${msg('Opt out of everything')}
      </button>
      ${
        formMode(p)
          ? nothing
          : html`<button part="button save" class="primary" ?disabled=${disabled} @click=${p.save}>
            ${msg('Save choices')}
          </button>`
      }
    </div>
    ${renderHistory(p, 'unsubscribed')}
    ${
      confirming === undefined
        ? nothing
        : html`<div part="confirmation" class="notice" @keydown=${(event: KeyboardEvent) => event.key === 'Escape' && cancel(p)}>
          <p id="vc-confirm">
            ${
              confirming
                ? turnsOnText(p, data)
                : msg('This turns off every consent, and you will receive no marketing messages.')
            }
          </p>
          <div class="actions">
            <button part="button confirm" class="primary" aria-describedby="vc-confirm" @click=${() => confirm(p)}>
              ${msg('Confirm')}
            </button>
            <button part="button cancel" @click=${() => cancel(p)}>${msg('Cancel')}</button>
          </div>
        </div>`
    }
    <p part="status" class="status ${p._gone || status === 'error' ? 'error' : status === 'saved' ? 'ok' : ''}" role="status">${statusLine(p, data)}</p>
    ${
      status === 'error'
        ? linkRefused(p._failure)
          ? nothing
          : html`<button part="button retry" @click=${() => retry(p)}>${msg('Try again')}</button>`
        : p._undo
          ? html`<button part="button undo" @click=${() => revert(p)}>${msg('Undo')}</button>`
          : nothing
    }
  `;
}

/** What the status line says (nothing, so it takes no room, when there is nothing to say). */
function statusLine(p: Panel, data: EdgeConsents): unknown {
  const { _status: status } = p;
  return p._gone
    ? gone()
    : readOnly(p)
      ? msg('Sign in to change your choices.')
      : status === 'saved'
        ? savedText(p, data)
        : status === 'error'
          ? html`${msg('Your choices have not been saved yet.')} ${why(p._failure)}
            ${isTransient(p._failure) ? msg('They are kept here and we will try again.') : nothing}`
          : (
              {
                saving: msg('Saving…'),
                partial: msg('Some changes are not saved yet.'),
                none: msg('There are no changes to save.'),
                same: msg('That would change nothing.'),
              } as Record<string, string>
            )[status];
}

/** A link the notice may carry: http(s), or relative to the page (never `javascript:` or `data:`). */
function safeUrl(url: string | undefined): boolean {
  try {
    return !!url && /^https?:$/.test(new URL(url, document.baseURI).protocol);
  } catch {
    return false;
  }
}

// The texts below are made only when shown: a page's first `Intl` formatter is slow to make (the locale's data is
// loaded then), and the switches should not wait for a date no one sees.
const list = (p: Panel, items: string[]) => new Intl.ListFormat(p._i18n.tag, { style: 'narrow' }).format(items);

/** What the last save sent, and when. */
function savedText(p: Panel, data: EdgeConsents): string {
  const [sent, at] = p._note;
  const items = sent.unsubscribed
    ? [msg('opted out of everything')]
    : data.consents
        .filter(({ id }) => id in sent)
        .map(({ id, name }) => (sent[id] ? msg(str`${isolate(name)} on`) : msg(str`${isolate(name)} off`)));
  const time = dateIn(p, at, { timeStyle: 'short' });
  const what = list(p, items.length ? items : [msg('choices confirmed under the new privacy policy')]);
  return msg(str`Saved ${time}: ${what}.`);
}

/** What "accept all" turns on. */
function turnsOnText(p: Panel, data: EdgeConsents): string {
  const turnsOn = list(
    p,
    data.consents.filter(({ id }) => !p._shown[id]).map(({ name }) => isolate(name)),
  );
  return msg(str`This turns on: ${turnsOn}.`);
}

function renderGroup(
  p: Panel,
  name: string,
  description: string,
  consents: EdgeConsentDefinition[],
): TemplateResult | typeof nothing {
  if (!consents.length) return nothing;
  const state = p._data!.state;
  const disabled = off(p);
  return html`<fieldset part="group">
    <legend part="legend" dir="auto">${name}</legend>
    ${description ? html`<p part="group-description" class="muted"><bdi>${description}</bdi></p>` : nothing}
    ${consents.map(({ id, name, description }) => {
      const stored = state[id];
      const shown = p._shown[id];
      const unsaved = id in p._unsure || (shown !== undefined && shown !== stored?.value);
      return html`<div part="consent${unsaved ? ' unsaved' : ''}" class="consent">
        <input
          type="checkbox"
          role="switch"
          part="switch"
          id=${id}
          aria-describedby="${id}-d"
          .checked=${shown === true}
          ?disabled=${disabled}
          @change=${(event: Event) => toggle(p, event)}
        />
        <div>
          <label part="label" for=${id} dir="auto">${name}</label>
          <div part="description" class="muted" id="${id}-d">
            <bdi>${description}</bdi><br />
            ${
              stored
                ? stored.value
                  ? msg(str`Agreed on ${dateIn(p, stored.date)}.`)
                  : msg(str`Declined on ${dateIn(p, stored.date)}.`)
                : shown === undefined
                  ? msg('Not chosen yet.')
                  : nothing
            }
            ${unsaved ? html`<strong part="mark" class="tag">${msg('Unsaved')}</strong>` : nothing}
          </div>
          ${renderHistory(p, id)}
        </div>
      </div>`;
    })}
  </fieldset>`;
}
