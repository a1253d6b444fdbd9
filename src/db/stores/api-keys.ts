import { eq, isNull, sql } from 'drizzle-orm';
import { cachedWhileUnchanged, type DataVersion } from '../cache.ts';
import type { Orm } from '../client.ts';
import { apiKeys, type ApiKeyRow } from '../schema/index.ts';
import type { RunInTransaction } from '../write-queue.ts';

const TOUCH_EVERY_MS = 60_000;

export function createApiKeyStore(orm: Orm, transact: RunInTransaction, version: DataVersion) {
  // Every API request authenticates; the key table is small, so it is held in memory by hash.
  // A revocation from another process (the CLI) changes data_version and is seen at once.
  const lastWritten = new Map<string, number>();
  const byHash = cachedWhileUnchanged(version, () => new Map(orm.select().from(apiKeys).all().map((k) => [k.keyHash.toString('hex'), k])));
  return {
    async create(row: Omit<ApiKeyRow, 'lastUsedAt' | 'revokedAt'>): Promise<void> {
      await transact(() => orm.insert(apiKeys).values(row).run());
      byHash.invalidate();
    },
    async byHash(hash: Buffer): Promise<ApiKeyRow | undefined> {
      return byHash.get().get(hash.toString('hex'));
    },
    async list(): Promise<ApiKeyRow[]> {
      return orm.select().from(apiKeys).orderBy(apiKeys.createdAt).all();
    },
    async revoke(id: string, at: number): Promise<boolean> {
      const revoked = await transact(() => orm.update(apiKeys).set({ revokedAt: at }).where(sql`${apiKeys.id} = ${id} AND ${isNull(apiKeys.revokedAt)}`).run().changes > 0);
      byHash.invalidate();
      return revoked;
    },
    /**
     * Record a use. Last-used is advisory, so it is written at most once a minute per key: a
     * busy client must not turn every read (a suppression check) into a durable write.
     */
    async touch(id: string, at: number): Promise<void> {
      if ((lastWritten.get(id) ?? -Infinity) > at - TOUCH_EVERY_MS) return;
      lastWritten.set(id, at);
      await transact(() => orm.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id)).run());
    },
  };
}

export type ApiKeyStore = ReturnType<typeof createApiKeyStore>;
