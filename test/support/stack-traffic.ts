/**
 * Well-behaved traffic for the demo stack: what a shopper, the shop and the worker's API normally do, checked
 * (`answersNormally`) or just repeated as background load (`mixedLoad`).
 */
import assert from 'node:assert/strict';
import { DEMO_CUSTOMERS, SEED_CONSENT_IDS } from '../../src/emulator/seed.js';
import type { Customer } from '../../src/api/types.js';
import { emulatorGet, type DemoStack } from './demo-stack.js';

export interface StackSecrets {
  session: string;
  unsubscribe: string;
  preferences: string;
  cookie: string;
  /** Tokens the traffic received along the way (demo sessions, session tokens). */
  seen: string[];
}

type Shopper = keyof typeof DEMO_CUSTOMERS;

/** Signs in on the demo shop as `who` and fetches the worker session token the shop mints. */
export async function demoSignIn(stack: DemoStack, who: Shopper): Promise<{ cookie: string; token: string }> {
  const login = await fetch(`${stack.demoUrl}/login`, {
    method: 'POST',
    body: new URLSearchParams({ customer: who, next: 'account.html' }),
    redirect: 'manual',
  });
  assert.equal(login.status, 303, `demo sign-in as ${who}`);
  const cookie = /demo_session=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1];
  assert.ok(cookie, 'the demo sets its session cookie');
  const session = await fetch(`${stack.demoUrl}/api/session`, { headers: { cookie: `demo_session=${cookie}` } });
  assert.equal(session.status, 200);
  const { token } = (await session.json()) as { token: string };
  return { cookie, token };
}

async function consentValue(stack: DemoStack, id: string): Promise<boolean | undefined> {
  const { status, body } = await emulatorGet<Customer>(stack, `/v1/customers/${id}`);
  assert.equal(status, 200, `the emulator answers for ${id}`);
  const system = body.system_metadata;
  const consents = system && !Array.isArray(system) ? system.consents : undefined;
  return consents?.[SEED_CONSENT_IDS.productUpdates]?.value;
}

/** Health, the demo's pages, a signed-in GET /v1/me and a consent change that lands in the emulator. */
export async function answersNormally(stack: DemoStack, secrets: StackSecrets): Promise<void> {
  const health = await fetch(`${stack.workerUrl}/healthz`);
  assert.deepEqual([health.status, await health.json()], [200, { status: 'ok' }], 'worker /healthz');
  for (const page of ['/', '/account.html', '/emails', '/backoffice.html']) {
    const response = await fetch(`${stack.demoUrl}${page}`);
    assert.equal(response.status, 200, `demo ${page}`);
    await response.text();
  }
  const alice = DEMO_CUSTOMERS.alice.id;
  const { cookie, token } = await demoSignIn(stack, 'alice');
  secrets.seen.push(cookie, token);
  const auth = { authorization: `Bearer ${token}`, origin: stack.demoUrl };
  const me = await fetch(`${stack.workerUrl}/v1/me`, { headers: auth });
  assert.equal(me.status, 200, `GET /v1/me: ${await me.clone().text()}`);
  assert.equal(((await me.json()) as { id: string }).id, alice);

  const wanted = !(await consentValue(stack, alice));
  const put = await fetch(`${stack.workerUrl}/v1/me/consents`, {
    method: 'PUT',
    headers: { ...auth, 'content-type': 'application/json' },
    body: JSON.stringify({ [SEED_CONSENT_IDS.productUpdates]: wanted }),
  });
  assert.equal(put.status, 200, `PUT /v1/me/consents: ${await put.text()}`);
  assert.equal(await consentValue(stack, alice), wanted, 'the consent change is in the emulator');
}

/** `seconds` of ordinary traffic (Bob browses, signs in, reads and changes consents; Yuki's links are opened). */
export async function mixedLoad(stack: DemoStack, secrets: StackSecrets, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1_000;
  const quietly = async (url: string, init?: RequestInit) => {
    try {
      const response = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) });
      await response.arrayBuffer();
    } catch {
      // load, not a check: the checks come after
    }
  };
  let round = 0;
  while (Date.now() < deadline) {
    round++;
    const bob = await demoSignIn(stack, 'bob').catch(() => undefined);
    const auth = bob ? { authorization: `Bearer ${bob.token}`, origin: stack.demoUrl } : undefined;
    if (bob) secrets.seen.push(bob.cookie, bob.token);
    await Promise.all([
      quietly(`${stack.workerUrl}/healthz`),
      quietly(`${stack.demoUrl}/`),
      quietly(`${stack.demoUrl}/emails?customer=bob`),
      quietly(`${stack.demoUrl}/cdn/vc-consent.js`),
      quietly(`${stack.workerUrl}/unsubscribe/${secrets.unsubscribe}`),
      quietly(`${stack.workerUrl}/preferences/${secrets.preferences}/consents`),
      auth && quietly(`${stack.workerUrl}/v1/me`, { headers: auth }),
      auth && quietly(`${stack.workerUrl}/v1/me/consents`, { headers: auth }),
      // Within the worker's write limit per customer.
      auth &&
        round % 8 === 0 &&
        quietly(`${stack.workerUrl}/v1/me/consents`, {
          method: 'PUT',
          headers: { ...auth, 'content-type': 'application/json' },
          body: JSON.stringify({ [SEED_CONSENT_IDS.partners]: round % 16 === 0 }),
        }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
