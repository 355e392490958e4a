/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** What a command prints to and reads from: the process, or a test's capture. */
export interface CliIO {
  out(line: string): void;
  err(line: string): void;
  env?: Record<string, string | undefined>;
  cwd?: string;
  /** Stops a long-running command (`emulator`) like SIGINT does; the process's SIGINT/SIGTERM always do. */
  signal?: AbortSignal;
}
