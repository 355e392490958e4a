/**
 * Per-isolate set-up (configuration and secrets, validated once per `env`) and the per-request state the routes
 * share through Hono's context.
 */
import type { Context } from 'hono';
import type { Env, WorkerConfig } from './env.js';
import { ConfigError, readConfig } from './env.js';
import type { Logger } from './log.js';
import { createLogger } from './log.js';
import { Secrets } from './secrets.js';
import type { VerifiedSession } from './session-tokens.js';
import type { VerifiedUnsubscribe } from './link-tokens.js';
import type { WorkerExecutionContext } from './cloudflare.js';
import { randomHex } from '../api/hex.js';

export interface Setup {
  config: WorkerConfig;
  secrets: Secrets;
  log: Logger;
}

export interface RequestState {
  requestId: string;
  startedAt: number;
  /** The route template, for logs (never the raw path: unsubscribe paths hold tokens). */
  route: string;
  setup: Setup | null;
  /** The request's customer, logged as a keyed digest (`Secrets.customerRef()`), and only when info lines are written. */
  customerId?: string;
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    state: RequestState;
    session: VerifiedSession;
    unsubscribe: VerifiedUnsubscribe;
  };
}

export type AppContext = Context<AppEnv>;

const setups = new WeakMap<object, Promise<Setup>>();

/** Validates the environment on first use (per isolate and `env` object). Rejects with a `ConfigError`. */
export function loadSetup(env: Env): Promise<Setup> {
  let setup = setups.get(env);
  if (!setup) {
    setup = (async () => {
      const problems: ConstructorParameters<typeof ConfigError>[0] = [];
      const config = readConfig(env, problems);
      const secrets = await Secrets.load(env, config, problems);
      if (problems.length || !secrets) throw new ConfigError(problems);
      return { config, secrets, log: createLogger(config.logLevel) };
    })();
    setups.set(env, setup);
  }
  return setup;
}

/** The request's customer as logs show it (a keyed digest), computed only when info lines are written. */
export async function loggedCustomer(c: AppContext): Promise<string | undefined> {
  const { customerId, setup } = c.get('state');
  if (!customerId || !setup?.log.enabled('info')) return undefined;
  return setup.secrets.customerRef(customerId);
}

/** The set-up of a request that passed the configuration gate. */
export function setupOf(c: AppContext): Setup {
  const setup = c.get('state').setup;
  if (!setup) throw new Error('configuration gate not passed');
  return setup;
}

export function executionContext(c: AppContext): WorkerExecutionContext | null {
  try {
    return c.executionCtx as unknown as WorkerExecutionContext;
  } catch {
    return null;
  }
}

export function newRequestId(): string {
  return `v-${randomHex(9)}`;
}
