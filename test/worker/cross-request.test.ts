/**
 * A request answered early (an upstream failure) while a shared read it started was still under way: later requests
 * must not wait on that read. In workerd a fetch belongs to the request that started it and never settles once that
 * request is answered, so the consent definitions the isolate shares are shared as an answer, never as a call.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEMO_CUSTOMERS } from '../../src/emulator/index.js';
import { stackPerSuite } from '../support/stack.js';
import type { Stack } from '../support/stack.js';
import { devPreferencesToken, devUnsubscribeToken } from '../support/tokens.js';

const ALICE = DEMO_CUSTOMERS.alice;

describe('a request answered early leaves nothing for the next ones to wait on', () => {
  let stack: Stack;
  // No retry: the failing request is answered while its definitions read is still under way.
  stackPerSuite((started) => (stack = started), { vars: { UPSTREAM_RETRIES: '0' } });

  it('after an upstream 500 on the preferences page, the page and a one-click unsubscribe answer at once', async () => {
    stack.emulator.setFaults([{ method: 'GET', path: '/v1/customers/**', kind: 'status', status: 500 }]);
    const page = `/preferences/${await devPreferencesToken(ALICE.id)}`;
    const failed = await stack.fetch(page, { headers: { accept: 'text/html' } });
    await failed.text();
    assert.equal(failed.status, 502);
    stack.emulator.clearFaults();

    const again = await stack.fetch(page, { headers: { accept: 'text/html' }, signal: AbortSignal.timeout(5_000) });
    await again.text();
    assert.equal(again.status, 200);
    const oneClick = await stack.fetch(`/unsubscribe/${await devUnsubscribeToken(ALICE.id)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
      signal: AbortSignal.timeout(5_000),
    });
    await oneClick.text();
    assert.equal(oneClick.status, 200);
  });
});
