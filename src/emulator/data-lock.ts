/**
 * One emulator per data file: `<file>.lock` holds the process id of the emulator using it. Two emulators appending to
 * one log would interleave their lines and each compact over the other's changes; the second is refused instead. A
 * lock left by a process that is no longer running (a crash, `kill -9`) is taken over.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { isRunning } from './files.js';
import { DataFileError } from './persistence.js';

/** Takes the lock (or refuses with a `DataFileError` naming the holder); answers how to give it back. */
export async function lockDataFile(file: string): Promise<() => Promise<void>> {
  const lock = `${file}.lock`;
  // A new data file's folder is made here, before the file itself.
  await mkdir(path.dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(lock, 'wx');
      try {
        await handle.writeFile(`${process.pid}\n`);
      } finally {
        await handle.close();
      }
      return () => rm(lock, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(lock, 'utf8').catch(() => ''), 10);
    // An empty lock is one being written this instant: look again rather than take it.
    if (Number.isNaN(holder)) continue;
    if (isRunning(holder))
      throw new DataFileError(
        file,
        `another emulator (process ${holder}) is using it`,
        `Stop that one, or give this one another --data-file (${lock} names the process).`,
      );
    await rm(lock, { force: true });
  }
  throw new DataFileError(file, `its lock ${lock} could not be taken`, 'Remove the lock file if no emulator uses it.');
}
