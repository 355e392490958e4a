/**
 * Voucherify's API limits as the emulator counts them (https://docs.voucherify.io/guides/limits): fixed windows per
 * caller (server side per app id, client side per IP address) and, under a plan, the billing cycle's quota of
 * server-side calls, which blocks API access once used up until the cycle resets.
 */
import type { WindowLimit } from './plans.js';

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch ms when the window ends. */
  resetAt: number;
  limited: boolean;
}

/** Fixed-window request counting per key. */
export class FixedWindows {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  hit(key: string, now = Date.now()): RateLimitState {
    let window = this.windows.get(key);
    if (!window || now >= window.start + this.windowMs) {
      window = { start: now, count: 0 };
      this.windows.set(key, window);
      if (this.windows.size > 10_000) this.sweep(now);
    }
    window.count++;
    return {
      limit: this.limit,
      remaining: Math.max(0, this.limit - window.count),
      resetAt: window.start + this.windowMs,
      limited: window.count > this.limit,
    };
  }

  clear(): void {
    this.windows.clear();
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (now >= window.start + this.windowMs) this.windows.delete(key);
  }
}

export interface CycleUsage {
  quota: number;
  used: number;
  remaining: number;
  blocked: boolean;
  lengthMs: number;
  startedAt: number;
  resetsAt: number;
}

/** The server-side calls of one billing cycle; cycles follow each other from the emulator's start (or a reset). */
export class BillingCycle {
  private startedAt: number;
  private used = 0;

  constructor(
    readonly quota: number,
    readonly lengthMs: number,
    now = Date.now(),
  ) {
    this.startedAt = now;
  }

  /** Counts one call, unless the quota is used up: then nothing is counted and the call is refused. */
  take(now = Date.now()): CycleUsage {
    const usage = this.usage(now);
    if (!usage.blocked) this.used++;
    return usage;
  }

  usage(now = Date.now()): CycleUsage {
    if (now >= this.startedAt + this.lengthMs) {
      this.startedAt += Math.floor((now - this.startedAt) / this.lengthMs) * this.lengthMs;
      this.used = 0;
    }
    return {
      quota: this.quota,
      used: this.used,
      remaining: Math.max(0, this.quota - this.used),
      blocked: this.used >= this.quota,
      lengthMs: this.lengthMs,
      startedAt: this.startedAt,
      resetsAt: this.startedAt + this.lengthMs,
    };
  }

  /** A new cycle from now, with `used` calls already counted (to reach the quota without making them). */
  restart(used = 0, now = Date.now()): void {
    this.startedAt = now;
    this.used = used;
  }
}

export interface LimitSettings {
  rateLimit: WindowLimit;
  clientRateLimit: WindowLimit;
  /** Only under a plan. */
  cycle: { quota: number; lengthMs: number } | undefined;
}

/** Every counter the emulator's limits need; `clear()` starts them all afresh. */
export class RateLimiter {
  readonly server: FixedWindows;
  readonly client: FixedWindows;
  readonly cycle: BillingCycle | undefined;

  constructor(settings: LimitSettings) {
    this.server = new FixedWindows(settings.rateLimit.limit, settings.rateLimit.windowMs);
    this.client = new FixedWindows(settings.clientRateLimit.limit, settings.clientRateLimit.windowMs);
    this.cycle = settings.cycle && new BillingCycle(settings.cycle.quota, settings.cycle.lengthMs);
  }

  clear(usedInCycle = 0): void {
    this.server.clear();
    this.client.clear();
    this.cycle?.restart(usedInCycle);
  }
}
