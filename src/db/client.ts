import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from './schema/index.ts';
import { projectPath } from '../paths.ts';

export type Orm = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
export interface Db {
  sqlite: Database.Database;
  orm: Orm;
}

/**
 * Open (creating the folder) and migrate the database. One connection serves the process.
 *
 * Durability (an acknowledged unsubscribe must survive a crash): WAL with synchronous=FULL fsyncs the WAL on every commit, so a
 * commit that returned survives kill -9 and power loss. NORMAL would survive kill -9 only.
 * The cost of that fsync is shared by grouping commits (see write-queue.ts).
 */
export function openDatabase(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  if (path !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // A 32 MiB page cache keeps the upper levels of the suppression index hot. No mmap: mapped
  // pages count towards the server's resident memory, which must stay small with millions of rows.
  sqlite.pragma('cache_size = -32768');
  sqlite.pragma('temp_store = MEMORY');
  const orm = drizzle(sqlite, { schema });
  migrate(orm, { migrationsFolder: projectPath('migrations') });
  return { sqlite, orm };
}
