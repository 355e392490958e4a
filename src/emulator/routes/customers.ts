/** `/v1/customers…`: create (upsert), read, list, update, delete, permanent deletion, activities, segments, bulk, CSV. */
import { rm } from 'node:fs/promises';
import { Hono } from 'hono';
import { listActivities, listActivity } from '../activities.js';
import { bodyStream, readJson } from '../body.js';
import { runBulkUpdate, runMetadataUpdate, validateBulkBody, validateMetadataBody } from '../bulk-update.js';
import { receiveCsvUpload, runCsvImport } from '../csv-import.js';
import { renderCustomer, ruleView } from '../customer-record.js';
import { invalidPayload, notFound } from '../errors.js';
import {
  pathParam,
  queryParams,
  writeContext,
  type EmulatorContext,
  type EmulatorEnv,
  type RouteDeps,
} from '../http-context.js';
import { listCustomers } from '../listing.js';
import { renderSegment } from '../segments.js';
import { describe, isPlainObject, validateCustomerFields } from '../validation.js';

/** `/v1/customers/{customerId}…`: the id is the fourth raw segment. */
const CUSTOMER_SEGMENT = 3;

export function customerRoutes({ runtime }: RouteDeps): Hono<EmulatorEnv> {
  const { store, jobs, options } = runtime;
  const app = new Hono<EmulatorEnv>();

  const liveCustomer = (idOrSourceId: string) => {
    const record = store.resolve(idOrSourceId);
    if (!record) throw notFound('customer', idOrSourceId);
    return record;
  };

  const objectBody = async (c: EmulatorContext) => {
    const body = await readJson(c, options.maxBodyBytes);
    if (!isPlainObject(body))
      throw invalidPayload(`The payload must be a JSON object (actual value is ${describe(body)})`);
    return body;
  };

  // Static paths first: they share the `/v1/customers/{x}` shape with the id routes.
  app.post('/v1/customers/importCSV', async (c) => {
    const requestId = c.get('requestId');
    const file = await receiveCsvUpload(c.env.incoming.headers, bodyStream(c), {
      maxBytes: options.maxBodyBytes,
      directory: runtime.uploadDirectory,
      name: requestId,
    });
    // The uploaded file is removed when the job ends, however it ends.
    const action = jobs.enqueue('CUSTOMERS.IMPORT_CSV', requestId, runCsvImport(store, file, writeContext(c)), () =>
      rm(file.path, { force: true }),
    );
    return c.json({ async_action_id: action.id }, 202);
  });

  app.post('/v1/customers/bulk/async', async (c) => {
    const records = validateBulkBody(await readJson(c, options.maxBodyBytes));
    const action = jobs.enqueue(
      'CUSTOMERS.BULK_UPDATE',
      c.get('requestId'),
      runBulkUpdate(store, records, writeContext(c)),
    );
    return c.json({ async_action_id: action.id }, 202);
  });

  app.post('/v1/customers/metadata/async', async (c) => {
    const update = validateMetadataBody(await readJson(c, options.maxBodyBytes));
    const action = jobs.enqueue(
      'CUSTOMERS.METADATA_UPDATE',
      c.get('requestId'),
      runMetadataUpdate(store, update, writeContext(c)),
    );
    return c.json({ async_action_id: action.id }, 202);
  });

  app.get('/v1/customers', (c) => c.json(listCustomers(store, queryParams(c))));

  // Upsert: an `id` must exist (404 otherwise) and wins over `source_id`; else a known `source_id` is updated.
  app.post('/v1/customers', async (c) => {
    const body = await objectBody(c);
    const { id, source_id: sourceId } = body;
    if (id !== undefined && (typeof id !== 'string' || id === ''))
      throw invalidPayload(`id: must be a non-empty string (actual value is ${describe(id)})`);
    if (sourceId !== undefined && sourceId !== null && (typeof sourceId !== 'string' || sourceId === '')) {
      throw invalidPayload(`source_id: must be a non-empty string (actual value is ${describe(sourceId)})`);
    }
    const fields = validateCustomerFields(body);
    const match = typeof id === 'string' ? { id } : typeof sourceId === 'string' ? { source_id: sourceId } : {};
    const { record } = store.upsert(match, fields, 'merge', writeContext(c));
    return c.json(renderCustomer(record), 200);
  });

  app.get('/v1/customers/:customerId', (c) => c.json(renderCustomer(liveCustomer(pathParam(c, CUSTOMER_SEGMENT)))));

  // Partial update: fields not sent stay; address merges field by field, metadata key by key.
  app.put('/v1/customers/:customerId', async (c) => {
    const idOrSourceId = pathParam(c, CUSTOMER_SEGMENT);
    liveCustomer(idOrSourceId);
    const fields = validateCustomerFields(await objectBody(c));
    // Found again once the body has arrived, and written in the same step: another write may have come in meanwhile.
    return c.json(renderCustomer(store.update(liveCustomer(idOrSourceId), fields, 'merge', writeContext(c))));
  });

  app.delete('/v1/customers/:customerId', (c) => {
    store.softDelete(liveCustomer(pathParam(c, CUSTOMER_SEGMENT)), writeContext(c));
    return c.body(null, 204);
  });

  app.post('/v1/customers/:customerId/permanent-deletion', (c) => {
    const idOrSourceId = pathParam(c, CUSTOMER_SEGMENT);
    const record = store.resolveWithDeleted(idOrSourceId);
    if (!record) throw notFound('customer', idOrSourceId);
    const { deletion, forgotten } = store.permanentlyDelete(record, writeContext(c));
    // This request's own log entry names the customer too.
    c.set('forgotten', forgotten);
    return c.json(deletion);
  });

  // Activity history outlives a plain DELETE (until a permanent deletion), so deleted customers are found here.
  const historyOf = (idOrSourceId: string) => {
    const record = store.resolveWithDeleted(idOrSourceId);
    if (!record) throw notFound('customer', idOrSourceId);
    return store.activities.of(record.id);
  };

  app.get('/v1/customers/:customerId/activities', (c) =>
    c.json(listActivities(historyOf(pathParam(c, CUSTOMER_SEGMENT)), queryParams(c))),
  );

  app.get('/v1/customers/:customerId/activity', (c) =>
    c.json(listActivity(historyOf(pathParam(c, CUSTOMER_SEGMENT)), queryParams(c))),
  );

  // For an unknown customer: the segments a new, empty customer would qualify for (never 404).
  app.get('/v1/customers/:customerId/segments', (c) => {
    const record = store.resolve(pathParam(c, CUSTOMER_SEGMENT));
    const segments = record
      ? store.segments.segmentsOf(record.id)
      : store.segments.evaluate(ruleView({ address: null }));
    return c.json({ object: 'list', data_ref: 'data', data: segments.map(renderSegment), total: segments.length });
  });

  return app;
}
