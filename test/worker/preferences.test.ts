/**
 * The preference center (`/preferences/<token>`) in workerd against the emulator: its link token is purpose-bound and
 * expires; a GET (what mail scanners do) changes nothing; the plain form needs its CSRF proof and the origin check, and
 * saves only the consents whose checkbox the person changed; "Unsubscribe from everything" opts out; the JSON API is
 * `/v1/me/consents` with the link as the credential; the page is localized, `noindex`, never cached, under a strict CSP.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { beforeEach, describe, it } from 'node:test';
import type { Customer } from '../../src/api/types.js';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import { WireError } from '../../src/api/wire-error.js';
import { signFormProof } from '../../src/worker/form-proof.js';
import { mintConfirmToken, mintPreferencesToken, preferencesLink } from '../../src/node/index.js';
import { readPreferencesForm } from '../../src/worker/preferences-form.js';
import { renderPreferencesPage } from '../../src/worker/pages/preferences.js';
import { devKeys, devSessionToken, devUnsubscribeToken } from '../support/tokens.js';
import { json } from '../support/http.js';
import { consentsOf } from '../support/emulator.js';
import { activityTypes, stackPerSuite, startStack, upstreamOf } from '../support/stack.js';
import type { Stack } from '../support/stack.js';

const ALICE = DEMO_CUSTOMERS.alice;
const CHLOE = DEMO_CUSTOMERS.chloe;
const { newsletter, productUpdates, emailOffers, smsOffers, partners } = SEED_CONSENT_IDS;
const LINK_KEY = devKeys.unsubscribeKey!;
const DAY = 24 * 3600;

/** A preferences token for `customerId` (default: fresh, 60 days), signed with the dev link key. */
function token(
  customerId = ALICE.id,
  options: { now?: Date; ttlSeconds?: number; jti?: string } = {},
): Promise<string> {
  return mintPreferencesToken({ customerId, key: LINK_KEY, ...options });
}

const writes = (stack: Stack) => stack.upstream().filter((request) => request.method !== 'GET');
const customer = (stack: Stack, id = ALICE.id): Promise<Customer> => upstreamOf(stack).getCustomer(id);

interface Field {
  type: string;
  name: string;
  value: string;
  checked: boolean;
}

/** The form's inputs, as a browser sees them. */
function fields(html: string): Field[] {
  const form = /<form method="post">([\s\S]*?)<\/form>/.exec(html)?.[1] ?? '';
  return [...form.matchAll(/<input ([^>]*)>/g)].map(([, attrs = '']) => {
    const attr = (name: string) => new RegExp(`\\s?${name}="([^"]*)"`).exec(attrs)?.[1] ?? '';
    return {
      type: attr('type'),
      name: attr('name'),
      value: attr('value'),
      checked: /\schecked(\s|$)/.test(` ${attrs}`),
    };
  });
}

/** What a browser submits for the page's form after the person (un)ticks `changes`, with the button `action`. */
function submission(html: string, changes: Record<string, boolean> = {}, action = 'save'): URLSearchParams {
  const body = new URLSearchParams();
  for (const field of fields(html)) {
    if (field.type === 'checkbox') {
      const id = field.name.slice('consent.'.length);
      if (id in changes ? changes[id] : field.checked) body.append(field.name, field.value);
    } else body.append(field.name, field.value);
  }
  body.append('action', action);
  return body;
}

/** A copy of a form body with one edit. */
function variant(body: URLSearchParams, edit: (copy: URLSearchParams) => void): URLSearchParams {
  const copy = new URLSearchParams(body);
  edit(copy);
  return copy;
}

const notice = (html: string) =>
  /<p class="notice" role="status">(.*?)<\/p>/.exec(html)?.[1]?.replace(/<\/?bdi>/g, '') ?? null;
const isChecked = (html: string, id: string) => fields(html).find((field) => field.name === `consent.${id}`)?.checked;

