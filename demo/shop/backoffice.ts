/**
 * The shop's back-office API, as a back-office script would use the kit: the typed client pointed at the edge worker
 * with the worker's own admin key pair, never Voucherify's keys. The back-office page calls these routes; the admin
 * keys stay on the server.
 */
import { Hono } from 'hono';
import { VoucherifyServerSide, isVoucherifyError, type CustomersServerApi } from 'vc-consent/api';
import { customerRoutes } from './backoffice-consents.js';
import { importRoutes } from './backoffice-import.js';

/** Each id is looked up one by one: a bound keeps a pasted column from becoming thousands of upstream calls. */
const MAX_BULK_IDS = 500;
const LOOKUPS_AT_ONCE = 8;

function isFlatMetadata(value: unknown): value is Record<string, string | number | boolean | null> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return false;
  const entries = Object.entries(value);
  return (
    entries.length > 0 &&
    entries.every(
      ([key, item]) =>
        key.trim() !== '' &&
        (item === null || ['string', 'boolean'].includes(typeof item) || Number.isFinite(item as number)),
    )
  );
}

/** Which source ids name an existing customer, in the order given. */
async function splitKnown(api: CustomersServerApi, sourceIds: string[], signal: AbortSignal) {
  const exists = new Map<string, boolean>();
  for (let start = 0; start < sourceIds.length; start += LOOKUPS_AT_ONCE) {
    await Promise.all(
      sourceIds.slice(start, start + LOOKUPS_AT_ONCE).map(async (id) => {
        try {
          await api.getCustomer(id, { signal });
          exists.set(id, true);
        } catch (error) {
          if (!isVoucherifyError(error) || error.status !== 404) throw error;
          exists.set(id, false);
        }
      }),
    );
  }
  return {
    known: sourceIds.filter((id) => exists.get(id)),
    unknown: sourceIds.filter((id) => !exists.get(id)),
  };
}

export interface BackOfficeOptions {
  workerUrl: string;
  adminAppId: string;
  adminAppToken: string;
}

/** The shop server's one client for the worker's admin routes (back office and sign-up share it). */
export function adminClient(options: BackOfficeOptions): CustomersServerApi {
  return VoucherifyServerSide({
    baseUrl: options.workerUrl,
    applicationId: options.adminAppId,
    secretKey: options.adminAppToken,
    timeout: 20_000,
  });
}

export function backOfficeRoutes(api: CustomersServerApi, options: BackOfficeOptions): Hono {
  const app = new Hono();

  app.onError((error, c) => {
    if (isVoucherifyError(error)) {
      const status = error.status >= 400 && error.status < 600 ? error.status : 502;
      return c.json(
        {
          code: status,
          key: error.key ?? error.kind,
          message: error.message,
          details: error.details,
          request_id: error.request_id,
        },
        status as 400,
      );
    }
    console.error('back office:', error);
    return c.json(
      { code: 500, key: 'internal_error', message: 'The back office failed; see the demo server log.' },
      500,
    );
  });

  // The customer list (with the consent filters), one customer's detail and the consent definitions.
  app.route('/', customerRoutes(api));

  app.route('/import', importRoutes(api));

  app.get('/async-actions/:id', async (c) => c.json(await api.getAsyncAction(c.req.param('id'))));

  // Bulk metadata in two steps, so a typo never creates a customer: `dry_run` says which source ids exist, and the
  // update then goes to those only (Voucherify's bulk update would create a customer for every unknown id).
  app.post('/metadata', async (c) => {
    const body = (await c.req.json().catch(() => null)) as {
      source_ids?: unknown;
      metadata?: unknown;
      dry_run?: unknown;
    } | null;
    const sourceIds = Array.isArray(body?.source_ids)
      ? [...new Set(body.source_ids.filter((id): id is string => typeof id === 'string' && id.trim() !== ''))]
      : [];
    const metadata = body?.metadata;
    if (!sourceIds.length || !isFlatMetadata(metadata)) {
      return c.json(
        {
          code: 400,
          key: 'invalid_payload',
          message: 'Give at least one source id and metadata values (text, number, yes/no or date).',
        },
        400,
      );
    }
    if (sourceIds.length > MAX_BULK_IDS) {
      return c.json({ code: 400, key: 'invalid_payload', message: `Give at most ${MAX_BULK_IDS} source ids.` }, 400);
    }
    const { known, unknown } = await splitKnown(api, sourceIds, c.req.raw.signal);
    if (body?.dry_run === true || !known.length) return c.json({ known, unknown, async_action_ids: [] });
    const created = await api.updateCustomersMetadataInBulkChunked({ source_ids: known, metadata });
    return c.json({ known, unknown, async_action_ids: created.map((action) => action.async_action_id) }, 202);
  });

  // The worker's consent ledger for one customer (its own admin route, not a Voucherify one): JSON for the page, or a
  // download (`?download=json|csv`) that `npx vc-consent ledger verify` checks.
  app.get('/customers/:id/consent-records', async (c) => {
    const download = c.req.query('download');
    const format = download === 'csv' ? 'csv' : 'json';
    const url = `${options.workerUrl}/v1/consent-records?customer=${encodeURIComponent(c.req.param('id'))}&format=${format}`;
    const upstream = await fetch(url, {
      headers: { 'x-app-id': options.adminAppId, 'x-app-token': options.adminAppToken },
      signal: c.req.raw.signal,
    });
    const headers = new Headers({
      'content-type': upstream.headers.get('content-type') ?? 'application/json',
      'cache-control': 'no-store',
    });
    if (upstream.ok && (download === 'csv' || download === 'json')) {
      const name = c.req.param('id').replace(/[^A-Za-z0-9_.-]/g, '_');
      headers.set('content-disposition', `attachment; filename="consent-records-${name}.${format}"`);
    }
    return new Response(upstream.body, { status: upstream.status, headers });
  });

  app.delete('/customers/:id', async (c) => {
    if (c.req.query('permanent') === 'true') {
      return c.json(await api.customerPermanentlyDeletion(c.req.param('id')));
    }
    await api.deleteCustomer(c.req.param('id'));
    return c.body(null, 204);
  });

  return app;
}
