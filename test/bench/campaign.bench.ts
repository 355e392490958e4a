/**
 * A newsletter campaign's unsubscribes against Voucherify's limit: the emulator at 60 requests per 10 s, 1,000
 * customers clicking one-click unsubscribe in a burst. Every POST should be answered 200 at once while the opt-outs
 * reach the emulator as fast as the limit allows, none twice.
 */
import type { BenchSection } from './run.js';
import { percentile, runCampaign, seedCampaignCustomers } from '../support/campaign.js';
import { ms } from '../support/load.js';
import { startStack } from '../support/stack.js';

const CUSTOMERS = 1_000;
const LIMIT = { limit: 60, windowMs: 10_000 };
const CONCURRENCY = 10;
/** A harder burst, answers only: mailbox providers' servers posting 50 at a time. */
const BURST_CONCURRENCY = 50;
/** Far longer than the limit needs for every opt-out's calls: an opt-out that never arrives shows as a timeout. */
const TIMEOUT_MS = 30 * 60_000;

/** The answer times of a burst of `CUSTOMERS` POSTs at `concurrency`, not waiting for the opt-outs to be applied. */
async function burstAnswers(concurrency: number): Promise<string> {
  const customers = await seedCampaignCustomers(CUSTOMERS);
  const stack = await startStack({
    emulator: { dataFile: customers.dataFile, rateLimit: LIMIT },
    vars: { LOG_LEVEL: 'warn' },
  });
  try {
    const { latencies, statuses } = await runCampaign(stack, customers.ids, { concurrency, timeoutMs: 0 });
    const p = (n: number) => ms(percentile(latencies, n));
    return `p50 ${p(50)}, p99 ${p(99)}, max ${p(100)}; ${JSON.stringify(statuses)}`;
  } finally {
    await stack.close();
    await customers.remove();
  }
}

export default async function campaignBench(): Promise<BenchSection> {
  const burst = await burstAnswers(BURST_CONCURRENCY);
  const customers = await seedCampaignCustomers(CUSTOMERS);
  const stack = await startStack({
    emulator: { dataFile: customers.dataFile, rateLimit: LIMIT },
    vars: { LOG_LEVEL: 'warn' },
  });
  try {
    const figures = await runCampaign(stack, customers.ids, {
      concurrency: CONCURRENCY,
      timeoutMs: TIMEOUT_MS,
      settleMs: 5_000,
    });
    const fiveXx = Object.entries(figures.statuses)
      .filter(([status]) => Number(status) >= 500)
      .reduce((sum, [, count]) => sum + count, 0);
    return {
      title: `One-click campaign: ${CUSTOMERS} POSTs (${CONCURRENCY} at a time), emulator at ${LIMIT.limit} requests per ${LIMIT.windowMs / 1000} s`,
      rows: [
        { figure: 'POST answer p50', value: ms(percentile(figures.latencies, 50)) },
        { figure: 'POST answer p99', value: ms(percentile(figures.latencies, 99)) },
        { figure: 'POST answer max', value: ms(percentile(figures.latencies, 100)) },
        { figure: 'answers by status', value: JSON.stringify(figures.statuses) },
        { figure: 'answered 5xx', value: fiveXx },
        {
          figure: `all ${CUSTOMERS} opted out upstream after`,
          value:
            figures.allAppliedMs === null
              ? `not within ${TIMEOUT_MS / 1000} s`
              : `${(figures.allAppliedMs / 1000).toFixed(1)} s`,
        },
        { figure: 'customers opted out upstream', value: figures.applied },
        { figure: 'opt-outs applied twice', value: figures.duplicates },
        { figure: 'upstream calls (of which 429)', value: `${figures.upstreamCalls} (${figures.limitedCalls})` },
        { figure: `another ${CUSTOMERS} POSTs, ${BURST_CONCURRENCY} at a time: answers`, value: burst },
      ],
      notes: [
        'Opt-outs that cannot be applied at once are kept in each customer’s Durable Object and applied from its alarm',
        'at the start the worker’s pacer booked for them: the window less UPSTREAM_RESERVE (10), 3 calls per opt-out,',
        'so 1,000 opt-outs need about 3,000 / (50 per 10 s) = 600 s at this limit.',
      ],
    };
  } finally {
    await stack.close();
    await customers.remove();
  }
}
