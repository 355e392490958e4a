// The back-office page: every action goes to the shop's own server (/admin/api/…), which calls the edge worker's
// Voucherify-compatible routes with the worker's admin keys. Untrusted values are written with textContent only.
import { $, api, clearMessage, confirmAction, formatNumber, showMessage } from './backoffice-ui.js';
import './backoffice-metadata.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const customersMessage = $('#customers-message');

// ---- Customers: filters and cursor paging (Voucherify's `starting_after`, never page numbers past 99). The total is
// the first page's: with a cursor Voucherify counts only what comes after it, so it would shrink page by page.
const paging = { cursors: [null], index: 0, total: 0, shown: 0, limit: 25, query: new URLSearchParams() };

function readFilters() {
  const form = new FormData($('#filters'));
  const query = new URLSearchParams();
  for (const [name, value] of form) if (value) query.set(name, value);
  paging.limit = Number(form.get('limit'));
  paging.query = query;
}

async function loadPage(index) {
  const query = new URLSearchParams(paging.query);
  const cursor = paging.cursors[index];
  if (cursor) query.set('starting_after', cursor);
  $('#customers').setAttribute('aria-busy', 'true');
  try {
    const list = await api(`/customers?${query}`);
    if (!cursor) paging.total = list.total;
    paging.index = index;
    paging.shown = list.customers.length;
    paging.cursors[index + 1] = list.customers.at(-1)?.created_at ?? null;
    paging.cursors.length = index + 2;
    renderCustomers(list.customers);
    renderRange();
  } catch (error) {
    showMessage(customersMessage, `Could not load customers: ${error.message}`, { tone: 'error' });
  } finally {
    $('#customers').removeAttribute('aria-busy');
  }
}

/** "26–50 of 2,992", in the page's language. */
function renderRange() {
  const first = paging.index * paging.limit + 1;
  const last = first + paging.shown - 1;
  $('#page-range').textContent = paging.shown
    ? `${formatNumber(first)}–${formatNumber(last)} of ${formatNumber(paging.total)}`
    : 'No customer matches.';
  $('#previous-page').disabled = paging.index === 0;
  $('#next-page').disabled = !paging.shown || last >= paging.total || paging.shown < paging.limit;
}

function loadCustomers() {
  readFilters();
  paging.cursors = [null];
  return loadPage(0);
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  return td;
}

/** Each cell names its column (`data-label`), shown before the value when a phone stacks the row as a card. */
function labelCells(table) {
  const names = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
  for (const row of table.tBodies[0].rows) {
    [...row.cells].forEach((td, index) => {
      if (names[index] && !td.classList.contains('actions')) td.dataset.label = names[index];
    });
  }
}

function renderCustomers(customers) {
  const rows = customers.map((customer) => {
    const label = customer.name ?? customer.source_id ?? customer.id;
    const tr = document.createElement('tr');
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'danger';
    remove.textContent = 'Delete…';
    remove.setAttribute('aria-label', `Delete ${label}…`);
    remove.addEventListener('click', () => void deleteCustomer(customer, label));
    const history = document.createElement('button');
    history.type = 'button';
    history.className = 'secondary';
    history.textContent = 'Consent history';
    history.setAttribute('aria-label', `Consent history of ${label}`);
    history.addEventListener('click', () => void showHistory(customer));
    const actions = document.createElement('td');
    actions.className = 'actions';
    actions.append(history, remove);
    tr.append(
      cell(customer.name),
      cell(customer.email),
      cell(customer.address?.city),
      cell(customer.source_id),
      cell(customer.created_at ? dateTime.format(new Date(customer.created_at)) : ''),
      actions,
    );
    return tr;
  });
  $('#customers tbody').replaceChildren(...rows);
  labelCells($('#customers'));
}

async function deleteCustomer(customer, label) {
  const confirmed = await confirmAction({
    title: `Delete ${label}?`,
    text: 'Their profile is removed from Voucherify; their consent ledger stays as proof. This cannot be undone here.',
    action: 'Delete customer',
  });
  if (!confirmed) return;
  showMessage(customersMessage, `Deleting ${label}…`, { tone: 'progress' });
  try {
    await api(`/customers/${encodeURIComponent(customer.id)}`, { method: 'DELETE' });
    showMessage(customersMessage, `Deleted ${label}.`, { tone: 'success' });
    paging.total -= 1;
    await loadPage(paging.index);
  } catch (error) {
    showMessage(customersMessage, `Could not delete ${label}: ${error.message}`, { tone: 'error' });
  }
}

// ---- One customer's consent ledger: what changed, when, through which channel, with downloads for the proof
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

async function showHistory(customer) {
  const label = customer.name ?? customer.source_id ?? customer.id;
  const section = $('#history');
  section.hidden = false;
  $('#history-title').textContent = `Consent history: ${label}`;
  const base = `/admin/api/customers/${encodeURIComponent(customer.id)}/consent-records`;
  $('#history-csv').href = `${base}?download=csv`;
  $('#history-json').href = `${base}?download=json`;
  $('#history-status').textContent = 'Loading the consent ledger…';
  try {
    const { data } = await api(`/customers/${encodeURIComponent(customer.id)}/consent-records`);
    const rows = data.map((record) => {
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
    });
    $('#history-table tbody').replaceChildren(...rows.reverse());
    labelCells($('#history-table'));
    $('#history-status').textContent = data.length
      ? `${data.length} record(s), newest first. Each carries the SHA-256 of the one before it.`
      : 'No consent change of this customer went through the worker yet.';
    $('#history-title').focus();
  } catch (error) {
    $('#history-status').textContent = `Could not load the consent history: ${error.message}`;
  }
}

$('#filters').addEventListener('submit', (event) => {
  event.preventDefault();
  clearMessage(customersMessage);
  void loadCustomers();
});
$('#previous-page').addEventListener('click', () => void loadPage(paging.index - 1));
$('#next-page').addEventListener('click', () => void loadPage(paging.index + 1));
// The language switcher changes `<html lang>`: the range follows it.
new MutationObserver(() => paging.shown && renderRange()).observe(document.documentElement, {
  attributeFilter: ['lang'],
});

// The CSV import (its own module) announces new customers: the list shows them.
document.addEventListener('customers-imported', () => void loadCustomers());

void loadCustomers();
