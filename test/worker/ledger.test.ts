/**
 * The consent ledger in workerd: every writer records one record per changed consent, in the same serialized step as
 * its upstream write, with its channel; a failed write leaves no record; the chain verifies, and a one-byte change
 * is named; the history and the admin export (JSON, CSV) read it back; erasure leaves only a record that it happened.
 */
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import type { EdgeConsentHistory } from '../../src/api/edge-types.js';
import type { Customer } from '../../src/api/types.js';
import { SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import { GENESIS_HASH, verifyRecords } from '../../src/worker/ledger.js';
import type { LedgerRecord } from '../../src/worker/ledger.js';
import { readLedgerExport, verifyLedgerExport } from '../../src/node/ledger-file.js';
import { confirmationLink, preferencesLink } from '../../src/node/index.js';
import { runCliCollecting } from '../support/cli.js';
import { devKeys, devSessionToken, devUnsubscribeToken } from '../support/tokens.js';
import { json } from '../support/http.js';
import { consentsOf } from '../support/emulator.js';
import { stackPerSuite, upstreamOf } from '../support/stack.js';
import type { Stack, StackOptions } from '../support/stack.js';

const { newsletter, productUpdates, emailOffers, smsOffers, partners } = SEED_CONSENT_IDS;
const ORIGIN = 'http://127.0.0.1:8000';
const ADMIN = { 'x-app-id': 'edge-admin', 'x-app-token': 'edge-admin-token' };

let serial = 0;
/** A customer of its own per test: the ledger lives in the worker's Durable Objects, which outlive the emulator's resets. */
async function newCustomer(stack: Stack, consents: Record<string, boolean> = {}): Promise<Customer> {
  const email = `ledger-${process.pid}-${(serial += 1)}-${Date.now()}@example.com`;
  const upstream = upstreamOf(stack);
  const customer = await upstream.createCustomer({ source_id: email, email, name: 'Lee Ledger' });
  if (Object.keys(consents).length === 0) return customer;
  if (storage === 'metadata') {
    const decisions = Object.fromEntries(
      Object.entries(consents).map(([id, value]) => [id, { value, date: '2025-01-06T00:00:00.000Z' }]),
    );
    await upstream.updateCustomer(customer.id, { metadata: { vc_consents: decisions } });
  } else {
    await upstream.updateCustomersConsents(customer.id, consents);
  }
  return customer;
}

/** Where the suite's worker keeps consent state (the metadata suite seeds its customers there). */
let storage: 'consents' | 'metadata' = 'consents';

async function history(stack: Stack, customerId: string, query = ''): Promise<EdgeConsentHistory> {
  const response = await stack.call('GET', `/v1/me/consents/history${query}`, await devSessionToken(customerId));
  assert.equal(response.status, 200, await response.clone().text());
  return json<EdgeConsentHistory>(response);
}

async function exported(stack: Stack, customerId: string): Promise<LedgerRecord[]> {
  const response = await stack.fetch(`/v1/consent-records?customer=${encodeURIComponent(customerId)}`, {
    headers: ADMIN,
  });
  assert.equal(response.status, 200, await response.clone().text());
  return (await json<{ data: LedgerRecord[] }>(response)).data;
}

const save = async (
  stack: Stack,
  customerId: string,
  body: Record<string, boolean>,
  headers: Record<string, string> = { origin: ORIGIN },
) => stack.call('PUT', '/v1/me/consents', await devSessionToken(customerId), body, headers);

const summary = (
  records: ReadonlyArray<{ consent_id: string; old_value: boolean | null; new_value: boolean | null; channel: string }>,
) => records.map((record) => `${record.consent_id} ${record.old_value}→${record.new_value} ${record.channel}`);

function ledgerSuite(title: string, options: StackOptions): void {
  describe(title, () => {
    let stack: Stack;
    stackPerSuite((started) => (stack = started), options);
    before(() => {
      storage = options.vars?.CONSENT_STORAGE === 'metadata' ? 'metadata' : 'consents';
    });

    it('the panel records one record per changed consent, old → new, with its policy version; an equal value records nothing', async () => {
      const customer = await newCustomer(stack, { [newsletter]: true });
      const response = await stack.call(
        'PUT',
        '/v1/me/consents?policy_version=2026-11',
        await devSessionToken(customer.id),
        { [newsletter]: true, [partners]: true, [smsOffers]: false },
        { origin: ORIGIN },
      );
      assert.equal(response.status, 200, await response.clone().text());
      const { data, has_more } = await history(stack, customer.id);
      assert.deepEqual(
        summary(data),
        [`${partners} null→true panel`],
        'only partners changed: newsletter was equal, sms never decided',
      );
      assert.equal(data[0]!.policy_version, '2026-11');
      assert.equal(data[0]!.consent_name, 'Offers from partners');
      assert.equal(has_more, false);
      const [record] = await exported(stack, customer.id);
      assert.equal(record!.customer_id, customer.id);
      assert.equal(record!.request_id, response.headers.get('x-request-id') ?? record!.request_id);
      assert.match(record!.request_id, /^v-[0-9a-f]+$/);
      assert.match(record!.text_version, /^[0-9a-f]{64}$/);
      assert.equal(record!.prev_hash, GENESIS_HASH);

      assert.equal((await save(stack, customer.id, { [partners]: true, [newsletter]: true })).status, 200);
      assert.equal((await history(stack, customer.id)).data.length, 1, 'saving equal values adds nothing');
    });

    it('a session-token call without a browser page is recorded as api', async () => {
      const customer = await newCustomer(stack);
      assert.equal((await save(stack, customer.id, { [emailOffers]: true }, {})).status, 200);
      assert.deepEqual(summary((await history(stack, customer.id)).data), [`${emailOffers} null→true api`]);
    });

    it('opting out records the opt-out and every consent it withdrew; the one-click link and its undo record one-click', async () => {
      const customer = await newCustomer(stack, { [newsletter]: true, [emailOffers]: true });
      const token = await devUnsubscribeToken(customer.id);
      const response = await stack.fetch(`/unsubscribe/${token}`, {
        method: 'POST',
        headers: { accept: 'application/json' },
        body: 'List-Unsubscribe=One-Click',
      });
      assert.equal(response.status, 200, await response.clone().text());
      // Voucherify's endpoint also records the consents never decided as declined; the metadata strategy leaves them.
      const declined =
        storage === 'consents' ? [productUpdates, smsOffers, partners].map((id) => `${id} null→false one-click`) : [];
      assert.deepEqual(
        summary((await history(stack, customer.id)).data).sort(),
        [
          'unsubscribed null→true one-click',
          `${emailOffers} true→false one-click`,
          `${newsletter} true→false one-click`,
          ...declined,
        ].sort(),
      );
      const undo = await stack.fetch(`/unsubscribe/${token}/undo`, {
        method: 'POST',
        headers: { accept: 'application/json', origin: ORIGIN },
      });
      assert.equal(undo.status, 200, await undo.clone().text());
      const after = summary((await history(stack, customer.id)).data).slice(3 + declined.length);
      assert.deepEqual(
        after.sort(),
        [
          `${emailOffers} false→true one-click`,
          `${newsletter} false→true one-click`,
          'unsubscribed true→false one-click',
        ].sort(),
      );
    });

    it('a double opt-in records sign-up for a new address and double-opt-in for a customer with consents on record', async () => {
      const email = `signup-${Date.now()}@example.com`;
      const link = await confirmationLink(
        devKeys,
        email,
        { [newsletter]: true, [smsOffers]: false },
        { publicUrl: stack.worker.url },
      );
      const confirmed = await fetch(link.url, {
        method: 'POST',
        headers: { accept: 'application/json', origin: ORIGIN },
      });
      assert.equal(confirmed.status, 200, await confirmed.clone().text());
      const created = await upstreamOf(stack).getCustomer(email);
      assert.deepEqual(summary((await history(stack, created.id)).data), [`${newsletter} null→true sign-up`]);

      const existing = await newCustomer(stack, { [newsletter]: true });
      const second = await confirmationLink(
        devKeys,
        existing.email!,
        { [partners]: true },
        { publicUrl: stack.worker.url },
      );
      assert.equal(
        (await fetch(second.url, { method: 'POST', headers: { accept: 'application/json', origin: ORIGIN } })).status,
        200,
      );
      assert.deepEqual(summary((await history(stack, existing.id)).data), [`${partners} null→true double-opt-in`]);
    });

    it('the preference center records preferences-link, and its link reads the history the panel shows', async () => {
      const customer = await newCustomer(stack, { [newsletter]: true });
      const { token } = await preferencesLink(devKeys, customer.id, { publicUrl: stack.worker.url });
      const put = await stack.fetch(`/preferences/${token}/consents`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', origin: ORIGIN },
        body: JSON.stringify({ [newsletter]: false, [smsOffers]: true }),
      });
      assert.equal(put.status, 200, await put.clone().text());
      const viaLink = await stack.fetch(`/preferences/${token}/consents/history?limit=10`, {
        headers: { origin: ORIGIN },
      });
      assert.equal(viaLink.status, 200, await viaLink.clone().text());
      const linked = await json<EdgeConsentHistory>(viaLink);
      assert.deepEqual(summary(linked.data), [
        `${newsletter} true→false preferences-link`,
        `${smsOffers} null→true preferences-link`,
      ]);
      assert.deepEqual(linked, await history(stack, customer.id, '?limit=10'), 'the same history as through a session');
      assert.equal((await stack.fetch(`/preferences/${token.slice(0, -2)}xx/consents/history`)).status, 400);
      assert.equal((await stack.fetch(`/preferences/${token}/consents/history?limit=0`)).status, 400);
      assert.equal((await stack.fetch(`/preferences/${token}/consents/history`, { method: 'DELETE' })).status, 405);
      const session = await devSessionToken(customer.id);
      assert.equal(
        (await stack.fetch(`/preferences/${session}/consents/history`)).status,
        400,
        'a session token is not a preferences link',
      );
    });

    it('the back office passthrough records back-office, and a refused write records nothing', async () => {
      // Voucherify's own consent endpoint, whichever storage the worker's routes use.
      const customer = await newCustomer(stack);
      await upstreamOf(stack).updateCustomersConsents(customer.id, { [newsletter]: true });
      const put = (body: unknown) =>
        stack.fetch(`/v1/customers/${customer.id}/consents`, {
          method: 'PUT',
          headers: { ...ADMIN, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
      assert.equal((await put({ [newsletter]: false })).status, 204);
      stack.emulator.setFaults([
        { method: 'PUT', path: '/v1/customers/*/consents', kind: 'status', status: 400, times: 1 },
      ]);
      assert.equal((await put({ [partners]: true })).status, 400);
      assert.deepEqual(summary((await history(stack, customer.id)).data), [`${newsletter} true→false back-office`]);
    });

    it('an upstream that fails the write leaves no record; a write applied whose answer was lost is recorded once', async () => {
      const customer = await newCustomer(stack);
      // The consent endpoint, or the customer update that carries the metadata strategy's state.
      const WRITE_PATH = storage === 'metadata' ? '/v1/customers/*' : '/v1/customers/*/consents';
      stack.emulator.setFaults([{ method: 'PUT', path: WRITE_PATH, kind: 'status', status: 422 }]);
      assert.equal((await save(stack, customer.id, { [partners]: true })).status, 400, 'Voucherify refused it');
      stack.emulator.setFaults([{ method: 'PUT', path: WRITE_PATH, kind: 'status', status: 503 }]);
      assert.ok((await save(stack, customer.id, { [partners]: true })).status >= 500);
      stack.emulator.setFaults([]);
      assert.deepEqual((await history(stack, customer.id)).data, [], 'nothing happened upstream, nothing is recorded');

      // Applied upstream, answer lost: the step cannot tell, so the records wait; the retry finds the value stored.
      stack.emulator.setFaults([{ method: 'PUT', path: WRITE_PATH, kind: 'status', status: 503, after: true }]);
      assert.ok((await save(stack, customer.id, { [emailOffers]: true })).status >= 500);
      stack.emulator.setFaults([]);
      const stored = await upstreamOf(stack).getCustomer(customer.id);
      const state =
        storage === 'metadata'
          ? (stored.metadata as { vc_consents: Record<string, { value: boolean }> }).vc_consents
          : consentsOf(stored);
      assert.equal(state[emailOffers]?.value, true, 'the write was applied');
      assert.equal((await save(stack, customer.id, { [emailOffers]: true, [smsOffers]: true })).status, 200);
      assert.deepEqual(summary((await history(stack, customer.id)).data), [
        `${emailOffers} null→true panel`,
        `${smsOffers} null→true panel`,
      ]);
      assert.equal((await verifyRecords(await exported(stack, customer.id))).ok, true);
    });

    it('exports as JSON and CSV that verify; one changed byte is named by `ledger verify`', async () => {
      const customer = await newCustomer(stack, { [newsletter]: true });
      await save(stack, customer.id, { [partners]: true });
      await save(stack, customer.id, { [newsletter]: false });
      await save(stack, customer.id, { unsubscribed: true });
      const records = await exported(stack, customer.id);
      assert.deepEqual(
        records.map((record) => record.seq),
        records.map((_, index) => index + 1),
      );
      assert.equal((await verifyRecords(records)).ok, true);

      const csvResponse = await stack.fetch(`/v1/consent-records?customer=${customer.id}&format=csv`, {
        headers: ADMIN,
      });
      assert.equal(csvResponse.status, 200);
      assert.match(csvResponse.headers.get('content-type') ?? '', /^text\/csv/);
      assert.equal(csvResponse.headers.get('cache-control'), 'no-store');
      const csv = await csvResponse.text();
      assert.deepEqual(readLedgerExport(csv).records, records, 'the CSV reads back to the same records');
      const viaAccept = await stack.fetch(`/v1/consent-records?customer=${customer.id}`, {
        headers: { ...ADMIN, accept: 'text/csv' },
      });
      assert.equal(await viaAccept.text(), csv);

      const dir = await mkdtemp(path.join(tmpdir(), 'vc-ledger-'));
      const files = {
        json: path.join(dir, 'ledger.json'),
        csv: path.join(dir, 'ledger.csv'),
        tampered: path.join(dir, 'tampered.csv'),
      };
      await writeFile(files.json, JSON.stringify({ data: records }));
      await writeFile(files.csv, csv);
      const run = (...args: string[]) => runCliCollecting(args);
      for (const file of [files.json, files.csv]) {
        const ok = await run('ledger', 'verify', file);
        assert.equal(ok.code, 0, ok.stderr);
        assert.match(ok.stdout, new RegExp(`${records.length} records .* chain intact`));
      }
      // One value flipped in the second record, still a valid cell: only the hash can tell.
      const flipped = csv.split('\n');
      const victim = flipped[2]!;
      flipped[2] = victim.includes(',true,')
        ? victim.replace(',true,', ',false,')
        : victim.replace(',false,', ',true,');
      await writeFile(files.tampered, flipped.join('\n'));
      const broken = await run('ledger', 'verify', files.tampered);
      assert.equal(broken.code, 1);
      assert.match(
        broken.stderr,
        new RegExp(`broken at line 3: record 2 \\(${records[1]!.id}\\): its hash does not match`),
      );
      // A record taken out: the link is named.
      const missing = { data: records.filter((_, index) => index !== 1) };
      await writeFile(files.json, JSON.stringify(missing));
      const gap = await run('ledger', 'verify', files.json);
      assert.equal(gap.code, 1);
      assert.match(gap.stderr, /entry 2: record 3 .*a record is missing/);
      assert.equal((await run('ledger', 'verify', path.join(dir, 'none.json'))).code, 2);
      await writeFile(files.json, 'not a ledger');
      assert.equal((await run('ledger', 'verify', files.json)).code, 2);
      assert.equal(
        (await verifyLedgerExport(JSON.stringify(records.slice(2)))).ok,
        true,
        'a file that starts mid-ledger checks from there',
      );
    });

    it('erasure deletes the ledger and keeps only a record that it happened, without personal data', async () => {
      const customer = await newCustomer(stack, { [newsletter]: true });
      await save(stack, customer.id, { [partners]: true, [newsletter]: false });
      assert.equal((await exported(stack, customer.id)).length, 2);
      const deletion = await stack.call(
        'POST',
        '/v1/me/permanent-deletion',
        await devSessionToken(customer.id),
        undefined,
        { origin: ORIGIN },
      );
      assert.equal(deletion.status, 200, await deletion.clone().text());
      const records = await exported(stack, customer.id);
      assert.equal(records.length, 1);
      const [erasure] = records;
      assert.equal(erasure!.event, 'erasure');
      assert.equal(erasure!.erased_records, 2);
      assert.equal(erasure!.channel, 'panel');
      const text = JSON.stringify(records);
      for (const personal of [
        customer.id,
        customer.email!,
        newsletter,
        partners,
        'Lee Ledger',
        'Offers from partners',
      ]) {
        assert.ok(!text.includes(personal), `${personal} survives the erasure`);
      }
      assert.equal((await verifyRecords(records)).ok, true);
    });

    it("the history is the session customer's, newest `limit` oldest first; the export needs the admin keys", async () => {
      const customer = await newCustomer(stack);
      await save(stack, customer.id, { [partners]: true });
      await save(stack, customer.id, { [partners]: false });
      await save(stack, customer.id, { [partners]: true });
      const page = await history(stack, customer.id, '?limit=2');
      assert.deepEqual(summary(page.data), [`${partners} true→false panel`, `${partners} false→true panel`]);
      assert.equal(page.has_more, true);
      assert.equal(
        (await history(stack, (await newCustomer(stack)).id)).data.length,
        0,
        'another customer sees nothing of it',
      );
      for (const query of ['?limit=0', '?limit=501', '?limit=x', '?customer=cust_x']) {
        const response = await stack.call('GET', `/v1/me/consents/history${query}`, await devSessionToken(customer.id));
        assert.equal(response.status, 400, query);
      }
      assert.equal((await stack.call('GET', '/v1/me/consents/history', null)).status, 401);
      const readOnlyProfile = await devSessionToken(customer.id, { scopes: ['profile:read'] });
      assert.equal((await stack.call('GET', '/v1/me/consents/history', readOnlyProfile)).status, 403);
      assert.equal(
        (await stack.call('POST', '/v1/me/consents/history', await devSessionToken(customer.id))).status,
        405,
      );

      assert.equal((await stack.fetch(`/v1/consent-records?customer=${customer.id}`)).status, 401);
      assert.equal(
        (
          await stack.fetch(`/v1/consent-records?customer=${customer.id}`, {
            headers: { ...ADMIN, 'x-app-token': 'wrong' },
          })
        ).status,
        401,
      );
      for (const query of [
        '',
        '?customer=',
        '?customer=..',
        `?customer=${customer.id}&format=xml`,
        `?customer=${customer.id}&x=1`,
      ]) {
        assert.equal((await stack.fetch(`/v1/consent-records${query}`, { headers: ADMIN })).status, 400, query);
      }
      const byEmail = await stack.fetch(`/v1/consent-records?customer=${encodeURIComponent(customer.email!)}`, {
        headers: ADMIN,
      });
      assert.equal((await json<{ data: unknown[] }>(byEmail)).data.length, 3, 'a source id finds the same ledger');
    });
  });
}

ledgerSuite('consent ledger (Durable Object, SQLite)', {});
ledgerSuite('consent ledger (metadata storage)', { vars: { CONSENT_STORAGE: 'metadata' } });

describe('consent ledger without the Durable Object binding, and switched off', () => {
  describe('no binding: kept in the isolate', () => {
    let stack: Stack;
    stackPerSuite((started) => (stack = started), { durableObjects: false });
    it('records and answers as with the binding', async () => {
      const customer = await newCustomer(stack);
      assert.equal((await save(stack, customer.id, { [partners]: true })).status, 200);
      assert.deepEqual(summary((await history(stack, customer.id)).data), [`${partners} null→true panel`]);
    });
  });

  describe('CONSENT_LEDGER=off', () => {
    let stack: Stack;
    stackPerSuite((started) => (stack = started), { vars: { CONSENT_LEDGER: 'off' } });
    it('writes as before and keeps no record', async () => {
      const customer = await newCustomer(stack);
      assert.equal((await save(stack, customer.id, { [partners]: true })).status, 200);
      assert.deepEqual((await history(stack, customer.id)).data, []);
      assert.deepEqual(await exported(stack, customer.id), []);
    });
  });
});
