/**
 * Errors on the paths people open in a browser (`/unsubscribe/…`, `/confirm/…`, the preference center's page) are
 * localized pages with their status kept, for a browser; API clients, scripts and mail servers' one-click POSTs keep
 * Voucherify's JSON. Nothing of the path (a token, markup) is reflected into a page.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { DEMO_CUSTOMERS } from '../../src/emulator/index.js';
import type { Locale } from '../../src/locales.js';
import { verifyPreferencesToken } from '../../src/node/index.js';
import { isolate } from '../../src/worker/pages/format.js';
import { ERRORS, FLOW } from '../../src/worker/pages/messages.js';
import { translator } from '../../src/worker/pages/translate.js';
import { importUnsubscribeKeys } from '../../src/worker/token-keys.js';
import { json } from '../support/http.js';
import { stackPerSuite } from '../support/stack.js';
import type { Stack } from '../support/stack.js';
import { devKeys, devPreferencesToken, devUnsubscribeToken } from '../support/tokens.js';

const ALICE = DEMO_CUSTOMERS.alice;
/** What Chromium sends when it opens or posts a page. */
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const ONE_CLICK = 'List-Unsubscribe=One-Click';

/** The page's language three ways: English by default, German by Accept-Language, Arabic by `?lang=`. */
const LANGUAGES: Array<{ locale: Locale; dir: 'ltr' | 'rtl'; query: string; headers: Record<string, string> }> = [
  { locale: 'en', dir: 'ltr', query: '', headers: {} },
  { locale: 'de', dir: 'ltr', query: '', headers: { 'accept-language': 'de-DE,de;q=0.9,en;q=0.5' } },
  { locale: 'ar', dir: 'rtl', query: '?lang=ar', headers: { 'accept-language': 'de' } },
];

/** A message in `locale`, checked to be translated (not the English source) in any other language. */
function text(locale: Locale, id: string): string {
  const translated = translator(locale)(id);
  if (locale !== 'en') assert.notEqual(translated, translator('en')(id), `${id} is translated into ${locale}`);
  return translated;
}

/** Reads an error page: its status, HTML type, no caching, the pages' CSP; and its language, direction and heading. */
async function errorPage(response: Response, status: number) {
  const html = await response.text();
  assert.equal(response.status, status, html.slice(0, 300));
  assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.equal(response.headers.get('cache-control'), 'no-store');
  assert.match(response.headers.get('content-security-policy') ?? '', /^default-src 'none'; style-src 'sha256-/);
  const [, lang, dir] = /^<!doctype html>\n<html lang="([^"]+)" dir="([^"]+)">/.exec(html) ?? [];
  const [, title, heading] = /<title>([^<]*)<\/title>.*<h1>([^<]*)<\/h1>/s.exec(html) ?? [];
  assert.equal(title, heading);
  return { html, lang, dir, heading, link: /<a href="([^"]+)" rel="noreferrer">/.exec(html)?.[1] ?? null };
}

async function assertJsonError(response: Response, status: number, key: string): Promise<Record<string, unknown>> {
  assert.equal(response.status, status);
  assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  const body = await json(response);
  assert.equal(body.key, key);
  assert.equal(body.request_id, response.headers.get('x-request-id'));
  return body;
}

