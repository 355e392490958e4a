// CSV import in the back office: a chosen file is previewed first (the shop's server parses it, maps each column to a
// customer field and checks every row), then imported with a progress bar; afterwards the rows that did not become
// customers are listed with their reason and offered as a CSV to fix and import again. The generated sample, known to
// be clean, is imported straight away. Untrusted values are written with textContent only.
import { $, api, clearMessage, formatNumber, showMessage } from './backoffice-ui.js';
import { follow } from './backoffice-metadata.js';

const CITIES = ['Berlin', 'Paris', 'Madrid', 'Rome', 'Warsaw', 'Lisbon', 'Amsterdam', 'Stockholm', 'Tokyo', 'New York'];
const message = $('#import-message');
const say = (text, tone) => showMessage(message, text, { tone });

/** The file being previewed and its current mapping (one target per column). */
let current = null;
/** Only the latest preview request may draw: a slower earlier one is dropped. */
let previewSeq = 0;
let downloadUrl = null;

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

function upload(file, mapping, extra = {}) {
  const body = new FormData();
  body.set('file', file);
  if (mapping) body.set('mapping', JSON.stringify(mapping));
  for (const [name, value] of Object.entries(extra)) body.set(name, value);
  return body;
}

/** A cell that names its column (`data-label`) for the phone layout, where each row becomes a card. */
function cell(text, label, tag = 'td') {
  const element = document.createElement(tag);
  element.textContent = text ?? '';
  if (label) element.dataset.label = label;
  return element;
}

const targetLabel = (preview, column) =>
  column.target === 'metadata'
    ? `Metadata “${column.header}”`
    : (preview.fields.find((field) => field.value === column.target)?.label ?? column.target);

function mappingSelect(preview, column, index) {
  const id = `import-map-${index}`;
  const label = document.createElement('label');
  label.htmlFor = id;
  label.className = 'visually-hidden';
  label.textContent = `Import column “${column.header || index + 1}” as`;
  const select = document.createElement('select');
  select.id = id;
  select.append(new Option('Skip (not imported)', 'skip'));
  for (const field of preview.fields) select.append(new Option(field.label, field.value));
  select.append(new Option(column.header.trim() ? `Metadata “${column.header.trim()}”` : 'Metadata', 'metadata'));
  select.value = column.target;
  select.addEventListener('change', () => {
    current.mapping[index] = select.value;
    void loadPreview(id);
  });
  const parts = [label, select];
  if (column.problem) {
    const problem = document.createElement('p');
    problem.id = `${id}-problem`;
    problem.className = 'field-error';
    problem.textContent = column.problem;
    select.setAttribute('aria-describedby', problem.id);
    select.setAttribute('aria-invalid', 'true');
    parts.push(problem);
  }
  return parts;
}

function renderMapping(preview) {
  const [columnName, firstValue, importedAs] = ['Column', 'First value', 'Imported as'];
  const rows = preview.columns.map((column, index) => {
    const tr = document.createElement('tr');
    const choice = cell('', importedAs);
    choice.append(...mappingSelect(preview, column, index));
    tr.append(
      cell(column.header || `(column ${index + 1}, no header)`, columnName, 'th'),
      cell(preview.sample[0]?.cells[index] ?? '', firstValue),
      choice,
    );
    tr.firstElementChild.scope = 'row';
    return tr;
  });
  $('#import-mapping tbody').replaceChildren(...rows);
}

/** The first rows with only the mapped columns, under the names they are imported as, and each row's problems. */
function renderRows(preview) {
  const mapped = preview.columns.flatMap((column, index) => (column.target === 'skip' ? [] : [{ column, index }]));
  const names = ['Row', ...mapped.map(({ column }) => targetLabel(preview, column)), 'Problems'];
  $('#import-rows thead tr').replaceChildren(
    ...names.map((name) => Object.assign(cell(name, null, 'th'), { scope: 'col' })),
  );
  const rows = preview.sample.map((row) => {
    const tr = document.createElement('tr');
    const problems = cell(row.problems.length ? row.problems.join('; ') : 'None', 'Problems');
    if (row.problems.length) problems.className = 'row-error';
    tr.append(
      cell(formatNumber(row.row), 'Row'),
      ...mapped.map(({ column, index }) => cell(row.cells[index], targetLabel(preview, column))),
      problems,
    );
    return tr;
  });
  $('#import-rows tbody').replaceChildren(...rows);
}

function renderProblems(preview) {
  const items = preview.problems.map((problem) => {
    const who = problem.source_id ? ` (${problem.source_id})` : '';
    return Object.assign(document.createElement('li'), {
      textContent: `Row ${formatNumber(problem.row)}${who}: ${problem.problems.join('; ')}`,
    });
  });
  const unlisted = preview.failing_rows - preview.problems.length;
  if (unlisted > 0) {
    items.push(Object.assign(document.createElement('li'), { textContent: `… and ${formatNumber(unlisted)} more` }));
  }
  $('#import-problem-list').replaceChildren(...items);
  $('#import-problems').hidden = items.length === 0;
}

