/**
 * Identifiers in Voucherify's formats. Event-like ids (`aa_`, `evcus_`, `v-`) are 18 hex digits that grow with time,
 * as Voucherify's do: the id order is the creation order, which makes `starting_after_id` cursors cheap and stable
 * even for an id that no longer exists.
 */
import { randomBytes } from 'node:crypto';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function alphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      // 248 = 4 × 62: dropping the top bytes keeps every character equally likely.
      if (byte < 248 && out.length < length) out += ALNUM[byte % 62];
    }
  }
  return out;
}

let lastOrdered = 0n;

/**
 * 18 hex digits: milliseconds in the high 44 bits, a random offset in the low 28, strictly increasing in this
 * process (the previous id + 1 when the clock has not moved far enough).
 */
function orderedHex(now = Date.now()): string {
  const candidate = (BigInt(now) << 28n) + BigInt(randomBytes(3).readUIntBE(0, 3));
  lastOrdered = candidate > lastOrdered ? candidate : lastOrdered + 1n;
  return lastOrdered.toString(16).padStart(18, '0');
}

/** Keeps new ids above ids loaded from a data file, even if the clock went back. */
export function observeOrderedId(id: string): void {
  const hex = /([0-9a-f]{18})$/.exec(id)?.[1];
  if (hex) {
    const value = BigInt(`0x${hex}`);
    if (value > lastOrdered) lastOrdered = value;
  }
}

export const newCustomerId = (): string => `cust_${alphanumeric(24)}`;
export const newPermanentDeletionId = (): string => `del_${alphanumeric(24)}`;
export const newAsyncActionId = (): string => `aa_${orderedHex()}`;
export const newActivityId = (now?: number): string => `evcus_${orderedHex(now)}`;
export const newRequestId = (): string => `v-${orderedHex()}`;
