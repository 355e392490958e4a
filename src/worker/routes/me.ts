/**
 * Customer routes (`/v1/me…`): a session token's `sub` is the customer, its scopes decide what they may do, and
 * answers are projections made for a profile card. Nothing here reads a customer id from the path, query or body.
 */
import { Hono } from 'hono';
import { SCOPES } from '../../api/edge-types.js';
import type { EdgeActivityList, EdgePermanentDeletion } from '../../api/edge-types.js';
import type { WireError } from '../../api/wire-error.js';
import { mediaType, readCapped, readJsonObject } from '../body.js';
import { edgeConsents, loadDefinitions, parseConsentsUpdate, parsePolicyVersion } from '../consents.js';
import { readFor, writeFor } from '../customer-object.js';
import { SESSION_GONE, combined, freshnessHeaders } from '../customer-reads.js';
import { shownConsents } from '../pending-optout.js';
import { budgetReserved, upstreamBudget } from '../upstream-budget.js';
import type { AppContext, AppEnv } from '../context.js';
import { loggedCustomer, setupOf } from '../context.js';
import { invalidPayload, invalidQuery, upstreamFailure } from '../errors.js';
import { cors, noQuery, rateLimit, route, session } from '../middleware.js';
import {
  parseActivityQuery,
  parseProfileUpdate,
  projectActivity,
  projectProfile,
  projectSegments,
} from '../profile.js';

async function upstream<T>(call: () => Promise<T>, badRequest?: () => WireError): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw upstreamFailure(error, { notFoundDetails: SESSION_GONE, badRequest });
  }
}

// The worker checks the cursor's form; only Voucherify knows whether it is one of the customer's activities.
const unknownCursor = () =>
  invalidQuery('starting_after_id is not one of your activities: start again from the first page.');

/** A browser page sends `Origin` with every PUT and POST; a script holding a session token (a shop's backend) does not. */
const channelOf = (c: AppContext): 'panel' | 'api' => (c.req.header('origin') === undefined ? 'api' : 'panel');

const ME_PATHS = ['/v1/me', '/v1/me/activities', '/v1/me/segments', '/v1/me/consents', '/v1/me/permanent-deletion'];

const writeLimit = rateLimit('WRITE_LIMITER', (c) => `sub:${c.get('session').customerId}`);

