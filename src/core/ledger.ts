import type { LedgerHead, LedgerVerification } from '../db/store.ts';
import type { CoreDeps } from './deps.ts';
import { invalidInput } from './errors.ts';

/**
 * The ledger's head as an operator keeps it: `COUNT:HASH` (rows, and the hash of the newest).
 * The hash chain shows edits and deletions inside the chain, but not the newest rows cut off:
 * the shorter chain is intact too. A head kept outside the database (printed by
 * `optbox ledger verify`, logged by the server) shows that: the chain must still reach it.
 */
export const formatHead = (head: LedgerHead) => `${head.rows}:${head.hash}`;

export function parseHead(raw: string, field = 'head'): LedgerHead {
  const m = /^(\d{1,15}):([0-9a-f]{64})$/.exec(raw.trim());
  if (!m) throw invalidInput(field, 'expected COUNT:HASH as printed by "optbox ledger verify"');
  return { rows: Number(m[1]), hash: m[2]! };
}

/**
 * Walk the consent ledger's hash chain; reports the first row that was edited, removed or
 * reordered, and, given a head kept from an earlier run, whether the chain still reaches it
 * (row COUNT exists and has HASH): rows cut off the end, or a rewritten chain, fail.
 */
export async function verifyLedger(deps: CoreDeps, input: { since?: LedgerHead | undefined } = {}): Promise<LedgerVerification> {
  const since = input.since;
  const result = await deps.store.ledger.verify(since && since.rows > 0 ? { pin: since.rows } : {});
  if (!result.ok || !since) return result;
  if (since.rows > result.rows) return { ok: false, rows: result.rows, brokenAt: result.rows + 1, problem: `the chain ends at row ${result.rows} but reached row ${since.rows} before: rows were removed from its end` };
  if (since.rows > 0 && result.pinned !== since.hash) return { ok: false, rows: result.rows, brokenAt: since.rows, problem: `row ${since.rows} no longer has the hash kept before: the chain was rewritten` };
  return result;
}

/** The head now: one indexed read, cheap enough to log periodically. */
export function ledgerHead(deps: CoreDeps): Promise<LedgerHead> {
  return deps.store.ledger.head();
}

/**
 * Log the head at once and then every `everyMs`, so that a copy of it lives outside the
 * database (in the log store): `optbox ledger verify --head COUNT:HASH` with a logged head
 * shows whether rows were cut off since. Stop it before closing the database.
 */
export function logLedgerHead(deps: CoreDeps, logger: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void }, everyMs: number): { stop(): void } {
  const log = () =>
    ledgerHead(deps).then(
      (head) => logger.info({ ledgerHead: formatHead(head) }, 'ledger head'),
      (err: unknown) => logger.warn({ err: String((err as Error)?.message ?? err) }, 'ledger head not read'),
    );
  void log();
  const timer = setInterval(() => void log(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
