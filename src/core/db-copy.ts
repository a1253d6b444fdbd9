import { copyDatabase, CopyError, parseCopyEnd, type CopyReport } from '../db/copy.ts';
import { invalidInput } from './errors.ts';

export { CopyError, type CopyReport };

/**
 * Move an installation between engines (`sqlite:PATH` ⇄ `postgres://…`): everything, the consent
 * ledger's chain included, verified afterwards. Run it with the servers stopped, so nothing is
 * written to the source meanwhile.
 */
export function copyInstallation(input: { from: string; to: string }, progress?: (table: string, rows: number) => void): Promise<CopyReport> {
  const from = parseCopyEnd(input.from);
  const to = parseCopyEnd(input.to);
  if (!from) throw invalidInput('from', 'must be sqlite:PATH or a postgres:// URL');
  if (!to) throw invalidInput('to', 'must be sqlite:PATH or a postgres:// URL');
  return copyDatabase(from, to, progress);
}
