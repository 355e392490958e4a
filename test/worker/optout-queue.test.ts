/**
 * No opt-out lost to a limit: a one-click POST (RFC 8058) is answered 200 whatever Voucherify answers, kept in the
 * customer's Durable Object, applied once Voucherify allows (after a fault clears, after its `Retry-After`), never
 * twice; the preference center and the panel show it as pending until then, and its undo cancels it. In workerd
 * against the emulator, with a rate limit low enough for a campaign of 50 to run into it.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { EdgeConsentHistory, EdgeUnsubscribeResult } from '../../src/api/edge-types.js';
import { VoucherifyServerSide } from '../../src/api/server.js';
import { EMULATOR_DEFAULTS, SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import type { EdgeConsentsWithPending } from '../../src/worker/pending-optout.js';
import { retryDelayMs } from '../../src/worker/optout-queue.js';
import { percentile, runCampaign, seedCampaignCustomers } from '../support/campaign.js';
import type { CampaignCustomers } from '../support/campaign.js';
import { consentsOf } from '../support/emulator.js';
import { json } from '../support/http.js';
import { stackPerSuite, startStack, upstreamOf } from '../support/stack.js';
import type { Stack } from '../support/stack.js';
import { devPreferencesToken, devSessionToken, devUnsubscribeToken } from '../support/tokens.js';

const { newsletter, emailOffers } = SEED_CONSENT_IDS;
const ORIGIN = 'http://127.0.0.1:8000';
const JSON_ACCEPT = { accept: 'application/json' };

const oneClick = (stack: Stack, token: string) =>
  stack.fetch(`/unsubscribe/${token}`, { method: 'POST', headers: JSON_ACCEPT, body: 'List-Unsubscribe=One-Click' });

/** Consent updates Voucherify took for the customer. */
const appliedPuts = (stack: Stack, id: string) =>
  stack
    .upstream()
    .filter((call) => call.method === 'PUT' && call.path === `/v1/customers/${id}/consents` && call.status < 300);

/**
 * A customer of their own for each test: the emulator goes back to its seed between tests, the worker's Durable
 * Objects (and what they keep) do not.
 */
async function newCustomer(stack: Stack): Promise<string> {
  const api = upstreamOf(stack);
  const customer = await api.createCustomer({ source_id: `optout-${crypto.randomUUID()}` });
  await api.updateCustomersConsents(customer.id, { [newsletter]: true, [emailOffers]: true });
  stack.emulator.clearRequests();
  return customer.id;
}

