/**
 * Voucherify's published API limits per plan (https://docs.voucherify.io/guides/limits), and the text forms the command
 * line and the environment give them in: `--rate-limit 60/10s`, `--plan business`, `--billing-cycle 30d`.
 */

export type PlanName = 'business' | 'organization';

export interface WindowLimit {
  limit: number;
  windowMs: number;
}

const MINUTE = 60_000;
const DAY = 86_400_000;

/** Server-side calls per minute and per billing cycle. */
export const PLANS: Record<PlanName, { perMinute: number; perCycle: number }> = {
  business: { perMinute: 100, perCycle: 100_000 },
  organization: { perMinute: 2_000, perCycle: 300_000 },
};

/** Under every plan, client-side calls are limited per IP address. */
export const CLIENT_SIDE_LIMIT: WindowLimit = { limit: 5, windowMs: 5_000 };

export const DEFAULT_BILLING_CYCLE_MS = 30 * DAY;

export const planWindow = (plan: PlanName): WindowLimit => ({ limit: PLANS[plan].perMinute, windowMs: MINUTE });

export function isPlanName(value: unknown): value is PlanName {
  return typeof value === 'string' && Object.hasOwn(PLANS, value);
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1_000, m: MINUTE, h: 3_600_000, d: DAY };

/** `500ms`, `10s`, `5m`, `1h`, `30d` in ms; 0 for anything else. */
function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text.trim());
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : 0;
}

/** A positive whole number and a unit: `500ms`, `10s`, `5m`, `1h`, `30d`. */
export function parseDuration(text: string, what: string): number {
  const ms = durationMs(text);
  if (!(ms > 0)) throw new RangeError(`${what} "${text}" is not a duration like 10s, 5m, 1h or 30d`);
  return ms;
}

/** `<requests>/<duration>`, e.g. `60/10s` or `100/1m`. */
export function parseRateLimit(text: string, what = 'rate limit'): WindowLimit {
  const match = /^\s*(\d+)\s*\/\s*(\S+)\s*$/.exec(text);
  const limit = match ? Number(match[1]) : 0;
  const windowMs = match ? durationMs(match[2]!) : 0;
  if (!(limit > 0 && windowMs > 0)) throw new RangeError(`${what} "${text}" is not <requests>/<seconds>s, e.g. 60/10s`);
  return { limit, windowMs };
}

export function parsePlan(text: string, what = 'plan'): PlanName {
  const name = text.trim().toLowerCase();
  if (!isPlanName(name)) throw new RangeError(`${what} "${text}" is not one of ${Object.keys(PLANS).join(', ')}`);
  return name;
}

/** The limit options given as text (flags win over the environment's `VC_EMULATOR_*` variables). */
export interface LimitTexts {
  rateLimit?: string | undefined;
  plan?: string | undefined;
  billingCycle?: string | undefined;
}

export interface LimitOptions {
  rateLimit?: WindowLimit;
  plan?: PlanName;
  billingCycleMs?: number;
}

/**
 * `startEmulator` options from flags and the environment; throws a `RangeError` naming what was malformed. Empty values
 * count as not given.
 */
export function limitOptions(flags: LimitTexts, env: Record<string, string | undefined> = {}): LimitOptions {
  const pick = (flag: string | undefined, name: string, variable: string) =>
    flag ? { text: flag, what: `--${name}` } : env[variable] ? { text: env[variable], what: variable } : undefined;
  const rate = pick(flags.rateLimit, 'rate-limit', 'VC_EMULATOR_RATE_LIMIT');
  const plan = pick(flags.plan, 'plan', 'VC_EMULATOR_PLAN');
  const cycle = pick(flags.billingCycle, 'billing-cycle', 'VC_EMULATOR_BILLING_CYCLE');
  return {
    ...(rate ? { rateLimit: parseRateLimit(rate.text, rate.what) } : {}),
    ...(plan ? { plan: parsePlan(plan.text, plan.what) } : {}),
    ...(cycle ? { billingCycleMs: parseDuration(cycle.text, cycle.what) } : {}),
  };
}

/** One line for the start-up banner. */
export function describeLimits({ rateLimit, plan, billingCycleMs }: LimitOptions): string {
  const window = rateLimit ?? (plan && planWindow(plan));
  const parts = [
    plan ? `${plan} plan` : '',
    window ? `${window.limit} requests per ${formatDuration(window.windowMs)}` : '',
    plan
      ? `${PLANS[plan].perCycle} per billing cycle of ${formatDuration(billingCycleMs ?? DEFAULT_BILLING_CYCLE_MS)}`
      : '',
    plan ? `client side ${CLIENT_SIDE_LIMIT.limit} per ${formatDuration(CLIENT_SIDE_LIMIT.windowMs)} per IP` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : "generous (--rate-limit or --plan model Voucherify's)";
}

/** In the largest unit that divides it: `30d`, `10s`, `1500ms`. */
export function formatDuration(ms: number): string {
  const [unit, size] = Object.entries(UNIT_MS)
    .sort(([, a], [, b]) => b - a)
    .find(([, size]) => ms % size === 0)!;
  return `${ms / size}${unit}`;
}
