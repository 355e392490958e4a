/**
 * Load generation and figures for benchmarks and soak tests: closed-loop clients (each sends its next request as soon as
 * the last one answered), latency percentiles, and CPU and memory of other processes read from /proc.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { processTree, rssKiB } from './process-tree.js';

export const ms = (value: number) => `${value.toFixed(2)} ms`;
export const delta = (value: number) => `${value < 0 ? '−' : '+'}${ms(Math.abs(value))}`;
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;

export interface LoadResult {
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  errors: number;
  /** Raw figures, to merge rounds. */
  latencies: number[];
  elapsed: number;
}

function summarize(latencies: number[], elapsed: number, errors: number): LoadResult {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    requests: sorted.length,
    perSecond: sorted.length / (elapsed / 1000),
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    errors,
    latencies: sorted,
    elapsed,
  };
}

export function merge(runs: LoadResult[]): LoadResult {
  return summarize(
    runs.flatMap((run) => run.latencies),
    runs.reduce((sum, run) => sum + run.elapsed, 0),
    runs.reduce((sum, run) => sum + run.errors, 0),
  );
}

export type NextRequest = (i: number) => [string, RequestInit?];

/** `clients` (default 8) sending `next()`'s request in a loop, for `durationMs` or until `total` were sent. */
export async function load(
  next: NextRequest,
  options: { durationMs?: number; total?: number; clients?: number },
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let issued = 0;
  const started = performance.now();
  const deadline = started + (options.durationMs ?? Number.POSITIVE_INFINITY);
  const more = () => performance.now() < deadline && (options.total === undefined || issued < options.total);
  await Promise.all(
    Array.from({ length: options.clients ?? 8 }, async () => {
      while (more()) {
        const [url, init] = next(issued++);
        const t0 = performance.now();
        const response = await fetch(url, init);
        await response.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (!response.ok) errors += 1;
      }
    }),
  );
  return summarize(latencies, performance.now() - started, errors);
}

/** `load()` that also measures the CPU time (user + system) the processes `pids` spent meanwhile. */
export async function loadWithCpu(
  pids: () => number[],
  next: NextRequest,
  options: Parameters<typeof load>[1],
): Promise<LoadResult & { cpuMs: number }> {
  const before = cpuMs(pids());
  const result = await load(next, options);
  return { ...result, cpuMs: cpuMs(pids()) - before };
}

/**
 * CPU time, in ms, that the processes spent so far: the sum over their threads of the scheduler's on-CPU time
 * (/proc/<pid>/task/<tid>/schedstat, in nanoseconds), precise where utime/stime count 10 ms ticks.
 */
export function cpuMs(pids: number[]): number {
  let nanoseconds = 0;
  for (const pid of pids) {
    try {
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        nanoseconds += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
      }
    } catch {
      // gone
    }
  }
  return nanoseconds / 1e6;
}

/** Resident memory of the processes, in bytes. */
export function rss(pids: number[]): number {
  return pids.reduce((total, pid) => total + (rssKiB(pid) ?? 0) * 1024, 0);
}

/** PIDs of the processes named `name…` below this one (e.g. Miniflare's workerd). */
export function childPids(name: string): number[] {
  return processTree(process.pid)
    .filter((info) => info.pid !== process.pid && info.name.startsWith(name))
    .map((info) => info.pid);
}
