/**
 * Double opt-in in workerd against the emulator: the signed, single-use, expiring `/confirm/<token>` link records a
 * sign-up's choices only when the person confirms; a GET (what mail scanners do) changes nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EdgeConfirmResult } from '../../src/api/edge-types.js';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import {
  DEFAULT_CONFIRM_TTL_SECONDS,
  confirmationLink,
  mintConfirmToken,
  verifyConfirmToken,
} from '../../src/node/index.js';
import { importUnsubscribeKeys } from '../../src/worker/token-keys.js';
import { devKeys, devSessionToken, devUnsubscribeToken } from '../support/tokens.js';
import { json } from '../support/http.js';
import { consentsOf } from '../support/emulator.js';
import { stackPerSuite, upstreamOf } from '../support/stack.js';
import type { Stack } from '../support/stack.js';

const ALICE = DEMO_CUSTOMERS.alice;
const { newsletter, partners, smsOffers } = SEED_CONSENT_IDS;
const JSON_ACCEPT = { accept: 'application/json' };

async function link(
  stack: Stack,
  email: string,
  consents: Record<string, boolean>,
  options: { now?: Date; ttlSeconds?: number } = {},
): Promise<string> {
  if (!options.now)
    return (await confirmationLink(devKeys, email, consents, { publicUrl: stack.worker.url, ...options })).url;
  const token = await mintConfirmToken({
    email,
    consents,
    key: devKeys.unsubscribeKey!,
    now: options.now,
    ...(options.ttlSeconds ? { ttlSeconds: options.ttlSeconds } : {}),
  });
  return `${stack.worker.url}/confirm/${token}`;
}

const lookup = (stack: Stack, email: string) =>
  upstreamOf(stack)
    .getCustomer(email)
    .catch(() => null);

describe('double opt-in: /confirm/<token>', () => {
  let stack: Stack;
  stackPerSuite((started) => (stack = started));

  it('mints a token that verifies, carrying the address and the choices, expiring after three days by default', async () => {
    const { token, expiresAt } = await confirmationLink(
      devKeys,
      'new@example.com',
      { [newsletter]: true },
      { publicUrl: stack.worker.url },
    );
    const verified = await verifyConfirmToken(token, importUnsubscribeKeys([devKeys.unsubscribeKey!]));
    assert.equal(verified.email, 'new@example.com');
    assert.deepEqual(verified.consents, { [newsletter]: true });
    assert.equal(new Date(expiresAt).getTime() / 1000, verified.expiresAt);
    assert.ok(Math.abs(verified.expiresAt - Date.now() / 1000 - DEFAULT_CONFIRM_TTL_SECONDS) < 5);
    await assert.rejects(
      mintConfirmToken({ email: 'not an address', consents: { [newsletter]: true }, key: devKeys.unsubscribeKey! }),
      TypeError,
    );
    await assert.rejects(
      mintConfirmToken({ email: 'a@example.com', consents: { unsubscribed: true }, key: devKeys.unsubscribeKey! }),
      TypeError,
    );
    await assert.rejects(
      mintConfirmToken({ email: 'a@example.com', consents: {}, key: devKeys.unsubscribeKey! }),
      TypeError,
    );
  });

  it('GET shows what will be recorded for the masked address and changes nothing', async () => {
    const url = await link(stack, 'new.person@example.com', { [newsletter]: true, [smsOffers]: false });
    stack.emulator.clearRequests();
    for (let view = 0; view < 3; view += 1) {
      const response = await fetch(url);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('cache-control'), 'no-store');
      const page = await response.text();
      assert.match(page, /Confirm your choices/);
      assert.match(page, /n•••n@example\.com/);
      assert.doesNotMatch(page, /new\.person@example\.com/, 'the full address is not on the page');
      assert.match(page, /Newsletter/);
      assert.match(page, /<form method="post">/);
    }
    assert.deepEqual(
      stack.upstream().filter((request) => request.method !== 'GET'),
      [],
      'no write',
    );
    assert.equal(await lookup(stack, 'new.person@example.com'), null, 'no customer created');
  });

  it('POST creates the customer with exactly the choices, once; the second use changes nothing', async () => {
    const url = await link(stack, 'new.person@example.com', { [newsletter]: true, [smsOffers]: false });
    const first = await fetch(url, { method: 'POST', headers: JSON_ACCEPT });
    assert.equal(first.status, 200, await first.clone().text());
    const result = await json<EdgeConfirmResult>(first);
    assert.equal(result.already_confirmed, false);
    const customer = (await lookup(stack, 'new.person@example.com'))!;
    assert.equal(customer.email, 'new.person@example.com');
    const consents = consentsOf(customer);
    assert.equal(consents[newsletter]?.value, true);
    assert.equal(consents[smsOffers], undefined, 'declining a consent never given records nothing');
    const record = (customer.metadata as Record<string, { confirmations: Record<string, { at: string }> }>)
      .vc_double_opt_in!;
    assert.deepEqual(
      Object.values(record.confirmations).map((entry) => entry.at),
      [result.confirmed_at],
      'the confirmation is kept with its date',
    );

    stack.emulator.clearRequests();
    const again = await json<EdgeConfirmResult>(await fetch(url, { method: 'POST', headers: JSON_ACCEPT }));
    assert.deepEqual(again, { confirmed: true, already_confirmed: true, confirmed_at: result.confirmed_at });
    assert.deepEqual(
      stack.upstream().filter((request) => request.method !== 'GET'),
      [],
      'single use: nothing written again',
    );
    const page = await (await fetch(url, { method: 'POST' })).text();
    assert.match(page, /Already confirmed/);
  });

  it('for an existing customer, writes only what differs from the stored state', async () => {
    const before = consentsOf(await upstreamOf(stack).getCustomer(ALICE.id));
    const response = await fetch(await link(stack, ALICE.email, { [newsletter]: true, [partners]: true }), {
      method: 'POST',
    });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /your choices are confirmed/);
    const after = consentsOf(await upstreamOf(stack).getCustomer(ALICE.id));
    assert.deepEqual(after[newsletter], before[newsletter], 'newsletter keeps its date');
    assert.equal(after[partners]?.value, true);
  });

  it('refuses an expired link with its own page, and records nothing', async () => {
    const url = await link(
      stack,
      'late@example.com',
      { [newsletter]: true },
      { now: new Date(Date.now() - 2 * 3600_000), ttlSeconds: 3600 },
    );
    for (const method of ['GET', 'POST']) {
      const response = await fetch(url, { method });
      assert.equal(response.status, 410, method);
      assert.match(await response.text(), /This confirmation link has expired/);
    }
    assert.equal(await lookup(stack, 'late@example.com'), null);
  });

  it('refuses a tampered link and tokens of other purposes, both ways', async () => {
    const url = await link(stack, 'new@example.com', { [newsletter]: true });
    const token = url.split('/confirm/')[1]!;
    const tampered = `${token.slice(0, -3)}${token.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    for (const other of [tampered, await devUnsubscribeToken(ALICE.id), await devSessionToken(ALICE.id)]) {
      const response = await stack.fetch(`/confirm/${other}`, { method: 'POST', headers: JSON_ACCEPT });
      assert.equal(response.status, 400);
      assert.equal((await json(response)).key, 'invalid_token');
    }
    const asUnsubscribe = await stack.fetch(`/unsubscribe/${token}`, { method: 'POST', headers: JSON_ACCEPT });
    assert.equal(asUnsubscribe.status, 400, 'a confirmation link cannot unsubscribe anyone');
    assert.equal(await lookup(stack, 'new@example.com'), null);
  });

  it('refuses a confirmation posted from another site; accepts the worker’s own page', async () => {
    const url = await link(stack, 'new@example.com', { [newsletter]: true });
    const refused = await fetch(url, {
      method: 'POST',
      headers: { ...JSON_ACCEPT, origin: 'null', 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(refused.status, 403);
    const own = await fetch(url, {
      method: 'POST',
      headers: { ...JSON_ACCEPT, origin: 'null', 'sec-fetch-site': 'same-origin' },
    });
    assert.equal(own.status, 200);
    assert.equal((await fetch(url, { method: 'DELETE' })).status, 405);
  });
});
