/**
 * The consent history under each consent (with `history`): read from the worker, and shown as its last few changes.
 */
import { msg, str } from '@lit/localize';
import { html, nothing } from 'lit';
import type { TemplateResult } from 'lit';
import { getMyConsentHistory, getPreferenceConsentHistory } from '../../api/edge.js';
import type { ConsentChannel, EdgeConsentRecord } from '../../api/edge-types.js';
import type { VcConsentPanel } from './consent-panel.js';
import { linked, viaLink } from './state.js';
import { dateIn } from './texts.js';

/**
 * Reads the consent history, with `history` and through the worker only. It is an extra: when it cannot be read the
 * panel shows none (and says why on `vc-error`, action `history`); the choices work as before.
 */
export async function readHistory(p: VcConsentPanel): Promise<void> {
  const read = ++p._reads;
  let records: EdgeConsentRecord[] | undefined;
  if (p.history && linked(p)) {
    try {
      const { data } = await viaLink(p, getPreferenceConsentHistory, getMyConsentHistory);
      if (Array.isArray(data)) records = data;
    } catch (error) {
      if (read === p._reads) p.fail(error, 'history');
    }
  }
  if (read === p._reads) p._records = records;
}

/**
 * The last three changes of a consent (or of the opt-out of everything, `unsubscribed`), newest last: "Given 6 Jan
 * 2025 via sign-up · Withdrawn 3 Mar 2026 via email link".
 */
export function renderHistory(p: VcConsentPanel, id: string): TemplateResult | typeof nothing {
  const records = p._records?.filter((record) => record?.consent_id === id) ?? [];
  return records.length
    ? html`<div part="history" class="muted">
        ${records
          .slice(-3)
          .map((record) => {
            const date = dateIn(p, record.at);
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
