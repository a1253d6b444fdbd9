import type pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import * as schema from './schema/index.ts';
import type { LedgerEventInput } from '../stores/ledger.ts';
import type { CachedTable } from './versions.ts';

/** What a unit of work may do: statements on its transaction, and ledger rows appended at commit. */
export interface PgUnit {
  orm: NodePgDatabase<typeof schema>;
  /** A raw statement on the unit's transaction; the rows it returns. */
  query<R = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
  /** Append a row to the consent ledger when the unit commits (see appendLedger below). */
  appendLedger(event: LedgerEventInput): void;
  /** Mark a cached table (topics, API keys, signing keys) changed, so every instance reloads it. */
  changed(table: CachedTable): void;
}

export type PgTransact = <T>(work: (unit: PgUnit) => Promise<T>) => Promise<T>;

/** Writes the ledger rows of a batch, serialized on the chain head (see stores/ledger.ts). */
export type LedgerAppender = (query: PgUnit['query'], events: LedgerEventInput[]) => Promise<void>;

interface Pending {
  work: (unit: PgUnit) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const MAX_GROUP = 256;
// Deadlock and serialization failures: the whole transaction is retried, as PostgreSQL advises.
const RETRYABLE = new Set(['40001', '40P01']);
const MAX_TRIES = 5;

/**
 * Group commit on PostgreSQL, as on SQLite (src/db/write-queue.ts): the units that arrive while
 * earlier ones are being written run one after another in one transaction, which commits once.
 * A unit's promise settles only after that COMMIT returned, and every connection runs with
 * `synchronous_commit = on`, so a 2xx answered after awaiting it is on disk.
 *
 * Ledger rows are appended last, just before COMMIT: the chain head (one row, locked FOR UPDATE)
 * is the one thing every instance's writes queue on, so it is held only for the append and the
 * commit itself, and only once per batch. Up to `concurrency` batches are open at a time.
 *
 * When a unit fails, its batch is rolled back and each of its units is run again alone, so one
 * bad unit fails only itself (PostgreSQL aborts the whole transaction at the first error).
 */
export function createPgWriteQueue(pool: pg.Pool, appendLedger: LedgerAppender, options: { concurrency?: number } = {}): PgTransact {
  const concurrency = options.concurrency ?? 4;
  let queue: Pending[] = [];
  let open = 0;

  async function runBatch(group: Pending[]): Promise<unknown[]> {
    for (let attempt = 1; ; attempt++) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query('BEGIN');
        const events: LedgerEventInput[] = [];
        const tables = new Set<CachedTable>();
        const unit: PgUnit = {
          orm: drizzle(client, { schema }),
          query: async <R>(text: string, params?: unknown[]) => (await client.query(text, params)).rows as R[],
          appendLedger: (event) => void events.push(event),
          changed: (table) => void tables.add(table),
        };
        const results: unknown[] = [];
        for (const p of group) results.push(await p.work(unit));
        if (events.length > 0) await appendLedger(unit.query, events);
        // An upsert: a table cached after the first migration has no row until its first change.
        for (const table of tables) await client.query('INSERT INTO change_versions (name, version) VALUES ($1, 1) ON CONFLICT (name) DO UPDATE SET version = change_versions.version + 1', [table]);
        await client.query('COMMIT');
        return results;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => (broken = true));
        if (attempt < MAX_TRIES && RETRYABLE.has(String((error as { code?: unknown }).code))) {
          // A short random pause first: the transaction we collided with gets to commit, and two
          // batches that deadlocked do not meet again in the same order at the same moment.
          await new Promise((r) => setTimeout(r, attempt * (5 + Math.random() * 20)));
          continue;
        }
        throw error;
      } finally {
        client.release(broken);
      }
    }
  }

  async function flush(): Promise<void> {
    const group = queue.splice(0, MAX_GROUP);
    open++;
    try {
      const results = await runBatch(group);
      group.forEach((p, i) => p.resolve(results[i]));
    } catch (error) {
      if (group.length === 1) group[0]!.reject(error);
      else await Promise.all(group.map((p) => runBatch([p]).then(([r]) => p.resolve(r), p.reject)));
    } finally {
      open--;
      if (queue.length > 0 && open < concurrency) void flush();
    }
  }

  return <T>(work: (unit: PgUnit) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (open < concurrency) queueMicrotask(() => queue.length > 0 && open < concurrency && void flush());
    });
}
