/**
 * The emulator in tests: its default keys (as headers and as a server-side client), raw `fetch` helpers for the
 * emulator's own tests, and reading back what it stores.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { VoucherifyServerSide } from '../../src/api/server.js';
import type { AsyncAction, Customer, CustomerConsentsState } from '../../src/api/types.js';
import {
  EMULATOR_DEFAULTS,
  startEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from '../../src/emulator/index.js';

export const SERVER_HEADERS = {
  'X-App-Id': EMULATOR_DEFAULTS.serverKeys[0].appId,
  'X-App-Token': EMULATOR_DEFAULTS.serverKeys[0].appToken,
};

export const CLIENT_HEADERS = {
  'X-Client-Application-Id': EMULATOR_DEFAULTS.clientKeys[0].clientApplicationId,
  'X-Client-Token': EMULATOR_DEFAULTS.clientKeys[0].clientToken,
  Origin: 'http://localhost:8000',
};

/** An in-process emulator for the emulator's own tests: an ephemeral port, no logs, async jobs without delays. */
export function start(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  return startEmulator({ port: 0, quiet: true, jobStepDelayMs: 0, ...options });
}

export interface ApiAnswer<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/** A request with server keys (unless `headers` says otherwise); JSON bodies are sent as JSON. */
export async function call<T = any>(
  emulator: RunningEmulator,
  method: string,
  path: string,
  init: { json?: unknown; body?: BodyInit; headers?: Record<string, string>; keys?: 'server' | 'client' | 'none' } = {},
): Promise<ApiAnswer<T>> {
  const keys = init.keys ?? (path.startsWith('/client/') ? 'client' : 'server');
  const headers: Record<string, string> = {
    ...(keys === 'server' ? SERVER_HEADERS : keys === 'client' ? CLIENT_HEADERS : {}),
    ...(init.json !== undefined ? { 'Content-Type': 'application/json' } : {}),
    ...init.headers,
  };
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers,
    ...(init.json !== undefined
      ? { body: JSON.stringify(init.json) }
      : init.body !== undefined
        ? { body: init.body }
        : {}),
  });
  const text = await response.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // plain text answers stay text
  }
  return { status: response.status, headers: response.headers, body, text };
}

export const enc = encodeURIComponent;

/** Polls an async action until `done` says so (job state is only observable over HTTP, so this polls). */
export async function waitForAction(
  emulator: RunningEmulator,
  id: string,
  done: (action: AsyncAction<any>) => boolean = (action) => action.status === 'DONE' || action.status === 'FAILED',
  timeoutMs = 20_000,
): Promise<AsyncAction<any>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await call<AsyncAction<any>>(emulator, 'GET', `/v1/async-actions/${id}`);
    if (answer.status !== 200) throw new Error(`GET async action ${id}: ${answer.status} ${answer.text}`);
    if (done(answer.body)) return answer.body;
    if (Date.now() > deadline) throw new Error(`async action ${id} still ${answer.body.status} after ${timeoutMs} ms`);
    await sleep(5);
  }
}

/** A multipart body with `file` (and optional extra fields), as FormData. */
export function csvForm(csv: string, field = 'file'): FormData {
  const form = new FormData();
  form.append(field, new Blob([csv], { type: 'text/csv' }), 'customers.csv');
  return form;
}

export async function importCsv(emulator: RunningEmulator, csv: string): Promise<AsyncAction<any>> {
  const answer = await call(emulator, 'POST', '/v1/customers/importCSV', { body: csvForm(csv) });
  if (answer.status !== 202) throw new Error(`importCSV: ${answer.status} ${answer.text}`);
  return waitForAction(emulator, answer.body.async_action_id);
}

export const REQUEST_ID = /^v-[0-9a-f]{18}$/;
export const CUSTOMER_ID = /^cust_[A-Za-z0-9]{24}$/;
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Voucherify's server API with the emulator's default keys and no retries, to see what the emulator really holds. */
export function emulatorServerApi(emulatorUrl: string) {
  const [key] = EMULATOR_DEFAULTS.serverKeys;
  return VoucherifyServerSide({ applicationId: key.appId, secretKey: key.appToken, baseUrl: emulatorUrl, retry: 0 });
}

/** A customer's stored consent decisions (`system_metadata.consents`), `{}` when it has none. */
export function consentsOf(customer: Customer): CustomerConsentsState {
  return ((customer.system_metadata as { consents?: CustomerConsentsState } | undefined)?.consents ??
    {}) as CustomerConsentsState;
}

/** Everything a data file keeps on disk: the snapshot and its logs, as text. */
export async function dataOnDisk(dataFile: string): Promise<string> {
  const parts = await Promise.all(
    [dataFile, `${dataFile}.log`, `${dataFile}.log.next`].map((file) => readFile(file, 'utf8').catch(() => '')),
  );
  return parts.join('\n');
}