export function meRoutes(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const corsMe = cors({ enforce: true, methods: 'GET, PUT, POST, OPTIONS' });
  for (const path of ME_PATHS) app.use(path, corsMe);

  app.get('/v1/me', route('GET /v1/me'), session(SCOPES.profileRead), async (c) => {
    noQuery(c);
    const { config } = setupOf(c);
    const customer = await readFor(c, c.get('session').customerId, { kind: 'customer' });
    return c.json(projectProfile(customer.value, config.profileMetadataKeys), 200, freshnessHeaders(customer));
  });

  app.put('/v1/me', route('PUT /v1/me'), session(SCOPES.profileWrite), writeLimit, async (c) => {
    noQuery(c);
    const { config } = setupOf(c);
    const update = parseProfileUpdate(await readJsonObject(c.req.raw), config.profileMetadataKeys);
    const customer = await writeFor(c, c.get('session').customerId, { kind: 'profile', update });
    return c.json(projectProfile(customer, config.profileMetadataKeys));
  });

  app.get('/v1/me/activities', route('GET /v1/me/activities'), session(SCOPES.profileRead), async (c) => {
    const setup = setupOf(c);
    const params = parseActivityQuery(new URL(c.req.url).searchParams);
    const { limit } = params;
    const customerId = c.get('session').customerId;
    // One more than asked tells whether there is a next page (the seed's endpoint has no has_more).
    const query = { ...params, limit: Math.min(limit + 1, 100) };
    let read;
    if (params.starting_after_id === undefined) {
      read = await readFor(c, customerId, { kind: 'activities', params: query });
    } else {
      // Later pages are not kept: under the reserve they wait for the budget to refill.
      if (upstreamBudget.isLow(setup.config.upstreamReserve)) throw budgetReserved(upstreamBudget.secondsToReset());
      const value = await upstream(() => setup.secrets.api.listCustomerActivities(customerId, query), unknownCursor);
      read = { value, age: 0, cache: 'miss' as const };
    }
    const list = read.value;
    const items = Array.isArray(list?.data) ? list.data : [];
    const page = items.slice(0, limit);
    const hasMore = items.length > limit || (limit === 100 && items.length === 100 && (list.total ?? 0) > 100);
    const answer: EdgeActivityList = {
      object: 'list',
      data: page.map(projectActivity),
      has_more: hasMore && page.length > 0,
    };
    const last = page.at(-1);
    if (answer.has_more && last) answer.more_starting_after = String(last.id);
    return c.json(answer, 200, freshnessHeaders(read));
  });

  app.get('/v1/me/segments', route('GET /v1/me/segments'), session(SCOPES.profileRead), async (c) => {
    noQuery(c);
    const customerId = c.get('session').customerId;
    // Voucherify answers segments even for an unknown id (those it "would" be in): check the customer exists.
    const [customer, segments] = await Promise.all([
      readFor(c, customerId, { kind: 'customer' }),
      readFor(c, customerId, { kind: 'segments' }),
    ]);
    return c.json(projectSegments(segments.value), 200, freshnessHeaders(combined([customer, segments])));
  });

  app.get('/v1/me/consents', route('GET /v1/me/consents'), session(SCOPES.consentsRead), async (c) => {
    noQuery(c);
    const setup = setupOf(c);
    const deps = { api: setup.secrets.api, config: setup.config };
    const [customer, definitions] = await Promise.all([
      readFor(c, c.get('session').customerId, { kind: 'customer' }),
      upstream(() => loadDefinitions(deps)),
    ]);
    const shown = await shownConsents(c, customer.value.id, edgeConsents(definitions, customer.value, setup.config));
    return c.json(shown, 200, freshnessHeaders(customer));
  });

  app.put('/v1/me/consents', route('PUT /v1/me/consents'), session(SCOPES.consentsWrite), writeLimit, async (c) => {
    const setup = setupOf(c);
    const deps = { api: setup.secrets.api, config: setup.config };
    const policyVersion = parsePolicyVersion(new URL(c.req.url).searchParams);
    const body = await readJsonObject(c.req.raw);
    const definitions = await upstream(() => loadDefinitions(deps));
    const update = parseConsentsUpdate(body, definitions, { allowEmpty: policyVersion !== null });
    const customer = await writeFor(c, c.get('session').customerId, {
      kind: 'consents',
      update,
      policyVersion,
      channel: channelOf(c),
    });
    setup.log.info('consents changed', {
      request_id: c.get('state').requestId,
      customer: await loggedCustomer(c),
      reason: 'unsubscribed' in update ? 'opt-out' : 'choices',
    });
    return c.json(edgeConsents(definitions, customer, setup.config));
  });

  app.post(
    '/v1/me/permanent-deletion',
    route('POST /v1/me/permanent-deletion'),
    session(SCOPES.profileDelete),
    writeLimit,
    async (c) => {
      noQuery(c);
      const { log } = setupOf(c);
      // No body is needed; `{}` (what SDKs send) is accepted, anything else is refused.
      const bytes = await readCapped(c.req.raw, 1024);
      const text = new TextDecoder().decode(bytes).trim();
      if (text !== '' && !(mediaType(c.req.raw) === 'application/json' && /^\{\s*\}$/.test(text))) {
        throw invalidPayload('This route takes no body (or an empty JSON object).');
      }
      const deletion = await writeFor(c, c.get('session').customerId, { kind: 'erase', channel: channelOf(c) });
      log.info('customer permanently deleted', {
        request_id: c.get('state').requestId,
        customer: await loggedCustomer(c),
      });
      const answer: EdgePermanentDeletion = {
        id: deletion.id,
        status: deletion.status,
        created_at: deletion.created_at,
      };
      return c.json(answer);
    },
  );

  return app;
}
