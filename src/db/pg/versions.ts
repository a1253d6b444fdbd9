import type pg from 'pg';

/** Tables each instance holds in memory; 'signing_keys' is the key ring of src/core/tokens.ts. */
export type CachedTable = 'topics' | 'api_keys' | 'signing_keys';

/**
 * How each instance learns that another one changed a cached table: the change bumps the
 * table's row in `change_versions` in its own transaction (PgUnit.changed), and every instance
 * reads those rows every `pollMs`. A revoked API key is therefore refused everywhere within
 * `pollMs` of its commit (250 ms by default), and on this instance at once (its own writes
 * invalidate directly).
 */
export function createChangeVersions(pool: pg.Pool, options: { pollMs?: number } = {}) {
  const seen = new Map<CachedTable, number>();
  const listeners = new Set<(table: CachedTable) => void>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let polled = false;

  async function poll(): Promise<void> {
    try {
      const { rows } = await pool.query<{ name: CachedTable; version: number }>('SELECT name, version FROM change_versions');
      for (const row of rows) {
        const before = seen.get(row.name);
        seen.set(row.name, row.version);
        // A row that appears after the first poll is a change too (its table's first one).
        if (before !== row.version && (polled || before !== undefined)) for (const listener of listeners) listener(row.name);
      }
      polled = true;
    } catch {
      // The database is away for a moment: keep the caches, try again at the next tick.
    }
    if (!stopped) timer = setTimeout(poll, options.pollMs ?? 250).unref();
  }

  return {
    /** Read the versions once (so the first change is noticed), then keep polling. */
    start: () => poll(),
    onChange(listener: (table: CachedTable) => void): void {
      listeners.add(listener);
    },
    stop(): void {
      stopped = true;
      clearTimeout(timer);
    },
  };
}

export type ChangeVersions = ReturnType<typeof createChangeVersions>;

/**
 * A small table held in memory (topics, API keys), loaded on first use and again after any
 * instance changed it. Concurrent first uses share one load.
 */
export function pgCached<T>(versions: ChangeVersions, table: CachedTable, load: () => Promise<T>) {
  let value: Promise<T> | undefined;
  const invalidate = () => void (value = undefined);
  versions.onChange((changed) => changed === table && invalidate());
  return {
    get(): Promise<T> {
      if (!value) {
        const loading = load();
        value = loading;
        loading.catch(() => value === loading && invalidate());
      }
      return value;
    },
    invalidate,
  };
}
