/**
 * The ledger's step around an upstream write, in isolation (the workerd tests cover it end to end): a ledger that
 * cannot store refuses the write before it happens; a refused write leaves nothing; a write of unknown fate waits and
 * is settled by the next step against the stored state; an erasure leaves one record without personal data.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CustomerConsentsState } from '../../src/api/types.js';
import { csvRows } from '../../src/worker/routes/consent-records.js';
import { readLedgerExport } from '../../src/node/ledger-file.js';
import { GENESIS_HASH, verifyRecords } from '../../src/worker/ledger.js';
import type { LedgerRecord } from '../../src/worker/ledger.js';
import { Journal, LedgerUnavailable } from '../../src/worker/journal.js';
import type { ConsentChange, JournalContext } from '../../src/worker/journal.js';
import { MemoryLedgerStore } from '../../src/worker/ledger-stores.js';

const CONTEXT: JournalContext = {
  requestId: 'v-test',
  channel: () => 'panel',
  texts: async () => new Map([['cnst_a', { name: 'Newsletter', description: 'Weekly news' }]]),
  refused: (error) => error instanceof Error && error.message === 'refused',
};

const AT = '2026-11-29T10:00:00.000Z';
const decided = (value: boolean): { value: boolean; date: string } => ({ value, date: AT });

function change(before: CustomerConsentsState, after: CustomerConsentsState): ConsentChange {
  return { customerId: 'cust_1', before, after: { ...before, ...after }, date: AT, policyVersion: null };
}

class BrokenStore extends MemoryLedgerStore {
  override stage(): void {
    throw new Error('SQLITE_FULL');
  }
}

describe('ledger journal', () => {
  it('refuses the write, without calling it, when the records cannot be stored', async () => {
    let called = false;
    const journal = new Journal(new BrokenStore(), CONTEXT);
    await assert.rejects(
      journal.around(change({}, { cnst_a: decided(true) }), async () => (called = true)),
      LedgerUnavailable,
    );
    assert.equal(called, false);
  });

  it('keeps the records of an applied write, chained from the genesis hash', async () => {
    const store = new MemoryLedgerStore();
    const journal = new Journal(store, CONTEXT);
    await journal.around(change({}, { cnst_a: decided(true) }), async () => 'ok');
    await journal.around(
      change({ cnst_a: decided(true) }, { cnst_a: decided(false), unsubscribed: decided(true) }),
      async () => 'ok',
    );
    const records = store.list();
    assert.deepEqual(
      records.map((record) => [record.seq, record.consent_id, record.old_value, record.new_value]),
      [
        [1, 'cnst_a', null, true],
        [2, 'unsubscribed', null, true],
        [3, 'cnst_a', true, false],
      ],
    );
    assert.equal(records[0]!.prev_hash, GENESIS_HASH);
    assert.equal(records[1]!.prev_hash, records[0]!.hash);
    assert.equal(records[0]!.consent_name, 'Newsletter');
    assert.equal((await verifyRecords(records)).ok, true);
  });

  it('drops the records of a refused write, and of a write whose answer says it was refused', async () => {
    const store = new MemoryLedgerStore();
    const journal = new Journal(store, CONTEXT);
    await assert.rejects(
      journal.around(change({}, { cnst_a: decided(true) }), () => Promise.reject(new Error('refused'))),
    );
    await journal.around(
      change({}, { cnst_a: decided(true) }),
      async () => 400,
      () => 'refused',
    );
    assert.deepEqual(store.list(), []);
    assert.deepEqual(store.staged(), []);
  });

  it('a write of unknown fate waits; the next step keeps it when the stored state shows it, drops it otherwise', async () => {
    const store = new MemoryLedgerStore();
    const journal = new Journal(store, CONTEXT);
    await assert.rejects(
      journal.around(change({}, { cnst_a: decided(true) }), () => Promise.reject(new Error('timeout'))),
    );
    assert.equal(store.staged().length, 1);
    assert.deepEqual(store.list(), [], 'not shown while unknown');
    // The stored state shows it happened: kept, and the retry that changes nothing adds nothing.
    await journal.around(change({ cnst_a: decided(true) }, {}), async () => 'ok');
    assert.equal(store.list().length, 1);

    await assert.rejects(
      journal.around(change({ cnst_a: decided(true) }, { cnst_a: decided(false) }), () =>
        Promise.reject(new Error('timeout')),
      ),
    );
    // It did not happen: dropped, and the new change chains from the last kept record.
    await journal.around(change({ cnst_a: decided(true) }, { cnst_a: decided(false) }), async () => 'ok');
    const records = store.list();
    assert.deepEqual(
      records.map((record) => record.seq),
      [1, 2],
    );
    assert.equal((await verifyRecords(records)).ok, true);
  });

  it('an erasure replaces every record with one that names no customer, consent or value', async () => {
    const store = new MemoryLedgerStore();
    const journal = new Journal(store, CONTEXT);
    await journal.around(change({}, { cnst_a: decided(true) }), async () => 'ok');
    await journal.erase(AT, 'api');
    const [erasure, ...rest] = store.list() as [LedgerRecord, ...LedgerRecord[]];
    assert.equal(rest.length, 0);
    assert.equal(erasure.event, 'erasure');
    assert.equal(erasure.erased_records, 1);
    assert.deepEqual(
      [erasure.customer_id, erasure.consent_id, erasure.consent_name, erasure.old_value, erasure.new_value],
      ['', '', '', null, null],
    );
    assert.equal((await verifyRecords([erasure])).ok, true);
  });

  it('names the first record whose fields or link were changed', async () => {
    const store = new MemoryLedgerStore();
    const journal = new Journal(store, CONTEXT);
    await journal.around(change({}, { cnst_a: decided(true) }), async () => 'ok');
    await journal.around(change({ cnst_a: decided(true) }, { cnst_a: decided(false) }), async () => 'ok');
    await journal.around(change({ cnst_a: decided(false) }, { cnst_a: decided(true) }), async () => 'ok');
    const records = store.list();
    const altered = records.map((record, index) =>
      index === 1 ? { ...record, channel: 'back-office' as const } : record,
    );
    const result = await verifyRecords(altered);
    assert.equal(result.ok, false);
    if (!result.ok)
      assert.deepEqual([result.broken.index, result.broken.seq, result.broken.id], [1, 2, records[1]!.id]);
    const relinked = records.map((record, index) => (index === 2 ? { ...record, prev_hash: GENESIS_HASH } : record));
    const link = await verifyRecords(relinked);
    assert.equal(link.ok, false);
    if (!link.ok) assert.equal(link.broken.index, 2);
  });

  it('CSV cells survive commas, quotes, line breaks, non-Latin text and formula-like names, and read back exactly', async () => {
    const store = new MemoryLedgerStore();
    const names = [
      'Offers, "best" ones',
      'Line\nbreak',
      '=HYPERLINK("x")',
      '+1 offers',
      '-5%',
      '@mention',
      'عروض الشركاء',
      '',
    ];
    const texts = new Map(names.map((name, index) => [`cnst_${index}`, { name, description: 'd' }]));
    const journal = new Journal(store, { ...CONTEXT, texts: async () => texts });
    const after = Object.fromEntries(names.map((_, index) => [`cnst_${index}`, decided(true)]));
    await journal.around({ ...change({}, after), policyVersion: '-2026+11' }, async () => 'ok');
    const records = store.list();
    const csv = csvRows(records, true);
    assert.doesNotMatch(csv, /(^|,)[=+\-@]/m, 'no cell starts like a formula');
    assert.deepEqual(readLedgerExport(csv).records, records);
    assert.equal((await verifyRecords(readLedgerExport(csv).records)).ok, true);
  });
});
