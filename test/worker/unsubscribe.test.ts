/**
 * One-click unsubscribe (RFC 8058) in workerd against the emulator: GET never changes anything, POST in both
 * encodings opts out idempotently with a 200 (never a redirect), the undo works once, bad tokens get clear 4xx
 * pages, and the pages are localized, script-free and locked down by CSP.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { beforeEach, describe, it } from 'node:test';
import { VoucherifyServerSide } from '../../src/api/server.js';
import type { EdgeUnsubscribeResult } from '../../src/api/edge-types.js';
import type { Customer } from '../../src/api/types.js';
import { DEMO_CUSTOMERS, EMULATOR_DEFAULTS, SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import { mintUnsubscribeToken, verifyPreferencesToken } from '../../src/node/index.js';
import { importUnsubscribeKeys } from '../../src/worker/token-keys.js';
import { devKeys, devSessionToken, devUnsubscribeToken } from '../support/tokens.js';
import { json } from '../support/http.js';
import { stackPerSuite, startStack } from '../support/stack.js';
import type { Stack } from '../support/stack.js';

const ALICE = DEMO_CUSTOMERS.alice;
const CHLOE = DEMO_CUSTOMERS.chloe;
const { newsletter, emailOffers } = SEED_CONSENT_IDS;
const ONE_CLICK = 'List-Unsubscribe=One-Click';

async function customer(stack: Stack, id: string): Promise<Customer> {
  const [key] = EMULATOR_DEFAULTS.serverKeys;
  return VoucherifyServerSide({
    applicationId: key.appId,
    secretKey: key.appToken,
    baseUrl: stack.emulator.url,
  }).getCustomer(id);
}

function consentsOf(record: Customer): Record<string, { value: boolean; date: string }> {
  const system = record.system_metadata;
  return (system && !Array.isArray(system) ? system.consents : undefined) ?? {};
}

const writes = (stack: Stack) => stack.upstream().filter((request) => request.method !== 'GET');

/** The page's "Manage all your preferences" link: this worker's `/preferences/<token>`, a token for `customerId`. */
async function assertLinksToPreferences(stack: Stack, html: string, customerId: string): Promise<string> {
  const href = /<a href="([^"]+)" rel="noreferrer">/.exec(html)?.[1]?.replace(/&#38;/g, '&') ?? '';
  assert.ok(href.startsWith(`${stack.worker.url}/preferences/`), href);
  const token = new URL(href).pathname.split('/').pop()!;
  const verified = await verifyPreferencesToken(token, importUnsubscribeKeys([devKeys.unsubscribeKey!]));
  assert.equal(verified.customerId, customerId);
  return href;
}

