/**
 * The emulator in its own Node process (for benchmarks: the load generator, the emulator and workerd then do not
 * share an event loop). `spawnEmulator(options)` starts this file as a child, which prints its URL once listening.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { EmulatorOptions } from '../../src/emulator/index.js';

export interface EmulatorProcess {
  url: string;
  pid: number;
  close(): Promise<void>;
}

const self = fileURLToPath(import.meta.url);

export function spawnEmulator(options: EmulatorOptions = {}): Promise<EmulatorProcess> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', self, JSON.stringify({ port: 0, quiet: true, ...options })],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('exit', (code) => reject(new Error(`the emulator process exited (${code}) before listening`)));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      output += chunk;
      const match = /^listening (\S+)$/m.exec(output);
      if (!match) return;
      child.removeAllListeners('exit');
      resolve({
        url: match[1]!,
        pid: child.pid!,
        close: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      });
    });
  });
}

if (process.argv[1] === self) {
  const { startEmulator } = await import('../../src/emulator/index.js');
  const emulator = await startEmulator(JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions);
  process.stdout.write(`listening ${emulator.url}\n`);
  const stop = () => void emulator.close().then(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
