import { eq, isNull, sql } from 'drizzle-orm';
import type { Orm } from '../client.ts';
import { apiKeys, type ApiKeyRow } from '../schema/index.ts';

export function createApiKeyStore(orm: Orm) {
  const byHash = orm.select().from(apiKeys).where(eq(apiKeys.keyHash, sql.placeholder('hash'))).prepare();
  return {
    async create(row: Omit<ApiKeyRow, 'lastUsedAt' | 'revokedAt'>): Promise<void> {
      orm.insert(apiKeys).values(row).run();
    },
    async byHash(hash: Buffer): Promise<ApiKeyRow | undefined> {
      return byHash.get({ hash });
    },
    async list(): Promise<ApiKeyRow[]> {
      return orm.select().from(apiKeys).orderBy(apiKeys.createdAt).all();
    },
    async revoke(id: string, at: number): Promise<boolean> {
      return orm.update(apiKeys).set({ revokedAt: at }).where(sql`${apiKeys.id} = ${id} AND ${isNull(apiKeys.revokedAt)}`).run().changes > 0;
    },
    /** Last-used is advisory; written at most once a minute per key by the caller. */
    async touch(id: string, at: number): Promise<void> {
      orm.update(apiKeys).set({ lastUsedAt: at }).where(eq(apiKeys.id, id)).run();
    },
  };
}

export type ApiKeyStore = ReturnType<typeof createApiKeyStore>;
