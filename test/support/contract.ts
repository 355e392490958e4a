/**
 * Where the contract suite runs: the emulator (always) and the real Voucherify API (when credentials are in the
 * environment). A case is written once, with `contract()`, and runs against each target; cases that need the
 * emulator's controls (faults, request log, seed data) say `emulatorOnly` and are skipped against Voucherify.
 *
 * Real-API mode reads VOUCHERIFY_APP_ID, VOUCHERIFY_APP_TOKEN and optionally VOUCHERIFY_API_URL,
 * VOUCHERIFY_CLIENT_APP_ID, VOUCHERIFY_CLIENT_TOKEN, VOUCHERIFY_ORIGIN.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { TestContext } from 'node:test';
import { VoucherifyClientSide } from '../../src/api/client-side.js';
import type { ClientSideOptions, CustomersClientSideApi } from '../../src/api/client-side.js';
import { isVoucherifyError } from '../../src/api/errors.js';
import type { VoucherifyError } from '../../src/api/errors.js';
import { VoucherifyServerSide } from '../../src/api/server.js';
import type { CustomersServerApi, ServerSideOptions } from '../../src/api/server.js';
import { startEmulator } from '../../src/emulator/index.js';
import { EMULATOR_DEFAULTS } from '../../src/emulator/seed.js';

export type Emulator = Awaited<ReturnType<typeof startEmulator>>;

export interface Target {
  name: 'emulator' | 'voucherify';
  /** Set when the target cannot run here (no credentials). */
  skip: string | undefined;
  baseUrl: string;
  origin: string;
  /** A server-side client with this target's keys; `overrides` for transport settings of one case. */
  server(overrides?: Partial<ServerSideOptions>): CustomersServerApi;
  /** A client-side client, or undefined when the target has no client keys. */
  client(overrides?: Partial<ClientSideOptions>): CustomersClientSideApi | undefined;
  /** The running emulator (emulator target only). */
  emulator: Emulator | undefined;
  /** A value no other run or case uses, for source ids, emails, cities. */
  unique(label: string): string;
  /** Remembers a customer to forget permanently when the suite ends (the real API keeps everything). */
  track(customerId: string): string;
}

const env = process.env;
const REAL_SKIP =
  env.VOUCHERIFY_APP_ID && env.VOUCHERIFY_APP_TOKEN ? undefined : 'no VOUCHERIFY_APP_ID/TOKEN in the environment';
const run = randomBytes(3).toString('hex');
let counter = 0;

function makeTarget(name: Target['name']): Target {
  const tracked = new Set<string>();
  const target: Target = {
    name,
    skip: name === 'voucherify' ? REAL_SKIP : undefined,
    baseUrl: '',
    origin: name === 'voucherify' ? (env.VOUCHERIFY_ORIGIN ?? 'http://localhost') : 'http://localhost:8000',
    emulator: undefined,
    server(overrides = {}) {
      const keys =
        name === 'voucherify'
          ? { applicationId: env.VOUCHERIFY_APP_ID ?? '', secretKey: env.VOUCHERIFY_APP_TOKEN ?? '' }
          : {
              applicationId: EMULATOR_DEFAULTS.serverKeys[0].appId,
              secretKey: EMULATOR_DEFAULTS.serverKeys[0].appToken,
            };
      return VoucherifyServerSide({ baseUrl: target.baseUrl, ...keys, ...overrides });
    },
    client(overrides = {}) {
      const keys =
        name === 'voucherify'
          ? env.VOUCHERIFY_CLIENT_APP_ID && env.VOUCHERIFY_CLIENT_TOKEN
            ? { clientApplicationId: env.VOUCHERIFY_CLIENT_APP_ID, clientSecretKey: env.VOUCHERIFY_CLIENT_TOKEN }
            : undefined
          : {
              clientApplicationId: EMULATOR_DEFAULTS.clientKeys[0].clientApplicationId,
              clientSecretKey: EMULATOR_DEFAULTS.clientKeys[0].clientToken,
            };
      return keys && VoucherifyClientSide({ baseUrl: target.baseUrl, origin: target.origin, ...keys, ...overrides });
    },
    unique: (label) => `vc-contract-${run}-${++counter}-${label}`,
    track(customerId) {
      tracked.add(customerId);
      return customerId;
    },
  };
  const setup = async () => {
    if (name === 'emulator') {
      target.emulator = await startEmulator({ port: 0, quiet: true });
      target.baseUrl = target.emulator.url;
    } else {
      target.baseUrl = env.VOUCHERIFY_API_URL ?? 'https://api.voucherify.io';
    }
  };
  const teardown = async () => {
    if (target.emulator) await target.emulator.close();
    else if (!target.skip) {
      const server = target.server();
      for (const id of tracked) await server.customerPermanentlyDeletion(id).catch(() => undefined);
    }
  };
  hooks.set(target, { setup, teardown });
  return target;
}

const hooks = new WeakMap<Target, { setup: () => Promise<void>; teardown: () => Promise<void> }>();

export interface CaseOptions {
  /** Needs the emulator's controls or seed data. */
  emulatorOnly?: boolean;
  /** Needs client-side keys. */
  clientKeys?: boolean;
  timeout?: number;
}

export type Case = (target: Target, t: TestContext) => Promise<void>;

/**
 * Declares a group of contract cases once; they run against the emulator and, with credentials, against Voucherify.
 * `define` receives `it(name, options?, fn)`.
 */
export function contract(
  title: string,
  define: (it: (name: string, optionsOrCase: CaseOptions | Case, maybeCase?: Case) => void) => void,
): void {
  for (const name of ['emulator', 'voucherify'] as const) {
    const target = makeTarget(name);
    describe(`${title} [${name}]`, { skip: target.skip }, () => {
      before(() => hooks.get(target)!.setup());
      after(() => hooks.get(target)!.teardown());
      define((caseName, optionsOrCase, maybeCase) => {
        const options = typeof optionsOrCase === 'function' ? {} : optionsOrCase;
        const fn = typeof optionsOrCase === 'function' ? optionsOrCase : maybeCase!;
        const skip =
          options.emulatorOnly && name !== 'emulator'
            ? 'needs the emulator'
            : options.clientKeys &&
                name === 'voucherify' &&
                !(env.VOUCHERIFY_CLIENT_APP_ID && env.VOUCHERIFY_CLIENT_TOKEN)
              ? 'no VOUCHERIFY_CLIENT_APP_ID/TOKEN in the environment'
              : undefined;
        test(caseName, { skip, timeout: options.timeout ?? (name === 'emulator' ? 30_000 : 180_000) }, (t) =>
          fn(target, t),
        );
      });
    });
  }
}

/** The VoucherifyError a call rejects with (fails the test if it resolves or throws something else). */
export async function rejectsWith(promise: Promise<unknown>): Promise<VoucherifyError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(isVoucherifyError(error), `expected a VoucherifyError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}
