/**
 * `POST /webhooks/voucherify`: Voucherify's project webhooks, so a customer changed elsewhere (the dashboard, an
 * import, another integration) is not served from the worker's read cache until it expires. The signature is checked
 * on the raw body before anything is read from it (`webhook-signature.ts`); every customer an event names has what
 * the worker keeps for them dropped. Off (404) without `VOUCHERIFY_WEBHOOK_SECRET`.
 */
import { Hono } from 'hono';
import { readCapped } from '../body.js';
import type { AppEnv } from '../context.js';
import { setupOf } from '../context.js';
import { invalidateFor } from '../customer-object.js';
import { invalidPayload, notFound } from '../errors.js';
import { WireError } from '../../api/wire-error.js';
import { noQuery, route } from '../middleware.js';
import { SIGNATURE_HEADER } from '../webhook-signature.js';

/** Voucherify's events carry whole customers and orders: room for a large one, not for an upload. */
const WEBHOOK_MAX_BYTES = 256 * 1024;

const CUSTOMER_ID = /^cust_[A-Za-z0-9_-]{1,64}$/;

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The customers an event names: `data.customer` (customer events, redemptions, orders, segment changes) and a
 * customer as the event's `data.object`. Voucherify's payload is `{id, project_id, created_at, type, data, …}`.
 */
export function customersOf(event: unknown): string[] {
  if (!isObject(event) || !isObject(event.data)) return [];
  // A new customer has nothing kept under its id (a 404 is never cached, ids are never reused): waking its object to
  // drop nothing would cost a Durable Object per row of an import.
  if (event.type === 'customer.created') return [];
  const { data } = event;
  const candidates = [data.customer, isObject(data.object) && data.object.object === 'customer' ? data.object : null];
  const ids = candidates.flatMap((candidate) =>
    isObject(candidate) && typeof candidate.id === 'string' && CUSTOMER_ID.test(candidate.id) ? [candidate.id] : [],
  );
  return [...new Set(ids)];
}

export function webhookRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.post('/webhooks/voucherify', route('POST /webhooks/voucherify'), async (c) => {
    noQuery(c);
    const { secrets, log } = setupOf(c);
    if (!secrets.webhooks) throw notFound('Webhooks are off: VOUCHERIFY_WEBHOOK_SECRET is not set.');
    const body = await readCapped(c.req.raw, WEBHOOK_MAX_BYTES);
    if (!(await secrets.webhooks.verify(body, c.req.header(SIGNATURE_HEADER)))) {
      log.warn('webhook refused', { request_id: c.get('state').requestId });
      throw new WireError({
        status: 401,
        key: 'unauthorized',
        message: 'Unauthorized',
        details: `The ${SIGNATURE_HEADER} header is not this body's signature.`,
      });
    }
    let event: unknown;
    try {
      event = JSON.parse(new TextDecoder().decode(body));
    } catch {
      throw invalidPayload('The body is not valid JSON.');
    }
    const customers = customersOf(event);
    await Promise.all(customers.map((customerId) => invalidateFor(c, customerId)));
    return c.json({ received: true, invalidated: customers.length });
  });
  return app;
}
