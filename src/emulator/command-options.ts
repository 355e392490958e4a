/**
 * The options both command lines (`npm run emulator` and `vc-consent emulator`) take as text, from flags or the
 * environment's `VC_EMULATOR_*` variables (a flag wins; an empty value counts as not given).
 */
import { limitOptions, type LimitOptions, type LimitTexts } from './plans.js';

export interface CommandTexts extends LimitTexts {
  maxBody?: string | undefined;
  webhookUrl?: string | undefined;
  webhookSecret?: string | undefined;
}

export interface CommandOptions extends LimitOptions {
  maxBodyBytes?: number;
  compactionBytes?: number;
  webhookUrl?: string;
  webhookSecret?: string;
}

/** `1048576`, `512K`, `64M`, `1G` (binary multiples; a trailing `B` or `iB` is allowed); null when unreadable. */
export function parseSize(text: string): number | null {
  const match = /^\s*(\d+)\s*(?:([KMG])(?:I?B)?|B)?\s*$/i.exec(text);
  if (!match) return null;
  const power = { K: 1, M: 2, G: 3 }[(match[2] ?? '').toUpperCase() as 'K' | 'M' | 'G'] ?? 0;
  const bytes = Number(match[1]) * 1024 ** power;
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : null;
}

function size(text: string | undefined, what: string): number | undefined {
  if (!text) return undefined;
  const bytes = parseSize(text);
  if (bytes === null) throw new RangeError(`invalid size "${text}" (${what}): a number of bytes, or with K, M or G`);
  return bytes;
}

/** `startEmulator` options from the texts; throws a `RangeError` naming what was malformed. */
export function commandOptions(flags: CommandTexts, env: Record<string, string | undefined>): CommandOptions {
  const maxBodyBytes = flags.maxBody
    ? size(flags.maxBody, '--max-body')
    : size(env.VC_EMULATOR_MAX_BODY, 'VC_EMULATOR_MAX_BODY');
  const compactionBytes = size(env.VC_EMULATOR_COMPACT_AFTER, 'VC_EMULATOR_COMPACT_AFTER');
  // Checked together by `startEmulator` (both or neither).
  const webhookUrl = flags.webhookUrl || env.VC_EMULATOR_WEBHOOK_URL || undefined;
  const webhookSecret = flags.webhookSecret || env.VC_EMULATOR_WEBHOOK_SECRET || undefined;
  return {
    ...limitOptions(flags, env),
    ...(maxBodyBytes ? { maxBodyBytes } : {}),
    ...(compactionBytes ? { compactionBytes } : {}),
    ...(webhookUrl || webhookSecret ? { webhookUrl, webhookSecret } : {}),
  };
}