describe('one-click unsubscribe', () => {
  let stack: Stack;
  let path: string;
  stackPerSuite((started) => (stack = started));
  beforeEach(async () => {
    path = `/unsubscribe/${await devUnsubscribeToken(ALICE.id)}`;
  });

  describe('GET (the link a person or a mail scanner follows)', () => {
    it('changes nothing, however often it is fetched (a scanner fetching twice, then HEAD)', async () => {
      for (const method of ['GET', 'GET', 'HEAD']) {
        const response = await stack.fetch(path, { method });
        assert.equal(response.status, 200);
        await response.arrayBuffer();
      }
      assert.deepEqual(writes(stack), []);
      assert.deepEqual(stack.upstream(), [], 'the page needs no upstream call at all');
      const consents = consentsOf(await customer(stack, ALICE.id));
      assert.equal(consents[newsletter]?.value, true);
      assert.notEqual(consents.unsubscribed?.value, true);
    });

    it('renders a script-free page with a plain POST form carrying List-Unsubscribe=One-Click', async () => {
      const response = await stack.fetch(path);
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const html = await response.text();
      assert.match(html, /<form method="post">/);
      assert.match(html, /<input type="hidden" name="List-Unsubscribe" value="One-Click">/);
      assert.doesNotMatch(html, /<script|javascript:|\son\w+=/i);
      await assertLinksToPreferences(stack, html, ALICE.id);
    });

    it('links, after the one-click POST too, to the preference center of the same customer (a fresh link, in the page’s language)', async () => {
      const done = await (
        await stack.fetch(`${path}?lang=de`, {
          method: 'POST',
          body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
        })
      ).text();
      const href = await assertLinksToPreferences(stack, done, ALICE.id);
      assert.ok(href.endsWith('?lang=de'), href);
      const preferences = await stack.fetch(new URL(href).pathname + new URL(href).search);
      assert.equal(preferences.status, 200);
      assert.match(await preferences.text(), /Ihre E-Mail-Einstellungen/);
      const other = await (await stack.fetch(`/unsubscribe/${await devUnsubscribeToken(CHLOE.id)}`)).text();
      await assertLinksToPreferences(stack, other, CHLOE.id);
    });

    it('sends a strict CSP whose only style source is the hash of the page’s one style block', async () => {
      const response = await stack.fetch(path);
      const csp = response.headers.get('content-security-policy') ?? '';
      const html = await response.text();
      const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
      const hash = createHash('sha256').update(style).digest('base64');
      assert.equal(
        csp,
        `default-src 'none'; style-src 'sha256-${hash}'; img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      );
      assert.equal(
        response.headers.get('referrer-policy'),
        'no-referrer',
        'the token in the URL never leaks as a Referer',
      );
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
    });

    const locales: Array<[Record<string, string>, string, string, RegExp]> = [
      [{}, 'en', 'ltr', /Unsubscribe from marketing messages\?/],
      [{ 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' }, 'de', 'ltr', /Von Marketing-Nachrichten abmelden\?/],
      [{ 'accept-language': 'xx, fr;q=0.8' }, 'fr', 'ltr', /Se désabonner/],
      [{ 'accept-language': 'ar' }, 'ar', 'rtl', /إلغاء الاشتراك/],
      [{ 'accept-language': 'he-IL' }, 'he', 'rtl', /להסיר/],
    ];
    for (const [headers, lang, dir, text] of locales) {
      it(`speaks ${lang} (${dir}) for ${JSON.stringify(headers)}`, async () => {
        const response = await stack.fetch(path, { headers });
        const html = await response.text();
        assert.match(html, new RegExp(`<html lang="${lang}" dir="${dir}">`));
        assert.match(html, text);
        assert.equal(response.headers.get('content-language'), lang);
      });
    }

    it('lets ?lang= win over Accept-Language, for every promised language', async () => {
      for (const lang of ['en', 'de', 'fr', 'es', 'it', 'pl', 'pt', 'nl', 'sv', 'ja', 'ar', 'he']) {
        const html = await (await stack.fetch(`${path}?lang=${lang}`, { headers: { 'accept-language': 'de' } })).text();
        assert.match(html, new RegExp(`<html lang="${lang}" dir="${lang === 'ar' || lang === 'he' ? 'rtl' : 'ltr'}">`));
      }
    });
  });

  describe('POST (the mailbox provider’s one click, or the page’s form)', () => {
    const encodings: Array<[string, () => RequestInit]> = [
      ['application/x-www-form-urlencoded', () => ({ body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) })],
      [
        'multipart/form-data',
        () => {
          const form = new FormData();
          form.set('List-Unsubscribe', 'One-Click');
          return { body: form };
        },
      ],
    ];
    for (const [encoding, init] of encodings) {
      it(`unsubscribes from everything with ${ONE_CLICK} as ${encoding}, answering 200 without a redirect`, async () => {
        const response = await stack.fetch(path, { method: 'POST', ...init() });
        assert.equal(response.status, 200);
        assert.equal(response.headers.get('location'), null);
        assert.equal(response.headers.get('cache-control'), 'no-store');
        assert.match(await response.text(), /You are unsubscribed/);
        const consents = consentsOf(await customer(stack, ALICE.id));
        assert.equal(consents.unsubscribed?.value, true);
        assert.equal(consents[newsletter]?.value, false);
      });
    }

    it('stays 200 and changes nothing more when repeated', async () => {
      const send = () =>
        stack.fetch(path, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) });
      assert.equal((await send()).status, 200);
      const first = consentsOf(await customer(stack, ALICE.id));
      stack.emulator.clearRequests();
      for (let i = 0; i < 3; i += 1) assert.equal((await send()).status, 200);
      assert.deepEqual(consentsOf(await customer(stack, ALICE.id)), first);
      assert.deepEqual(writes(stack), []);
    });

    it('needs no cookie, Authorization or allowed Origin (RFC 8058 §3.2)', async () => {
      const response = await stack.fetch(path, {
        method: 'POST',
        headers: { origin: 'https://mail.provider.example', cookie: 'session=nope', authorization: 'Bearer nonsense' },
        body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), null);
      assert.equal(consentsOf(await customer(stack, ALICE.id)).unsubscribed?.value, true);
    });

    it('accepts an empty body (the documented choice for clients that send none)', async () => {
      assert.equal((await stack.fetch(path, { method: 'POST' })).status, 200);
      assert.equal(consentsOf(await customer(stack, ALICE.id)).unsubscribed?.value, true);
    });

    it('answers EdgeUnsubscribeResult as JSON when the client asks for JSON', async () => {
      const response = await stack.fetch(path, { method: 'POST', headers: { accept: 'application/json' } });
      assert.equal(response.status, 200);
      assert.deepEqual(await json<EdgeUnsubscribeResult>(response), {
        unsubscribed: true,
        undo_available: true,
        preferences_url: 'http://127.0.0.1:8000/account.html',
      });
    });

    it('refuses a form body that is not List-Unsubscribe=One-Click, and odd content types, with 4xx', async () => {
      const wrong = await stack.fetch(path, {
        method: 'POST',
        body: new URLSearchParams({ 'List-Unsubscribe': 'Yes' }),
      });
      assert.equal(wrong.status, 400);
      assert.match(await wrong.text(), /This link is not valid|not valid/);
      const xml = await stack.fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/xml', accept: 'application/json' },
        body: '<x/>',
      });
      assert.equal(xml.status, 415);
      const big = await stack.fetch(path, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: `${ONE_CLICK}&pad=${'x'.repeat(10_000)}`,
      });
      assert.equal(big.status, 413);
      assert.deepEqual(writes(stack), []);
    });

    it('lets <vc-unsubscribe> on the shop’s page POST JSON (preflight from an allowed origin), without CORS for others', async () => {
      const preflight = await stack.fetch(path, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://127.0.0.1:8000',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://127.0.0.1:8000');
      const response = await stack.fetch(path, {
        method: 'POST',
        headers: { origin: 'http://127.0.0.1:8000', accept: 'application/json', 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), 'http://127.0.0.1:8000');
      assert.match(response.headers.get('vary') ?? '', /Origin/);
    });

    it('leaves an already opted-out customer untouched, with no undo to offer', async () => {
      const response = await stack.fetch(`/unsubscribe/${await devUnsubscribeToken(CHLOE.id)}`, {
        method: 'POST',
        headers: { accept: 'application/json' },
      });
      assert.deepEqual(await json(response), {
        unsubscribed: true,
        undo_available: false,
        preferences_url: 'http://127.0.0.1:8000/account.html',
      });
      assert.deepEqual(writes(stack), []);
    });

    it('keeps the worker’s undo snapshot out of the customer’s profile', async () => {
      await stack.fetch(path, { method: 'POST' });
      const profile = await json(await stack.call('GET', '/v1/me', await devSessionToken(ALICE.id)));
      assert.doesNotMatch(JSON.stringify(profile), /vc_unsubscribe|restore/);
    });
  });

  describe('undo (POST /unsubscribe/<token>/undo)', () => {
    it('restores exactly the consents given before, once; a second undo is 409 undo_used', async () => {
      await stack.fetch(path, { method: 'POST', headers: { accept: 'application/json' } });
      const undo = await stack.fetch(`${path}/undo`, { method: 'POST', headers: { accept: 'application/json' } });
      assert.equal(undo.status, 200);
      assert.deepEqual(await json(undo), {
        unsubscribed: false,
        undo_available: false,
        preferences_url: 'http://127.0.0.1:8000/account.html',
      });
      const consents = consentsOf(await customer(stack, ALICE.id));
      assert.equal(consents.unsubscribed?.value, false);
      assert.equal(consents[newsletter]?.value, true);
      assert.equal(consents[emailOffers]?.value, true);
      assert.equal(consents[SEED_CONSENT_IDS.smsOffers]?.value, false, 'a consent refused before stays refused');
      const again = await stack.fetch(`${path}/undo`, { method: 'POST', headers: { accept: 'application/json' } });
      assert.equal(again.status, 409);
      assert.equal((await json(again)).key, 'undo_used');
    });

    it('offers the undo as a form on the no-JavaScript page, and answers it with a page', async () => {
      const done = await (
        await stack.fetch(`${path}?lang=de`, {
          method: 'POST',
          body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
        })
      ).text();
      const action = /<form method="post" action="([^"]+)">/.exec(done)?.[1];
      assert.ok(action?.endsWith('/undo?lang=de'), action);
      const undone = await stack.fetch(new URL(action!.replace(/&amp;/g, '&'), stack.url(path)).pathname + '?lang=de', {
        method: 'POST',
        headers: { origin: new URL(stack.worker.url).origin },
      });
      assert.equal(undone.status, 200);
      assert.match(await undone.text(), /Sie sind wieder angemeldet/);
    });

    it('gives back what the customer had before opting out in the preference center just before the link was used', async () => {
      const session = await devSessionToken(ALICE.id);
      const optOut = await stack.call('PUT', '/v1/me/consents', session, { unsubscribed: true });
      assert.equal(optOut.status, 200);
      const post = await stack.fetch(path, { method: 'POST', headers: { accept: 'application/json' } });
      assert.equal((await json(post)).undo_available, true);
      const undo = await stack.fetch(`${path}/undo`, { method: 'POST', headers: { accept: 'application/json' } });
      assert.equal(undo.status, 200);
      const consents = consentsOf(await customer(stack, ALICE.id));
      assert.equal(consents.unsubscribed?.value, false);
      assert.equal(consents[newsletter]?.value, true);
      assert.equal(consents[emailOffers]?.value, true);
      assert.equal(consents[SEED_CONSENT_IDS.smsOffers]?.value, false);
    });

    it('does not revive a preference-center snapshot older than the current opt-out', async () => {
      const session = await devSessionToken(ALICE.id);
      await stack.call('PUT', '/v1/me/consents', session, { unsubscribed: true });
      // Opted in and out again elsewhere (the client-side endpoint, say): the old snapshot no longer describes it.
      await stack.call('PUT', '/v1/me/consents', session, { [newsletter]: true });
      const [key] = EMULATOR_DEFAULTS.serverKeys;
      await VoucherifyServerSide({
        applicationId: key.appId,
        secretKey: key.appToken,
        baseUrl: stack.emulator.url,
      }).updateCustomersConsents(ALICE.id, { unsubscribed: true });
      const post = await stack.fetch(path, { method: 'POST', headers: { accept: 'application/json' } });
      assert.equal((await json(post)).undo_available, false);
    });

    it('answers 409 undo_unavailable when this token never unsubscribed anyone', async () => {
      const response = await stack.fetch(`${path}/undo`, { method: 'POST', headers: { accept: 'application/json' } });
      assert.equal(response.status, 409);
      assert.equal((await json(response)).key, 'undo_unavailable');
    });

    it('is callable from the shop’s pages (CORS) but refused from any other origin', async () => {
      await stack.fetch(path, { method: 'POST' });
      const preflight = await stack.fetch(`${path}/undo`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:8000',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://localhost:8000');
      const evil = await stack.fetch(`${path}/undo`, {
        method: 'POST',
        headers: { origin: 'https://evil.example', accept: 'application/json' },
      });
      assert.equal(evil.status, 403);
      assert.equal(consentsOf(await customer(stack, ALICE.id)).unsubscribed?.value, true);
      const shop = await stack.fetch(`${path}/undo`, {
        method: 'POST',
        headers: { origin: 'http://localhost:8000', accept: 'application/json', 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(shop.status, 200);
      assert.equal(shop.headers.get('access-control-allow-origin'), 'http://localhost:8000');
    });
  });

  describe('tokens that are not right', () => {
    const cases: Array<[string, () => Promise<string>, number, string, RegExp]> = [
      [
        'tampered (another customer in the payload)',
        async () => {
          const [header, payload, signature] = (await devUnsubscribeToken(ALICE.id)).split('.');
          const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
          return `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: DEMO_CUSTOMERS.bob.id })).toString('base64url')}.${signature}`;
        },
        400,
        'invalid_token',
        /This link is not valid/,
      ],
      ['a session token', () => devSessionToken(ALICE.id), 400, 'invalid_token', /This link is not valid/],
      ['garbage', async () => 'not-a-token', 400, 'invalid_token', /This link is not valid/],
      [
        'signed with a key no longer in UNSUBSCRIBE_KEYS (retired)',
        () =>
          mintUnsubscribeToken({
            customerId: ALICE.id,
            key: { kid: 'retired-1', secret: 'a-retired-unsubscribe-secret-0123456789abcdef' },
          }),
        410,
        'token_retired',
        /This link is no longer valid/,
      ],
      [
        'for a customer that does not exist',
        () => devUnsubscribeToken('cust_gone000000000000000000'),
        404,
        'not_found',
        /could not find your subscription/,
      ],
    ];
    for (const [what, token, status, key, page] of cases) {
      it(`answers a token ${what} with ${status}: a clear page, or JSON, and changes nothing`, async () => {
        const url = `/unsubscribe/${await token()}`;
        const html = await stack.fetch(url, {
          method: 'POST',
          body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
        });
        assert.equal(html.status, status);
        assert.equal(html.headers.get('content-type'), 'text/html; charset=utf-8');
        assert.match(await html.text(), page);
        const data = await stack.fetch(url, { method: 'POST', headers: { accept: 'application/json' } });
        assert.equal(data.status, status);
        assert.equal((await json(data)).key, key);
        if (status !== 404) assert.equal((await stack.fetch(url)).status, status, 'the GET page says so too');
        assert.deepEqual(writes(stack), []);
      });
    }
  });
});

describe('unsubscribe keys, rate limits and the metadata strategy', () => {
  it('accepts tokens of every key in UNSUBSCRIBE_KEYS (rotation) and signs nothing itself', async () => {
    const stack = await startStack({
      vars: {
        UNSUBSCRIBE_KEYS: JSON.stringify([
          { kid: 'new-1', secret: 'the-new-unsubscribe-secret-0123456789abcdef' },
          { kid: 'dev-u1', secret: 'dev-only-unsubscribe-secret-AoBg4fNJ1IQARlvMZvHm1H6js0P3Fp_ODUuQMDUg7xA' },
        ]),
      },
    });
    try {
      const old = await stack.fetch(`/unsubscribe/${await devUnsubscribeToken(ALICE.id)}`);
      assert.equal(old.status, 200);
      const fresh = await mintUnsubscribeToken({
        customerId: ALICE.id,
        key: { kid: 'new-1', secret: 'the-new-unsubscribe-secret-0123456789abcdef' },
      });
      assert.equal((await stack.fetch(`/unsubscribe/${fresh}`)).status, 200);
    } finally {
      await stack.close();
    }
  });

  it('limits unsubscribe requests per client address with UNSUBSCRIBE_LIMITER: 429 with Retry-After, a page for people', async () => {
    const stack = await startStack({ rateLimits: { UNSUBSCRIBE_LIMITER: { limit: 2, period: 60 } } });
    try {
      const path = `/unsubscribe/${await devUnsubscribeToken(ALICE.id)}`;
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 4; i += 1) {
        last = await stack.fetch(path, { headers: { 'cf-connecting-ip': '2001:db8:1:2:3:4:5:6' } });
        statuses.push(last.status);
      }
      assert.deepEqual(statuses.slice(0, 2), [200, 200]);
      assert.equal(statuses[3], 429);
      assert.equal(last!.headers.get('retry-after'), '60');
      assert.match(await last!.text(), /Too many requests/);
      const otherNetwork = await stack.fetch(path, { headers: { 'cf-connecting-ip': '2001:db8:9::1' } });
      assert.equal(otherNetwork.status, 200, 'another /64 has its own budget');
    } finally {
      await stack.close();
    }
  });

  it('opts out through the namespaced metadata key with CONSENT_STORAGE=metadata, and undoes it', async () => {
    const stack = await startStack({ vars: { CONSENT_STORAGE: 'metadata' } });
    try {
      const token = await devSessionToken(ALICE.id);
      await stack.call('PUT', '/v1/me/consents', token, { [newsletter]: true });
      const path = `/unsubscribe/${await devUnsubscribeToken(ALICE.id)}`;
      const result = await json(await stack.fetch(path, { method: 'POST', headers: { accept: 'application/json' } }));
      assert.equal(result.undo_available, true);
      const consents = await json(await stack.call('GET', '/v1/me/consents', token));
      assert.equal(consents.unsubscribed, true);
      assert.ok(!stack.upstream().some((request) => request.path.endsWith('/consents') && request.method === 'PUT'));
      assert.equal(
        (await stack.fetch(`${path}/undo`, { method: 'POST', headers: { accept: 'application/json' } })).status,
        200,
      );
      const back = await json<{ unsubscribed: boolean; state: Record<string, { value: boolean }> }>(
        await stack.call('GET', '/v1/me/consents', token),
      );
      assert.equal(back.unsubscribed, false);
      assert.equal(back.state[newsletter]?.value, true);
    } finally {
      await stack.close();
    }
  });
});
