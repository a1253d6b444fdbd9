import { asc, eq } from 'drizzle-orm';
import { cachedWhileUnchanged, type DataVersion } from '../cache.ts';
import type { Orm } from '../client.ts';
import { topics, type TopicRow } from '../schema/index.ts';
import type { RunInTransaction } from '../write-queue.ts';

/** Topics are read on every check and every page; they change rarely, so they are cached. */
export function createTopicStore(orm: Orm, transact: RunInTransaction, version: DataVersion) {
  const cache = cachedWhileUnchanged(version, () => {
    const rows = orm.select().from(topics).orderBy(asc(topics.position), asc(topics.id)).all();
    return { rows, byId: new Map(rows.map((t) => [t.id, t])) };
  });
  return {
    async all(): Promise<TopicRow[]> {
      return cache.get().rows;
    },
    async byId(id: string): Promise<TopicRow | undefined> {
      return cache.get().byId.get(id);
    },
    /** An operator setting: subscribing to the topic needs a confirmed address (double opt-in). */
    async setDoubleOptIn(id: string, on: boolean): Promise<boolean> {
      const changed = await transact(() => orm.update(topics).set({ doubleOptIn: on }).where(eq(topics.id, id)).run().changes > 0);
      cache.invalidate();
      return changed;
    },
  };
}

export type TopicStore = ReturnType<typeof createTopicStore>;