describe('the preference center: /preferences/<token>', () => {
  let stack: Stack;
  let path: string;
  stackPerSuite((started) => (stack = started), { vars: { ELEMENTS_URL: undefined } });
  beforeEach(async () => {
    path = `/preferences/${await token()}`;
  });

  describe('GET (the link a person or a mail scanner follows)', () => {
    it('changes nothing, however often it is fetched: the emulator holds the same record, and saw only reads', async () => {
      const before = await customer(stack);
      const since = new Date().toISOString();
      stack.emulator.clearRequests();
      for (const method of ['GET', 'GET', 'HEAD']) {
        const response = await stack.fetch(path, { method });
        assert.equal(response.status, 200);
        await response.arrayBuffer();
      }
      assert.deepEqual(writes(stack), []);
      assert.ok(stack.upstream().every((request) => request.method === 'GET'));
      assert.deepEqual(await customer(stack), before);
      assert.deepEqual(await activityTypes(stack, ALICE.id, since), []);
    });

    it('shows the masked address and every consent in its group, with its state and the date it was decided', async () => {
      const html = await (await stack.fetch(path)).text();
      assert.match(html, /Preferences for <bdi>a•••e@example\.com<\/bdi>/);
      assert.doesNotMatch(html, /alice@example\.com/, 'the full address is not on the page');
      assert.deepEqual(
        [...html.matchAll(/<legend><bdi>(.*?)<\/bdi><\/legend>/g)].map((match) => match[1]),
        ['Email', 'Phone and partners'],
      );
      assert.deepEqual(
        [...html.matchAll(/<label for="c\d+"><bdi>(.*?)<\/bdi><\/label>/g)].map((match) => match[1]),
        ['Newsletter', 'Product updates', 'Personal offers by email', 'Offers by text message', 'Offers from partners'],
      );
      const state = consentsOf(await customer(stack));
      const date = (id: string) =>
        new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(state[id]!.date));
      assert.equal(isChecked(html, newsletter), true);
      assert.equal(isChecked(html, emailOffers), true);
      assert.equal(isChecked(html, smsOffers), false);
      assert.equal(isChecked(html, productUpdates), false);
      assert.ok(html.includes(`Given <bdi>${date(newsletter)}</bdi>`), 'given, with its date');
      assert.ok(html.includes(`Withdrawn <bdi>${date(smsOffers)}</bdi>`), 'withdrawn, with its date');
      assert.equal((html.match(/Not decided yet/g) ?? []).length, 2, 'product updates and partners were never decided');
      assert.deepEqual(
        fields(html)
          .filter((field) => field.name.startsWith('shown.'))
          .map((field) => [field.name.slice(6), field.value]),
        [
          [newsletter, '1'],
          [productUpdates, '0'],
          [emailOffers, '1'],
          [smsOffers, '0'],
          [partners, '0'],
        ],
        'each consent carries the value it was rendered with',
      );
      assert.match(fields(html).find((field) => field.name === 'csrf')?.value ?? '', /^v1\.\d+\.[\w-]{43}$/);
      assert.match(html, /<button type="submit" name="action" value="save">Save choices<\/button>/);
      assert.match(
        html,
        /<button type="submit" name="action" value="unsubscribe" class="secondary">Unsubscribe from everything<\/button>/,
      );
      assert.doesNotMatch(
        html,
        /<script|javascript:|\son\w+=|<vc-consent-panel/i,
        'without ELEMENTS_URL: the plain form, no script',
      );
    });

    it('formats dates in the page’s language', async () => {
      const html = await (await stack.fetch(`${path}?lang=de`)).text();
      const date = new Intl.DateTimeFormat('de', { dateStyle: 'medium', timeZone: 'UTC' }).format(
        new Date(consentsOf(await customer(stack))[newsletter]!.date),
      );
      assert.ok(html.includes(`Erteilt am <bdi>${date}</bdi>`), date);
      assert.ok(html.includes('Noch nicht entschieden'));
    });

    it('is noindex, never cached, no-referrer, under a strict CSP whose only sources are the hashes of its two style blocks', async () => {
      const response = await stack.fetch(path);
      const html = await response.text();
      assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.equal(response.headers.get('x-robots-tag'), 'noindex, nofollow');
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
      assert.equal(response.headers.get('x-frame-options'), 'DENY');
      assert.match(html, /<meta name="robots" content="noindex, nofollow">/);
      const hashes = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(
        (match) => `'sha256-${createHash('sha256').update(match[1]!).digest('base64')}'`,
      );
      assert.equal(hashes.length, 2);
      assert.equal(
        response.headers.get('content-security-policy'),
        `default-src 'none'; style-src ${hashes.join(' ')}; img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
      );
    });

    const TITLES: Record<string, string> = {
      en: 'Your email preferences',
      de: 'Ihre E-Mail-Einstellungen',
      fr: 'Vos préférences e-mail',
      es: 'Tus preferencias de correo electrónico',
      it: 'Le tue preferenze email',
      pl: 'Twoje ustawienia e-mail',
      pt: 'Suas preferências de e-mail',
      nl: 'Je e-mailvoorkeuren',
      sv: 'Dina e-postinställningar',
      ja: 'メール配信設定',
      ar: 'تفضيلات البريد الإلكتروني',
      he: 'העדפות הדיוור שלך',
    };
    it('speaks all 12 languages (?lang= first, then Accept-Language), right to left for ar and he', async () => {
      for (const [lang, title] of Object.entries(TITLES)) {
        const dir = lang === 'ar' || lang === 'he' ? 'rtl' : 'ltr';
        for (const init of [
          { query: `?lang=${lang}`, headers: { 'accept-language': 'de' } },
          { query: '', headers: { 'accept-language': `${lang}-XX, en;q=0.1` } },
        ]) {
          const response = await stack.fetch(`${path}${init.query}`, { headers: init.headers });
          const html = await response.text();
          assert.ok(
            html.startsWith(`<!doctype html>\n<html lang="${lang}" dir="${dir}">`),
            `${lang} ${JSON.stringify(init)}`,
          );
          assert.ok(html.includes(`<title>${title}</title>`) && html.includes(`<h1>${title}</h1>`), lang);
          assert.equal(response.headers.get('content-language'), lang);
        }
      }
    });
  });

  describe('POST (the plain form, JavaScript off)', () => {
    it('changes exactly the two consents the person changed; the others keep their values and dates', async () => {
      const html = await (await stack.fetch(path)).text();
      const before = consentsOf(await customer(stack));
      const since = new Date().toISOString();
      stack.emulator.clearRequests();
      const response = await stack.fetch(path, {
        method: 'POST',
        body: submission(html, { [newsletter]: false, [productUpdates]: true }),
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('location'), null);
      const page = await response.text();
      assert.equal(notice(page), 'You now receive: Product updates. You no longer receive: Newsletter.');
      assert.equal(isChecked(page, productUpdates), true, 'the page shows the new state');
      assert.equal(isChecked(page, newsletter), false);
      const after = consentsOf(await customer(stack));
      assert.equal(after[newsletter]?.value, false);
      assert.equal(after[productUpdates]?.value, true);
      for (const id of [emailOffers, smsOffers, partners, 'unsubscribed'])
        assert.deepEqual(after[id], before[id], `${id} untouched`);
      assert.deepEqual(
        (await activityTypes(stack, ALICE.id, since)).filter((activity) =>
          activity.type.startsWith('customer.consents.'),
        ),
        [
          { type: 'customer.consents.given', consents: [productUpdates] },
          { type: 'customer.consents.revoked', consents: [newsletter] },
        ],
      );
      assert.deepEqual(
        writes(stack).map((request) => `${request.method} ${request.path}`),
        [`PUT /v1/customers/${ALICE.id}/consents`],
      );
    });

    it('never rewrites a consent changed elsewhere after the page was rendered and not touched on it', async () => {
      const html = await (await stack.fetch(path)).text();
      await upstreamOf(stack).updateCustomersConsents(ALICE.id, { [emailOffers]: false }); // another tab, the shop, support…
      const elsewhere = consentsOf(await customer(stack))[emailOffers];
      const response = await stack.fetch(path, { method: 'POST', body: submission(html, { [partners]: true }) });
      assert.equal(response.status, 200);
      assert.equal(notice(await response.text()), 'You now receive: Offers from partners.');
      const after = consentsOf(await customer(stack));
      assert.deepEqual(after[emailOffers], elsewhere, 'still as changed elsewhere (the form still showed it ticked)');
      assert.equal(after[partners]?.value, true);
    });

    it('says "Nothing changed." and writes nothing when nothing was changed', async () => {
      const html = await (await stack.fetch(path)).text();
      stack.emulator.clearRequests();
      const response = await stack.fetch(path, { method: 'POST', body: submission(html) });
      assert.equal(response.status, 200);
      assert.equal(notice(await response.text()), 'Nothing changed.');
      assert.deepEqual(writes(stack), []);
    });

    it('"Unsubscribe from everything" opts out, whatever is ticked', async () => {
      const html = await (await stack.fetch(path)).text();
      const response = await stack.fetch(path, {
        method: 'POST',
        body: submission(html, { [partners]: true }, 'unsubscribe'),
      });
      assert.equal(response.status, 200);
      const page = await response.text();
      assert.equal(notice(page), 'You are unsubscribed from everything.');
      const after = consentsOf(await customer(stack));
      assert.equal(after.unsubscribed?.value, true);
      assert.equal(after[newsletter]?.value, false);
      assert.notEqual(after[partners]?.value, true);
      assert.equal(isChecked(page, newsletter), false);
    });

    it('lets a customer who unsubscribed from everything choose again', async () => {
      const chloe = `/preferences/${await token(CHLOE.id)}?lang=fr`;
      const html = await (await stack.fetch(chloe)).text();
      assert.match(html, /Votre désabonnement de tous nos envois est enregistré\. Cochez/);
      assert.match(html, /Préférences pour <bdi>c•••s@example\.fr<\/bdi>/);
      const page = await (
        await stack.fetch(chloe, { method: 'POST', body: submission(html, { [newsletter]: true }) })
      ).text();
      assert.equal(notice(page), 'Vous recevez désormais : Newsletter.');
      const after = consentsOf(await customer(stack, CHLOE.id));
      assert.equal(after[newsletter]?.value, true);
      assert.notEqual(after.unsubscribed?.value, true);
    });

    it('accepts the page’s own form through the origin check (Origin: null from the same origin), refuses other sites', async () => {
      const html = await (await stack.fetch(path)).text();
      const body = () => submission(html, { [partners]: true });
      for (const headers of <Array<Record<string, string>>>[
        { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
        { origin: 'null', 'sec-fetch-site': 'cross-site' },
        { origin: 'null' },
      ]) {
        const response = await stack.fetch(path, { method: 'POST', headers, body: body() });
        assert.equal(response.status, 403, JSON.stringify(headers));
        assert.equal((await json(response)).key, 'origin_not_allowed');
      }
      assert.deepEqual(writes(stack), []);
      const own = await stack.fetch(path, {
        method: 'POST',
        headers: { origin: 'null', 'sec-fetch-site': 'same-origin' },
        body: body(),
      });
      assert.equal(own.status, 200);
      const self = await stack.fetch(path, { method: 'GET', headers: { origin: new URL(stack.worker.url).origin } });
      assert.equal(self.status, 200);
    });

    describe('the CSRF proof', () => {
      const jti = 'mail-2026-05-01-alice';
      beforeEach(async () => {
        path = `/preferences/${await token(ALICE.id, { jti })}`;
      });
      const LINK_BYTES = new TextEncoder().encode(LINK_KEY.secret);
      const cases: Array<[string, (csrf: string) => Promise<string | null>]> = [
        ['missing', async () => null],
        [
          'forged (one character changed)',
          async (csrf) => `${csrf.slice(0, -2)}${csrf.at(-2) === 'A' ? 'B' : 'A'}${csrf.at(-1)}`,
        ],
        [
          'made with another key',
          async () => signFormProof(new TextEncoder().encode('another-link-key-that-is-long-enough-0123'), jti),
        ],
        ['for another link (jti)', async () => signFormProof(LINK_BYTES, 'another-mail')],
        ['expired (rendered three hours ago)', async () => signFormProof(LINK_BYTES, jti, Date.now() - 3 * 3600_000)],
        ['from the future', async () => signFormProof(LINK_BYTES, jti, Date.now() + 3600_000)],
      ];
      for (const [what, proof] of cases) {
        it(`refuses a form whose proof is ${what} with 403, saves nothing, and shows the choices again to save`, async () => {
          const html = await (await stack.fetch(path)).text();
          const body = submission(html, { [partners]: true });
          const replaced = await proof(body.get('csrf')!);
          if (replaced === null) body.delete('csrf');
          else body.set('csrf', replaced);
          const before = await customer(stack);
          stack.emulator.clearRequests();
          const response = await stack.fetch(path, { method: 'POST', body });
          assert.equal(response.status, 403);
          const page = await response.text();
          assert.match(notice(page) ?? '', /Your changes have not been saved yet/);
          assert.equal(isChecked(page, partners), true, 'what the person ticked is kept, to save again');
          assert.deepEqual(writes(stack), []);
          assert.deepEqual(await customer(stack), before);
          const again = await stack.fetch(path, { method: 'POST', body: submission(page) });
          assert.equal(again.status, 200, 'the page came back with a fresh proof');
          assert.equal(consentsOf(await customer(stack))[partners]?.value, true);
        });
      }

      it('accepts a proof made a little under two hours ago', async () => {
        const html = await (await stack.fetch(path)).text();
        const body = submission(html, { [partners]: true });
        body.set('csrf', await signFormProof(LINK_BYTES, jti, Date.now() - 110 * 60_000));
        assert.equal((await stack.fetch(path, { method: 'POST', body })).status, 200);
      });
    });

    it('answers bodies it cannot take with a clear 400/413/415 page, a way back, and nothing changed', async () => {
      const html = await (await stack.fetch(path)).text();
      const good = submission(html, { [partners]: true });
      const cases: Array<[number, RequestInit]> = [
        [415, { headers: { 'content-type': 'text/plain' }, body: good.toString() }],
        [415, { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ [partners]: true }) }],
        [
          413,
          {
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            body: `${good}&pad=${'x'.repeat(40_000)}`,
          },
        ],
        [400, { body: variant(good, (body) => body.set(`shown.${newsletter}`, '2')) }],
        [400, { body: variant(good, (body) => body.set('customer_id', DEMO_CUSTOMERS.bob.id)) }],
        [400, { body: variant(good, (body) => body.set(`consent.${smsOffers}x`, '1')) }],
        [400, { body: variant(good, (body) => body.set('action', 'delete')) }],
      ];
      for (const [status, init] of cases) {
        const response = await stack.fetch(`${path}?lang=en`, { method: 'POST', ...init });
        assert.equal(response.status, status, String(init.body).slice(0, 120));
        assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
        const page = await response.text();
        assert.match(page, /Your choices could not be read/);
        assert.ok(page.includes(`<a href="${path}?lang=en">Back to your preferences</a>`));
      }
      assert.deepEqual(writes(stack), []);
    });

    it('reads only what changed from the form, and refuses malformed fields', () => {
      const refused = (details: RegExp) => (error: unknown) =>
        error instanceof WireError && error.status === 400 && details.test(error.details ?? '');
      assert.throws(() => readPreferencesForm(new Map([[`shown.${newsletter}`, '2']])), refused(/must be 1 or 0/));
      assert.throws(
        () => readPreferencesForm(new Map([[`consent.${newsletter}`, '1']])),
        refused(/without their shown value/),
      );
      assert.throws(
        () => readPreferencesForm(new Map([['shown.unsubscribed', '0']])),
        refused(/Unknown form fields: shown\.unsubscribed/),
      );
      assert.deepEqual(
        readPreferencesForm(
          new Map([
            ['csrf', 'x'],
            [`shown.${newsletter}`, '1'],
            [`shown.${partners}`, '0'],
            [`consent.${partners}`, '1'],
            [`shown.${smsOffers}`, '0'],
          ]),
        ),
        { action: 'save', changed: { [newsletter]: false, [partners]: true }, csrf: 'x' },
      );
    });
  });

  describe('links that are not right', () => {
    const cases: Array<[string, () => Promise<string>, number, RegExp, string]> = [
      [
        'expired (minted 61 days ago, for 60)',
        () => token(ALICE.id, { now: new Date(Date.now() - 61 * DAY * 1000) }),
        410,
        /This link has expired/,
        'token_retired',
      ],
      [
        'expired (a one-hour link, two hours later)',
        () => token(ALICE.id, { now: new Date(Date.now() - 7200_000), ttlSeconds: 3600 }),
        410,
        /This link has expired/,
        'token_retired',
      ],
      [
        'signed with a key no longer in UNSUBSCRIBE_KEYS',
        () =>
          mintPreferencesToken({
            customerId: ALICE.id,
            key: { kid: 'retired-1', secret: 'a-retired-link-secret-0123456789abcdef' },
          }),
        410,
        /This link has expired/,
        'token_retired',
      ],
      [
        'tampered (one byte of the payload changed)',
        async () => {
          const [header, payload, signature] = (await token()).split('.') as [string, string, string];
          const at = Math.floor(payload.length / 2);
          return `${header}.${payload.slice(0, at)}${payload[at] === 'A' ? 'B' : 'A'}${payload.slice(at + 1)}.${signature}`;
        },
        400,
        /This link is not valid/,
        'invalid_token',
      ],
      [
        'tampered (another customer, re-encoded)',
        async () => {
          const [header, payload, signature] = (await token()).split('.');
          const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
          return `${header}.${Buffer.from(JSON.stringify({ ...claims, sub: DEMO_CUSTOMERS.bob.id })).toString('base64url')}.${signature}`;
        },
        400,
        /This link is not valid/,
        'invalid_token',
      ],
      ['a session token', () => devSessionToken(ALICE.id), 400, /This link is not valid/, 'invalid_token'],
      ['an unsubscribe token', () => devUnsubscribeToken(ALICE.id), 400, /This link is not valid/, 'invalid_token'],
      [
        'a confirmation token',
        () => mintConfirmToken({ email: ALICE.email, consents: { [newsletter]: true }, key: LINK_KEY }),
        400,
        /This link is not valid/,
        'invalid_token',
      ],
      ['garbage', async () => 'not-a-token', 400, /This link is not valid/, 'invalid_token'],
    ];
    for (const [what, make, status, page, key] of cases) {
      it(`answers a link ${what} with ${status} on the page, the form and the API, changing nothing`, async () => {
        const bad = `/preferences/${await make()}`;
        for (const method of ['GET', 'POST']) {
          const response = await stack.fetch(bad, {
            method,
            ...(method === 'POST' ? { body: new URLSearchParams({ action: 'unsubscribe' }) } : {}),
          });
          assert.equal(response.status, status, method);
          assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
          assert.equal(response.headers.get('x-robots-tag'), 'noindex, nofollow');
          assert.match(await response.text(), page);
        }
        for (const method of ['GET', 'PUT']) {
          const response = await stack.call(
            method,
            `${bad}/consents`,
            null,
            method === 'PUT' ? { unsubscribed: true } : undefined,
          );
          assert.equal(response.status, status);
          const body = await json(response);
          assert.equal(body.key, key);
          assert.match(
            String(body.details),
            status === 410 ? /^This link is no longer valid\./ : /^This link is not valid\.$/,
          );
        }
        assert.deepEqual(stack.upstream(), [], 'a refused link calls nothing upstream');
      });
    }

    it('answers a link for a customer that does not exist with a 404 page and not_found JSON', async () => {
      const gone = `/preferences/${await token('cust_gone000000000000000000')}`;
      const page = await stack.fetch(gone);
      assert.equal(page.status, 404);
      assert.match(await page.text(), /We could not find your preferences/);
      const api = await stack.fetch(`${gone}/consents`);
      assert.equal(api.status, 404);
      assert.equal((await json(api)).key, 'not_found');
      const put = await stack.call('PUT', `${gone}/consents`, null, { [newsletter]: true });
      assert.equal(put.status, 404);
      assert.equal((await json(put)).details, 'There are no preferences to manage with this link.');
    });

    it('refuses a preferences token on /unsubscribe, /confirm and the /v1/me routes', async () => {
      const preferences = await token();
      const accept = { accept: 'application/json' };
      for (const [method, route] of [
        ['GET', `/unsubscribe/${preferences}`],
        ['POST', `/unsubscribe/${preferences}`],
        ['POST', `/unsubscribe/${preferences}/undo`],
        ['GET', `/confirm/${preferences}`],
        ['POST', `/confirm/${preferences}`],
      ] as const) {
        const response = await stack.fetch(route, { method, headers: accept });
        assert.equal(response.status, 400, `${method} ${route.split('/')[1]}`);
        await response.arrayBuffer();
      }
      for (const [method, route, body] of [
        ['GET', '/v1/me'],
        ['GET', '/v1/me/consents'],
        ['PUT', '/v1/me/consents', { unsubscribed: true }],
      ] as const) {
        const response = await stack.call(method, route, preferences, body);
        assert.equal(response.status, 401, `${method} ${route}`);
        assert.equal((await json(response)).key, 'unauthorized');
      }
      assert.deepEqual(writes(stack), []);
      assert.notEqual(consentsOf(await customer(stack)).unsubscribed?.value, true);
    });

    it('never names the token in a 404 for a path under it', async () => {
      const response = await stack.fetch(`${path}/nothing-here`);
      assert.equal(response.status, 404);
      const body = await json(response);
      assert.equal(body.details, 'GET /preferences/… does not exist.');
    });
  });

  describe('the JSON API for the enhanced page', () => {
    it('GET answers exactly what GET /v1/me/consents answers, with the link as the only credential', async () => {
      const response = await stack.fetch(`${path}/consents`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const mine = await json(await stack.call('GET', '/v1/me/consents', await devSessionToken(ALICE.id)));
      assert.deepEqual(await json(response), mine);
    });

    it('PUT takes the body of PUT /v1/me/consents, writes only what differs, and answers the same JSON', async () => {
      const before = consentsOf(await customer(stack));
      const response = await stack.call('PUT', `${path}/consents?policy_version=2026-05`, null, {
        [newsletter]: true,
        [partners]: true,
      });
      assert.equal(response.status, 200, await response.clone().text());
      const answer = await json<{
        state: Record<string, { value: boolean; date: string }>;
        unsubscribed: boolean;
        policy_version: string;
      }>(response);
      assert.equal(answer.policy_version, '2026-05');
      assert.equal(answer.state[partners]?.value, true);
      assert.deepEqual(answer.state[newsletter], before[newsletter], 'an equal value is not rewritten: its date stays');
      assert.deepEqual(answer, await json(await stack.call('GET', '/v1/me/consents', await devSessionToken(ALICE.id))));
      const optOut = await json<{ unsubscribed: boolean }>(
        await stack.call('PUT', `${path}/consents`, null, { unsubscribed: true }),
      );
      assert.equal(optOut.unsubscribed, true);
    });

    it('refuses what PUT /v1/me/consents refuses: 415, bad JSON, unknown consents, unknown query parameters', async () => {
      const cases: Array<[number, string, RequestInit, RegExp]> = [
        [
          415,
          '',
          { headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ [partners]: true }) },
          /Content-Type: application\/json/,
        ],
        [415, '', { body: new URLSearchParams({ [partners]: 'true' }) }, /application\/json/],
        [400, '', { headers: { 'content-type': 'application/json' }, body: '{"a":' }, /not valid JSON/],
        [400, '', { headers: { 'content-type': 'application/json' }, body: '' }, /cannot be empty/],
        [
          400,
          '',
          {
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ cnst_nope: true, [partners]: true }),
          },
          /Unknown consents: cnst_nope/,
        ],
        [
          400,
          '',
          { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ [partners]: 'yes' }) },
          /true or false/,
        ],
        [
          400,
          '',
          {
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ unsubscribed: true, [partners]: true }),
          },
          /cannot be combined/,
        ],
        [
          400,
          '?customer_id=x',
          { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ [partners]: true }) },
          /Unknown query parameters: customer_id/,
        ],
        [
          413,
          '',
          { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(20_000) }) },
          /larger than/,
        ],
      ];
      for (const [status, query, init, details] of cases) {
        const response = await stack.fetch(`${path}/consents${query}`, { method: 'PUT', ...init });
        const body = await json(response);
        assert.equal(response.status, status, String(init.body).slice(0, 80));
        assert.equal(body.code, status);
        assert.match(String(body.details), details);
        assert.match(String(body.request_id), /^v-[0-9a-f]{18}$/);
      }
      const query = await stack.fetch(`${path}/consents?x=1`);
      assert.equal(query.status, 400);
      assert.equal((await json(query)).key, 'invalid_query_params');
      assert.deepEqual(writes(stack), []);
    });

    it('answers 405 with Allow for other methods, on both paths', async () => {
      for (const [suffix, method, allow] of [
        ['', 'PUT', 'GET, POST'],
        ['', 'DELETE', 'GET, POST'],
        ['', 'PATCH', 'GET, POST'],
        ['/consents', 'POST', 'GET, PUT'],
        ['/consents', 'DELETE', 'GET, PUT'],
      ] as const) {
        const response = await stack.fetch(`${path}${suffix}`, { method });
        assert.equal(response.status, 405, `${method} ${suffix}`);
        assert.equal(response.headers.get('allow'), allow);
        assert.equal((await json(response)).key, 'method_not_allowed');
      }
      assert.deepEqual(writes(stack), []);
    });

    it('is callable from the shop’s pages (CORS: GET, PUT) and the worker’s own page, refused from any other origin', async () => {
      const preflight = await stack.fetch(`${path}/consents`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://127.0.0.1:8000',
          'access-control-request-method': 'PUT',
          'access-control-request-headers': 'content-type',
        },
      });
      assert.equal(preflight.status, 204);
      assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET, PUT, OPTIONS');
      assert.equal(preflight.headers.get('access-control-allow-origin'), 'http://127.0.0.1:8000');
      const evilPreflight = await stack.fetch(`${path}/consents`, {
        method: 'OPTIONS',
        headers: { origin: 'https://evil.example', 'access-control-request-method': 'PUT' },
      });
      assert.equal(evilPreflight.status, 403);
      const evil = await stack.call(
        'PUT',
        `${path}/consents`,
        null,
        { [partners]: true },
        { origin: 'https://evil.example' },
      );
      assert.equal(evil.status, 403);
      assert.equal((await json(evil)).key, 'origin_not_allowed');
      assert.deepEqual(writes(stack), []);
      const own = await stack.call(
        'PUT',
        `${path}/consents`,
        null,
        { [partners]: true },
        { origin: new URL(stack.worker.url).origin },
      );
      assert.equal(own.status, 200);
      const shop = await stack.call('GET', `${path}/consents`, null, undefined, { origin: 'http://127.0.0.1:8000' });
      assert.equal(shop.status, 200);
      assert.equal(shop.headers.get('access-control-allow-origin'), 'http://127.0.0.1:8000');
    });
  });
});

describe('the preference center with ELEMENTS_URL, rate limits and the metadata strategy', () => {
  it('loads <vc-consent-panel> from ELEMENTS_URL around the plain form; the CSP allows exactly that origin and the worker itself', async () => {
    const stack = await startStack({ vars: { ELEMENTS_URL: 'https://cdn.shop.example/vc-consent/1.0/' } });
    try {
      const link = await preferencesLink(devKeys, ALICE.id, { publicUrl: stack.worker.url });
      const response = await stack.fetch(`${new URL(link.url).pathname}?lang=ar`);
      assert.equal(response.status, 200);
      const html = await response.text();
      assert.match(
        html,
        /<script type="module" src="https:\/\/cdn\.shop\.example\/vc-consent\/1\.0\/vc-consent-panel\.js"><\/script><\/head>/,
      );
      assert.ok(
        html.includes(
          `<vc-consent-panel preferences-token="${link.token}" worker-url="${stack.worker.url}" lang="ar" history><div slot="plain-form"><form method="post">`,
        ),
      );
      assert.match(
        html,
        /<\/form><\/div><\/vc-consent-panel><\/main>/,
        'the whole form is inside the element, in a slot the panel does not render',
      );
      const csp = response.headers.get('content-security-policy') ?? '';
      assert.match(
        csp,
        /^default-src 'none'; style-src 'sha256-[^;]+' 'sha256-[^;]+'; script-src https:\/\/cdn\.shop\.example; connect-src 'self'; img-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/,
      );
    } finally {
      await stack.close();
    }
  });

  it('refuses an ELEMENTS_URL that is not an absolute http(s) URL (500 misconfigured, naming it)', async () => {
    for (const value of ['cdn/vc-consent', 'ftp://cdn.example/x', 'https://cdn.example/x?v=1']) {
      const stack = await startStack({ vars: { ELEMENTS_URL: value } });
      try {
        const response = await stack.fetch('/healthz');
        assert.equal(response.status, 500);
        assert.match(String((await json(response)).details), /ELEMENTS_URL must be an absolute http\(s\) URL/);
      } finally {
        await stack.close();
      }
    }
  });

  it('limits the form and the API per link (its jti) with WRITE_LIMITER: 429 with Retry-After, a page for people', async () => {
    const stack = await startStack({
      rateLimits: { WRITE_LIMITER: { limit: 2, period: 60 } },
      vars: { ELEMENTS_URL: undefined },
    });
    try {
      const path = `/preferences/${await token()}`;
      const html = await (await stack.fetch(path)).text();
      const statuses: number[] = [];
      let last: Response | undefined;
      for (let i = 0; i < 3; i += 1) {
        last = await stack.fetch(path, { method: 'POST', body: submission(html) });
        statuses.push(last.status);
        if (i < 2) await last.arrayBuffer();
      }
      assert.deepEqual(statuses, [200, 200, 429]);
      assert.equal(last!.headers.get('retry-after'), '60');
      assert.match(await last!.text(), /Too many requests/);
      assert.equal(
        (await stack.call('PUT', `${path}/consents`, null, { [partners]: true })).status,
        429,
        'the API shares the link’s budget',
      );
      const other = `/preferences/${await token()}`;
      assert.equal(
        (await stack.call('PUT', `${other}/consents`, null, { [partners]: true })).status,
        200,
        'another link has its own budget',
      );
    } finally {
      await stack.close();
    }
  });

  it('saves through the namespaced metadata key with CONSENT_STORAGE=metadata, only what changed', async () => {
    const stack = await startStack({ vars: { CONSENT_STORAGE: 'metadata', ELEMENTS_URL: undefined } });
    try {
      const path = `/preferences/${await token()}`;
      const html = await (await stack.fetch(path)).text();
      const page = await (
        await stack.fetch(path, { method: 'POST', body: submission(html, { [partners]: true }) })
      ).text();
      assert.equal(notice(page), 'You now receive: Offers from partners.');
      const stored = (await customer(stack)).metadata?.vc_consents as Record<string, { value: boolean }>;
      // The decisions the consent endpoint held are written forward with the change, and only partners is new.
      const endpoint = consentsOf(await customer(stack));
      assert.deepEqual(Object.keys(stored).sort(), [...Object.keys(endpoint), partners].sort());
      assert.equal(stored[partners]?.value, true);
      assert.ok(!stack.upstream().some((request) => request.path.endsWith('/consents') && request.method === 'PUT'));
    } finally {
      await stack.close();
    }
  });
});

describe('the page, rendered on its own', () => {
  it('lists consents in no group after the groups, under a generic heading, and each consent once', () => {
    const html = renderPreferencesPage({
      locale: 'de',
      email: null,
      definitions: {
        groups: [
          { id: 'g1', name: 'Post', description: '', consents: ['a', 'missing'] },
          { id: 'g2', name: 'Auch Post', description: 'Zweimal', consents: ['a', 'b'] },
        ],
        consents: [
          { id: 'c', name: 'Ohne Gruppe', description: '', category: '' },
          { id: 'a', name: 'A', description: '', category: '' },
          { id: 'b', name: 'B', description: 'Beschreibung', category: '' },
        ],
      },
      state: {},
      unsubscribed: false,
      csrf: 'v1.1.x',
    });
    assert.deepEqual(
      [...html.matchAll(/<legend>(.*?)<\/legend>/g)].map((match) => match[1]),
      ['<bdi>Post</bdi>', '<bdi>Auch Post</bdi>', 'Weitere'],
    );
    assert.deepEqual(
      [...html.matchAll(/name="consent\.(\w+)"/g)].map((match) => match[1]),
      ['a', 'b', 'c'],
    );
    assert.doesNotMatch(html, /Einstellungen für/, 'no address line without an address');
  });

  it('escapes everything that comes from the shop’s definitions and the customer', () => {
    const html = renderPreferencesPage({
      locale: 'en',
      email: '"><script>alert(1)</script>@example.com',
      definitions: {
        groups: [{ id: 'g', name: '<b>Group</b>', description: '" onmouseover="x', consents: ['a'] }],
        consents: [
          { id: 'a', name: '<img src=x onerror=alert(1)>', description: '</p><script>x</script>', category: '' },
        ],
      },
      state: { a: { value: true, date: 'not a date' } },
      unsubscribed: false,
      csrf: '"><x',
      enhance: {
        scriptUrl: 'https://cdn.example/vc-consent-panel.js',
        token: '"><x',
        workerUrl: 'https://edge.example',
      },
    });
    assert.doesNotMatch(html, /<script>|<img|<b>|<x|onmouseover="x/);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
  });
});
