import Database from 'better-sqlite3';
import pg from 'pg';

/**
 * A second connection to a test app's database, on either engine: what someone with access to
 * the database could do (edit the ledger around its guards), or state no core verb sets yet.
 * SQL is written with `?` placeholders and in the subset both engines read alike.
 */
export interface RawDb {
  /** Run one statement; the number of rows it changed. */
  run(sql: string, ...params: unknown[]): Promise<number>;
  /** Rows of a query. */
  all<T = Record<string, unknown>>(sql: string, ...params: unknown[]): Promise<T[]>;
  /** Drop the triggers that make consent_events append-only (they differ per engine). */
  dropLedgerGuards(): Promise<void>;
  close(): Promise<void>;
}

/** `?` → `$1, $2, …` (the test SQL has no `?` inside string literals). */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

export async function openRawDb(config: { databasePath: string; databaseUrl?: string | undefined }): Promise<RawDb> {
  if (config.databaseUrl) {
    // count(*) and bigint columns as numbers, as the app's pool reads them (src/db/pg/client.ts).
    const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format as 'text')) } as pg.CustomTypesConfig;
    const client = new pg.Client({ connectionString: config.databaseUrl, types });
    await client.connect();
    const query = (sql: string, params: unknown[]) => client.query(numbered(sql), params);
    return {
      run: async (sql, ...params) => (await query(sql, params)).rowCount ?? 0,
      all: async <T>(sql: string, ...params: unknown[]) => (await query(sql, params)).rows as T[],
      dropLedgerGuards: async () => void (await client.query('DROP TRIGGER consent_events_no_update ON consent_events; DROP TRIGGER consent_events_no_truncate ON consent_events')),
      close: () => client.end(),
    };
  }
  if (config.databasePath === ':memory:') throw new Error('openRawDb on SQLite needs makeTestApp({ file: true })');
  const db = new Database(config.databasePath);
  return {
    run: async (sql, ...params) => db.prepare(sql).run(...params).changes,
    all: async <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[],
    dropLedgerGuards: async () => void db.exec('DROP TRIGGER consent_events_no_update; DROP TRIGGER consent_events_no_delete'),
    close: async () => void db.close(),
  };
}
