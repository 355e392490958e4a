/** Reads a file of lines in large chunks (a log of a million lines loads in seconds), counting bytes exactly. */
import { openIfExists } from './files.js';

const CHUNK_BYTES = 4 * 1024 * 1024;

export interface LinesRead {
  /** Bytes up to the end of the last line that ended with a newline. */
  completeBytes: number;
  /** The bytes after it (a line cut short by a crash), if any. */
  tail: string;
}

/**
 * Calls `onLine` for every line ended by a newline, in order, with its 1-based number and where it starts; undefined
 * when the file does not exist. Empty lines are skipped.
 */
export async function readLines(
  file: string,
  onLine: (line: string, lineNumber: number, startByte: number) => void,
): Promise<LinesRead | undefined> {
  const handle = await openIfExists(file);
  if (!handle) return undefined;
  try {
    let carry = Buffer.alloc(0);
    let offset = 0;
    let lineNumber = 0;
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) break;
      const chunk = carry.length
        ? Buffer.concat([carry, buffer.subarray(0, bytesRead)])
        : buffer.subarray(0, bytesRead);
      let start = 0;
      for (let end = chunk.indexOf(10, start); end !== -1; end = chunk.indexOf(10, start)) {
        lineNumber++;
        if (end > start) onLine(chunk.toString('utf8', start, end), lineNumber, offset + start);
        start = end + 1;
      }
      offset += start;
      // Copied: `buffer` is reused by the next read.
      carry = Buffer.from(chunk.subarray(start));
    }
    return { completeBytes: offset, tail: carry.toString('utf8') };
  } finally {
    await handle.close();
  }
}
