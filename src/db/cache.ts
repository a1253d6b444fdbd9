import type Database from 'better-sqlite3';

/** Reads the connection's `PRAGMA data_version`; one per store (see createDataVersion). */
export type DataVersion = () => unknown;

/**
 * `PRAGMA data_version` of a connection, read at most once per turn of the event loop: every
 * request reads it (API keys, topics), and within one turn nothing else can have committed.
 * Made once per store, so two stores in one process never share it.
 */
export function createDataVersion(sqlite: Database.Database): DataVersion {
  const statement = sqlite.prepare('PRAGMA data_version').pluck();
  let current: unknown;
  let fresh = false;
  return () => {
    if (!fresh) {
      current = statement.get();
      fresh = true;
      setImmediate(() => (fresh = false));
    }
    return current;
  };
}

/**
 * A value read from the database and kept in memory until the database changes: small,
 * read-on-every-request tables (topics, API keys). `PRAGMA data_version` changes when another
 * connection (the CLI, a second process) commits; this connection's own writes call
 * `invalidate()` in the store that makes them.
 */
export function cachedWhileUnchanged<T>(version: DataVersion, load: () => T) {
  let value: T | undefined;
  let seen: unknown;
  return {
    get(): T {
      const current = version();
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
