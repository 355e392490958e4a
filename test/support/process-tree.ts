/** A process and its descendants, and their resident memory, read from Linux's /proc. */
import { readFileSync, readdirSync } from 'node:fs';

export interface ProcessInfo {
  pid: number;
  name: string;
}

function stat(pid: number): { name: string; ppid: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The name is in parentheses and may hold spaces; the fields after it are space separated.
    const close = text.lastIndexOf(')');
    const name = text.slice(text.indexOf('(') + 1, close);
    const ppid = Number(text.slice(close + 2).split(' ')[1]);
    return { name, ppid };
  } catch {
    return undefined; // gone meanwhile
  }
}

/** `root` and every process below it. */
export function processTree(root: number): ProcessInfo[] {
  const all = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .flatMap((pid) => {
      const info = stat(pid);
      return info ? [{ pid, ...info }] : [];
    });
  const found: ProcessInfo[] = [];
  const visit = (pid: number) => {
    const self = all.find((info) => info.pid === pid);
    if (self) found.push({ pid, name: self.name });
    for (const child of all.filter((info) => info.ppid === pid)) visit(child.pid);
  };
  visit(root);
  return found;
}

/** Resident memory in KiB (`VmRSS`), or undefined once the process is gone. */
export function rssKiB(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
