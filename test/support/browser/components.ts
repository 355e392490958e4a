/// <reference types="mocha" />
/**
 * What the browser tests get from the Node side (`web-test-runner.config.mjs`, `/__vc/…`): the URLs of the real
 * emulator and worker, tokens minted with the worker's helpers, emulator faults and reset. Plus small waits.
 */
import { waitUntil } from '@open-wc/testing';
import { emulateMedia, setViewport } from '@web/test-runner-commands';
import type { FaultRule } from '../../../src/emulator/faults.js';
import type { RecordedRequest } from '../../../src/emulator/request-log.js';
import type { Scope } from '../../../src/api/edge-types.js';
import type { Customer, CustomerConsentsState } from '../../../src/api/types.js';

export interface TestEnv {
  emulatorUrl: string;
  workerUrl: string;
}

/** The emulator's default client keys. */
export const CLIENT = { id: 'emulator-client-id', token: 'emulator-client-token' } as const;

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`/__vc/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`/__vc/${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

let env: Promise<TestEnv> | undefined;
export const testEnv = (): Promise<TestEnv> => (env ??= call<TestEnv>('GET', 'env'));

/** A session token for a customer (default: every scope, 10 minutes). `now` in the past makes an expired one. */
export async function sessionToken(
  customer: string,
  options: { scopes?: Scope[]; ttlSeconds?: number; now?: string } = {},
): Promise<string> {
  return (await call<{ token: string }>('POST', 'session', { customer, ...options })).token;
}

export async function unsubscribeToken(customer: string, jti?: string): Promise<string> {
  return (await call<{ token: string }>('POST', 'unsubscribe-token', { customer, jti })).token;
}

/** A preferences-link token for a customer (default: valid for 60 days). `now` in the past makes an expired one. */
export async function preferencesToken(
  customer: string,
  options: { ttlSeconds?: number; now?: string } = {},
): Promise<string> {
  return (await call<{ token: string }>('POST', 'preferences-token', { customer, ...options })).token;
}

export const setFaults = (rules: FaultRule[]): Promise<unknown> => call('POST', 'faults', { rules });
export const clearFaults = (): Promise<unknown> => call('POST', 'clear-faults', {});
export const resetEmulator = (): Promise<unknown> => call('POST', 'reset', {});
export const emulatorRequests = (): Promise<RecordedRequest[]> => call('GET', 'requests');

/** What the emulator stores for a customer (id or source id): its status (404 once deleted) and consent decisions. */
export async function storedConsents(customer: string): Promise<{ status: number; consents: CustomerConsentsState }> {
  const { status, customer: stored } = await call<{ status: number; customer: Customer | null }>(
    'GET',
    `customer?id=${encodeURIComponent(customer)}`,
  );
  const system = stored?.system_metadata as { consents?: CustomerConsentsState } | undefined;
  return { status, consents: system?.consents ?? {} };
}

export interface StoredActivity {
  type: string;
  /** Consent ids, for `customer.consents.given|revoked`. */
  consents: string[];
  created_at: string;
}

/** The customer's activities as the emulator recorded them, oldest first. */
export const storedActivities = (customer: string): Promise<StoredActivity[]> =>
  call('GET', `activities?id=${encodeURIComponent(customer)}`);

/** The element's shadow root, typed. */
export const shadow = (element: Element): ShadowRoot => element.shadowRoot!;

export const $ = <T extends Element = HTMLElement>(element: Element, selector: string): T | null =>
  shadow(element).querySelector<T>(selector);

export const $$ = <T extends Element = HTMLElement>(element: Element, selector: string): T[] => [
  ...shadow(element).querySelectorAll<T>(selector),
];

/** Visible text of the shadow tree, whitespace collapsed, without the invisible marks that isolate names (U+2068, U+2069). */
export const text = (element: Element): string =>
  (shadow(element).textContent ?? '')
    .replace(/[\u2068\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** Waits until the shadow tree matches a selector (and returns the match). */
export async function until<T extends Element = HTMLElement>(
  element: Element,
  selector: string,
  message?: string,
): Promise<T> {
  await waitUntil(() => $(element, selector), message ?? `${selector} never appeared`, { timeout: 8000 });
  return $(element, selector) as T;
}

/** Waits until the shadow tree's text contains a string. */
export async function untilText(element: Element, needle: string | RegExp): Promise<void> {
  await waitUntil(
    () => (typeof needle === 'string' ? text(element).includes(needle) : needle.test(text(element))),
    `text never matched ${needle}; it is: ${text(element)}`,
    { timeout: 8000 },
  );
}

/** Collects uncaught errors and unhandled rejections while a test runs. */
export function watchUncaught(): { errors: unknown[]; stop(): void } {
  const errors: unknown[] = [];
  const onError = (event: ErrorEvent) => errors.push(event.error ?? event.message);
  const onRejection = (event: PromiseRejectionEvent) => errors.push(event.reason);
  addEventListener('error', onError);
  addEventListener('unhandledrejection', onRejection);
  return {
    errors,
    stop() {
      removeEventListener('error', onError);
      removeEventListener('unhandledrejection', onRejection);
    },
  };
}

/** The views every element is checked in: English and Arabic, light and dark, a desktop and a phone. */
export interface View {
  lang: 'en' | 'ar';
  theme: 'light' | 'dark';
  width: number;
  height: number;
}

/**
 * One `it` per view, named "<lang>, <theme>, <width> px", with the viewport set to it and the color scheme emulated
 * (light again afterwards); the element's own `theme` is `run`'s to set.
 */
export function itInEveryView(run: (view: View) => Promise<void>): void {
  for (const [width, height] of [
    [1280, 800],
    [390, 844],
  ] as const) {
    for (const lang of ['en', 'ar'] as const) {
      for (const theme of ['light', 'dark'] as const) {
        it(`${lang}, ${theme}, ${width} px`, async () => {
          await setViewport({ width, height });
          await emulateMedia({ colorScheme: theme });
          try {
            await run({ lang, theme, width, height });
          } finally {
            await emulateMedia({ colorScheme: 'light' });
          }
        });
      }
    }
  }
}
