/**
 * Runs a worker bundle in bare workerd (the binary Miniflare ships), as close to production as this machine gets: no
 * Miniflare entry worker in front, no outbound worker behind, no response compression. For benchmarks, where those
 * extras would be counted as the worker's cost. The config is written as Cap'n Proto text next to the bundle.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './ports.js';

export interface BareWorkerdOptions {
  /** The worker's source: an ES module (bundled, no imports). */
  script: string;
  compatibilityDate: string;
  /** Text bindings (vars and secrets). */
  vars?: Record<string, string>;
  /** Binds `CUSTOMER_OBJECTS` to the script's `CustomerObject` class, SQLite-backed, in memory. */
  customerObjects?: boolean;
  /** V8 flags for workerd (its config's `v8Flags`). */
  v8Flags?: string[];
  /** More `workerd serve` arguments (e.g. `--inspector-addr=127.0.0.1:9229` to profile). */
  args?: string[];
}

export interface BareWorkerd {
  url: string;
  /** The workerd process, for CPU and memory figures from /proc. */
  pid: number;
  close(): Promise<void>;
}

const workerdBinary = (): string => createRequire(import.meta.url)('workerd').default as string;

/** A Cap'n Proto text literal (the values here are ASCII; anything else is refused rather than mis-escaped). */
function capnpText(value: string): string {
  if (!/^[\x20-\x7e]*$/.test(value)) throw new Error(`not printable ASCII: ${JSON.stringify(value.slice(0, 40))}`);
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function config(options: BareWorkerdOptions, port: number): string {
  const bindings = Object.entries(options.vars ?? {}).map(
    ([name, value]) => `(name = ${capnpText(name)}, text = ${capnpText(value)})`,
  );
  const objects = options.customerObjects ?? false;
  if (objects) bindings.push('(name = "CUSTOMER_OBJECTS", durableObjectNamespace = (className = "CustomerObject"))');
  return `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "net", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
  v8Flags = [${(options.v8Flags ?? []).map(capnpText).join(', ')}],
);
const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  compatibilityDate = ${capnpText(options.compatibilityDate)},
  globalOutbound = "net",
  bindings = [${bindings.join(', ')}],
  ${objects ? 'durableObjectNamespaces = [(className = "CustomerObject", uniqueKey = "vc-bench", enableSql = true)], durableObjectStorage = (inMemory = void),' : ''}
);
`;
}

/**
 * Resolves once workerd accepts TCP connections on `port`. It connects and hangs up without sending a request, so the
 * caller's first request is the isolate's first (cold-start figures depend on it).
 */
async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`workerd exited with ${child.exitCode}: ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`workerd did not listen on ${port}: ${output()}`);
}

/** Starts workerd serving `script`; resolves once it accepts connections, before any request reached the worker. */
export async function startBareWorkerd(options: BareWorkerdOptions): Promise<BareWorkerd> {
  const dir = await mkdtemp(path.join(tmpdir(), 'vc-workerd-'));
  const port = await freePort();
  await writeFile(path.join(dir, 'worker.js'), options.script);
  await writeFile(path.join(dir, 'config.capnp'), config(options, port));
  const child = spawn(workerdBinary(), ['serve', 'config.capnp', '--experimental', ...(options.args ?? [])], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
  child.stderr.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4_000)));
  let closing: Promise<void> | undefined;
  const handle: BareWorkerd = {
    url: `http://127.0.0.1:${port}`,
    pid: child.pid!,
    close() {
      closing ??= (async () => {
        if (child.exitCode === null) {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGTERM');
          await exited;
        }
        await rm(dir, { recursive: true, force: true });
      })();
      return closing;
    },
  };
  try {
    await waitForPort(port, child, () => output);
  } catch (error) {
    await handle.close();
    throw error;
  }
  return handle;
}

/** A bundle's source, for `script`. */
export const readScript = (file: string): Promise<string> => readFile(file, 'utf8');
