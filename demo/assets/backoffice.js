// The back-office page: every action goes to the shop's own server (/admin/api/…), which calls the edge worker's
// Voucherify-compatible routes with the worker's admin keys. Untrusted values are written with textContent only.
const $ = (selector) => document.querySelector(selector);
const api = async (path, init = {}) => {
  const response = await fetch(`/admin/api${path}`, init);
  const body = response.status === 204 ? null : await response.json().catch(() => null);
  if (!response.ok)
    throw new Error(
      body?.message ? `${body.message}${body.details ? ` (${body.details})` : ''}` : `HTTP ${response.status}`,
    );
  return body;
};
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

// ---- Customers: filters and cursor paging (Voucherify's `starting_after`, never page numbers past 99)
let cursor = null;

async function loadCustomers({ next = false } = {}) {
  const form = new FormData($('#filters'));
  const query = new URLSearchParams();
  for (const [name, value] of form) if (value) query.set(name, value);
  if (next && cursor) query.set('starting_after', cursor);
  $('#list-status').textContent = 'Loading customers…';
  try {
    const list = await api(`/customers?${query}`);
    renderCustomers(list.customers);
    const last = list.customers.at(-1);
    cursor = last?.created_at ?? null;
    const limit = Number(form.get('limit'));
    $('#next-page').disabled = !last || list.customers.length < limit;
    $('#list-status').textContent = `${list.total} customer(s) match; showing ${list.customers.length}.`;
  } catch (error) {
    $('#list-status').textContent = `Could not load customers: ${error.message}`;
  }
}

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text ?? '';
  return td;
}

function renderCustomers(customers) {
  const rows = customers.map((customer) => {
    const tr = document.createElement('tr');
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.textContent = 'Delete';
    remove.setAttribute('aria-label', `Delete ${customer.name ?? customer.source_id ?? customer.id}`);
    remove.addEventListener('click', () => void deleteCustomer(customer));
    const history = document.createElement('button');
    history.type = 'button';
    history.textContent = 'Consent history';
    history.setAttribute('aria-label', `Consent history of ${customer.name ?? customer.source_id ?? customer.id}`);
    history.addEventListener('click', () => void showHistory(customer));
    const actions = document.createElement('td');
    actions.className = 'row';
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
}

async function deleteCustomer(customer) {
  const label = customer.name ?? customer.source_id ?? customer.id;
  if (!confirm(`Delete ${label}? Their profile is removed (use permanent deletion for a GDPR erasure).`)) return;
  try {
    await api(`/customers/${encodeURIComponent(customer.id)}`, { method: 'DELETE' });
    $('#list-status').textContent = `Deleted ${label}.`;
    await loadCustomers();
  } catch (error) {
    $('#list-status').textContent = `Could not delete ${label}: ${error.message}`;
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
  cursor = null;
  void loadCustomers();
});
$('#first-page').addEventListener('click', () => {
  cursor = null;
  void loadCustomers();
});
$('#next-page').addEventListener('click', () => void loadCustomers({ next: true }));

// ---- Async actions: follow one to DONE or FAILED, reporting progress as it goes
async function follow(asyncActionId, onProgress) {
  for (;;) {
    const action = await api(`/async-actions/${encodeURIComponent(asyncActionId)}`);
    onProgress(action);
    if (action.status === 'DONE' || action.status === 'FAILED') return action;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// ---- CSV import with a progress bar
const CITIES = ['Berlin', 'Paris', 'Madrid', 'Rome', 'Warsaw', 'Lisbon', 'Amsterdam', 'Stockholm', 'Tokyo', 'New York'];

function sampleCsv(rows) {
  const run = Date.now().toString(36);
  const lines = ['Source_id,Name,Email,Address_City,Address_Country,tier'];
  for (let i = 1; i <= rows; i += 1) {
    const city = CITIES[i % CITIES.length];
    lines.push(
      `sample-${run}-${i}@example.com,Sample Customer ${i},sample-${run}-${i}@example.com,${city},,${i % 10 === 0 ? 'gold' : 'standard'}`,
    );
  }
  return new File([lines.join('\n')], `sample-${rows}.csv`, { type: 'text/csv' });
}

async function importCsv(file) {
  const progress = $('#import-progress');
  const status = $('#import-status');
  progress.value = 0;
  progress.textContent = '0%';
  status.textContent = `Uploading ${file.name}…`;
  try {
    const body = new FormData();
    body.set('file', file);
    const { async_action_id } = await api('/import', { method: 'POST', body });
    const action = await follow(async_action_id, (current) => {
      progress.value = current.progress ?? 0;
      progress.textContent = `${progress.value}%`;
      status.textContent = `Import ${current.status.toLowerCase().replace('_', ' ')}: ${progress.value}%`;
    });
    status.textContent =
      action.status === 'DONE'
        ? `Import done: ${action.result?.message ?? 'finished'}`
        : `Import failed: ${action.result?.message ?? 'see the async action'}`;
    await loadCustomers();
  } catch (error) {
    status.textContent = `Import failed: ${error.message}`;
  }
}

$('#import').addEventListener('submit', (event) => {
  event.preventDefault();
  const file = $('#csv-file').files[0];
  if (!file) {
    $('#import-status').textContent = 'Choose a CSV file first.';
    $('#csv-file').focus();
    return;
  }
  void importCsv(file);
});
$('#import-sample').addEventListener('click', () => void importCsv(sampleCsv(1000)));

// ---- Bulk metadata update
$('#metadata').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  const sourceIds = String(form.get('source_ids'))
    .split('\n')
    .map((id) => id.trim())
    .filter(Boolean);
  const status = $('#metadata-status');
  status.textContent = `Updating ${sourceIds.length} customer(s)…`;
  try {
    const { async_action_ids } = await api('/metadata', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source_ids: sourceIds, metadata: { [form.get('key')]: form.get('value') || null } }),
    });
    const results = [];
    for (const id of async_action_ids) results.push(await follow(id, () => {}));
    const failed = results.filter((action) => action.status !== 'DONE').length;
    status.textContent = failed
      ? `${failed} of ${results.length} update job(s) failed.`
      : `Metadata updated for ${sourceIds.length} customer(s).`;
    await loadCustomers();
  } catch (error) {
    status.textContent = `Could not update metadata: ${error.message}`;
  }
});

void loadCustomers();
