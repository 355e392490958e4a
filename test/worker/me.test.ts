/**
 * The customer routes doing their job, in workerd against the emulator: projections that leak nothing internal,
 * allow-listed edits, activity paging, segments, consents with both storage strategies, deletion, CORS.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { EdgeActivityList, EdgeConsents, EdgeProfile, EdgeSegmentList } from '../../src/api/edge-types.js';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS, SEED_SEGMENT_IDS } from '../../src/emulator/index.js';
import { devSessionToken } from '../support/tokens.js';
import { json } from '../support/http.js';
import { stackPerSuite, upstreamOf } from '../support/stack.js';
import type { Stack } from '../support/stack.js';

const ALICE = DEMO_CUSTOMERS.alice;
const CHLOE = DEMO_CUSTOMERS.chloe;
const { newsletter, productUpdates, emailOffers, smsOffers, partners } = SEED_CONSENT_IDS;
const PROFILE_KEYS = [
  'id',
  'source_id',
  'name',
  'email',
  'phone',
  'birthdate',
  'address',
  'metadata',
  'loyalty',
  'created_at',
  'updated_at',
];

describe('customer routes', () => {
  let stack: Stack;
  let token: string;
  stackPerSuite((started) => (stack = started));
  beforeEach(async () => {
    token = await devSessionToken(ALICE.id);
  });

  describe('GET /v1/me', () => {
    it('projects the customer to the profile card’s fields: no loyalty campaigns, summary, system or hidden metadata', async () => {
      const response = await stack.call('GET', '/v1/me', token);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const profile = await json<EdgeProfile>(response);
      assert.deepEqual(Object.keys(profile).sort(), [...PROFILE_KEYS].sort());
      assert.equal(profile.id, ALICE.id);
      assert.equal(profile.email, ALICE.email);
      assert.deepEqual(
        profile.metadata,
        { lang: 'en' },
        'only PROFILE_METADATA_KEYS (vip and internal_score stay hidden)',
      );
      assert.deepEqual(profile.loyalty, { points: ALICE.loyaltyPoints });
      assert.deepEqual(profile.address, ALICE.address);
    });

    it('answers 404 when the session’s customer no longer exists', async () => {
      const response = await stack.call('GET', '/v1/me', await devSessionToken('cust_doesNotExist0000000000'));
      assert.equal(response.status, 404);
      const body = await json(response);
      assert.equal(body.key, 'not_found');
      assert.match(String(body.details), /no longer exists/);
    });
  });

  describe('PUT /v1/me', () => {
    it('changes allow-listed fields and allowed metadata, keeping hidden metadata upstream', async () => {
      const response = await stack.call('PUT', '/v1/me', token, {
        name: 'Alice Martin-Weber',
        phone: null,
        birthdate: '1990-04-13',
        address: { city: 'Potsdam', postal_code: '14467' },
        metadata: { lang: 'de', newsletter_frequency: 'weekly' },
      });
      assert.equal(response.status, 200, await response.clone().text());
      const profile = await json<EdgeProfile>(response);
      assert.equal(profile.name, 'Alice Martin-Weber');
      assert.equal(profile.phone, null);
      assert.equal(profile.birthdate, '1990-04-13');
      assert.equal(profile.address?.city, 'Potsdam');
      assert.deepEqual(profile.metadata, { lang: 'de', newsletter_frequency: 'weekly' });
      const stored = await upstreamOf(stack).getCustomer(ALICE.id);
      assert.equal(stored.metadata?.vip, true);
      assert.equal(stored.metadata?.internal_score, 87);
    });

    const refusals: Array<[string, unknown, RegExp]> = [
      ['unknown fields, by name', { name: 'A', loyalty: { points: 1e6 }, description: 'x' }, /loyalty, description/],
      [
        'metadata keys the shop does not allow, by name',
        { metadata: { lang: 'fr', vip: true } },
        /may not be changed: vip/,
      ],
      ['an invalid email', { email: 'not-an-email' }, /email/],
      ['a birthdate that is not a calendar date', { birthdate: '1990-02-30' }, /birthdate/],
      ['a birthdate in the future', { birthdate: '2999-01-01' }, /birthdate/],
      ['an address with unknown fields', { address: { city: 'X', planet: 'Mars' } }, /planet/],
      ['an address of the wrong type', { address: 'Berlin' }, /address must be an object/],
      ['a name of the wrong type', { name: 42 }, /name must be a string/],
      ['nested metadata values', { metadata: { lang: { nested: true } } }, /metadata.lang/],
      ['an empty body', {}, /cannot be empty/],
      ['a JSON array', [], /must be a JSON object/],
    ];
    for (const [what, body, details] of refusals) {
      it(`refuses ${what} with 400 invalid_payload, changing nothing`, async () => {
        const response = await stack.call('PUT', '/v1/me', token, body);
        assert.equal(response.status, 400);
        const error = await json(response);
        assert.equal(error.key, 'invalid_payload');
        assert.match(String(error.details), details);
        assert.ok(!stack.upstream().some((request) => request.method === 'PUT'));
      });
    }
  });

  describe('GET /v1/me/activities', () => {
    it('pages with has_more and more_starting_after (passed back as starting_after_id) without repeating an activity', async () => {
      const client = upstreamOf(stack);
      for (const city of ['Hamburg', 'Munich', 'Cologne']) await client.updateCustomer(ALICE.id, { address: { city } });
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < 20; page += 1) {
        const response = await stack.call(
          'GET',
          `/v1/me/activities?limit=2${cursor ? `&starting_after_id=${cursor}` : ''}`,
          token,
        );
        assert.equal(response.status, 200);
        const list = await json<EdgeActivityList>(response);
        assert.ok(list.data.length <= 2);
        seen.push(...list.data.map((activity) => activity.id));
        if (!list.has_more) {
          assert.equal(list.more_starting_after, undefined);
          break;
        }
        cursor = list.more_starting_after;
        assert.equal(cursor, list.data.at(-1)?.id);
      }
      const all = (await client.listCustomerActivities(ALICE.id, { limit: 100 })).data.map((activity) => activity.id);
      assert.deepEqual(seen, all);
      assert.ok(seen.length >= 4);
    });

    it('answers a starting_after_id that is none of the customer’s activities with 400 invalid_query_params', async () => {
      const response = await stack.call('GET', '/v1/me/activities?starting_after_id=evcus_000000000000000000', token);
      assert.equal(response.status, 400);
      const body = await json<{ key: string; details: string }>(response);
      assert.equal(body.key, 'invalid_query_params');
      assert.equal(body.details, 'starting_after_id is not one of your activities: start again from the first page.');
    });

    it('projects each activity to id, type, date and the segment or consents it names: no customer data', async () => {
      await upstreamOf(stack).updateCustomersConsents(ALICE.id, { [partners]: true });
      const list = await json<EdgeActivityList>(await stack.call('GET', '/v1/me/activities?limit=100', token));
      const text = JSON.stringify(list);
      assert.doesNotMatch(text, /alice@example\.com|Torstraße|internal_score|event_source/);
      const given = list.data.find((activity) => activity.type === 'customer.consents.given');
      assert.deepEqual(given?.consents, [{ id: partners, name: 'Offers from partners' }]);
      const segment = list.data.find((activity) => activity.type === 'customer.segment.entered');
      assert.ok(segment?.segment?.id.startsWith('seg_'));
      for (const activity of list.data)
        assert.deepEqual(
          Object.keys(activity).filter((key) => !['id', 'type', 'created_at', 'segment', 'consents'].includes(key)),
          [],
        );
    });

    it('validates the seed’s filters (limit, order, dates, campaign_type) with 400 invalid_query_params', async () => {
      for (const query of [
        'limit=0',
        'limit=101',
        'limit=abc',
        'order=name',
        'start_date=yesterday',
        'campaign_type=NOPE',
        'starting_after_id=../x',
        'limit=1&limit=2',
      ]) {
        const response = await stack.call('GET', `/v1/me/activities?${query}`, token);
        assert.equal(response.status, 400, query);
        assert.equal((await json(response)).key, 'invalid_query_params');
      }
      const ok = await stack.call(
        'GET',
        '/v1/me/activities?order=created_at&start_date=2020-01-01T00:00:00Z&campaign_type=PROMOTION',
        token,
      );
      assert.equal(ok.status, 200);
    });
  });

  it('GET /v1/me/segments lists id and name of the customer’s segments', async () => {
    const list = await json<EdgeSegmentList>(await stack.call('GET', '/v1/me/segments', token));
    assert.equal(list.object, 'list');
    assert.equal(list.total, list.data.length);
    assert.ok(list.data.some((segment) => segment.id === SEED_SEGMENT_IDS.vip));
    for (const segment of list.data) assert.deepEqual(Object.keys(segment).sort(), ['id', 'name']);
  });

  describe('POST /v1/me/permanent-deletion', () => {
    it('forgets the customer and answers id, status and date; the session then gets 404', async () => {
      const response = await stack.call('POST', '/v1/me/permanent-deletion', token);
      assert.equal(response.status, 200);
      const deletion = await json(response);
      assert.deepEqual(Object.keys(deletion).sort(), ['created_at', 'id', 'status']);
      assert.equal(deletion.status, 'DONE');
      assert.equal((await stack.call('GET', '/v1/me', token)).status, 404);
    });

    it('accepts the {} SDKs send, and refuses any other body', async () => {
      assert.equal((await stack.call('POST', '/v1/me/permanent-deletion', token, { reason: 'x' })).status, 400);
      assert.equal((await stack.call('POST', '/v1/me/permanent-deletion', token, {})).status, 200);
    });
  });

  describe('CORS', () => {
    const origin = 'http://127.0.0.1:8000';

    it('answers a preflight from an allowed origin with exactly that origin, Vary: Origin and no credentials', async () => {
      const response = await stack.fetch('/v1/me', {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'authorization, content-type',
        },
      });
      assert.equal(response.status, 204);
      assert.equal(response.headers.get('access-control-allow-origin'), origin);
      assert.match(response.headers.get('vary') ?? '', /Origin/);
      assert.match(response.headers.get('access-control-allow-headers') ?? '', /Authorization/);
      assert.equal(response.headers.get('access-control-allow-credentials'), null);
      // Browsers keep the answer this long (Chromium at most 2 hours), so a page's next calls skip the preflight.
      assert.equal(response.headers.get('access-control-max-age'), '600');
    });

    it('refuses preflights and requests from other origins with 403, and never echoes them', async () => {
      const preflight = await stack.fetch('/v1/me', {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
      });
      assert.equal(preflight.status, 403);
      assert.equal(preflight.headers.get('access-control-allow-origin'), null);
      const request = await stack.call('GET', '/v1/me', token, undefined, { origin: 'https://evil.example' });
      assert.equal(request.status, 403);
      assert.equal((await json(request)).key, 'origin_not_allowed');
      assert.deepEqual(stack.upstream(), []);
    });

    it('adds the allowed origin to real answers, errors included', async () => {
      const ok = await stack.call('GET', '/v1/me', token, undefined, { origin });
      assert.equal(ok.headers.get('access-control-allow-origin'), origin);
      assert.match(ok.headers.get('vary') ?? '', /Origin/);
      assert.equal(ok.headers.get('access-control-expose-headers'), 'X-Request-Id, Retry-After, Age, X-Cache');
      const refused = await stack.call('GET', '/v1/me', null, undefined, { origin });
      assert.equal(refused.status, 401);
      assert.equal(refused.headers.get('access-control-allow-origin'), origin);
    });
  });
});

for (const storage of ['consents', 'metadata'] as const) {
  describe(`consents with CONSENT_STORAGE=${storage}`, () => {
    let stack: Stack;
    stackPerSuite((started) => (stack = started), { vars: { CONSENT_STORAGE: storage } });

    const put = async (customer: string, body: unknown, query = '') =>
      stack.call('PUT', `/v1/me/consents${query}`, await devSessionToken(customer), body);

    it('GET answers the definitions flattened, the customer’s state and the opt-out flag', async () => {
      const consents = await json<EdgeConsents>(
        await stack.call('GET', '/v1/me/consents', await devSessionToken(ALICE.id)),
      );
      assert.equal(consents.consents.length, 5);
      assert.equal(consents.groups.length, 2);
      assert.deepEqual(Object.keys(consents.consents[0]!).sort(), ['category', 'description', 'id', 'name']);
      assert.equal(consents.unsubscribed, false);
      assert.equal(consents.policy_version, null);
      // The metadata strategy also reads what the consent endpoint stored (a switch of storage loses nothing).
      assert.equal(consents.state[newsletter]?.value, true);
    });

    it('PUT gives and revokes consents and answers the new state', async () => {
      const response = await put(ALICE.id, { [productUpdates]: true, [emailOffers]: false });
      assert.equal(response.status, 200, await response.clone().text());
      const consents = await json<EdgeConsents>(response);
      assert.equal(consents.state[productUpdates]?.value, true);
      assert.equal(consents.state[emailOffers]?.value, false, 'given by the seed, now withdrawn');
      assert.ok(!Number.isNaN(Date.parse(consents.state[productUpdates]!.date)));
      const again = await json<EdgeConsents>(
        await stack.call('GET', '/v1/me/consents', await devSessionToken(ALICE.id)),
      );
      assert.deepEqual(again.state, consents.state);
    });

    it('{unsubscribed: true} revokes every consent; giving one afterwards clears the opt-out', async () => {
      const out = await json<EdgeConsents>(await put(ALICE.id, { unsubscribed: true }));
      assert.equal(out.unsubscribed, true);
      // Nothing stays given; in its own key the metadata strategy writes only what changes (none was given there).
      for (const id of [newsletter, productUpdates, emailOffers, smsOffers, partners])
        assert.equal(out.state[id]?.value ?? false, false, id);
      const back = await json<EdgeConsents>(await put(ALICE.id, { [newsletter]: true }));
      assert.equal(back.unsubscribed, false);
      assert.equal(back.state.unsubscribed?.value, false);
      assert.equal(back.state[newsletter]?.value, true);
    });

    it('records the policy version the choices were saved under', async () => {
      const saved = await json<EdgeConsents>(await put(CHLOE.id, { [newsletter]: true }, '?policy_version=2026-05'));
      assert.equal(saved.policy_version, '2026-05');
      const read = await json<EdgeConsents>(
        await stack.call('GET', '/v1/me/consents', await devSessionToken(CHLOE.id)),
      );
      assert.equal(read.policy_version, '2026-05');
      assert.equal((await put(CHLOE.id, { [newsletter]: true }, '?policy_version=bad%20version')).status, 400);
    });

    it('refuses unknown consent ids by name, non-boolean values, and unsubscribed mixed with consents', async () => {
      const unknown = await put(ALICE.id, { cnst_doesNotExist: true });
      assert.equal(unknown.status, 400);
      assert.match(String((await json(unknown)).details), /cnst_doesNotExist/);
      assert.equal((await put(ALICE.id, { [newsletter]: 'yes' })).status, 400);
      assert.equal((await put(ALICE.id, { unsubscribed: true, [newsletter]: true })).status, 400);
      assert.equal((await put(ALICE.id, {})).status, 400);
    });

    it(
      storage === 'consents'
        ? 'writes through the consents endpoint'
        : 'writes only the namespaced metadata key, never the consents endpoint',
      async () => {
        await put(ALICE.id, { [partners]: true });
        const writes = stack.upstream().filter((request) => request.method === 'PUT');
        if (storage === 'consents') assert.ok(writes.some((request) => request.path.endsWith('/consents')));
        else {
          assert.ok(writes.length > 0 && writes.every((request) => !request.path.endsWith('/consents')));
          const customer = await upstreamOf(stack).getCustomer(ALICE.id);
          const stored = customer.metadata?.vc_consents as Record<string, { value: boolean }>;
          assert.equal(stored[partners]?.value, true);
          assert.equal(customer.metadata?.vip, true, 'other metadata kept');
          const profile = await json<EdgeProfile>(await stack.call('GET', '/v1/me', await devSessionToken(ALICE.id)));
          assert.equal(profile.metadata.vc_consents, undefined, 'the consent key is never part of the profile');
        }
      },
    );
  });
}
