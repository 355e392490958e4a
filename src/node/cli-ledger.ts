import { readFile } from 'node:fs/promises';
import { UsageError } from './cli-io.js';
import type { CliIO } from './cli-io.js';
import { LedgerFileError, verifyLedgerExport } from './ledger-file.js';

export /** `ledger verify <file>`: 0 when the chain holds, 1 naming the first broken record, 2 for a file it cannot read. */
async function ledgerCommand(args: string[], io: CliIO): Promise<number> {
  const [action, file, ...rest] = args;
  if (action !== 'verify' || !file || rest.length) throw new UsageError('Usage: vc-consent ledger verify <file>');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    io.err(`vc-consent: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    return 2;
  }
  let result;
  try {
    result = await verifyLedgerExport(text);
  } catch (error) {
    if (!(error instanceof LedgerFileError)) throw error;
    io.err(`vc-consent: ${file} is not a consent ledger export: ${error.message}`);
    return 2;
  }
  if (result.ok) {
    const start = result.from > 1 ? `, checked from record ${result.from} (the file starts there)` : '';
    const erasures = result.erasures ? `, ${result.erasures} erasure record${result.erasures > 1 ? 's' : ''}` : '';
    io.out(
      `${file}: ${result.records} record${result.records === 1 ? '' : 's'} (${result.format}), chain intact${start}${erasures}.`,
    );
    return 0;
  }
  const { index, id, seq, reason } = result.broken;
  const where = result.format === 'csv' ? `line ${index + 2}` : `entry ${index + 1}`;
  io.err(`${file}: broken at ${where}: record ${seq ?? '?'} (${id || 'no id'}): ${reason}.`);
  return 1;
}
