/** Fixed-window request counting per caller, for Voucherify's `X-Rate-Limit-*` headers and 429 answers. */

export interface RateLimitState {
  limit: number;
  remaining: number;
  /** Epoch ms when the window ends. */
  resetAt: number;
  limited: boolean;
}

export class RateLimiter {
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
