/**
 * The worker tests' stack: one emulator (the real upstream, over HTTP) and one worker in workerd per test file, plus
 * small request helpers and reads of what the emulator holds.
 */
import { after, before, beforeEach } from 'node:test';
import { startEmulator } from '../../src/emulator/index.js';
import type { EmulatorOptions, RecordedRequest, RunningEmulator } from '../../src/emulator/index.js';
import { emulatorServerApi } from './emulator.js';
import { startWorker } from './worker.js';
import type { RunningWorker, StartWorkerOptions } from './worker.js';

export interface Stack {
  emulator: RunningEmulator;
  worker: RunningWorker;
  /** Every line the worker logged. */
  logs: string[];
  url(path: string): string;
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** A request with `Authorization: Bearer <token>` and, for a body, JSON. */
  call(
    method: string,
    path: string,
    token: string | null,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
  /** The API requests the emulator saw since the last `emulator.clearRequests()`. */
  upstream(): RecordedRequest[];
  close(): Promise<void>;
}

export interface StackOptions {
  vars?: StartWorkerOptions['vars'];
  durableObjects?: boolean;
  rateLimits?: StartWorkerOptions['rateLimits'];
  emulator?: EmulatorOptions;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const emulator = await startEmulator({ port: 0, quiet: true, ...options.emulator });
  const logs: string[] = [];
  let worker: RunningWorker;
  try {
    worker = await startWorker({
      upstreamUrl: emulator.url,
      ...(options.vars ? { vars: options.vars } : {}),
      ...(options.rateLimits ? { rateLimits: options.rateLimits } : {}),
      ...(options.durableObjects === undefined ? {} : { durableObjects: options.durableObjects }),
      onLog: (line) => logs.push(line),
    });
  } catch (error) {
    await emulator.close();
    throw error;
  }
  const url = (path: string) => worker.url + path;
  return {
    emulator,
    worker,
    logs,
    url,
    fetch: (path, init) => fetch(url(path), { redirect: 'manual', ...init }),
    call(method, path, token, body, headers = {}) {
      const init: RequestInit = { method, redirect: 'manual', headers: { ...headers } };
      if (token !== null) (init.headers as Record<string, string>).authorization = `Bearer ${token}`;
      if (body !== undefined) {
        (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
        init.body = typeof body === 'string' ? body : JSON.stringify(body);
      }
      return fetch(url(path), init);
    },
    upstream: () => emulator.requests().filter((request) => !request.path.startsWith('/_emulator')),
    async close() {
      await worker.close();
      await emulator.close();
    },
  };
}

/**
 * One stack for the enclosing `describe`: started before its tests (and handed to `use`), closed after them, and
 * back to the seed with an empty request log before each test. Register it before the suite's own `beforeEach`.
 */
export function stackPerSuite(use: (stack: Stack) => void, options: StackOptions = {}): void {
  let stack: Stack;
  before(async () => {
    stack = await startStack(options);
    use(stack);
  });
  after(() => stack.close());
  beforeEach(async () => {
    await stack.emulator.reset();
    stack.emulator.clearRequests();
  });
}

/** Voucherify's server API straight to the emulator (no worker), to see what it really holds. */
export function upstreamOf(stack: Stack) {
  return emulatorServerApi(stack.emulator.url);
}

/** The activity types recorded for a customer since `since` (ISO), oldest first. */
export async function activityTypes(
  stack: Stack,
  customerId: string,
  since: string,
): Promise<Array<{ type: string; consents: string[] }>> {
  const list = await upstreamOf(stack).listCustomerActivities(customerId, {
    limit: 100,
    order: 'created_at',
    start_date: since,
  });
  return list.data.map((activity) => ({
    type: String(activity.type),
    consents: (
      (activity.data as { data?: { consents?: Array<{ id: string }> } } | undefined)?.data?.consents ?? []
    ).map((consent) => consent.id),
  }));
}
