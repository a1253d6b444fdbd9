import type { Db } from '../src/db/client.ts';
import { chainRow, GENESIS_HASH } from '../src/db/ledger-chain.ts';

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

/**
 * Insert `count` ledger rows straight into consent_events (the dashboard bench): unsubscribes
 * and subscribes spread over `days` days before `at`, over topics, sources and campaigns. The
 * rows extend the real hash chain (chainRow), so `ledger verify` and `db copy` accept the
 * result; raw inserts keep no counters, so the caller recounts them (recountDashboard).
 */
export function seedLedger(db: Db, count: number, at: number, days: number): void {
  const last = db.sqlite.prepare<[], { id: number; hash: string }>('SELECT id, hash FROM consent_events ORDER BY id DESC LIMIT 1').get();
  const insert = db.sqlite.prepare(
    'INSERT INTO consent_events (id, at, contact_id, action, topic, source, policy_version, campaign, prev_hash, hash) VALUES (@id, @at, NULL, @action, @topic, @source, @policyVersion, @campaign, @prevHash, @hash)',
  );
  const topics = ['newsletter', 'marketing', 'updates', '*'];
  const sources = ['one-click', 'one-click', 'one-click', 'unsubscribe-page', 'preference-center', 'api', 'admin'];
  db.sqlite.transaction(() => {
    let prev = last?.hash ?? GENESIS_HASH;
    for (let i = 0; i < count; i++) {
      const unsub = i % 3 !== 0;
      const row = chainRow(
        { at: at - (i % days) * 86_400_000 - (i % 1000), contactId: null, action: unsub ? 'unsubscribe' : 'subscribe', topic: topics[i % 4], source: sources[i % 7]!, policyVersion: '2.0', campaign: unsub && i % 5 === 0 ? `campaign-${i % 40}` : null },
        (last?.id ?? 0) + i + 1,
        prev,
      );
      insert.run({ id: row.id, at: row.at, action: row.action, topic: row.topic, source: row.source, policyVersion: row.policyVersion, campaign: row.campaign, prevHash: row.prevHash, hash: row.hash });
      prev = row.hash;
    }
  })();
}

/** Baseline for the dashboard: the same figures by scanning the suppression list and the ledger. */
export function dashboardByScan(db: Db, fromDay: number): number {
  const rows = [
    ...db.sqlite.prepare('SELECT reason, count(*) FROM suppressions GROUP BY reason').raw(true).all(),
    ...db.sqlite.prepare('SELECT created_at / 86400000, count(*) FROM suppressions WHERE created_at / 86400000 >= ? GROUP BY 1').raw(true).all(fromDay),
    ...db.sqlite.prepare("SELECT at / 86400000, topic, source, count(*) FROM consent_events WHERE action = 'unsubscribe' AND at / 86400000 >= ? GROUP BY 1, 2, 3").raw(true).all(fromDay),
    ...db.sqlite.prepare("SELECT campaign, count(*) FROM consent_events WHERE action = 'unsubscribe' AND campaign IS NOT NULL GROUP BY 1 ORDER BY 2 DESC LIMIT 10").raw(true).all(),
    ...db.sqlite.prepare('SELECT topic_id, status, count(*) FROM subscriptions GROUP BY 1, 2').raw(true).all(),
  ];
  return rows.length;
}
