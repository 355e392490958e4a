/**
 * Switching `CONSENT_STORAGE` loses nothing: metadata mode reads the decisions already in `system_metadata.consents`
 * and writes them forward; consents mode reads the decisions metadata mode kept. Real worker in workerd, real emulator.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CustomerConsentsState } from '../../src/api/types.js';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/index.js';
import { consentsOf as endpointStateOf } from '../support/emulator.js';
import { json } from '../support/http.js';
import { startStack, upstreamOf, type Stack } from '../support/stack.js';
import { devSessionToken, devUnsubscribeToken } from '../support/tokens.js';

const ALICE = DEMO_CUSTOMERS.alice;
const { newsletter, emailOffers, smsOffers, partners } = SEED_CONSENT_IDS;

interface ConsentsAnswer {
  unsubscribed: boolean;
  state: CustomerConsentsState;
}

const consentsOf = async (stack: Stack, token: string) =>
  json<ConsentsAnswer>(await stack.call('GET', '/v1/me/consents', token));
const values = (state: CustomerConsentsState) =>
  Object.fromEntries(Object.entries(state).map(([id, decision]) => [id, decision.value]));
const customer = (stack: Stack) => upstreamOf(stack).getCustomer(ALICE.id);

describe('switching CONSENT_STORAGE from consents to metadata', () => {
  it('shows the decisions stored by the consent endpoint, and writes them forward with the next change', async () => {
    const stack = await startStack({ vars: { CONSENT_STORAGE: 'metadata' } });
    try {
      const endpointState = endpointStateOf(await customer(stack));
      const token = await devSessionToken(ALICE.id);
      const before = await consentsOf(stack, token);
      assert.deepEqual(values(before.state), { [newsletter]: true, [emailOffers]: true, [smsOffers]: false });
      assert.deepEqual(before.state, endpointState, 'with their dates');

      assert.equal((await stack.call('PUT', '/v1/me/consents', token, { [partners]: true })).status, 200);
      const stored = (await customer(stack)).metadata?.vc_consents as CustomerConsentsState;
      assert.deepEqual(values(stored), {
        [newsletter]: true,
        [emailOffers]: true,
        [smsOffers]: false,
        [partners]: true,
      });
      assert.equal(stored[newsletter]!.date, endpointState[newsletter]!.date, 'an unchanged decision keeps its date');
    } finally {
      await stack.close();
    }
  });

  it('gives a one-click opt-out something to undo: the consents given before it come back', async () => {
    const stack = await startStack({ vars: { CONSENT_STORAGE: 'metadata' } });
    try {
      const token = await devSessionToken(ALICE.id);
      const path = `/unsubscribe/${await devUnsubscribeToken(ALICE.id)}`;
      const accept = { accept: 'application/json' };
      assert.equal((await stack.fetch(path, { method: 'POST', headers: accept })).status, 200);
      const out = await consentsOf(stack, token);
      assert.equal(out.unsubscribed, true);
      assert.equal(out.state[newsletter]?.value, false);
      assert.equal((await stack.fetch(`${path}/undo`, { method: 'POST', headers: accept })).status, 200);
      const back = await consentsOf(stack, token);
      assert.equal(back.unsubscribed, false);
      assert.equal(back.state[newsletter]?.value, true);
      assert.equal(back.state[emailOffers]?.value, true);
    } finally {
      await stack.close();
    }
  });
});

describe('switching CONSENT_STORAGE from metadata back to consents', () => {
  it('shows the decisions metadata mode kept, where they are newer, and changes them through the endpoint', async () => {
    const stack = await startStack();
    try {
      // What metadata mode left behind, after the endpoint's last decision: partners given, the newsletter revoked.
      const endpointDates = Object.values(endpointStateOf(await customer(stack)));
      const later = new Date(Math.max(...endpointDates.map((decision) => Date.parse(decision.date))) + 1).toISOString();
      await upstreamOf(stack).updateCustomer(ALICE.id, {
        metadata: {
          vc_consents: { [partners]: { value: true, date: later }, [newsletter]: { value: false, date: later } },
        },
      });
      const token = await devSessionToken(ALICE.id);
      const shown = await consentsOf(stack, token);
      assert.deepEqual(values(shown.state), {
        [newsletter]: false,
        [emailOffers]: true,
        [smsOffers]: false,
        [partners]: true,
      });

      assert.equal((await stack.call('PUT', '/v1/me/consents', token, { [partners]: false })).status, 200);
      const puts = stack.upstream().filter((request) => request.method === 'PUT' && request.path.endsWith('/consents'));
      assert.equal(puts.length, 1, 'a decision only metadata mode knew is still a change to send');
      const after = await consentsOf(stack, token);
      assert.equal(after.state[partners]?.value, false);
      assert.equal(after.state[newsletter]?.value, false, 'the newer decision from metadata mode still shows');
    } finally {
      await stack.close();
    }
  });
});
