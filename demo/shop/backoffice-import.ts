/**
 * The back office's CSV import routes. Each takes the operator's file again (multipart `file`, with the column
 * `mapping` as JSON), so the server keeps no upload between the preview, the import and its report.
 */
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { CustomersImportCsvResult, CustomersServerApi } from 'vc-consent/api';
import {
  FIELDS,
  PlanError,
  failuresCsv,
  importFailures,
  planImport,
  rebuildCsv,
  type ImportPlan,
} from './import-plan.js';

/** Voucherify's own request limit for its import. */
const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const PREVIEW_ROWS = 5;
/** The preview lists this many failing rows; the count covers them all. */
const LISTED_PROBLEMS = 100;

const invalid = (c: Context, message: string) => c.json({ code: 400, key: 'invalid_payload', message }, 400);

async function readUpload(c: Context): Promise<{ plan: ImportPlan; form: Record<string, unknown> }> {
  const form = (await c.req.parseBody().catch(() => {
    throw new PlanError('Send the CSV file as multipart/form-data in the field "file".');
  })) as Record<string, unknown>;
  const file = form.file;
  if (!(file instanceof File)) throw new PlanError('Choose a CSV file (form field "file").');
  return { plan: planImport(await file.text(), form.mapping), form };
}

/** The route's answer, or a 400 naming what is wrong with the file or the mapping. */
function withPlan(handler: (c: Context, plan: ImportPlan, form: Record<string, unknown>) => Promise<Response>) {
  return async (c: Context) => {
    let upload;
    try {
      upload = await readUpload(c);
    } catch (error) {
      if (error instanceof PlanError) return invalid(c, error.message);
      throw error;
    }
    return handler(c, upload.plan, upload.form);
  };
}

/** Mounted at the back office's `/import`. */
export function importRoutes(api: CustomersServerApi): Hono {
  const app = new Hono();
  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_UPLOAD_BYTES,
      onError: (c) => c.json({ code: 413, key: 'payload_too_large', message: 'The file is too large.' }, 413),
    }),
  );

  app.post(
    '/preview',
    withPlan(async (c, plan) => {
      const failing = plan.checks.filter((check) => check.problems.length);
      return c.json({
        fields: FIELDS.map(({ value, label, header }) => ({ value, label, header })),
        columns: plan.header.map((header, index) => ({
          header,
          target: plan.targets[index],
          problem: plan.columnProblems[index],
        })),
        total_rows: plan.rows.length,
        failing_rows: failing.length,
        held_back_rows: plan.checks.filter((check) => !check.send).length,
        sample: plan.rows.slice(0, PREVIEW_ROWS).map((cells, index) => ({ ...plan.checks[index], cells })),
        problems: failing.slice(0, LISTED_PROBLEMS),
      });
    }),
  );

  app.post(
    '/',
    withPlan(async (c, plan) => {
      const problem = plan.columnProblems.find(Boolean);
      if (problem) return invalid(c, `Fix the column mapping first: ${problem}`);
      const { csv, sentRows } = rebuildCsv(plan);
      if (!sentRows.length) return invalid(c, 'No row of this file can be imported: see the problems listed.');
      const file = new File([csv], 'customers.csv', { type: 'text/csv' });
      const created = await api.importCustomersUsingCsv(file, { filename: file.name });
      return c.json(
        { ...created, sent_rows: sentRows.length, held_back_rows: plan.rows.length - sentRows.length },
        202,
      );
    }),
  );

  // After the job: its outcome joined with the rows held back, each failure with the operator's original row.
  app.post(
    '/report',
    withPlan(async (c, plan, form) => {
      if (typeof form.async_action_id !== 'string' || !form.async_action_id) {
        return invalid(c, 'async_action_id: the import job to report on is required');
      }
      const action = await api.getAsyncAction<CustomersImportCsvResult>(form.async_action_id);
      const failed = importFailures(plan, action.result);
      return c.json({
        status: action.status,
        message: action.result?.message,
        done_count: action.result?.done_count ?? 0,
        failed: failed.map(({ row, source_id, reason }) => ({ row, source_id, reason })),
        csv: failuresCsv(plan, failed),
      });
    }),
  );

  return app;
}