/** A link to this worker's preference center, with a fresh token for `customerId` (never the token of the path). */
async function assertFreshPreferencesLink(stack: Stack, href: string | null, customerId: string, notToken: string) {
  assert.ok(href?.startsWith(`${stack.worker.url}/preferences/`), String(href));
  const token = new URL(href!.replace(/&#38;/g, '&')).pathname.split('/').pop()!;
  assert.notEqual(token, notToken);
  const verified = await verifyPreferencesToken(token, importUnsubscribeKeys([devKeys.unsubscribeKey!]));
  assert.equal(verified.customerId, customerId);
}

describe('error pages of the worker’s pages', () => {
  let stack: Stack;
  let token: string;
  stackPerSuite((started) => (stack = started), {
    vars: { UPSTREAM_RETRIES: '1', UPSTREAM_MAX_RETRY_DELAY_MS: '100' },
  });
  beforeEach(async () => {
    stack.emulator.clearFaults();
    token = await devUnsubscribeToken(ALICE.id);
  });
  const writes = () => stack.upstream().filter((request) => request.method !== 'GET');

  for (const { locale, dir, query, headers } of LANGUAGES) {
    it(`answers a reloaded undo URL (GET) with a 405 page in ${locale}, linking to the same customer's preferences`, async () => {
      const response = await stack.fetch(`/unsubscribe/${token}/undo${query}`, {
        headers: { accept: BROWSER, ...headers },
      });
      assert.equal(response.headers.get('allow'), 'POST');
      const page = await errorPage(response, 405);
      assert.deepEqual([page.lang, page.dir], [locale, dir]);
      assert.equal(page.heading, text(locale, ERRORS.reloadTitle));
      assert.ok(page.html.includes(text(locale, ERRORS.reloadText)));
      assert.ok(!page.html.includes(token), 'the path’s token is not echoed');
      await assertFreshPreferencesLink(stack, page.link, ALICE.id, token);
      if (query) assert.ok(page.link?.endsWith(query), 'the link keeps the page’s language');
      assert.deepEqual(writes(), []);
    });

    it(`answers an unknown page under a link with a 404 page in ${locale}`, async () => {
      for (const path of [`/unsubscribe/${token}/elsewhere`, '/confirm/abc/def', '/preferences/', '/unsubscribe']) {
        const page = await errorPage(
          await stack.fetch(`${path}${query}`, { headers: { accept: BROWSER, ...headers } }),
          404,
        );
        assert.deepEqual([page.lang, page.dir], [locale, dir], path);
        assert.equal(page.heading, text(locale, ERRORS.notFoundTitle), path);
        assert.ok(page.html.includes(text(locale, ERRORS.notFoundText)), path);
        assert.ok(!page.html.includes(token), `${path}: the path’s token is not echoed`);
      }
    });

    it(`answers a form posted from another site with a 403 page in ${locale}, saving nothing`, async () => {
      const preferences = await devPreferencesToken(ALICE.id);
      const response = await stack.fetch(`/preferences/${preferences}${query}`, {
        method: 'POST',
        headers: { accept: BROWSER, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', ...headers },
        body: new URLSearchParams({ action: 'unsubscribe' }),
      });
      const page = await errorPage(response, 403);
      assert.deepEqual([page.lang, page.dir], [locale, dir]);
      assert.equal(page.heading, text(locale, ERRORS.refusedTitle));
      assert.ok(!page.html.includes(preferences));
      assert.deepEqual(writes(), []);
    });

    it(`answers an upstream failure on the preferences page with a 502 page in ${locale} naming the request id`, async () => {
      stack.emulator.setFaults([{ method: 'GET', path: '/v1/customers/**', kind: 'status', status: 500 }]);
      const preferences = await devPreferencesToken(ALICE.id);
      const response = await stack.fetch(`/preferences/${preferences}${query}`, {
        headers: { accept: BROWSER, ...headers },
      });
      const page = await errorPage(response, 502);
      assert.deepEqual([page.lang, page.dir], [locale, dir]);
      assert.equal(page.heading, text(locale, FLOW.errorTitle));
      const id = response.headers.get('x-request-id')!;
      assert.match(id, /^v-[0-9a-f]{18}$/);
      assert.ok(page.html.includes(`<bdi>${id}</bdi>`), 'the request id is shown for support');
      const reference = translator(locale)(ERRORS.reference, { reference: isolate(id) }).toString();
      assert.ok(page.html.includes(reference), reference);
    });
  }

  it('keeps JSON for API clients and scripts: the same errors asked for JSON, with */*, or without Accept', async () => {
    for (const accept of ['application/json', '*/*', 'application/json, text/html;q=0.9', 'text/plain']) {
      const body = await assertJsonError(
        await stack.fetch(`/unsubscribe/${token}/undo`, { headers: { accept } }),
        405,
        'method_not_allowed',
      );
      assert.equal(body.details, 'GET is not supported by this endpoint. Did you mean POST?');
      const missing = await assertJsonError(
        await stack.fetch(`/unsubscribe/${token}/elsewhere`, { headers: { accept } }),
        404,
        'not_found',
      );
      assert.equal(missing.details, 'GET /unsubscribe/… does not exist.');
    }
    const refused = await stack.fetch(`/unsubscribe/${token}/undo`, {
      method: 'POST',
      headers: { accept: 'application/json', origin: 'https://evil.example' },
    });
    await assertJsonError(refused, 403, 'origin_not_allowed');
    // An empty Accept header (Node's fetch sends */* when none is given).
    const bare = await fetch(stack.url(`/confirm/abc/def`), { headers: { accept: '' } });
    await assertJsonError(bare, 404, 'not_found');
  });

  it('keeps JSON on the preference center’s API, even for a browser', async () => {
    const preferences = await devPreferencesToken(ALICE.id);
    await assertJsonError(
      await stack.fetch(`/preferences/${preferences}/consents`, { method: 'POST', headers: { accept: BROWSER } }),
      405,
      'method_not_allowed',
    );
    await assertJsonError(
      await stack.fetch(`/preferences/${preferences}/consents/x/y`, { headers: { accept: BROWSER } }),
      404,
      'not_found',
    );
    stack.emulator.setFaults([{ method: 'GET', path: '/v1/customers/**', kind: 'status', status: 500 }]);
    await assertJsonError(
      await stack.fetch(`/preferences/${preferences}/consents`, { headers: { accept: BROWSER } }),
      502,
      'bad_gateway',
    );
  });

  it('answers mail servers’ one-click POSTs as before: a page for the link, JSON for an error the route does not answer', async () => {
    const oneClick = (path: string, method = 'POST') =>
      stack.fetch(path, {
        method,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: ONE_CLICK,
      });
    await assertJsonError(await oneClick(`/unsubscribe/${token}/elsewhere`), 404, 'not_found');
    await assertJsonError(await oneClick(`/unsubscribe/${token}`, 'PUT'), 405, 'method_not_allowed');
    const done = await oneClick(`/unsubscribe/${token}`);
    assert.equal(done.status, 200);
    assert.equal(done.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(await done.text(), /<h1>You are unsubscribed<\/h1>/);
  });

  it('offers the account’s preferences when the path’s token is not valid, and reflects nothing of the path', async () => {
    const hostile = [
      `/unsubscribe/${encodeURIComponent('"><img src=x onerror=alert(1)>')}/undo`,
      `/preferences/${encodeURIComponent('<script>alert(1)</script>')}/x`,
      `/confirm/x/${encodeURIComponent('<b>bold</b>')}`,
      `/unsubscribe/${token}/undo?lang=${encodeURIComponent('"><script>alert(2)</script>')}`,
    ];
    for (const path of hostile) {
      const response = await stack.fetch(path, { headers: { accept: BROWSER } });
      const page = await errorPage(response, path.endsWith('/undo') || path.includes('/undo?') ? 405 : 404);
      // The `?lang=` of a good token's link is kept, URL-encoded: no markup.
      for (const marker of ['<img', 'onerror', '<script', 'alert(1)', '<b>'])
        assert.ok(!page.html.includes(marker), `${path} reflects ${marker}`);
      assert.equal(page.lang, 'en', path);
      if (path.includes(token)) {
        // A good token: a fresh link for the same customer, whose `?lang=` is encoded.
        await assertFreshPreferencesLink(stack, page.link, ALICE.id, token);
        assert.ok(page.link?.endsWith(`?lang=${encodeURIComponent('"><script>alert(2)</script>')}`), page.link!);
      } else {
        assert.equal(page.link, 'http://127.0.0.1:8000/account.html', path);
      }
    }
  });

  it('answers a HEAD of the undo URL with the 405 headers and no body', async () => {
    const response = await stack.fetch(`/unsubscribe/${token}/undo`, { method: 'HEAD', headers: { accept: BROWSER } });
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(await response.text(), '');
  });
});

describe('error pages of a misconfigured worker', () => {
  let stack: Stack;
  stackPerSuite((started) => (stack = started), { vars: { VOUCHERIFY_APP_ID: undefined } });

  it('answers a browser with a 500 page naming the request id, and nothing of the configuration', async () => {
    for (const { locale, dir, query, headers } of LANGUAGES) {
      const response = await stack.fetch(`/unsubscribe/abc${query}`, { headers: { accept: BROWSER, ...headers } });
      const page = await errorPage(response, 500);
      assert.deepEqual([page.lang, page.dir], [locale, dir]);
      assert.equal(page.heading, text(locale, FLOW.errorTitle));
      assert.ok(page.html.includes(`<bdi>${response.headers.get('x-request-id')}</bdi>`));
      assert.ok(!/VOUCHERIFY|misconfigured/i.test(page.html));
      assert.equal(page.link, null);
    }
  });

  it('answers API clients and other paths with the JSON it always did', async () => {
    const body = await assertJsonError(await stack.fetch('/unsubscribe/abc'), 500, 'misconfigured');
    assert.match(String(body.details), /VOUCHERIFY_APP_ID is not set/);
    await assertJsonError(await stack.fetch('/healthz', { headers: { accept: BROWSER } }), 500, 'misconfigured');
  });
});
