/**
 * Writes to one customer that overlap: each request's body arrives after its headers, so the requests are all in
 * flight at once. Every acknowledged change must be kept, and nothing may bring back a permanently deleted customer.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SEED_CONSENT_IDS, type RunningEmulator } from '../../src/emulator/index.js';
import { SERVER_HEADERS, call, start } from '../support/emulator.js';

const CONSENTS = Object.values(SEED_CONSENT_IDS);
const ROUNDS = 10;
const BODY_DELAY_MS = 50;

/** Sends the headers now and the body `delayMs` later; resolves with the status. */
function slowWrite(emulator: RunningEmulator, method: string, path: string, body: unknown, delayMs: number) {
  const text = JSON.stringify(body);
  return new Promise<number>((resolve, reject) => {
    const outgoing = request(`${emulator.url}${path}`, {
      method,
      headers: { ...SERVER_HEADERS, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) },
    });
    outgoing.on('response', (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    outgoing.on('error', reject);
    outgoing.flushHeaders();
    setTimeout(() => outgoing.end(text), delayMs);
  });
}

let emulator: RunningEmulator;
before(async () => (emulator = await start()));
after(() => emulator.close());

describe('overlapping writes to one customer', () => {
  test(`${ROUNDS} rounds of ${CONSENTS.length} consent PUTs with slow bodies: every acknowledged decision is kept`, async () => {
    let acknowledged = 0;
    const lost: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const sourceId = `overlap-${round}`;
      await call(emulator, 'POST', '/v1/customers', { json: { source_id: sourceId } });
      const statuses = await Promise.all(
        CONSENTS.map((id) =>
          slowWrite(emulator, 'PUT', `/v1/customers/${sourceId}/consents`, { [id]: true }, BODY_DELAY_MS),
        ),
      );
      const customer = (await call(emulator, 'GET', `/v1/customers/${sourceId}`)).body;
      for (const [index, id] of CONSENTS.entries()) {
        if (statuses[index] !== 204) continue;
        acknowledged++;
        if (customer.system_metadata.consents[id]?.value !== true) lost.push(`round ${round}: ${id}`);
      }
    }
    assert.equal(acknowledged, ROUNDS * CONSENTS.length);
    assert.deepEqual(lost, []);
  });

  test('profile PUTs with slow bodies keep every field each one set', async () => {
    await call(emulator, 'POST', '/v1/customers', { json: { source_id: 'overlap-fields' } });
    const fields = ['name', 'description', 'phone'] as const;
    const statuses = await Promise.all([
      ...fields.map((field) => slowWrite(emulator, 'PUT', '/v1/customers/overlap-fields', { [field]: field }, 40)),
      slowWrite(emulator, 'PUT', '/v1/customers/overlap-fields', { metadata: { a: 1 } }, 60),
      slowWrite(emulator, 'PUT', '/v1/customers/overlap-fields', { metadata: { b: 2 } }, 50),
    ]);
    assert.deepEqual(statuses, [200, 200, 200, 200, 200]);
    const customer = (await call(emulator, 'GET', '/v1/customers/overlap-fields')).body;
    for (const field of fields) assert.equal(customer[field], field);
    assert.deepEqual(customer.metadata, { a: 1, b: 2 });
  });

  test('a PUT whose body arrives after a permanent deletion answers 404 and does not bring the customer back', async () => {
    for (const [method, path, body] of [
      ['PUT', '/v1/customers/overlap-gone', { name: 'Back?' }],
      ['PUT', '/v1/customers/overlap-gone/consents', { [SEED_CONSENT_IDS.newsletter]: true }],
    ] as const) {
      const created = await call(emulator, 'POST', '/v1/customers', { json: { source_id: 'overlap-gone' } });
      const writing = slowWrite(emulator, method, path, body, 100);
      await sleep(30);
      const deletion = await call(emulator, 'POST', `/v1/customers/${created.body.id}/permanent-deletion`);
      assert.equal(deletion.status, 200);
      assert.equal(await writing, 404, `${method} ${path}`);
      assert.equal((await call(emulator, 'GET', `/v1/customers/${created.body.id}`)).status, 404);
      const listed = await call(emulator, 'GET', '/v1/customers?limit=100');
      assert.ok(!listed.body.customers.some((customer: { id: string }) => customer.id === created.body.id));
    }
  });
});
