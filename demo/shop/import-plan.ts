/**
 * The back office's CSV import, planned on the shop's server before anything reaches Voucherify: each column of the
 * operator's file goes to a customer field (under the header Voucherify's import understands), to metadata under the
 * column's own name, or nowhere; each row is checked; and the file that is sent is rebuilt from that mapping.
 *
 * Rows the shop holds back: a missing or repeated source id (Voucherify would create a customer no later import can
 * update, or let the last duplicate silently win) and a row whose column count differs from the header's. Values
 * Voucherify checks itself (email, birthdate) are flagged in the preview but still sent: its verdict, in the async
 * action's `failed` list, is the one the operator gets.
 */
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

/**
 * What an import's async action reports of its failed rows (the fields of the kit's `CustomersImportCsvResult` read
 * here). Declared here so the module stays free of the package's build: the tests import it straight from the source.
 */
interface ImportReport {
  failed?: Array<{ source_id?: string; row?: number; reason?: string }>;
}

/** Voucherify's standard import columns (docs.voucherify.io, "Import customers"), with the names operators use. */
export const FIELDS = [
  { value: 'source_id', header: 'Source_id', label: 'Source id', aliases: ['sourceid', 'customer_source_id'] },
  { value: 'name', header: 'Name', label: 'Name', aliases: ['full_name', 'customer_name'] },
  { value: 'email', header: 'Email', label: 'Email', aliases: ['e_mail', 'email_address', 'mail'] },
  { value: 'phone', header: 'Phone', label: 'Phone', aliases: ['phone_number', 'telephone', 'mobile'] },
  { value: 'description', header: 'Description', label: 'Description', aliases: [] },
  { value: 'birthdate', header: 'Birthdate', label: 'Birthdate', aliases: ['birthday', 'date_of_birth', 'dob'] },
  { value: 'address_line_1', header: 'Address_line_1', label: 'Address line 1', aliases: ['line_1', 'address'] },
  { value: 'address_line_2', header: 'Address_line_2', label: 'Address line 2', aliases: ['line_2'] },
  { value: 'address_city', header: 'Address_City', label: 'City', aliases: ['city'] },
  { value: 'address_state', header: 'Address_State', label: 'State', aliases: ['state', 'region'] },
  { value: 'address_country', header: 'Address_Country', label: 'Country', aliases: ['country'] },
  {
    value: 'address_postal_code',
    header: 'Address_Postal_Code',
    label: 'Postal code',
    aliases: ['postal_code', 'postcode', 'zip', 'zip_code'],
  },
] as const;

export type FieldName = (typeof FIELDS)[number]['value'];
/** Where a column goes: a standard field, metadata under the column's own header, or nowhere. */
export type ColumnTarget = FieldName | 'metadata' | 'skip';

const FIELD_BY_NAME = new Map<string, (typeof FIELDS)[number]>(FIELDS.map((field) => [field.value, field]));
const TARGETS = new Set<string>([...FIELD_BY_NAME.keys(), 'metadata', 'skip']);
/** Headers Voucherify reads as standard columns (case-insensitive): a metadata key cannot be one of them. */
const STANDARD_HEADERS = new Set([
  'id',
  ...FIELDS.map((field) => field.header.toLowerCase()),
  ...['line_1', 'line_2', 'city', 'state', 'country', 'postal_code'],
]);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/u;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A file or mapping the shop cannot work with: the route answers 400 with this message. */
export class PlanError extends Error {}

export interface RowCheck {
  /** 1 for the first row after the header, as Voucherify counts rows in its import report. */
  row: number;
  source_id: string;
  problems: string[];
  /** False when the shop holds the row back. */
  send: boolean;
}

export interface ImportPlan {
  header: string[];
  targets: ColumnTarget[];
  /** One per column: why the mapping of that column cannot be imported, or null. */
  columnProblems: Array<string | null>;
  rows: string[][];
  checks: RowCheck[];
}

export interface ImportFailure {
  row: number;
  source_id: string;
  reason: string;
  cells: string[];
}

