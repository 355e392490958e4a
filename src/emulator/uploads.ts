/**
 * The folder where CSV uploads wait for their import job: one per running emulator, named with its process id, so a
 * start can remove the folders that emulators which crashed (or were killed) left behind.
 */
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { isRunning } from './files.js';

const PREFIX = 'vc-emulator-uploads-';
/** Folders named before process ids were part of the name: removed once surely unused. */
const UNNAMED_MAX_AGE_MS = 24 * 3600_000;

export async function createUploadDirectory(): Promise<string> {
  await removeAbandoned().catch(() => {});
  return mkdtemp(path.join(os.tmpdir(), `${PREFIX}${process.pid}-`));
}

export async function removeUploadDirectory(directory: string): Promise<void> {
  await rm(directory, { recursive: true, force: true });
}

async function removeAbandoned(): Promise<void> {
  const root = os.tmpdir();
  for (const name of await readdir(root)) {
    if (!name.startsWith(PREFIX)) continue;
    const full = path.join(root, name);
    const pid = /^(\d+)-/.exec(name.slice(PREFIX.length))?.[1];
    const abandoned = pid
      ? Number(pid) !== process.pid && !isRunning(Number(pid))
      : Date.now() - (await stat(full)).mtimeMs > UNNAMED_MAX_AGE_MS;
    if (abandoned) await rm(full, { recursive: true, force: true });
  }
}