async function eventually(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const optedOut = async (stack: Stack, id: string, api = upstreamOf(stack)) =>
  consentsOf(await api.getCustomer(id)).unsubscribed?.value === true;

async function shown(stack: Stack, customerId: string): Promise<EdgeConsentsWithPending> {
  const response = await stack.fetch(`/preferences/${await devPreferencesToken(customerId)}/consents`, {
    headers: { origin: ORIGIN },
  });
  assert.equal(response.status, 200);
  return json(response);
}

describe('retryDelayMs', () => {
  const limits = { min: 1_000, max: 60_000 };
  it('doubles per failed try up to the maximum, plus up to one backoff of jitter', () => {
    assert.equal(
      retryDelayMs(1, null, limits, () => 0),
      1_000,
    );
    assert.equal(
      retryDelayMs(3, null, limits, () => 0),
      4_000,
    );
    assert.equal(
      retryDelayMs(3, null, limits, () => 0.5),
      6_000,
    );
    assert.equal(
      retryDelayMs(30, null, limits, () => 0),
      60_000,
    );
  });
  it('never comes back before Voucherify’s Retry-After, even one longer than the maximum', () => {
    assert.equal(
      retryDelayMs(1, 7_000, limits, () => 0),
      7_000,
    );
    assert.equal(
      retryDelayMs(1, 3_600_000, limits, () => 0.99),
      3_600_990,
    );
  });
});

describe('a one-click opt-out while Voucherify fails (kept, shown as pending, cancelled by its undo)', () => {
  let stack: Stack;
  let id: string;
  // Tries again only after a minute, and each try is one request (no retry inside it).
  stackPerSuite((started) => (stack = started), { vars: { OPTOUT_MIN_RETRY_MS: '60000', UPSTREAM_RETRIES: '0' } });
  beforeEach(async () => {
    id = await newCustomer(stack);
    stack.emulator.setFaults([{ method: 'PUT', path: '/v1/customers/**', kind: 'status', status: 500 }]);
  });

  it('answers 200 (JSON and page), and the preference center, its page and the panel show it pending', async () => {
    const token = await devUnsubscribeToken(id);
    const response = await oneClick(stack, token);
    assert.equal(response.status, 200);
    assert.deepEqual(await json<EdgeUnsubscribeResult>(response), {
      unsubscribed: true,
      undo_available: true,
      preferences_url: `${ORIGIN}/account.html`,
      pending: true,
    });
    const page = await stack.fetch(`/unsubscribe/${token}`, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /You are unsubscribed/);
    assert.equal(await optedOut(stack, id), false, 'Voucherify does not have it yet');

    const consents = await shown(stack, id);
    assert.equal(consents.unsubscribed, true);
    assert.equal(consents.state[newsletter]?.value, false);
    assert.equal(consents.state.unsubscribed?.value, true);
    assert.deepEqual(Object.keys(consents.pending ?? {}), ['unsubscribed']);
    assert.equal(consents.pending?.unsubscribed?.date, consents.state.unsubscribed?.date);
    const panel = await json<EdgeConsentsWithPending>(
      await stack.call('GET', '/v1/me/consents', await devSessionToken(id), undefined, { origin: ORIGIN }),
    );
    assert.deepEqual(panel.pending, consents.pending);
    assert.equal(panel.unsubscribed, true);
    const html = await (await stack.fetch(`/preferences/${await devPreferencesToken(id)}`)).text();
    assert.match(html, /You are unsubscribed from everything\. Tick what you want/);
  });

  it('keeps one pending opt-out however often it is clicked, and with the first click’s date', async () => {
    const token = await devUnsubscribeToken(id);
    assert.equal((await oneClick(stack, token)).status, 200);
    const first = (await shown(stack, id)).pending?.unsubscribed?.date;
    stack.emulator.clearRequests();
    for (let i = 0; i < 3; i += 1) {
      const again = await oneClick(stack, token);
      assert.equal(again.status, 200);
      assert.equal((await json<EdgeUnsubscribeResult>(again)).pending, true);
    }
    const other = await json<EdgeUnsubscribeResult>(await oneClick(stack, await devUnsubscribeToken(id)));
    assert.equal(other.undo_available, false, 'another link has no opt-out of its own to undo');
    assert.deepEqual(stack.upstream(), [], 'a click while one is pending changes nothing, upstream included');
    assert.equal((await shown(stack, id)).pending?.unsubscribed?.date, first);
  });

  it('cancels a pending opt-out on its undo, without calling Voucherify, once', async () => {
    const token = await devUnsubscribeToken(id);
    await oneClick(stack, token);
    // The click's own try may outlast its answer on a busy machine: let it fail first.
    await eventually('the click’s try failed', () => stack.upstream().some((call) => call.status === 500));
    stack.emulator.clearRequests();
    const undo = await stack.fetch(`/unsubscribe/${token}/undo`, { method: 'POST', headers: JSON_ACCEPT });
    assert.equal(undo.status, 200);
    assert.equal((await json<EdgeUnsubscribeResult>(undo)).unsubscribed, false);
    assert.deepEqual(stack.upstream(), []);
    stack.emulator.clearFaults();
    const consents = await shown(stack, id);
    assert.equal(consents.pending, undefined);
    assert.equal(consents.unsubscribed, false);
    assert.equal(consents.state[newsletter]?.value, true);
    const again = await stack.fetch(`/unsubscribe/${token}/undo`, { method: 'POST', headers: JSON_ACCEPT });
    assert.equal(again.status, 409);
    assert.equal((await json(again)).key, 'undo_used');
    assert.equal(await optedOut(stack, id), false);
  });

  it('applies a pending opt-out before a later consent change, in the order they were made', async () => {
    await oneClick(stack, await devUnsubscribeToken(id));
    stack.emulator.clearFaults();
    const session = await devSessionToken(id);
    const saved = await stack.call('PUT', '/v1/me/consents', session, { [emailOffers]: true }, { origin: ORIGIN });
    assert.equal(saved.status, 200);
    const after = await json<EdgeConsentsWithPending>(saved);
    assert.equal(after.state[emailOffers]?.value, true);
    assert.equal(after.state[newsletter]?.value, false, 'the opt-out went first, then the new consent');
    assert.equal((await shown(stack, id)).pending, undefined);
    const puts = appliedPuts(stack, id);
    assert.equal(puts.length, 2);
  });
});

describe('a pending one-click opt-out reaches Voucherify once it allows', () => {
  let stack: Stack;
  let id: string;
  stackPerSuite((started) => (stack = started), { vars: { OPTOUT_MIN_RETRY_MS: '50' } });
  beforeEach(async () => (id = await newCustomer(stack)));

  it('after a fault clears: applied once, recorded in the ledger with the click’s date and request', async () => {
    stack.emulator.setFaults([{ method: 'PUT', path: '/v1/customers/*/consents', kind: 'status', status: 500 }]);
    const clicked = new Date().toISOString();
    assert.equal((await oneClick(stack, await devUnsubscribeToken(id))).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await optedOut(stack, id), false);
    stack.emulator.clearFaults();
    await eventually('opted out upstream', () => optedOut(stack, id));
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(appliedPuts(stack, id).length, 1, 'applied once');
    assert.equal((await shown(stack, id)).pending, undefined);
    const history = await json<EdgeConsentHistory>(
      await stack.call('GET', '/v1/me/consents/history', await devSessionToken(id)),
    );
    const optOut = history.data.find((record) => record.consent_id === 'unsubscribed');
    assert.ok(optOut, JSON.stringify(history.data));
    assert.ok(optOut.at >= clicked && Date.parse(optOut.at) - Date.parse(clicked) < 1_000, optOut.at);
  });

  it('after a 429, not before its Retry-After', async () => {
    stack.emulator.setFaults([
      { method: 'PUT', path: '/v1/customers/*/consents', kind: 'status', status: 429, retryAfter: 2, times: 1 },
    ]);
    const clicked = Date.now();
    const answer = await json<EdgeUnsubscribeResult>(await oneClick(stack, await devUnsubscribeToken(id)));
    assert.equal(answer.pending, true);
    await eventually('opted out upstream', () => appliedPuts(stack, id).length > 0);
    const appliedAt = Date.parse(appliedPuts(stack, id)[0]!.at);
    assert.ok(appliedAt - clicked >= 2_000, `applied ${appliedAt - clicked} ms after the click`);
  });
});

const CHECK_KEY = { appId: 'campaign-check', appToken: 'campaign-check-token' };

describe('a campaign of 50 one-click opt-outs against a limit of 30 requests per 2 s', () => {
  let customers: CampaignCustomers;
  let stack: Stack;
  before(async () => {
    customers = await seedCampaignCustomers(50);
    stack = await startStack({
      emulator: {
        dataFile: customers.dataFile,
        rateLimit: { limit: 30, windowMs: 2_000 },
        // The test's own reads have their own budget (the limit counts per application).
        serverKeys: [...EMULATOR_DEFAULTS.serverKeys, CHECK_KEY],
      },
      vars: { OPTOUT_MIN_RETRY_MS: '200', OPTOUT_INLINE_WAIT_MS: '200', LOG_LEVEL: 'warn' },
    });
  });
  after(async () => {
    await stack?.close();
    await customers?.remove();
  });

  it('answers every POST 200 at once, opts every customer out, none twice', async () => {
    const figures = await runCampaign(stack, customers.ids, { concurrency: 10, timeoutMs: 60_000, settleMs: 1_000 });
    const { latencies, ...summary } = figures;
    const about = JSON.stringify({ ...summary, slowest: latencies.at(-1) });
    assert.deepEqual(figures.statuses, { 200: 50 }, about);
    // The inline try is bounded by OPTOUT_INLINE_WAIT_MS; the rest is the shared machine's slack.
    assert.ok(percentile(latencies, 100) < 2_000, about);
    assert.ok(figures.allAppliedMs !== null, about);
    assert.equal(figures.duplicates, 0, about);
    // 150 calls at 20 per 2 s (30 less the reserve of 10): the limit was in play, and the pacer spread the calls out,
    // so refusals come only from the first burst, before any answer said what the limit is.
    assert.ok(figures.allAppliedMs! > 6_000, `the limit was in play: ${about}`);
    assert.ok(figures.limitedCalls <= 30, `few calls refused: ${about}`);
    const api = VoucherifyServerSide({
      applicationId: CHECK_KEY.appId,
      secretKey: CHECK_KEY.appToken,
      baseUrl: stack.emulator.url,
      retry: 0,
    });
    for (const id of customers.ids.slice(0, 3)) assert.equal(await optedOut(stack, id, api), true);
  });
});

describe('without the Durable Object binding', () => {
  let stack: Stack;
  let id: string;
  stackPerSuite((started) => (stack = started), { durableObjects: false });
  beforeEach(async () => (id = await newCustomer(stack)));

  it('writes at once as before (nowhere durable to keep it): a failing upstream is a 502', async () => {
    stack.emulator.setFaults([{ method: 'PUT', path: '/v1/customers/**', kind: 'status', status: 500 }]);
    assert.equal((await oneClick(stack, await devUnsubscribeToken(id))).status, 502);
    stack.emulator.clearFaults();
    const answer = await json<EdgeUnsubscribeResult>(await oneClick(stack, await devUnsubscribeToken(id)));
    assert.equal(answer.pending, undefined);
    assert.equal(await optedOut(stack, id), true);
  });
});
