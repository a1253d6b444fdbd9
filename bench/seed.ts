import type { Db } from '../src/db/client.ts';

/**
 * Raw seeding and baselines for the benchmarks: they write straight into the tables (as the
 * foundation bench does), because going through the API would measure the wrong thing. The
 * server never uses them.
 */

/**
 * Insert `count` suppressions straight into the table, in one transaction: seeding a million
 * rows through the API would take minutes and measure the wrong thing. `keyOf` gives each row's
 * address key. Only the suppressions table is filled (what the export reads).
 */
export function seedSuppressions(db: Db, count: number, keyOf: (email: string) => Buffer, at: number): void {
  const insert = db.sqlite.prepare('INSERT INTO suppressions (address_key, scope, reason, source, email, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const scopes = ['*', 'newsletter', 'marketing'];
  const reasons = ['unsubscribe', 'bounce', 'manual'];
  db.sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const email = `person${i}@seed${i % 97}.example`;
      insert.run(keyOf(email), scopes[i % 3], reasons[i % 3], 'import', email, at + i, i % 10 === 0 ? at + 86_400_000 : null);
    }
  })();
}

/** Baseline for the export: read the same columns of every row, formatting nothing. */
export function scanSuppressions(db: Db): number {
  let n = 0;
  for (const _ of db.sqlite.prepare('SELECT id, email, scope, reason, source, created_at, expires_at FROM suppressions').raw(true).iterate()) n++;
  return n;
}

/** Baseline for the bulk add: bare inserts of the same rows, one transaction, no ledger. */
export function insertSuppressionsBare(db: Db, rows: Array<{ key: Buffer; email: string }>, at: number): void {
  const insert = db.sqlite.prepare("INSERT OR IGNORE INTO suppressions (address_key, scope, reason, source, email, created_at) VALUES (?, '*', 'bounce', 'api', ?, ?)");
  db.sqlite.transaction(() => {
    for (const r of rows) insert.run(r.key, r.email, at);
  })();
}
