import type pg from 'pg';
import type { PgUnit } from '../unit.ts';
import type { SuppressionChangeRow, SuppressionRow } from '../../schema/index.ts';
import type { SuppressionReason } from '../../stores/suppressions.ts';

const DAY = 86_400_000;

/*
 * The change feed's promise (a client that follows `seq > cursor` ends with exactly the list) needs
 * every seq below one a reader sees to be committed already. On SQLite one writer makes that so;
 * here transactions on several connections draw seqs and commit in any order. So a writer holds
 * this advisory lock SHARED from before it draws a seq until it commits (writers never wait for
 * each other), and a reader takes it EXCLUSIVE, which waits until no transaction holding a seq is
 * in flight, and reads the feed while holding it (READ COMMITTED: the read's snapshot is taken
 * after the lock). The two-int key space, keyed by the table's oid, is apart from the bigint keys
 * of src/db/pg/client.ts.
 */
const LOCK_KEY = `'suppression_changes'::regclass::oid::int, 0`;
const DEADLOCK = '40P01';

/** Dashboard counter deltas gathered over one write, applied in the same statement as its change rows. */
export interface SuppressionTally {
  added(reason: string, at: number): void;
  removed(reason: string, at: number): void;
  /** A standing suppression now has another reason (a lapsing one replaced, an erasure). */
  reasonChanged(from: string, to: string): void;
}

export interface LogEntry {
  row: SuppressionRow;
  deleted: boolean;
}

export function createSuppressionLog() {
  // Units (one per transaction) that hold the shared lock already: it is taken once per transaction.
  const locked = new WeakSet<PgUnit>();

  function tally() {
    const reasons = new Map<string, number>();
    const daily = new Map<string, { day: number; reason: string; added: number; removed: number }>();
    const bumpDaily = (reason: string, at: number, added: number, removed: number) => {
      const day = Math.floor(at / DAY);
      const key = `${day}\0${reason}`;
      const d = daily.get(key) ?? { day, reason, added: 0, removed: 0 };
      d.added += added;
      d.removed += removed;
      daily.set(key, d);
    };
    const bump = (reason: string, by: number) => void reasons.set(reason, (reasons.get(reason) ?? 0) + by);
    const counts: SuppressionTally = {
      added: (reason, at) => (bump(reason, 1), bumpDaily(reason, at, 1, 0)),
      removed: (reason, at) => (bump(reason, -1), bumpDaily(reason, at, 0, 1)),
      reasonChanged: (from, to) => void (from !== to && (bump(from, -1), bump(to, 1))),
    };
    return { ...counts, reasons, daily };
  }

  return {
    tally,

    /**
     * The change rows (each re-inserted with a new, higher seq: `seq = EXCLUDED.seq` takes the
     * identity's next value) and the dashboard counters (as on SQLite: reason totals, and per day
     * added and removed), in one statement. `entries` must not hold one (key, scope) twice.
     */
    async write(unit: PgUnit, entries: LogEntry[], counts: ReturnType<typeof tally>, at: number): Promise<void> {
      const reasons = [...counts.reasons].filter(([, n]) => n !== 0);
      if (entries.length === 0 && reasons.length === 0 && counts.daily.size === 0) return;
      if (entries.length > 0 && !locked.has(unit)) {
        await unit.query(`SELECT pg_advisory_xact_lock_shared(${LOCK_KEY})`);
        locked.add(unit);
      }
      const rows = entries.map((e) => e.row);
      const daily = [...counts.daily.values()];
      await unit.query(
        `WITH c AS (
           INSERT INTO suppression_changes (address_key, scope, reason, source, email, created_at, expires_at, deleted, changed_at)
           SELECT *, $9::int8 FROM unnest($1::bytea[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int8[], $7::int8[], $8::bool[])
           ON CONFLICT (address_key, scope) DO UPDATE SET seq = EXCLUDED.seq, reason = EXCLUDED.reason, source = EXCLUDED.source, email = EXCLUDED.email,
             created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at, deleted = EXCLUDED.deleted, changed_at = EXCLUDED.changed_at
         ), r AS (
           INSERT INTO stat_suppression_reason (reason, count) SELECT * FROM unnest($10::text[], $11::int8[])
           ON CONFLICT (reason) DO UPDATE SET count = stat_suppression_reason.count + EXCLUDED.count
         )
         INSERT INTO stat_suppression_daily (day, reason, added, removed) SELECT * FROM unnest($12::int8[], $13::text[], $14::int8[], $15::int8[])
         ON CONFLICT (day, reason) DO UPDATE SET added = stat_suppression_daily.added + EXCLUDED.added, removed = stat_suppression_daily.removed + EXCLUDED.removed`,
        [
          rows.map((r) => r.addressKey),
          rows.map((r) => r.scope),
          rows.map((r) => r.reason),
          rows.map((r) => r.source),
          rows.map((r) => r.email),
          rows.map((r) => r.createdAt),
          rows.map((r) => r.expiresAt),
          entries.map((e) => e.deleted),
          at,
          reasons.map(([reason]) => reason),
          reasons.map(([, n]) => n),
          daily.map((d) => d.day),
          daily.map((d) => d.reason),
          daily.map((d) => d.added),
          daily.map((d) => d.removed),
        ],
      );
    },

    /** The compacted change log after a seq, read under the exclusive lock (see LOCK_KEY). */
    async read(pool: pg.Pool, query: { after: number; limit: number; scopes?: string[] | undefined; reason?: SuppressionReason | undefined; since?: number | undefined; present?: boolean }): Promise<SuppressionChangeRow[]> {
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        let broken = false;
        try {
          await client.query('BEGIN');
          await client.query(`SELECT pg_advisory_xact_lock(${LOCK_KEY})`);
          const { rows } = await client.query<SuppressionChangeRow>(
            `SELECT seq, address_key AS "addressKey", scope, reason, source, email, created_at AS "createdAt", expires_at AS "expiresAt", deleted, changed_at AS "changedAt"
             FROM suppression_changes
             WHERE seq > $1 AND ($2::text[] IS NULL OR scope = ANY($2)) AND ($3::text IS NULL OR reason = $3)
               AND ($4::int8 IS NULL OR changed_at >= $4) AND (NOT $5::bool OR NOT deleted)
             ORDER BY seq LIMIT $6`,
            [query.after, query.scopes ?? null, query.reason ?? null, query.since ?? null, query.present ?? false, query.limit],
          );
          await client.query('COMMIT');
          return rows;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => (broken = true));
          // A writer waiting behind this reader may hold what another writer waits for: PostgreSQL
          // then breaks the cycle by failing one of them; the read is simply done again.
          if (attempt < 3 && (error as { code?: unknown }).code === DEADLOCK) continue;
          throw error;
        } finally {
          client.release(broken);
        }
      }
    },
  };
}

export type SuppressionLog = ReturnType<typeof createSuppressionLog>;
export type SuppressionCounts = ReturnType<SuppressionLog['tally']>;
