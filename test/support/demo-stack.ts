/**
 * The end-to-end tests' demo stack, started exactly as `npm start` starts it (the same orchestrator, minus the build
 * the test run already did), on free ports so a developer's own `npm start` can keep running — or on the ports in
 * VC_EMULATOR_PORT / VC_WORKER_PORT / VC_DEMO_PORT when those are set.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SERVER_HEADERS } from './emulator.js';
import { freePort } from './ports.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

export interface DemoStack {
  demoUrl: string;
  workerUrl: string;
  emulatorUrl: string;
  ports: { emulator: number; worker: number; demo: number };
  /** The orchestrator's pid (its children: the worker's node and workerd). */
  pid: number;
  /** Everything the orchestrator printed, for failure messages. */
  output(): string;
  stop(): Promise<number | null>;
}

async function portFromEnv(variable: string): Promise<number> {
  const value = process.env[variable];
  return value ? Number(value) : freePort();
}

export async function startDemoStack(extraEnv: Record<string, string> = {}): Promise<DemoStack> {
  const ports = {
    emulator: await portFromEnv('VC_EMULATOR_PORT'),
    worker: await portFromEnv('VC_WORKER_PORT'),
    demo: await portFromEnv('VC_DEMO_PORT'),
  };
  let output = '';
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'demo/start.ts', '--no-build'], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      VC_EMULATOR_PORT: String(ports.emulator),
      VC_WORKER_PORT: String(ports.worker),
      VC_DEMO_PORT: String(ports.demo),
      ...extraEnv,
    },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the stack did not start within 90 s:\n${output}`)), 90_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('vc-consent demo is running')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with code ${code} before it was ready:\n${output}`));
    });
  });
  return {
    demoUrl: `http://127.0.0.1:${ports.demo}`,
    workerUrl: `http://127.0.0.1:${ports.worker}`,
    emulatorUrl: `http://127.0.0.1:${ports.emulator}`,
    ports,
    pid: child.pid!,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Voucherify server-side calls straight to the stack's emulator, to check what it really holds. */
export async function emulatorGet<T>(stack: DemoStack, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${stack.emulatorUrl}${path}`, { headers: SERVER_HEADERS });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : null) as T };
}

/**
 * One of the emulator's `/_emulator/…` controls (reset, faults) on the stack's emulator. A reset whose webhooks the
 * worker did not all acknowledge throws: the worker could serve what it cached before the reset.
 */
export async function emulatorControl(stack: DemoStack, method: string, path: string, body?: unknown): Promise<void> {
  const response = await fetch(`${stack.emulatorUrl}/_emulator/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`emulator control ${method} ${path}: ${response.status} ${text}`);
  if (path === 'reset' && (JSON.parse(text) as { webhooks?: string }).webhooks !== 'delivered')
    throw new Error(
      `emulator reset: the worker did not acknowledge every webhook (${text})\n${stack.output().slice(-4_000)}`,
    );
}
