import type Database from 'better-sqlite3';

const versionReaders = new WeakMap<Database.Database, () => unknown>();

/**
 * `PRAGMA data_version` of a connection, read at most once per turn of the event loop: every
 * request reads it (API keys, topics), and within one turn nothing else can have committed.
 */
function dataVersion(sqlite: Database.Database): () => unknown {
  let reader = versionReaders.get(sqlite);
  if (!reader) {
    const statement = sqlite.prepare('PRAGMA data_version').pluck();
    let current: unknown;
    let fresh = false;
    reader = () => {
      if (!fresh) {
        current = statement.get();
        fresh = true;
        setImmediate(() => (fresh = false));
      }
      return current;
    };
    versionReaders.set(sqlite, reader);
  }
  return reader;
}

/**
 * A value read from the database and kept in memory until the database changes: small,
 * read-on-every-request tables (topics, API keys). `PRAGMA data_version` changes when another
 * connection (the CLI, a second process) commits; this connection's own writes call
 * `invalidate()` in the store that makes them.
 */
export function cachedWhileUnchanged<T>(sqlite: Database.Database, load: () => T) {
  const version = dataVersion(sqlite);
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
