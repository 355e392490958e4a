// Bulk metadata update in two steps: a dry run lists the ids that match no customer, then the operator confirms and
// only existing customers are updated. Each field keeps the type the operator chose for it.
import { $, api, clearMessage, formatNumber, showMessage } from './backoffice-ui.js';

/** Follows an async action to DONE or FAILED, reporting progress as it goes. */
export async function follow(asyncActionId, onProgress = () => {}) {
  for (;;) {
    const action = await api(`/async-actions/${encodeURIComponent(asyncActionId)}`);
    onProgress(action);
    if (action.status === 'DONE' || action.status === 'FAILED') return action;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const message = $('#metadata-message');
const review = $('#metadata-review');
let fieldCount = 0;
/** What the dry run checked, so the update sends exactly what the operator reviewed. */
let reviewed = null;

function valueInput(type, id) {
  const label = document.createElement('label');
  label.htmlFor = id;
  label.textContent = 'Value';
  let input;
  if (type === 'boolean') {
    input = document.createElement('select');
    for (const [value, text] of [
      ['true', 'Yes'],
      ['false', 'No'],
    ])
      input.append(new Option(text, value));
  } else {
    input = document.createElement('input');
    input.type = { number: 'number', date: 'date', string: 'text' }[type];
    if (type === 'number') input.step = 'any';
    input.required = type !== 'string';
  }
  input.id = id;
  input.dataset.name = 'value';
  return [label, input];
}

function addField() {
  fieldCount += 1;
  const row = $('#field-row').content.firstElementChild.cloneNode(true);
  for (const label of row.querySelectorAll('label[data-for]')) label.htmlFor = `m-${label.dataset.for}-${fieldCount}`;
  for (const control of row.querySelectorAll('[data-name]')) control.id = `m-${control.dataset.name}-${fieldCount}`;
  const slot = row.querySelector('[data-value-slot]');
  const valueId = `m-value-${fieldCount}`;
  slot.replaceChildren(...valueInput('string', valueId));
  row.querySelector('[data-name=type]').addEventListener('change', (event) => {
    slot.replaceChildren(...valueInput(event.target.value, valueId));
  });
  const remove = row.querySelector('[data-remove]');
  remove.setAttribute('aria-label', `Remove field ${fieldCount}`);
  remove.addEventListener('click', () => {
    row.remove();
    updateRemoveButtons();
    $('#m-add-field').focus();
  });
  $('#m-fields').append(row);
  updateRemoveButtons();
  return row;
}

/** One field at least: the last one has no Remove button. */
function updateRemoveButtons() {
  const rows = $('#m-fields').querySelectorAll('.field-row');
  for (const row of rows) row.querySelector('[data-remove]').hidden = rows.length === 1;
}

/** The fields as typed metadata: numbers as numbers, yes/no as booleans, dates as ISO dates (YYYY-MM-DD), an empty text as null. */
function readMetadata() {
  const metadata = {};
  for (const row of $('#m-fields').querySelectorAll('.field-row')) {
    const key = row.querySelector('[data-name=key]').value.trim();
    const type = row.querySelector('[data-name=type]').value;
    const raw = row.querySelector('[data-name=value]').value;
    metadata[key] =
      type === 'number'
        ? Number(raw)
        : type === 'boolean'
          ? raw === 'true'
          : raw === '' && type === 'string'
            ? null
            : raw;
  }
  return metadata;
}

const describe = (value) => (value === null ? 'empty' : typeof value === 'string' ? `"${value}"` : String(value));

$('#metadata').addEventListener('submit', async (event) => {
  event.preventDefault();
  review.hidden = true;
  const sourceIds = String(new FormData(event.target).get('source_ids'))
    .split('\n')
    .map((id) => id.trim())
    .filter(Boolean);
  const metadata = readMetadata();
  showMessage(message, `Checking ${formatNumber(sourceIds.length)} id(s)…`, { tone: 'progress' });
  try {
    const { known, unknown } = await api('/metadata', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source_ids: sourceIds, metadata, dry_run: true }),
    });
    clearMessage(message);
    reviewed = { known, metadata };
    const fields = Object.entries(metadata)
      .map(([key, value]) => `${key} = ${describe(value)}`)
      .join(', ');
    $('#metadata-summary').textContent = known.length
      ? `${formatNumber(known.length)} customer(s) will get ${fields}.`
      : 'None of these ids matches a customer: nothing to update.';
    $('#metadata-unknown').hidden = unknown.length === 0;
    $('#metadata-unknown-list').replaceChildren(
      ...unknown.map((id) => Object.assign(document.createElement('li'), { textContent: id })),
    );
    $('#metadata-apply').hidden = known.length === 0;
    $('#metadata-apply').textContent = `Update ${formatNumber(known.length)} customer(s)`;
    review.hidden = false;
    $('#metadata-review-title').focus();
  } catch (error) {
    showMessage(message, `Could not check the ids: ${error.message}`, { tone: 'error' });
  }
});

$('#metadata-cancel').addEventListener('click', () => {
  review.hidden = true;
  reviewed = null;
  $('#m-ids').focus();
});

$('#metadata-apply').addEventListener('click', async () => {
  if (!reviewed) return;
  const { known, metadata } = reviewed;
  review.hidden = true;
  reviewed = null;
  showMessage(message, `Updating ${formatNumber(known.length)} customer(s)…`, { tone: 'progress' });
  try {
    const { async_action_ids } = await api('/metadata', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ source_ids: known, metadata }),
    });
    const results = [];
    for (const id of async_action_ids) results.push(await follow(id));
    const failed = results.filter((action) => action.status !== 'DONE').length;
    if (failed) showMessage(message, `${failed} of ${results.length} update job(s) failed.`, { tone: 'error' });
    else showMessage(message, `Metadata updated for ${formatNumber(known.length)} customer(s).`, { tone: 'success' });
  } catch (error) {
    showMessage(message, `Could not update metadata: ${error.message}`, { tone: 'error' });
  }
});

$('#m-add-field').addEventListener('click', () => addField().querySelector('[data-name=key]').focus());
addField();
