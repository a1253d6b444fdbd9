import type { LedgerVerification } from '../db/store.ts';
import type { CoreDeps } from './deps.ts';

/** Walk the consent ledger's hash chain; reports the first row that was edited, removed or reordered. */
export function verifyLedger(deps: CoreDeps): Promise<LedgerVerification> {
  return deps.store.ledger.verify();
}
