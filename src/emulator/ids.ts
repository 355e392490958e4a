/**
 * Identifiers in Voucherify's formats. Event-like ids (`aa_`, `evcus_`, `v-`) are 18 hex digits that grow with time,
 * as Voucherify's do: the id order is the creation order, which makes `starting_after_id` cursors cheap and stable
 * even for an id that no longer exists.
 */
import { randomBytes } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// Random bytes fetched in blocks: one crypto call per id is the slowest part of a big import.
let pool = randomBytes(4096);
let poolAt = 0;
function randomByte(): number {
  if (poolAt === pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  return pool[poolAt++]!;
}

function alphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    const byte = randomByte();
    // 248 = 4 × 62: dropping the top bytes keeps every character equally likely.
    if (byte < 248) out += ALNUM[byte % 62];
  }
  return out;
}

// The last ordered id, as its two halves: milliseconds (44 bits, 11 hex digits) and the low 28 bits (7 hex digits).
let lastMs = 0;
let lastLow = 0;
const LOW_LIMIT = 2 ** 28;

/**
 * 18 hex digits: milliseconds in the high 44 bits, a random offset in the low 28, strictly increasing in this
 * process (the previous id + 1 when the clock has not moved on).
 */
function orderedHex(now = Date.now()): string {
  let ms = now;
  let low = (randomByte() << 16) | (randomByte() << 8) | randomByte();
  if (ms < lastMs || (ms === lastMs && low <= lastLow)) {
    ms = lastMs;
    low = lastLow + 1;
    if (low === LOW_LIMIT) {
      ms += 1;
      low = 0;
    }
  }
  lastMs = ms;
  lastLow = low;
  return ms.toString(16).padStart(11, '0') + low.toString(16).padStart(7, '0');
}

/** Keeps new ids above ids loaded from a data file, even if the clock went back. */
export function observeOrderedId(id: string): void {
  const hex = /([0-9a-f]{18})$/.exec(id)?.[1];
  if (!hex) return;
  const ms = parseInt(hex.slice(0, 11), 16);
  const low = parseInt(hex.slice(11), 16);
  if (ms > lastMs || (ms === lastMs && low > lastLow)) {
    lastMs = ms;
    lastLow = low;
  }
}

export const newCustomerId = (): string => `cust_${alphanumeric(24)}`;
export const newPermanentDeletionId = (): string => `del_${alphanumeric(24)}`;
export const newAsyncActionId = (): string => `aa_${orderedHex()}`;
export const newActivityId = (now?: number): string => `evcus_${orderedHex(now)}`;
export const newRequestId = (): string => `v-${orderedHex()}`;
