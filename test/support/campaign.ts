/**
 * A newsletter campaign's unsubscribes against a rate-limited emulator: customers with consents given (seeded into a
 * data file while the emulator is not limited, so setting them up spends none of the limit), a burst of one-click
 * POSTs, and the figures: latencies, statuses, when every opt-out reached the emulator, and opt-outs applied twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SEED_CONSENT_IDS, startEmulator } from '../../src/emulator/index.js';
import { emulatorServerApi } from './emulator.js';
import type { Stack } from './stack.js';
import { devUnsubscribeToken } from './tokens.js';

export interface CampaignCustomers {
  dataFile: string;
  ids: string[];
  remove(): Promise<void>;
}

/** `count` customers who gave the newsletter and email offers, in a data file the emulator can start from. */
export async function seedCampaignCustomers(count: number): Promise<CampaignCustomers> {
  const folder = await mkdtemp(path.join(tmpdir(), 'vc-campaign-'));
  const dataFile = path.join(folder, 'emulator.json');
  const emulator = await startEmulator({ port: 0, quiet: true, dataFile });
  const ids: string[] = [];
  try {
    const api = emulatorServerApi(emulator.url);
    for (let i = 0; i < count; i += 1) {
      const customer = await api.createCustomer({ source_id: `campaign-${i}`, email: `campaign-${i}@example.com` });
      await api.updateCustomersConsents(customer.id, {
        [SEED_CONSENT_IDS.newsletter]: true,
        [SEED_CONSENT_IDS.emailOffers]: true,
      });
      ids.push(customer.id);
    }
  } finally {
    await emulator.close();
  }
  return { dataFile, ids, remove: () => rm(folder, { recursive: true, force: true }) };
}

export interface CampaignFigures {
  posts: number;
  /** Answer times in ms, sorted. */
  latencies: number[];
  /** How many POSTs got each status. */
  statuses: Record<number, number>;
  /** From the first POST until the last customer's opt-out reached the emulator (null: not within the timeout). */
  allAppliedMs: number | null;
  applied: number;
  /** Opt-outs that reached the emulator more than once (successful consent PUTs beyond the first, per customer). */
  duplicates: number;
  /** Requests the emulator saw from the worker, and how many it refused with 429. */
  upstreamCalls: number;
  limitedCalls: number;
}

export const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;

const CONSENTS_PUT = /^\/v1\/customers\/([^/]+)\/consents$/;

/**
 * Sends one one-click POST per customer, `concurrency` at a time, then follows the emulator's request log (read and
 * cleared as it goes, so a long run never outgrows it) until every customer's opt-out was applied or `timeoutMs` passed,
 * then `settleMs` more to catch any applied twice.
 */
export async function runCampaign(
  stack: Stack,
  ids: string[],
  options: { concurrency: number; timeoutMs: number; settleMs?: number },
): Promise<CampaignFigures> {
  const tokens = await Promise.all(ids.map((id) => devUnsubscribeToken(id)));
  const applied = new Map<string, number>();
  let upstreamCalls = 0;
  let limitedCalls = 0;
  const drainLog = () => {
    const requests = stack.emulator.requests().filter((request) => !request.path.startsWith('/_emulator'));
    stack.emulator.clearRequests();
    upstreamCalls += requests.length;
    for (const request of requests) {
      if (request.status === 429) limitedCalls += 1;
      const id = CONSENTS_PUT.exec(request.path)?.[1];
      if (request.method === 'PUT' && id && request.status >= 200 && request.status < 300)
        applied.set(decodeURIComponent(id), (applied.get(decodeURIComponent(id)) ?? 0) + 1);
    }
  };
  stack.emulator.clearRequests();

  const started = performance.now();
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let next = 0;
  const client = async () => {
    while (next < tokens.length) {
      const token = tokens[next++]!;
      const sent = performance.now();
      const response = await stack.fetch(`/unsubscribe/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - sent);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, client));

  let allAppliedMs: number | null = null;
  while (performance.now() - started < options.timeoutMs) {
    drainLog();
    if (ids.every((id) => applied.has(id))) {
      allAppliedMs = performance.now() - started;
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  // Anything applied twice would show up a little later.
  await new Promise((resolve) => setTimeout(resolve, options.settleMs ?? 0));
  drainLog();
  return {
    posts: tokens.length,
    latencies: latencies.sort((a, b) => a - b),
    statuses,
    allAppliedMs,
    applied: applied.size,
    duplicates: [...applied.values()].reduce((sum, count) => sum + count - 1, 0),
    upstreamCalls,
    limitedCalls,
  };
}
