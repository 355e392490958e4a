/**
 * The pacer's arithmetic: bookings follow Voucherify's window (less the reserve) as the readings describe it, a burst
 * that fits what is left of the window starts at once, a refusal or a reading under the reserve pauses everyone, and a
 * billing cycle's reading paces nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OptOutPacer } from '../../src/worker/optout-pacer.js';
import type { BudgetReading } from '../../src/worker/upstream-budget.js';

const NOW = 1_800_000_000_000;
const RESERVE = 10;

/** Voucherify's headers at `NOW`: 60 calls per 10 s, `remaining` of them left, the window just begun. */
const reading = (remaining: number, windowMs = 10_000, at = NOW): BudgetReading => ({
  limit: 60,
  remaining,
  resetsAt: at + windowMs,
  seenAt: at,
});

describe('OptOutPacer', () => {
  it('starts everything at once until it has seen a reading', () => {
    const pacer = new OptOutPacer();
    for (let i = 0; i < 100; i++) assert.equal(pacer.book({ calls: 3, reading: null, reserve: RESERVE }, NOW), NOW);
  });

  it("starts a burst at once while it fits what is left of the window, then spreads each window's 50 calls over it", () => {
    const pacer = new OptOutPacer();
    const starts = Array.from({ length: 1_000 }, () =>
      pacer.book({ calls: 3, reading: reading(59), reserve: RESERVE }, NOW),
    );
    // 59 left, 10 kept: 49 calls now, so 16 opt-outs of 3 at once.
    assert.deepEqual(starts.slice(0, 16), Array(16).fill(NOW));
    // Then 16 opt-outs (48 of the window's 50 calls) per 10 s window, 600 ms apart (3 calls at 10 s / 50 each).
    const expected = (i: number) => NOW + (Math.floor((i - 16) / 16) + 1) * 10_000 + ((i - 16) % 16) * 600;
    for (let i = 16; i < 1_000; i++) assert.equal(starts[i], expected(i), `opt-out ${i}`);
    // 1,000 opt-outs of 3 calls: the last starts after 624 s (3,000 calls at 48 per 10 s).
    assert.equal(starts.at(-1)! - NOW, 624_200);
  });

  it('counts a window the readings describe: a reading of fewer calls left lowers what is booked into it', () => {
    const pacer = new OptOutPacer();
    assert.equal(pacer.book({ calls: 3, reading: reading(59), reserve: RESERVE }, NOW), NOW);
    // The shop's visitors spent 30 of the window meanwhile: 19 left, 9 beyond the reserve, so 3 more opt-outs now.
    const starts = Array.from({ length: 4 }, () =>
      pacer.book({ calls: 3, reading: reading(19, 9_000, NOW + 1_000), reserve: RESERVE }, NOW + 1_000),
    );
    assert.deepEqual(starts, [NOW + 1_000, NOW + 1_000, NOW + 1_000, NOW + 10_000]);
  });

  it('refills over time: an opt-out after a quiet spell starts at once', () => {
    const pacer = new OptOutPacer();
    for (let i = 0; i < 30; i++) pacer.book({ calls: 3, reading: reading(59), reserve: RESERVE }, NOW);
    const later = NOW + 60_000;
    assert.equal(pacer.book({ calls: 3, reading: null, reserve: RESERVE }, later), later);
  });

  it("pauses every booking for a refusal's Retry-After, and for a reading under the reserve until its window ends", () => {
    const refused = new OptOutPacer();
    refused.book({ calls: 3, reading: reading(50), reserve: RESERVE }, NOW);
    const until = NOW + 7_000;
    assert.equal(refused.book({ calls: 3, reading: null, limitedUntil: until, reserve: RESERVE }, NOW), until);
    assert.equal(refused.book({ calls: 3, reading: null, reserve: RESERVE }, NOW + 1), until, 'others wait too');

    const low = new OptOutPacer();
    assert.equal(low.book({ calls: 3, reading: reading(4), reserve: RESERVE }, NOW), NOW + 10_000);
  });

  it("paces nothing on a billing cycle's reading, but waits for its end once it is under the reserve", () => {
    const month = 30 * 24 * 3_600_000;
    const pacer = new OptOutPacer();
    const cycle = { limit: 100_000, remaining: 5_000, resetsAt: NOW + month, seenAt: NOW };
    for (let i = 0; i < 100; i++) assert.equal(pacer.book({ calls: 3, reading: cycle, reserve: RESERVE }, NOW), NOW);
    const spent = { ...cycle, remaining: 3 };
    assert.equal(pacer.book({ calls: 3, reading: spent, reserve: RESERVE }, NOW), NOW + month);
  });

  it('carries on from its saved state as if never evicted', () => {
    const pacer = new OptOutPacer();
    for (let i = 0; i < 40; i++) pacer.book({ calls: 3, reading: reading(59), reserve: RESERVE }, NOW);
    const restored = new OptOutPacer(JSON.parse(JSON.stringify(pacer.state)));
    const next = (p: OptOutPacer) => p.book({ calls: 3, reading: null, reserve: RESERVE }, NOW + 5);
    assert.equal(next(restored), next(pacer));
    assert.ok(next(restored) > NOW + 10_000, 'a new click goes after the bookings made before the eviction');
  });
});
