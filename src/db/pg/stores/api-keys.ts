import { and, eq, isNull } from 'drizzle-orm';
import type { Store } from '../../store.ts';
import type { ApiKeyRow } from '../../schema/index.ts';
import type { PgStoreDeps } from '../sync.ts';
import { apiKeys } from '../schema/index.ts';
import { pgCached } from '../versions.ts';

const TOUCH_EVERY_MS = 60_000;

/**
 * API keys on PostgreSQL: the same behaviour as src/db/stores/api-keys.ts. Held in memory by
 * hash; a change on any instance bumps the `api_keys` version, so a key revoked on one instance
 * is refused on every other within the poll interval, and on this one at once.
 */
export function createPgApiKeyStore(deps: PgStoreDeps): Store['apiKeys'] {
  const { orm, transact } = deps;
  const lastWritten = new Map<string, number>();
  const byHash = pgCached(deps.versions, 'api_keys', async () => new Map((await orm.select().from(apiKeys)).map((k) => [k.keyHash.toString('hex'), k])));
  return {
    async create(row: Omit<ApiKeyRow, 'lastUsedAt' | 'revokedAt'>): Promise<void> {
      await transact(async (unit) => {
        await unit.orm.insert(apiKeys).values(row);
        unit.changed('api_keys');
      });
      byHash.invalidate();
    },
    /**
     * From memory; a key not there is looked up once in the table, so a key created on another
     * instance works here at once instead of after the next poll (unknown keys cost one indexed read).
     */
    async byHash(hash: Buffer): Promise<ApiKeyRow | undefined> {
      const known = (await byHash.get()).get(hash.toString('hex'));
      if (known) return known;
      const [row] = await orm.select().from(apiKeys).where(eq(apiKeys.keyHash, hash));
      if (row) byHash.invalidate();
      return row;
    },
    async list(): Promise<ApiKeyRow[]> {
      return orm.select().from(apiKeys).orderBy(apiKeys.createdAt);
    },
    async revoke(id: string, at: number): Promise<boolean> {
      const revoked = await transact(async (unit) => {
        const rows = await unit.orm.update(apiKeys).set({ revokedAt: at }).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).returning({ id: apiKeys.id });
        if (rows.length > 0) unit.changed('api_keys');
        return rows.length > 0;
      });
      byHash.invalidate();
      return revoked;
    },
    /**
     * Record a use, at most once a minute per key, as on SQLite. Not a change other instances must
     * reload for: last-used is advisory, and `list` reads it from the table.
     */
    async touch(id: string, at: number): Promise<void> {
      if ((lastWritten.get(id) ?? -Infinity) > at - TOUCH_EVERY_MS) return;
      lastWritten.set(id, at);
      await transact(async (unit) => void (await unit.orm.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id))));
    },
  };
}
