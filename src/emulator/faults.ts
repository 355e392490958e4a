/**
 * Fault injection for reliability tests: latency, an error status (429 with `Retry-After`, 5xx…) or a dropped
 * connection, per method and path glob, optionally only `times` times. Rules can be changed while running.
 */
import { invalidPayload } from './errors.js';
import { describe, isPlainObject } from './validation.js';

export interface FaultRule {
  /** e.g. 'PUT'; absent = any (CORS preflights are only faulted by rules that name OPTIONS). */
  method?: string;
  /** Glob on the raw path: '*' = one segment (or part of one), '**' = any rest. Absent = any route. */
  path?: string;
  kind: 'latency' | 'status' | 'drop';
  /** For latency: the delay before the request proceeds normally. */
  latencyMs?: number;
  /** For status, e.g. 429, 500, 503. */
  status?: number;
  /** Seconds, sent as `Retry-After`. */
  retryAfter?: number;
  /** Overrides the default Voucherify-style body of a status fault (a string is sent as text). */
  body?: unknown;
  /** Apply this many times, then expire; absent = until cleared. */
  times?: number;
  /**
   * Fault the answer instead of the request: the route runs first (a write is applied), then the answer is delayed,
   * replaced by the status, or its connection dropped. What a client sees when a write succeeded but its answer was lost.
   */
  after?: boolean;
}

interface ActiveRule {
  rule: FaultRule;
  pattern: RegExp | undefined;
  remaining: number;
}

export interface FaultPhase {
  /** Total latency to add. */
  latencyMs: number;
  /** A status or drop rule that answers instead (of the route, or of its answer). */
  terminal?: FaultRule;
}

export interface FaultDecision {
  /** Before the route runs. */
  before: FaultPhase;
  /** After the route ran (rules with `after: true`). */
  after: FaultPhase;
}

function globToRegExp(glob: string): RegExp {
  const source = glob
    .split(/(\*\*|\*)/)
    .map((part) => (part === '**' ? '.*' : part === '*' ? '[^/]*' : part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}

const KINDS = ['latency', 'status', 'drop'] as const;

/** Checks a rule sent to the control API; 400 `invalid_payload` names the bad property. */
export function validateFaultRule(value: unknown, path = ''): FaultRule {
  const fail = (property: string, reason: string) => invalidPayload(`${path}${property}: ${reason}`);
  if (!isPlainObject(value)) throw fail('rule', `must be an object (actual value is ${describe(value)})`);
  const { method, path: glob, kind, latencyMs, status, retryAfter, body, times, after } = value;
  if (!KINDS.includes(kind as (typeof KINDS)[number]))
    throw fail('kind', `must be one of ${KINDS.join(', ')} (actual value is ${describe(kind)})`);
  const rule: FaultRule = { kind: kind as FaultRule['kind'] };
  if (method !== undefined) {
    if (typeof method !== 'string' || !/^[A-Za-z]+$/.test(method))
      throw fail('method', `must be an HTTP method (actual value is ${describe(method)})`);
    rule.method = method.toUpperCase();
  }
  if (glob !== undefined) {
    if (typeof glob !== 'string' || !glob.startsWith('/'))
      throw fail('path', `must be a path glob starting with / (actual value is ${describe(glob)})`);
    rule.path = glob;
  }
  if (kind === 'latency') {
    if (typeof latencyMs !== 'number' || !Number.isFinite(latencyMs) || latencyMs < 0 || latencyMs > 600_000) {
      throw fail('latencyMs', `must be a number of ms between 0 and 600000 (actual value is ${describe(latencyMs)})`);
    }
    rule.latencyMs = latencyMs;
  }
  if (kind === 'status') {
    if (!Number.isInteger(status) || (status as number) < 400 || (status as number) > 599) {
      throw fail('status', `must be an HTTP error status between 400 and 599 (actual value is ${describe(status)})`);
    }
    rule.status = status as number;
  }
  if (retryAfter !== undefined) {
    if (typeof retryAfter !== 'number' || !Number.isInteger(retryAfter) || retryAfter < 0) {
      throw fail('retryAfter', `must be a whole number of seconds (actual value is ${describe(retryAfter)})`);
    }
    rule.retryAfter = retryAfter;
  }
  if (body !== undefined) rule.body = body;
  if (after !== undefined) {
    if (typeof after !== 'boolean') throw fail('after', `must be true or false (actual value is ${describe(after)})`);
    if (after) rule.after = true;
  }
  if (times !== undefined) {
    if (!Number.isInteger(times) || (times as number) < 1)
      throw fail('times', `must be a positive integer (actual value is ${describe(times)})`);
    rule.times = times as number;
  }
  return rule;
}

export class FaultSet {
  private active: ActiveRule[] = [];

  set(rules: FaultRule[]): void {
    this.active = rules.map((rule) => this.activate(rule));
  }

  add(rule: FaultRule): void {
    this.active.push(this.activate(rule));
  }

  clear(): void {
    this.active = [];
  }

  /** The rules still in force, with `times` showing what is left. */
  list(): FaultRule[] {
    return this.active.map(({ rule, remaining }) =>
      Number.isFinite(remaining) ? { ...rule, times: remaining } : { ...rule },
    );
  }

  /** Matches a request and uses up one application of every rule it applies. */
  decide(method: string, rawPath: string): FaultDecision {
    const decision: FaultDecision = { before: { latencyMs: 0 }, after: { latencyMs: 0 } };
    for (const active of this.active) {
      const { rule } = active;
      if (rule.method ? rule.method !== method : method === 'OPTIONS') continue;
      if (active.pattern && !active.pattern.test(rawPath)) continue;
      const phase = rule.after ? decision.after : decision.before;
      if (rule.kind === 'latency') {
        phase.latencyMs += rule.latencyMs ?? 0;
      } else if (!phase.terminal) {
        phase.terminal = rule;
      } else {
        continue;
      }
      active.remaining--;
    }
    this.active = this.active.filter((active) => active.remaining > 0);
    return decision;
  }

  private activate(rule: FaultRule): ActiveRule {
    return { rule, pattern: rule.path ? globToRegExp(rule.path) : undefined, remaining: rule.times ?? Infinity };
  }
}