function renderPreview(preview) {
  renderMapping(preview);
  renderRows(preview);
  renderProblems(preview);
  const sendable = preview.total_rows - preview.held_back_rows;
  const mappingProblems = preview.columns.filter((column) => column.problem).length;
  const total = `${formatNumber(preview.total_rows)} row(s) in ${current.file.name}`;
  $('#import-summary').textContent = [
    preview.failing_rows
      ? `${total}: ${formatNumber(preview.failing_rows)} will fail, listed below.`
      : `${total}: no problem found.`,
    mappingProblems ? 'Fix the column mapping before importing.' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const start = $('#import-start');
  start.textContent = `Import ${formatNumber(sendable)} row(s)`;
  start.disabled = mappingProblems > 0 || sendable === 0;
}

/** Asks the server for the preview of the current file and mapping; `focusId` keeps focus on the control in use. */
async function loadPreview(focusId) {
  const seq = ++previewSeq;
  try {
    const preview = await api('/import/preview', { method: 'POST', body: upload(current.file, current.mapping) });
    if (seq !== previewSeq) return;
    current.mapping = preview.columns.map((column) => column.target);
    renderPreview(preview);
    $('#import-preview').hidden = false;
    if (focusId) document.getElementById(focusId)?.focus();
    else $('#import-preview-title').focus();
  } catch (error) {
    if (seq !== previewSeq) return;
    $('#import-preview').hidden = true;
    say(`Could not read ${current.file.name}: ${error.message}`, 'error');
  }
}

function renderReport(report, fileName) {
  const rows = report.failed.map((failure) => {
    const tr = document.createElement('tr');
    tr.append(
      cell(formatNumber(failure.row), 'Row'),
      cell(failure.source_id, 'Source id'),
      cell(failure.reason, 'Reason'),
    );
    return tr;
  });
  $('#import-failures tbody').replaceChildren(...rows);
  if (downloadUrl) URL.revokeObjectURL(downloadUrl);
  downloadUrl = URL.createObjectURL(new Blob([report.csv], { type: 'text/csv' }));
  const link = $('#import-failures-csv');
  link.href = downloadUrl;
  link.download = `${fileName.replace(/\.csv$/i, '')}-failed-rows.csv`;
  $('#import-report').hidden = rows.length === 0;
  if (rows.length) $('#import-report-title').focus();
}

async function runImport(file, mapping) {
  const progress = $('#import-progress');
  progress.value = 0;
  progress.textContent = '0%';
  $('#import-report').hidden = true;
  say(`Uploading ${file.name}…`, 'progress');
  try {
    const created = await api('/import', { method: 'POST', body: upload(file, mapping) });
    const action = await follow(created.async_action_id, (state) => {
      progress.value = state.progress ?? 0;
      progress.textContent = `${progress.value}%`;
      say(`Import ${state.status.toLowerCase().replace('_', ' ')}: ${progress.value}%`, 'progress');
    });
    const report = await api('/import/report', {
      method: 'POST',
      body: upload(file, mapping, { async_action_id: created.async_action_id }),
    });
    const failed = formatNumber(report.failed.length);
    if (action.status === 'DONE') {
      const done = formatNumber(report.done_count);
      say(`Import done: ${done} customer(s) imported, ${failed} row(s) not imported.`, 'success');
    } else {
      say(`Import failed: ${report.message ?? 'see the async action'}`, 'error');
    }
    renderReport(report, file.name);
    document.dispatchEvent(new CustomEvent('customers-imported'));
  } catch (error) {
    say(`Import failed: ${error.message}`, 'error');
  }
}

function preview(file) {
  clearMessage(message);
  $('#import-report').hidden = true;
  current = { file, mapping: null };
  void loadPreview();
}

$('#csv-file').addEventListener('change', (event) => {
  const file = event.target.files[0];
  if (file) preview(file);
});
$('#import').addEventListener('submit', (event) => {
  event.preventDefault();
  const file = $('#csv-file').files[0];
  if (!file) {
    say('Choose a CSV file first.', 'error');
    $('#csv-file').focus();
    return;
  }
  preview(file);
});
$('#import-start').addEventListener('click', () => {
  if (!current) return;
  const { file, mapping } = current;
  $('#import-preview').hidden = true;
  current = null;
  $('#csv-file').focus();
  void runImport(file, mapping);
});
$('#import-cancel').addEventListener('click', () => {
  $('#import-preview').hidden = true;
  current = null;
  $('#csv-file').focus();
});
$('#import-sample').addEventListener('click', () => {
  $('#import-preview').hidden = true;
  current = null;
  void runImport(sampleCsv(1000), null);
});
