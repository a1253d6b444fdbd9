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
  let sqlite: Database.Database | undefined;
  try {
    if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
    sqlite = new Database(path);
    return configure(sqlite, path);
  } catch (err) {
    if (sqlite?.open) sqlite.close();
    throw new DatabaseError(path, err);
  }
}

/**
 * The database cannot be opened, written or migrated: one line that says which file and why
 * (the server and the CLI print it and exit non-zero, without a stack trace).
 */
export class DatabaseError extends Error {
  constructor(path: string, cause: unknown) {
    super(`cannot use the database ${path}: ${describe(cause)}`, { cause });
    this.name = 'DatabaseError';
  }
}

function describe(err: unknown): string {
  const code = String((err as { code?: unknown })?.code ?? '');
  if (code.startsWith('SQLITE_READONLY')) return 'it is read-only (check the file, its folder and the -wal/-shm files: optbox needs to write them)';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'the file cannot be opened (check the path and the permissions of the file and its folder)';
  if (code === 'SQLITE_NOTADB') return 'the file is not an SQLite database';
  if (code.startsWith('SQLITE_CORRUPT')) return 'the file is corrupt';
  if (code === 'SQLITE_FULL') return 'the disk is full';
  if (code.startsWith('SQLITE_IOERR')) return `an I/O error (${code})`;
  // PostgreSQL (DATABASE_URL): the server's SQLSTATE codes and the socket's errors.
  if (code === 'ECONNREFUSED') return 'nothing answers at that address (is PostgreSQL running, on that host and port?)';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return 'the host name does not resolve';
  if (code === '28P01' || code === '28000') return 'the server refused the user name or password';
  if (code === '3D000') return 'the database does not exist (create it first: createdb NAME)';
  if (code === '42501') return 'the user lacks a permission optbox needs (it must be able to create tables in the database)';
  if (code === '53300') return 'the server has no connection slots left (lower DATABASE_POOL_SIZE or raise max_connections)';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied creating its folder';
  if (code === 'EROFS') return 'its folder is on a read-only file system';
  if (code === 'ENOTDIR' || code === 'EEXIST') return 'a part of the path is not a folder';
  const message = err instanceof Error ? err.message.split('\n')[0]! : String(err);
  return code ? `${message} (${code})` : message;
}

function configure(sqlite: Database.Database, path: string): Db {
  sqlite.pragma('busy_timeout = 5000');
  // A file SQLite can only read opens without complaint and fails at the first write (the
  // first unsubscribe): take the write lock once now, so a read-only file stops the start.
  sqlite.exec('BEGIN IMMEDIATE');
  sqlite.exec('ROLLBACK');
  if (path !== ':memory:') sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  // Deleted and overwritten content is zeroed in the file, not left in free space where anyone
  // with the file could read an erased address (GDPR art. 17). See also checkpoint() in store.ts.
  sqlite.pragma('secure_delete = ON');
  // A 32 MiB page cache keeps the upper levels of the suppression index hot. No mmap: mapped
  // pages count towards the server's resident memory, which must stay small with millions of rows.
  sqlite.pragma('cache_size = -32768');
  sqlite.pragma('temp_store = MEMORY');
  const orm = drizzle(sqlite, { schema });
  migrate(orm, { migrationsFolder: projectPath('migrations/sqlite') });
  return { sqlite, orm };
}
