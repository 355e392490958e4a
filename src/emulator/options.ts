/** `startEmulator` options and their defaults (the documented default keys, localhost origins, 10 MiB bodies). */
import type { ClientKey, ServerKey } from './auth.js';
import { CLIENT_SIDE_LIMIT, DEFAULT_BILLING_CYCLE_MS, PLANS, isPlanName, planWindow, type PlanName } from './plans.js';
import type { LimitSettings } from './rate-limit.js';
import { EMULATOR_DEFAULTS } from './seed.js';

export interface EmulatorOptions {
  /** 0 = ephemeral (tests); main.ts uses VC_EMULATOR_PORT ?? 4010. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Optional persistence: loaded at start; every change is on disk (fsync) before the request that made it is answered. */
  dataFile?: string;
  /** Load the demo seed from seed.ts (default true). Ignored when `dataFile` exists: its data is loaded instead. */
  seed?: boolean;
  serverKeys?: Array<{ appId: string; appToken: string }>;
  clientKeys?: Array<{ clientApplicationId: string; clientToken: string }>;
  /** Voucherify whitelist patterns; replaces the default (localhost and 127.0.0.1 on any port). */
  allowedOrigins?: string[];
  /** Default 10 MiB (413 above); `--max-body` / `VC_EMULATOR_MAX_BODY` from the command line. */
  maxBodyBytes?: number;
  /** With `dataFile`: write a new snapshot once the log is past this and twice the snapshot (default 64 MiB). */
  compactionBytes?: number;
  /** Pause between chunks of an async job, so progress is observable (default 5 ms; 0 = only yield). */
  jobStepDelayMs?: number;
  /** Requests per caller per window (over a plan's per-minute limit); the default is generous enough that tests never trip it. */
  rateLimit?: { limit: number; windowMs: number };
  /** Voucherify's limits for the plan: per minute, per billing cycle (then blocked), client side 5 per 5 s per IP. */
  plan?: PlanName;
  /** The billing cycle's length under a plan (default 30 days). */
  billingCycleMs?: number;
  /** No log line per request. */
  quiet?: boolean;
  /** POST signed customer events here (`webhooks.ts`); both or neither. */
  webhookUrl?: string;
  webhookSecret?: string;
}

export interface ResolvedOptions extends LimitSettings {
  port: number;
  host: string;
  dataFile: string | undefined;
  seed: boolean;
  serverKeys: ServerKey[];
  clientKeys: ClientKey[];
  allowedOrigins: string[];
  maxBodyBytes: number;
  compactionBytes: number;
  jobStepDelayMs: number;
  plan: PlanName | undefined;
  quiet: boolean;
  webhook: { url: string; secret: string } | undefined;
}

export const DEFAULT_JOB_STEP_DELAY_MS = 5;
export const DEFAULT_COMPACTION_BYTES = 64 * 1024 * 1024;
export const DEFAULT_RATE_LIMIT = { limit: 100_000, windowMs: 60_000 };

export function resolveOptions(options: EmulatorOptions = {}): ResolvedOptions {
  const resolved: ResolvedOptions = {
    port: options.port ?? EMULATOR_DEFAULTS.port,
    host: options.host ?? EMULATOR_DEFAULTS.host,
    dataFile: options.dataFile,
    seed: options.seed ?? true,
    serverKeys: (options.serverKeys ?? EMULATOR_DEFAULTS.serverKeys).map((key) => ({ ...key })),
    clientKeys: (options.clientKeys ?? EMULATOR_DEFAULTS.clientKeys).map((key) => ({ ...key })),
    allowedOrigins: [...(options.allowedOrigins ?? EMULATOR_DEFAULTS.allowedOrigins)],
    maxBodyBytes: options.maxBodyBytes ?? EMULATOR_DEFAULTS.maxBodyBytes,
    compactionBytes: options.compactionBytes ?? DEFAULT_COMPACTION_BYTES,
    jobStepDelayMs: options.jobStepDelayMs ?? DEFAULT_JOB_STEP_DELAY_MS,
    ...limitSettings(options),
    quiet: options.quiet ?? false,
    webhook: webhookSettings(options),
  };
  if (!Number.isInteger(resolved.port) || resolved.port < 0 || resolved.port > 65_535)
    throw new RangeError(`Invalid port ${resolved.port}`);
  if (!(resolved.maxBodyBytes > 0))
    throw new RangeError(`maxBodyBytes must be positive (got ${resolved.maxBodyBytes})`);
  if (!(resolved.rateLimit.limit > 0 && resolved.rateLimit.windowMs > 0))
    throw new RangeError('rateLimit.limit and rateLimit.windowMs must be positive');
  if (!(resolved.compactionBytes > 0)) throw new RangeError('compactionBytes must be positive');
  if (resolved.cycle && !(resolved.cycle.lengthMs > 0)) throw new RangeError('billingCycleMs must be positive');
  if (!(resolved.jobStepDelayMs >= 0)) throw new RangeError('jobStepDelayMs must not be negative');
  return resolved;
}

function webhookSettings({ webhookUrl: url, webhookSecret: secret }: EmulatorOptions): ResolvedOptions['webhook'] {
  if (!url && !secret) return undefined;
  if (!url || !secret) throw new RangeError('webhookUrl and webhookSecret go together');
  if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol))
    throw new RangeError(`webhookUrl "${url}" is not an http(s) URL`);
  return { url, secret };
}

function limitSettings(options: EmulatorOptions): LimitSettings & { plan: PlanName | undefined } {
  const { plan } = options;
  if (plan !== undefined && !isPlanName(plan)) throw new RangeError(`Unknown plan "${String(plan)}"`);
  const rateLimit = { ...(options.rateLimit ?? (plan ? planWindow(plan) : DEFAULT_RATE_LIMIT)) };
  return {
    plan,
    rateLimit,
    clientRateLimit: plan ? { ...CLIENT_SIDE_LIMIT } : rateLimit,
    cycle: plan
      ? { quota: PLANS[plan].perCycle, lengthMs: options.billingCycleMs ?? DEFAULT_BILLING_CYCLE_MS }
      : undefined,
  };
}
