// The back-office page: every action goes to the shop's own server (/admin/api/…), which calls the edge worker's
// Voucherify-compatible routes with the worker's admin keys. Untrusted values are written with textContent only.
import { $, api, clearMessage, confirmAction, formatNumber, showMessage } from './backoffice-ui.js';
import './backoffice-metadata.js';
import { consentCells, loadConsentDefinitions } from './backoffice-consents.js';
import { customerHref, setUpCustomerDetail } from './backoffice-customer.js';
import { cell, dateTime, labelCells } from './backoffice-history.js';

const customersMessage = $('#customers-message');
/** The consent definitions: a list column and a filter choice each. */
let definitions = [];
let openCustomer = () => {};

// ---- Customers: filters and cursor paging (Voucherify's `starting_after`, never page numbers past 99). The total is
// the first page's: with a cursor Voucherify counts only what comes after it, so it would shrink page by page. With a
// consent filter the shop server walks the list itself and says when it stopped before the end (`scan`).
const paging = { cursors: [null], index: 0, total: 0, shown: 0, limit: 25, query: new URLSearchParams(), scan: null };

function readFilters() {
  const form = new FormData($('#filters'));
  const query = new URLSearchParams();
  for (const [name, value] of form) if (value) query.set(name, value);
  if (!query.has('consent_state')) for (const name of ['consent', 'consent_since']) query.delete(name);
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
    if (!cursor) {
      paging.total = list.total;
      paging.scan = list.scan ?? null;
    }
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

/** "26–50 of 2,992", in the page's language; a consent filter that stopped early says how far it looked. */
function renderRange() {
  const first = paging.index * paging.limit + 1;
  const last = first + paging.shown - 1;
  const bounded = paging.scan && !paging.scan.complete;
  // A later page of a bounded walk searched on from its cursor and can reach past the first page's count.
  const total = bounded
    ? `at least ${formatNumber(Math.max(paging.total, last))} (only the newest ${formatNumber(paging.scan.scanned)} customers were searched)`
    : formatNumber(paging.total);
  $('#page-range').textContent = paging.shown
    ? `${formatNumber(first)}–${formatNumber(last)} of ${total}`
    : bounded
      ? `No match among the newest ${formatNumber(paging.scan.scanned)} customers.`
      : 'No customer matches.';
  const focused = document.activeElement;
  $('#previous-page').disabled = paging.index === 0;
  $('#next-page').disabled = !paging.shown || (last >= paging.total && !bounded) || paging.shown < paging.limit;
  // A page button that just turned disabled under the keyboard would drop focus to the top of the page: hand it over.
  if (focused?.disabled) {
    const other = focused.id === 'previous-page' ? $('#next-page') : $('#previous-page');
    if (!other.disabled) other.focus();
  }
}

// One load at a time, each starting from where the one before left the list: two quick clicks on "Previous" go back
// two pages (both computed from the page shown when clicked, they went back one), and a slow answer never paints
// over a newer one.
let navigation = Promise.resolve();
function navigate(step) {
  navigation = navigation.then(step);
  return navigation;
}

function loadCustomers() {
  return navigate(() => {
    readFilters();
    paging.cursors = [null];
    return loadPage(0);
  });
}

/** Back or forward `delta` pages (0: again) from the page shown once the loads before this one are done; no-op past either end. */
function turnPage(delta) {
  return navigate(() => {
    const index = paging.index + delta;
    const known = index === 0 || (index > 0 && paging.cursors[index]);
    return known ? loadPage(index) : undefined;
  });
}

/** The name opens the customer's detail: a real link (`#customer=<id>`), so it is keyboard reachable and can be bookmarked. */
function nameCell(customer, label) {
  const td = document.createElement('td');
  const link = document.createElement('a');
  link.href = customerHref(customer.id);
  link.dataset.customerId = customer.id;
  link.textContent = label;
  td.append(link);
  return td;
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
    history.addEventListener('click', () => openCustomer(customer.id, { focus: 'history' }));
    const actions = document.createElement('td');
    actions.className = 'actions';
    actions.append(history, remove);
    tr.append(
      nameCell(customer, label),
      cell(customer.email),
      cell(customer.address?.city),
      ...consentCells(definitions, customer),
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
    await turnPage(0);
  } catch (error) {
    showMessage(customersMessage, `Could not delete ${label}: ${error.message}`, { tone: 'error' });
  }
}

/**
 * A column per consent definition and a choice per definition in the consent filter. (The source id is in the
 * detail view: with a column per consent the list has no room for it.)
 */
function addConsentColumns() {
  const createdHeader = $('#customers thead th[data-column="created"]');
  for (const definition of definitions) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = definition.name;
    createdHeader.before(th);
    $('#f-consent').append(new Option(definition.name, definition.id));
  }
}

$('#filters').addEventListener('submit', (event) => {
  event.preventDefault();
  clearMessage(customersMessage);
  void loadCustomers();
});
$('#previous-page').addEventListener('click', () => void turnPage(-1));
$('#next-page').addEventListener('click', () => void turnPage(1));
// The language switcher changes `<html lang>`: the range follows it.
new MutationObserver(() => paging.shown && renderRange()).observe(document.documentElement, {
  attributeFilter: ['lang'],
});

// The CSV import (its own module) announces new customers: the list shows them.
document.addEventListener('customers-imported', () => void loadCustomers());

try {
  definitions = await loadConsentDefinitions();
  addConsentColumns();
} catch (error) {
  showMessage(customersMessage, `Could not load the consent definitions: ${error.message}`, { tone: 'error' });
}
openCustomer = setUpCustomerDetail(definitions);
void loadCustomers();
