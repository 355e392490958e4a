/** `npm run emulator` as a child process, for tests of the command line, signals and crashes. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** What `npm run emulator` runs: node with tsx's loader, so signals reach the emulator itself. */
export function runMain(env: Record<string, string>, args: string[] = []): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'src/emulator/main.ts', ...args], {
    cwd: repositoryRoot,
    env: { ...process.env, ...env },
  });
}

/** Resolves with the printed URL once the start-up banner is complete. */
export function printedUrl(child: ChildProcessWithoutNullStreams): Promise<{ url: string; output: () => string }> {
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)[\s\S]*controls/.exec(output);
      if (match) resolve({ url: match[1]!, output: () => output });
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before printing a URL:\n${output}`)));
  });
}

export async function collect(
  child: ChildProcessWithoutNullStreams,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}
