// One customer's detail in place of the list: the profile, every consent with its state and date, the segments and
// the consent ledger. The address says which customer is open (`#customer=<id>`), so reload and Back work; the list
// is only hidden meanwhile, so going back finds it on the same page.
import { $, api } from './backoffice-ui.js';
import { decisionContent, decisionOf } from './backoffice-consents.js';
import { dateTime, labelCells, showHistory } from './backoffice-history.js';

const PREFIX = '#customer=';
let definitions = [];
/** The customer whose detail is open, and whether it was opened from the list (Back then returns there). */
let openId = null;
let fromList = false;
let pendingFocus = 'detail';

export const customerHref = (id) => `${PREFIX}${encodeURIComponent(id)}`;

function customerInHash() {
  if (!location.hash.startsWith(PREFIX)) return null;
  try {
    return decodeURIComponent(location.hash.slice(PREFIX.length)) || null;
  } catch {
    return null;
  }
}

function field(term, value) {
  if (value === undefined || value === null || value === '') return [];
  const dt = document.createElement('dt');
  dt.textContent = term;
  const dd = document.createElement('dd');
  if (value instanceof Node) dd.append(value);
  else dd.textContent = value;
  return [dt, dd];
}

function addressText(address) {
  if (!address) return '';
  const cityLine = [address.postal_code, address.city].filter(Boolean).join(' ');
  return [address.line_1, address.line_2, cityLine, address.state, address.country].filter(Boolean).join(', ');
}

function metadataList(metadata) {
  const entries = Object.entries(metadata ?? {});
  if (!entries.length) return null;
  const list = document.createElement('ul');
  list.className = 'plain-list';
  for (const [key, value] of entries) {
    const item = document.createElement('li');
    const name = document.createElement('code');
    name.textContent = key;
    item.append(name, `: ${typeof value === 'string' ? value : JSON.stringify(value)}`);
    list.append(item);
  }
  return list;
}

function renderProfile(customer) {
  const when = (date) => (date ? dateTime.format(new Date(date)) : '');
  $('#detail-profile').replaceChildren(
    ...field('Name', customer.name),
    ...field('Email', customer.email),
    ...field('Phone', customer.phone),
    ...field('Address', addressText(customer.address)),
    ...field('Birthdate', customer.birthdate),
    ...field('Created', when(customer.created_at)),
    ...field('Updated', when(customer.updated_at)),
    ...field('Source id', customer.source_id),
    ...field('Customer id', customer.id),
    ...field('Metadata', metadataList(customer.metadata)),
  );
}

function renderConsents(state) {
  const rows = definitions.map((definition) => {
    const tr = document.createElement('tr');
    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = definition.name;
    const value = document.createElement('td');
    value.append(decisionContent(decisionOf(state, definition.id)));
    tr.append(name, value);
    return tr;
  });
  $('#detail-consents tbody').replaceChildren(...rows);
  labelCells($('#detail-consents'));
  const optOut = state?.unsubscribed;
  $('#detail-opt-out').textContent = optOut?.value
    ? `Opted out of everything on ${dateTime.format(new Date(optOut.date))}.`
    : 'Not opted out of everything.';
}

function renderSegments(segments) {
  const list = $('#detail-segments');
  if (segments === null) {
    list.replaceChildren(Object.assign(document.createElement('li'), { textContent: 'Segments could not be loaded.' }));
    return;
  }
  const items = segments.map((segment) => Object.assign(document.createElement('li'), { textContent: segment.name }));
  list.replaceChildren(
    ...(items.length ? items : [Object.assign(document.createElement('li'), { textContent: 'None' })]),
  );
}

async function openDetail(id) {
  openId = id;
  $('#customer-list').hidden = true;
  $('#customer-detail').hidden = false;
  $('#detail-title').textContent = 'Customer';
  $('#detail-status').textContent = 'Loading the customer…';
  for (const part of ['#detail-profile', '#detail-consents tbody', '#detail-segments']) $(part).replaceChildren();
  const focus = pendingFocus;
  pendingFocus = 'detail';
  const history = showHistory(id);
  try {
    const { customer, segments } = await api(`/customers/${encodeURIComponent(id)}`);
    if (openId !== id) return;
    $('#detail-title').textContent = customer.name ?? customer.email ?? customer.source_id ?? customer.id;
    $('#detail-status').textContent = '';
    renderProfile(customer);
    renderConsents(customer.consent_state);
    renderSegments(segments);
  } catch (error) {
    $('#detail-status').textContent = `Could not load the customer: ${error.message}`;
  }
  if (focus === 'history') await history;
  if (openId === id) $(focus === 'history' ? '#history-title' : '#detail-title').focus();
}

function showList() {
  const id = openId;
  openId = null;
  $('#customer-detail').hidden = true;
  $('#customer-list').hidden = false;
  const link =
    id && [...document.querySelectorAll('#customers a[data-customer-id]')].find((a) => a.dataset.customerId === id);
  (link ?? $('#customers-title')).focus();
}

/** Any other fragment (Back from a detail, the skip link) shows the list. */
function route() {
  const id = customerInHash();
  if (id) void openDetail(id);
  else if (openId !== null) showList();
}

/**
 * Wires the detail view: `consentDefinitions` name its consents. Opens the customer in the address, if any.
 * Returns `openCustomer(id, { focus })` for the list's buttons (`focus: 'history'` lands on the ledger).
 */
export function setUpCustomerDetail(consentDefinitions) {
  definitions = consentDefinitions;
  addEventListener('hashchange', () => {
    fromList = fromList || openId === null;
    route();
  });
  $('#detail-back').addEventListener('click', () => {
    if (fromList) history.back();
    else {
      history.pushState(null, '', location.pathname + location.search);
      route();
    }
    fromList = false;
  });
  route();
  return function openCustomer(id, { focus = 'detail' } = {}) {
    pendingFocus = focus;
    if (customerInHash() === id) void openDetail(id);
    else location.hash = customerHref(id).slice(1);
  };
}
