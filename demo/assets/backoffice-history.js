// One customer's consent ledger (the worker's, not Voucherify's): what changed, when, through which channel, with
// downloads for the proof. Also the table helpers the customer list and detail share.
import { $, api } from './backoffice-ui.js';

export const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function cell(text) {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  return td;
}

/** Each cell names its column (`data-label`), shown before the value when a phone stacks the row as a card. */
export function labelCells(table) {
  const names = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
  for (const row of table.tBodies[0].rows) {
    [...row.cells].forEach((td, index) => {
      if (names[index] && !td.classList.contains('actions')) td.dataset.label = names[index];
    });
  }
}

const CHANNELS = {
  panel: 'Account page',
  api: 'Shop API',
  'preferences-link': 'Email preferences link',
  'one-click': 'One-click unsubscribe',
  'sign-up': 'Sign-up (confirmed)',
  'double-opt-in': 'Email confirmation',
  'back-office': 'Back office',
};
const valueText = (value) => (value === null ? 'not decided' : value ? 'given' : 'withdrawn');

function recordRow(record) {
  const tr = document.createElement('tr');
  if (record.event === 'erasure') {
    tr.append(
      cell(dateTime.format(new Date(record.at))),
      cell('—'),
      cell(`Erased (${record.erased_records} records)`),
      cell(CHANNELS[record.channel] ?? record.channel),
      cell(''),
      cell(record.request_id),
    );
    return tr;
  }
  const name = record.consent_id === 'unsubscribed' ? 'Everything (opt-out)' : record.consent_name;
  tr.append(
    cell(dateTime.format(new Date(record.at))),
    cell(name),
    cell(`${valueText(record.old_value)} → ${valueText(record.new_value)}`),
    cell(CHANNELS[record.channel] ?? record.channel),
    cell(record.policy_version ?? ''),
    cell(record.request_id),
  );
  return tr;
}

/** Loads the ledger of `customerId` into the detail view's history part. */
export async function showHistory(customerId) {
  const base = `/admin/api/customers/${encodeURIComponent(customerId)}/consent-records`;
  $('#history-csv').href = `${base}?download=csv`;
  $('#history-json').href = `${base}?download=json`;
  $('#history-table tbody').replaceChildren();
  $('#history-status').textContent = 'Loading the consent ledger…';
  try {
    const { data } = await api(`/customers/${encodeURIComponent(customerId)}/consent-records`);
    $('#history-table tbody').replaceChildren(...data.map(recordRow).reverse());
    labelCells($('#history-table'));
    // An empty ledger is said in words: its table would only show headers.
    $('#history-table').hidden = !data.length;
    $('#history-status').textContent = data.length
      ? `${data.length} record(s), newest first. Each carries the SHA-256 of the one before it.`
      : 'No consent change of this customer went through the worker yet.';
  } catch (error) {
    $('#history-status').textContent = `Could not load the consent history: ${error.message}`;
  }
}
