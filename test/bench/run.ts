/**
 * `npm run bench`: runs every `test/bench/*.bench.ts` in turn and prints one table per section.
 * Benchmarks measure side by side in one run; they are not timed tests and never fail on a figure.
 * A section module default-exports `async () => BenchSection`.
 */
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

export interface BenchSection {
  title: string;
  rows: Array<Record<string, string | number>>;
  notes?: string[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);

function printTable(section: BenchSection): void {
  console.log(`\n## ${section.title}\n`);
  const columns = [...new Set(section.rows.flatMap((row) => Object.keys(row)))];
  const cells = section.rows.map((row) => columns.map((column) => String(row[column] ?? '')));
  const widths = columns.map((column, i) => Math.max(column.length, ...cells.map((line) => line[i]!.length)));
  const line = (values: string[]) => `| ${values.map((value, i) => value.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(columns));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const row of cells) console.log(line(row));
  for (const note of section.notes ?? []) console.log(`\n${note}`);
}

const files = (await readdir(here)).filter((name) => name.endsWith('.bench.ts')).sort();
let failed = false;
for (const file of files) {
  if (only.length && !only.some((name) => file.includes(name))) continue;
  const module = (await import(pathToFileURL(path.join(here, file)).href)) as {
    default: () => Promise<BenchSection | BenchSection[]>;
  };
  try {
    const result = await module.default();
    for (const section of Array.isArray(result) ? result : [result]) printTable(section);
  } catch (error) {
    failed = true;
    console.error(`\n${file} failed:`, error);
  }
}
process.exitCode = failed ? 1 : 0;