const normalise = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** The field a header names (Voucherify's own header or a common alias), else metadata; a blank header is skipped. */
export function autoTarget(header: string): ColumnTarget {
  const name = normalise(header);
  if (!name) return 'skip';
  const field = FIELDS.find(
    (candidate) =>
      candidate.value === name ||
      candidate.header.toLowerCase() === name ||
      (candidate.aliases as readonly string[]).includes(name),
  );
  return field?.value ?? 'metadata';
}

function readMapping(mapping: unknown, header: string[]): ColumnTarget[] {
  if (mapping === undefined || mapping === null || mapping === '') return header.map(autoTarget);
  let targets: unknown;
  try {
    targets = typeof mapping === 'string' ? JSON.parse(mapping) : mapping;
  } catch {
    throw new PlanError('mapping: must be a JSON array with one target per column');
  }
  if (!Array.isArray(targets) || targets.length !== header.length) {
    throw new PlanError(`mapping: must list one target for each of the file's ${header.length} columns`);
  }
  const unknown = targets.find((target) => typeof target !== 'string' || !TARGETS.has(target));
  if (unknown !== undefined) throw new PlanError(`mapping: unknown target ${JSON.stringify(unknown)}`);
  return targets as ColumnTarget[];
}

function columnProblems(header: string[], targets: ColumnTarget[]): Array<string | null> {
  return targets.map((target, index) => {
    if (target === 'skip') return null;
    const earlier = targets.findIndex(
      (other, i) =>
        i < index && other === target && (target !== 'metadata' || header[i]!.trim() === header[index]!.trim()),
    );
    if (target === 'metadata') {
      const key = header[index]!.trim();
      if (!key) return 'A column without a header cannot become a metadata key: skip it.';
      if (STANDARD_HEADERS.has(key.toLowerCase()))
        return `"${key}" is a standard column in Voucherify's import, so it cannot be a metadata key: map it to a field or skip it.`;
      if (earlier >= 0) return `Column ${earlier + 1} already becomes metadata "${key}".`;
      return null;
    }
    if (earlier >= 0) return `Column ${earlier + 1} is already mapped to ${FIELD_BY_NAME.get(target)!.label}.`;
    return null;
  });
}

function validDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function checkRows(header: string[], targets: ColumnTarget[], rows: string[][]): RowCheck[] {
  const firstRowOf = new Map<string, number>();
  const column = (target: ColumnTarget) => targets.indexOf(target);
  return rows.map((cells, index) => {
    const row = index + 1;
    const source_id = column('source_id') >= 0 ? (cells[column('source_id')] ?? '') : '';
    const held: string[] = [];
    const flagged: string[] = [];
    if (cells.length !== header.length) held.push(`row has ${cells.length} columns, the header has ${header.length}`);
    if (!source_id) held.push('source_id: missing (a customer without one cannot be updated by a later import)');
    else if (firstRowOf.has(source_id)) held.push(`source_id: repeats row ${firstRowOf.get(source_id)}`);
    else firstRowOf.set(source_id, row);
    const email = column('email') >= 0 ? cells[column('email')] : '';
    if (email && !EMAIL.test(email)) flagged.push(`email: must be a valid email address (actual value is '${email}')`);
    const birthdate = column('birthdate') >= 0 ? cells[column('birthdate')] : '';
    if (birthdate && !validDate(birthdate))
      flagged.push(`birthdate: must be a valid date in format YYYY-MM-DD (actual value is '${birthdate}')`);
    return { row, source_id, problems: [...held, ...flagged], send: held.length === 0 };
  });
}

/** Parses the operator's file and checks it against `mapping` (the automatic one when absent). */
export function planImport(text: string, mapping?: unknown): ImportPlan {
  let records: string[][];
  try {
    records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, trim: true });
  } catch (error) {
    throw new PlanError(`The file is not valid CSV: ${(error as Error).message}`);
  }
  const [header, ...rows] = records;
  if (!header) throw new PlanError('The file is empty: its first line must be a header row.');
  const targets = readMapping(mapping, header);
  return {
    header,
    targets,
    columnProblems: columnProblems(header, targets),
    rows,
    checks: checkRows(header, targets, rows),
  };
}

/** The file Voucherify gets: mapped columns only, under its header names, and the rows the shop does not hold back. */
export function rebuildCsv(plan: ImportPlan): { csv: string; sentRows: number[] } {
  const kept = plan.targets.flatMap((target, index) => (target === 'skip' ? [] : [index]));
  const header = kept.map((index) => {
    const target = plan.targets[index]!;
    return target === 'metadata' ? plan.header[index]!.trim() : FIELD_BY_NAME.get(target)!.header;
  });
  const sent = plan.checks.filter((check) => check.send);
  const body = sent.map((check) => kept.map((index) => plan.rows[check.row - 1]![index] ?? ''));
  return { csv: stringify([header, ...body]), sentRows: sent.map((check) => check.row) };
}

/**
 * Every row that did not become a customer, in file order: those the shop held back, and those Voucherify's import
 * report lists as failed (its row numbers count the rows of the rebuilt file, mapped back to the operator's).
 */
export function importFailures(plan: ImportPlan, result: ImportReport | undefined): ImportFailure[] {
  const { sentRows } = rebuildCsv(plan);
  const failures = new Map<number, ImportFailure>();
  const add = (row: number, reason: string) => {
    const cells = plan.rows[row - 1];
    if (!cells) return;
    const source_id = plan.checks[row - 1]!.source_id;
    failures.set(row, { row, source_id, reason, cells });
  };
  for (const check of plan.checks) if (!check.send) add(check.row, check.problems.join('; '));
  for (const failed of result?.failed ?? []) {
    const row = failed.row === undefined ? undefined : sentRows[failed.row - 1];
    if (row !== undefined) add(row, failed.reason ?? 'rejected by Voucherify');
  }
  return [...failures.values()].sort((a, b) => a.row - b.row);
}

/** The failed rows as the operator's own columns plus the reason, ready to fix and import again. */
export function failuresCsv(plan: ImportPlan, failures: ImportFailure[]): string {
  return stringify([
    [...plan.header, 'Reason'],
    ...failures.map((failure) => [...plan.header.map((_, index) => failure.cells[index] ?? ''), failure.reason]),
  ]);
}
