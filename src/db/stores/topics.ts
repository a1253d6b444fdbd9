import { asc, eq, max } from 'drizzle-orm';
import { cachedWhileUnchanged, type DataVersion } from '../cache.ts';
import type { Orm } from '../client.ts';
import { topics, type TopicRow } from '../schema/index.ts';
import type { RunInTransaction } from '../write-queue.ts';

/**
 * What an operator may change on a topic after adding it. The default status may only become
 * opt-in (tightened, never loosened: see updateTopic in src/core/topics.ts); `retiredAt` retires
 * (a time) or reinstates (null) it.
 */
export interface TopicChange {
  nameNl?: string | undefined;
  nameEn?: string | undefined;
  descriptionNl?: string | undefined;
  descriptionEn?: string | undefined;
  doubleOptIn?: boolean | undefined;
  defaultStatus?: 'opt-in' | undefined;
  retiredAt?: number | null | undefined;
}

/** The defined fields of a change (drizzle would write `undefined` as NULL). */
export const topicChangeSet = (change: TopicChange) => Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)) as TopicChange;

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
    /** A new topic (operators add their own beside the defaults). False when the id is taken. */
    async create(topic: Omit<TopicRow, 'position'>): Promise<boolean> {
      const added = await transact(() => {
        const last = orm.select({ position: max(topics.position) }).from(topics).get()?.position ?? 0;
        return orm.insert(topics).values({ ...topic, position: last + 1 }).onConflictDoNothing().run().changes > 0;
      });
      cache.invalidate();
      return added;
    },
    /** Change a topic (see TopicChange). False when there is no such topic. */
    async update(id: string, change: TopicChange): Promise<boolean> {
      const set = topicChangeSet(change);
      if (Object.keys(set).length === 0) return cache.get().byId.has(id);
      const changed = await transact(() => orm.update(topics).set(set).where(eq(topics.id, id)).run().changes > 0);
      // This connection's own write: PRAGMA data_version does not move for it (see cache.ts).
      cache.invalidate();
      return changed;
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
