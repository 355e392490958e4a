/**
 * Public routes: `GET /healthz` (with an admin key pair, the upstream budget seen last too), and `GET /v1/consents` (the consent definitions in Voucherify's own
 * `ConsentsList` shape, so any SDK's `listConsents` works against the worker), cached at the edge for a minute.
 * With a back office key pair the same path is a plain pass-through (see `back-office.ts`).
 */
import { Hono } from 'hono';
import { cleanConsentsList } from '../consents.js';
import type { AppEnv } from '../context.js';
import { executionContext, setupOf } from '../context.js';
import { upstreamFailure } from '../errors.js';
import { cors, route } from '../middleware.js';
import { edgeCache } from '../cloudflare.js';
import { forwardBackOffice, isBackOfficeRequest, requireAdmin } from './back-office.js';
import { upstreamBudget } from '../upstream-budget.js';

export const CONSENTS_MAX_AGE = 60;

export function publicRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  app.get('/healthz', route('GET /healthz'), async (c) => {
    if (!isBackOfficeRequest(c)) return c.json({ status: 'ok' });
    await requireAdmin(c);
    const { upstreamReserve } = setupOf(c).config;
    const last = upstreamBudget.last;
    const budget = last && {
      limit: last.limit,
      remaining: last.remaining,
      ...(last.type ? { type: last.type } : {}),
      resets_at: new Date(last.resetsAt).toISOString(),
      seen_at: new Date(last.seenAt).toISOString(),
    };
    // `holding_back_reads`: reads are served from cache or deferred while fewer than `reserve` requests are left.
    const reads = { reserve: upstreamReserve, holding_back_reads: upstreamBudget.isLow(upstreamReserve) };
    return c.json({ status: 'ok', upstream_budget: budget, ...reads });
  });

  app.use('/v1/consents', async function backOfficeConsents(c, next) {
    if (isBackOfficeRequest(c)) {
      c.get('state').route = `${c.req.method} /v1/consents (back office)`;
      return forwardBackOffice(c);
    }
    await next();
  });
  app.use('/v1/consents', cors({ enforce: false, methods: 'GET, OPTIONS' }));

  app.get('/v1/consents', route('GET /v1/consents'), async (c) => {
    const { secrets, config } = setupOf(c);
    const cache = await edgeCache().catch(() => null);
    // One cache entry per upstream; the request's own URL (and its query) does not split the cache.
    const key = new Request(
      `${new URL(c.req.url).origin}/v1/consents?upstream=${encodeURIComponent(config.upstreamUrl)}`,
    );
    const cached = await cache?.match(key).catch(() => undefined);
    if (cached) {
      const headers = new Headers(cached.headers);
      headers.set('X-Edge-Cache', 'HIT');
      return new Response(cached.body, { status: 200, headers });
    }
    let list;
    try {
      list = cleanConsentsList(await secrets.api.listConsents());
    } catch (error) {
      throw upstreamFailure(error);
    }
    const body = JSON.stringify(list);
    const headers = {
      'Content-Type': 'application/json; charset=utf-8',
      'Cache-Control': `public, max-age=${CONSENTS_MAX_AGE}`,
    };
    if (cache) {
      const put = cache.put(key, new Response(body, { headers })).catch(() => undefined);
      const ctx = executionContext(c);
      if (ctx) ctx.waitUntil(put);
      else await put;
    }
    return new Response(body, { status: 200, headers: { ...headers, 'X-Edge-Cache': 'MISS' } });
  });

  return app;
}
