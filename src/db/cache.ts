import type Database from 'better-sqlite3';

/**
 * A value read from the database and kept in memory until the database changes: small,
 * read-on-every-request tables (topics, API keys). `PRAGMA data_version` changes when another
 * connection (the CLI, a second process) commits; this connection's own writes call
 * `invalidate()` in the store that makes them.
 */
export function cachedWhileUnchanged<T>(sqlite: Database.Database, load: () => T) {
  const version = sqlite.prepare('PRAGMA data_version').pluck();
  let value: T | undefined;
  let seen: unknown;
  return {
    get(): T {
      const current = version.get();
      if (value === undefined || current !== seen) {
        value = load();
        seen = current;
      }
      return value;
    },
    invalidate(): void {
      value = undefined;
    },
  };
}
