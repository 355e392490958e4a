/** The `vc-consent` CLI run in this process (`runCli`), with what it prints collected. */
import { runCli, type CliIO } from '../../src/node/cli.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `vc-consent <args>` with `io`'s environment, directory and signal; its lines are joined per stream. */
export async function runCliCollecting(args: string[], io: Omit<CliIO, 'out' | 'err'> = {}): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { ...io, out: (line) => out.push(line), err: (line) => err.push(line) });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
