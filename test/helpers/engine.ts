import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { databaseUrl, onServer } from './pg-server.ts';

/**
 * Which database engine this test run uses. `npm test` runs the suite twice (vitest.config.ts):
 * project `sqlite` and project `pg`; the pg project's global setup (test/setup/pg.ts) provides
 * the server and the migrated template database.
 */
export interface PgTarget {
  /** The server's maintenance database, for CREATE/DROP DATABASE. */
  adminUrl: string;
  /** Migrated once per run; every test database is a copy of it. */
  template: string;
  /** This run's database names start with it. */
  prefix: string;
}

const target = inject('optboxPg');
export const engine: 'sqlite' | 'pg' = target ? 'pg' : 'sqlite';
/** For `describe.skipIf(onPg)` on tests about SQLite itself (say why next to it). */
export const onPg = engine === 'pg';

export interface TestDatabase {
  /** What goes into the Config: a file path (or ':memory:') on SQLite, a URL on PostgreSQL. */
  config: { databasePath: string; databaseUrl?: string };
  /** The same for a child process's environment (a server or the CLI). */
  env: { DATABASE_PATH: string } | { DATABASE_URL: string };
  /** A temporary folder that lives as long as the database (the SQLite file is in it). */
  dir: string | undefined;
  /** Remove the database (and the folder). */
  drop(): Promise<void>;
}

/** A copy of the template under a new name (this run's prefix). */
async function copyTemplate(on: PgTarget): Promise<string> {
  const name = `${on.prefix}_${randomBytes(6).toString('hex')}`;
  await onServer(on.adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${on.template}"`);
  return name;
}
/** The next test database of this file, being made (see freshDatabase). */
let ahead: Promise<string> | undefined;

/**
 * A fresh, migrated database on this run's engine. SQLite: in memory, or with `file: true` a file
 * in a temporary folder (it then survives a reopen). PostgreSQL: a copy of the template database,
 * which survives a reopen in any case; `file: true` still makes the folder, for tests that want one.
 */
export async function freshDatabase(options: { file?: boolean } = {}): Promise<TestDatabase> {
  const dir = options.file ? mkdtempSync(join(tmpdir(), 'optbox-test-')) : undefined;
  const removeDir = () => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  };
  if (!target) {
    const databasePath = dir ? join(dir, 'optbox.db') : ':memory:';
    return { config: { databasePath }, env: { DATABASE_PATH: databasePath }, dir, drop: async () => removeDir() };
  }
  const name = await (ahead ?? copyTemplate(target));
  // Copying the template is most of an app's start on PostgreSQL: make the next copy while this
  // test runs. The one made ahead in vain at a file's end goes as a forgotten one does (drop()).
  ahead = copyTemplate(target);
  ahead.catch(() => {});
  const url = databaseUrl(target.adminUrl, name);
  return {
    config: { databasePath: ':memory:', databaseUrl: url },
    env: { DATABASE_URL: url },
    dir,
    async drop() {
      removeDir();
      // Not waited for: DROP DATABASE forces a checkpoint (about a second on a busy machine),
      // and nothing waits on the name. What a finished worker leaves behind goes with the
      // throwaway server, or the global teardown drops it (test/setup/pg.ts). FORCE: a pool a
      // test forgot to close must not keep the database.
      onServer(target.adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
    },
  };
}
