/**
 * `npm start`'s edge worker: `scripts/dev-worker.ts` (Miniflare, workerd) in a child process of its own, kept running.
 * When the child dies (workerd killed, a Miniflare failure) or stops answering /healthz, it is started again after a
 * growing pause, while the emulator and the demo shop keep serving; after repeated crashes soon after starting, it
 * gives up with a message instead of looping. The Durable Objects' SQLite files outlive a restart (`persistTo`).
 */
import { spawn, type ChildProcess } from 'node:child_process';

export interface WorkerProcessOptions {
  root: string;
  port: number;
  upstreamUrl: string;
  persistTo: string;
  /** `NAME:VALUE` overrides of the dev vars. */
  vars: string[];
  /** Each line the worker prints (already without its trailing newline). */
  onLine(line: string, stream: 'stdout' | 'stderr'): void;
  /** The orchestrator's own messages about the worker. */
  log(message: string): void;
}

export interface WorkerProcess {
  url: string;
  /** The current child's pid (its process group holds workerd too). */
  pid(): number | undefined;
  stop(): Promise<void>;
}

/** A crash this soon after the worker became ready counts toward giving up. */
const FAST_CRASH_MS = 30_000;
const MAX_FAST_CRASHES = 5;
const FIRST_BACKOFF_MS = 500;
const MAX_BACKOFF_MS = 10_000;
const HEALTH_EVERY_MS = 5_000;
const HEALTH_FAILURES_BEFORE_RESTART = 3;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal); // the child's process group: its node and workerd
  } catch {
    // already gone
  }
}

function relay(child: ChildProcess, onLine: WorkerProcessOptions['onLine']): void {
  for (const name of ['stdout', 'stderr'] as const) {
    let buffer = '';
    child[name]!.setEncoding('utf8');
    child[name]!.on('data', (chunk: string) => {
      buffer += chunk;
      let index: number;
      while ((index = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, index);
        buffer = buffer.slice(index + 1);
        if (line.trim()) onLine(line, name);
      }
    });
  }
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(HEALTH_EVERY_MS) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** Starts the worker and resolves once it answers /healthz; rejects if the first start fails. */
export async function startWorkerProcess(options: WorkerProcessOptions): Promise<WorkerProcess> {
  const url = `http://127.0.0.1:${options.port}`;
  let child: ChildProcess | undefined;
  let stopping = false;
  let fastCrashes = 0;
  let backoff = FIRST_BACKOFF_MS;

  const launch = (): { child: ChildProcess; exited: Promise<string> } => {
    const args = ['--import', 'tsx', 'scripts/dev-worker.ts', '--port', String(options.port)];
    args.push('--upstream', options.upstreamUrl, '--persist-to', options.persistTo);
    for (const pair of options.vars) args.push('--var', pair);
    const started = spawn(process.execPath, args, {
      cwd: options.root,
      detached: true, // a process group of its own, so workerd goes with it
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    relay(started, options.onLine);
    const exited = new Promise<string>((resolve) =>
      started.once('exit', (code, signal) => {
        // workerd may outlive a node that was killed outright: take the rest of the group down too.
        killGroup(started, 'SIGKILL');
        resolve(signal ? `signal ${signal}` : `exit code ${code}`);
      }),
    );
    return { child: started, exited };
  };

  /** Resolves true once /healthz answers, false if the child exits first or takes too long. */
  const ready = async (exited: Promise<string>, timeoutMs: number): Promise<boolean> => {
    let gone = false;
    void exited.then(() => (gone = true));
    const deadline = Date.now() + timeoutMs;
    while (!gone && Date.now() < deadline) {
      if (await healthy(url)) return true;
      await sleep(150);
    }
    return false;
  };

  /** Watches a running child: resolves with why it stopped (exit, or no answer to /healthz). */
  const watch = async (running: ChildProcess, exited: Promise<string>): Promise<string> => {
    let failures = 0;
    let reason: string | undefined;
    void exited.then((why) => (reason ??= why));
    while (reason === undefined) {
      await Promise.race([exited, sleep(HEALTH_EVERY_MS)]);
      if (reason !== undefined || stopping) break;
      failures = (await healthy(url)) ? 0 : failures + 1;
      if (failures >= HEALTH_FAILURES_BEFORE_RESTART) {
        reason = `no answer to /healthz ${failures} times in a row`;
        killGroup(running, 'SIGKILL');
      }
    }
    await exited;
    return reason!;
  };

  const first = launch();
  child = first.child;
  if (!(await ready(first.exited, 60_000))) {
    killGroup(first.child, 'SIGKILL');
    const why = await Promise.race([first.exited, sleep(1_000).then(() => 'no answer within 60 s')]);
    throw new Error(`the worker did not start (${why})`);
  }

  void (async () => {
    let current = first;
    for (;;) {
      const readyAt = Date.now();
      const why = await watch(current.child, current.exited);
      if (stopping) return;
      fastCrashes = Date.now() - readyAt < FAST_CRASH_MS ? fastCrashes + 1 : 1;
      if (fastCrashes > MAX_FAST_CRASHES) {
        options.log(
          `the worker stopped ${fastCrashes} times within ${FAST_CRASH_MS / 1000} s of starting; giving up.` +
            ` The emulator and the demo shop are still up; fix the cause, then restart npm start.`,
        );
        child = undefined;
        return;
      }
      if (fastCrashes === 1) backoff = FIRST_BACKOFF_MS;
      options.log(`the worker stopped (${why}); restarting it in ${backoff / 1000} s…`);
      await sleep(backoff);
      backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      if (stopping) return;
      current = launch();
      child = current.child;
      if (await ready(current.exited, 60_000)) options.log(`the worker is back on ${url}`);
    }
  })();

  return {
    url,
    pid: () => child?.pid,
    async stop() {
      stopping = true;
      const running = child;
      if (!running || running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      killGroup(running, 'SIGTERM');
      if (!(await Promise.race([exited.then(() => true), sleep(5_000).then(() => false)])))
        killGroup(running, 'SIGKILL');
    },
  };
}
