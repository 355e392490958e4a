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

  it('starts a burst at once while it fits the window less the reserve, then one every 3 × 10 s / 50', () => {
    const pacer = new OptOutPacer();
    const starts = Array.from({ length: 40 }, () =>
      pacer.book({ calls: 3, reading: reading(59), reserve: RESERVE }, NOW),
    );
    // 59 left, 10 kept: 49 calls now, so 16 opt-outs of 3; then one per 600 ms (50 calls per 10 s).
    assert.deepEqual(
      starts.slice(0, 16).filter((start) => start === NOW),
      Array(16).fill(NOW),
    );
    assert.ok(starts[16]! > NOW, 'the 17th waits');
    const gaps = starts.slice(17).map((start, i) => start - starts[16 + i]!);
    assert.deepEqual(gaps, Array(gaps.length).fill(600));
    // Over a long run: 50 calls per window, so 1,000 opt-outs of 3 take about 3,000 / 5 per second = 600 s.
    let last = 0;
    for (let i = 40; i < 1_000; i++) last = pacer.book({ calls: 3, reading: reading(59), reserve: RESERVE }, NOW);
    assert.ok(Math.abs(last - NOW - 590_200) < 1_000, `the last starts after ${(last - NOW) / 1000} s`);
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
});
