/** File-system steps that make a write survive a crash: a synced directory entry, an atomic replace. */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** Whether a process with this id is running (one we may not signal is running too). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The file opened for reading, or undefined when it does not exist. */
export async function openIfExists(file: string): Promise<FileHandle | undefined> {
  try {
    return await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Makes a created or renamed entry in `file`'s directory durable (a crash could otherwise lose the name). */
export async function syncDirectory(file: string): Promise<void> {
  let directory: FileHandle | undefined;
  try {
    directory = await open(path.dirname(file), 'r');
    await directory.sync();
  } catch (error) {
    // Some file systems cannot open or sync a directory; there is nothing more to do there.
    if (!['EISDIR', 'EINVAL', 'EPERM', 'EACCES'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await directory?.close();
  }
}

/** Writes `file` through `write` on a synced temporary file renamed over it: the old or the new file, never half. */
export async function replaceFile(file: string, write: (handle: FileHandle) => Promise<void>): Promise<void> {
  const temp = `${file}.tmp`;
  const handle = await open(temp, 'w');
  try {
    await write(handle);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, file);
  await syncDirectory(file);
}
