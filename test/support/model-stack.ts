/**
 * The consent panel's model-based test's stack, the real parts it drives: the emulator (the upstream, with faults), the edge
 * worker in workerd with its per-customer Durable Object, a page that loads the built `dist/cdn/vc-consent.js` the way
 * a shop's account page does, and Debian's Chromium through playwright-core. Plus what the test reads back: the
 * emulator's stored consents and the activity it recorded.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { CustomerConsentsState } from '../../src/api/types.js';
import { startEmulator, type FaultRule, type RunningEmulator } from '../../src/emulator/index.js';
import { ROOT } from '../../scripts/build-worker.js';
import { launchBrowser } from './chromium.js';
import { consentsOf, emulatorServerApi } from './emulator.js';
import { startWorker, type RunningWorker } from './worker.js';

export interface ModelStack {
  emulator: RunningEmulator;
  worker: RunningWorker;
  pageUrl: string;
  browser: Browser;
  upstream: ReturnType<typeof emulatorServerApi>;
  close(): Promise<void>;
}

/** The shop's page: the element, the built ES module, nothing else. The test hands over the session token. */
function pageHtml(workerUrl: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Preferences</title>
<script type="module" src="/cdn/vc-consent.js"></script></head>
<body><main><h1>Your email preferences</h1>
<vc-consent-panel worker-url="${workerUrl}" lang="en"></vc-consent-panel>
</main></body></html>`;
}

async function servePage(workerUrl: () => string): Promise<{ server: Server; url: string }> {
  const cdn = path.join(ROOT, 'dist/cdn');
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
      response.end(pageHtml(workerUrl()));
      return;
    }
    const file = path.normalize(path.join(cdn, url.pathname.replace(/^\/cdn\//, '')));
    if (!url.pathname.startsWith('/cdn/') || !file.startsWith(cdn)) {
      response.writeHead(404).end();
      return;
    }
    readFile(file).then(
      (body) => response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return { server, url: `http://127.0.0.1:${port}` };
}

export async function startModelStack(): Promise<ModelStack> {
  const emulator = await startEmulator({ port: 0, quiet: true });
  let workerUrl = '';
  const page = await servePage(() => workerUrl);
  // One upstream attempt and a short timeout: the panel's own retries are what the model exercises.
  const worker = await startWorker({
    upstreamUrl: emulator.url,
    vars: { ALLOWED_ORIGINS: page.url, UPSTREAM_RETRIES: '0', UPSTREAM_TIMEOUT_MS: '1500' },
  });
  workerUrl = worker.url;
  const browser = await launchBrowser();
  return {
    emulator,
    worker,
    pageUrl: page.url,
    browser,
    upstream: emulatorServerApi(emulator.url),
    async close() {
      await browser.close();
      await worker.close();
      await emulator.close();
      await new Promise((resolve) => page.server.close(resolve));
    },
  };
}

/** What the emulator stores for a customer's consents (dates included); read by source id, never faulted. */
export async function storedConsents(stack: ModelStack, sourceId: string): Promise<CustomerConsentsState> {
  return { ...consentsOf(await stack.upstream.getCustomer(sourceId)) };
}

export interface ConsentEvent {
  type: 'customer.consents.given' | 'customer.consents.revoked';
  consents: string[];
  at: string;
}

/** The consent activities recorded for a customer (by source id) since `since`, oldest first. */
export async function consentEvents(stack: ModelStack, sourceId: string, since: string): Promise<ConsentEvent[]> {
  const events: ConsentEvent[] = [];
  let startingAfter: string | undefined;
  for (;;) {
    const list = await stack.upstream.listCustomerActivities(sourceId, {
      limit: 100,
      order: 'created_at',
      start_date: since,
      ...(startingAfter ? { starting_after: startingAfter } : {}),
    });
    for (const activity of list.data) {
      if (activity.type !== 'customer.consents.given' && activity.type !== 'customer.consents.revoked') continue;
      const data = (activity.data as { data?: { consents?: Array<{ id: string }> } } | undefined)?.data;
      events.push({
        type: activity.type as ConsentEvent['type'],
        consents: (data?.consents ?? []).map((consent) => consent.id),
        at: String(activity.created_at),
      });
    }
    if (list.data.length < 100) return events;
    startingAfter = String(list.data.at(-1)!.created_at);
  }
}

/**
 * Faults on what the worker calls for the panel (paths by `cust_…` id). The test reads the emulator by source id
 * (the customer's email), which these rules leave alone.
 */
const onCustomer = (rule: Omit<FaultRule, 'path'>): FaultRule[] => [
  { ...rule, path: '/v1/customers/cust_*' },
  { ...rule, path: '/v1/customers/cust_*/consents' },
];
export const FAULTS = {
  'status 429': onCustomer({ kind: 'status', status: 429, retryAfter: 1 }),
  'status 500': onCustomer({ kind: 'status', status: 500 }),
  slow: onCustomer({ kind: 'latency', latencyMs: 600 }),
  // Writes that are applied but whose answer never reaches the worker: too late (its upstream timeout is 1.5 s), or
  // the connection dropped. The panel sees a failure; the record changed.
  'late answer': [
    { method: 'PUT', path: '/v1/customers/cust_*/consents', kind: 'latency', latencyMs: 1700, after: true },
  ],
  'lost answer': [{ method: 'PUT', path: '/v1/customers/cust_*/consents', kind: 'drop', after: true }],
} satisfies Record<string, FaultRule[]>;
export type FaultName = keyof typeof FAULTS | 'offline';

/** One browser context per sequence (its own sessionStorage), on the shop's page. */
export async function openPage(stack: ModelStack): Promise<{ context: BrowserContext; page: Page }> {
  const context = await stack.browser.newContext();
  const page = await context.newPage();
  page.on('dialog', (dialog) => void dialog.accept());
  return { context, page };
}
