import { createHash } from 'node:crypto';
import pg from 'pg';
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import * as schema from './schema/index.ts';
import { projectPath } from '../../paths.ts';
import { DatabaseError } from '../client.ts';

export type PgOrm = NodePgDatabase<typeof schema> & { $client: pg.Pool };
export interface PgDb {
  pool: pg.Pool;
  orm: PgOrm;
  /** The URL without its password, for messages. */
  where: string;
}

/** Any key of this project's advisory locks (pg_advisory_lock takes a bigint). */
export const LOCK_MIGRATE = 0x6f7074626f780001n; // "optbox" + 1

/**
 * Open a pool and migrate. Instances that start together all wait on one advisory lock, so the
 * migrations run once; the others find them applied.
 *
 * Durability (an acknowledged unsubscribe must survive a crash): every connection runs with
 * `synchronous_commit = on`, whatever the server's default, so COMMIT returns only after the
 * commit record is flushed to disk.
 */
export async function openPg(url: string, options: { poolSize: number }): Promise<PgDb> {
  const where = redactUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize,
    options: '-c synchronous_commit=on -c timezone=UTC',
    // bigint (int8) columns and count(*) hold milliseconds and counts, far below 2^53: numbers.
    types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format as 'text')) } as pg.CustomTypesConfig,
  });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  pool.on('connect', prepareOnce);
  try {
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [LOCK_MIGRATE.toString()]);
      try {
        await migrate(drizzle(client, { schema }), { migrationsFolder: projectPath('migrations/pg') });
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [LOCK_MIGRATE.toString()]);
      }
    } finally {
      client.release();
    }
  } catch (err) {
    await pool.end().catch(() => {});
    throw new DatabaseError(where, err);
  }
  return { pool, orm: drizzle(pool, { schema }), where };
}

function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/**
 * Every statement with parameters runs as a named prepared statement (named by a hash of its
 * text), so each connection parses and plans it once instead of on every call: parsing and
 * binding cost more than executing the short statements of a one-click. Statements without
 * parameters (BEGIN, COMMIT) and very wide ones (bulk inserts, whose text varies with their row
 * count) stay unnamed.
 */
function prepareOnce(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const named = (text: string) => 'ob_' + createHash('sha1').update(text).digest('base64url').slice(0, 20);
  const worth = (values: unknown) => Array.isArray(values) && values.length > 0 && values.length <= 100;
  (client as { query: unknown }).query = (config: unknown, values?: unknown, callback?: unknown) => {
    if (typeof config === 'string' && worth(values)) return query({ name: named(config), text: config, values }, callback);
    if (config && typeof config === 'object' && !('name' in config && config.name) && 'text' in config && typeof config.text === 'string' && worth((config as { values?: unknown }).values)) {
      return query({ ...config, name: named(config.text) }, values, callback);
    }
    return query(config, values, callback);
  };
}
