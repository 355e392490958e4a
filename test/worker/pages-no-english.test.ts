/**
 * No English left on the worker's pages in Arabic: the one-click page, its answer and the undo's, the preference
 * center, and the error pages. What a person sees or hears (text, `title`, `aria-label`, `alt`, `placeholder`, a
 * submit input's `value`) is scanned for Latin words other than what comes from Voucherify (the consent names and
 * descriptions, which a shop writes in its own language there) and the customer's email address.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_CUSTOMERS, SEED_CONSENT_GROUPS, SEED_CONSENTS } from '../../src/emulator/index.js';
import { stackPerSuite } from '../support/stack.js';
import type { Stack } from '../support/stack.js';
import { devPreferencesToken, devUnsubscribeToken } from '../support/tokens.js';

const ALICE = DEMO_CUSTOMERS.alice;
const BROWSER = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';
/** Voucherify's own texts and the customer's address: data, not the page's words. */
const DATA = [...SEED_CONSENTS, ...SEED_CONSENT_GROUPS]
  .flatMap(({ name, description }) => [name, description])
  .concat(ALICE.email, 'example.com')
  .sort((a, b) => b.length - a.length);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#38': '&', nbsp: ' ' };

/** The visible and spoken text of a page. */
function perceivable(page: string): string {
  const attributes = [
    ...[...page.matchAll(/\s(?:title|aria-label|alt|placeholder)="([^"]*)"/g)].map((m) => m[1]),
    ...[...page.matchAll(/<input\b[^>]*\btype="(?:submit|button)"[^>]*>/g)].map(
      (m) => /\svalue="([^"]*)"/.exec(m[0])?.[1],
    ),
  ];
  const text = page
    .replace(/<(style|script)\b[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .concat(' ', attributes.join(' '))
    .replace(/&(#?\w+);/g, (entity, name: string) => ENTITIES[name] ?? entity);
  return DATA.reduce((rest, value) => rest.split(value).join(' '), text);
}

const latinWords = (page: string) => perceivable(page).match(/[A-Za-zÀ-ÿ]{2,}/g) ?? [];

describe('the worker’s pages in Arabic have no English left', () => {
  let stack: Stack;
  stackPerSuite((started) => (stack = started));

  async function page(path: string, init: RequestInit = {}): Promise<string> {
    const response = await stack.fetch(path, { ...init, headers: { accept: BROWSER, ...(init.headers ?? {}) } });
    assert.match(response.headers.get('content-type') ?? '', /^text\/html/, path);
    return response.text();
  }

  it('the one-click page, its answer, the undo’s answer, the preference center and the error pages', async () => {
    const token = await devUnsubscribeToken(ALICE.id);
    const preferences = await devPreferencesToken(ALICE.id);
    const pages: Record<string, string> = {};
    pages['one-click page'] = await page(`/unsubscribe/${token}?lang=ar`);
    pages['one-click answer'] = await page(`/unsubscribe/${token}?lang=ar`, {
      method: 'POST',
      body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    });
    pages['undo answer'] = await page(`/unsubscribe/${token}/undo?lang=ar`, {
      method: 'POST',
      headers: { origin: new URL(stack.worker.url).origin },
    });
    pages['undo reloaded (405)'] = await page(`/unsubscribe/${token}/undo?lang=ar`);
    pages['preference center'] = await page(`/preferences/${preferences}?lang=ar`);
    pages['unknown page (404)'] = await page(`/unsubscribe/not-a-token/more?lang=ar`);
    pages['invalid link'] = await page(`/preferences/not-a-token?lang=ar`);

    const left = Object.fromEntries(
      Object.entries(pages)
        .map(([name, html]) => [name, latinWords(html)] as const)
        .filter(([, words]) => words.length),
    );
    assert.deepEqual(left, {});
  });
});
