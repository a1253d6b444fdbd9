import { asc, eq, max } from 'drizzle-orm';
import type { Store } from '../../store.ts';
import type { TopicRow } from '../../schema/index.ts';
import { topicChangeSet, type TopicChange } from '../../stores/topics.ts';
import type { PgStoreDeps } from '../sync.ts';
import { topics } from '../schema/index.ts';
import { pgCached } from '../versions.ts';

// Positions are drawn as max + 1: two instances adding a topic at once take turns on this lock
// (two-int key space, keyed by the table's oid) instead of drawing the same position.
const POSITION_LOCK = `SELECT pg_advisory_xact_lock('topics'::regclass::oid::int, 0)`;

/**
 * Topics on PostgreSQL: the same behaviour as src/db/stores/topics.ts. Cached in memory; a change
 * on any instance bumps the `topics` version, so every instance reloads within the poll interval
 * (this one at once).
 */
export function createPgTopicStore(deps: PgStoreDeps): Store['topics'] {
  const { orm, transact } = deps;
  const cache = pgCached(deps.versions, 'topics', async () => {
    const rows = await orm.select().from(topics).orderBy(asc(topics.position), asc(topics.id));
    return { rows, byId: new Map(rows.map((t) => [t.id, t])) };
  });
  return {
    async all(): Promise<TopicRow[]> {
      return (await cache.get()).rows;
    },
    async byId(id: string): Promise<TopicRow | undefined> {
      return (await cache.get()).byId.get(id);
    },
    /** A new topic. False when the id is taken. */
    async create(topic: Omit<TopicRow, 'position'>): Promise<boolean> {
      const added = await transact(async (unit) => {
        await unit.query(POSITION_LOCK);
        const [last] = await unit.orm.select({ position: max(topics.position) }).from(topics);
        const inserted = await unit.orm.insert(topics).values({ ...topic, position: (last?.position ?? 0) + 1 }).onConflictDoNothing().returning({ id: topics.id });
        if (inserted.length > 0) unit.changed('topics');
        return inserted.length > 0;
      });
      cache.invalidate();
      return added;
    },
    /** As on SQLite; bumps the `topics` version so every instance reloads. */
    async update(id: string, change: TopicChange): Promise<boolean> {
      const set = topicChangeSet(change);
      if (Object.keys(set).length === 0) return (await cache.get()).byId.has(id);
      const changed = await transact(async (unit) => {
        const rows = await unit.orm.update(topics).set(set).where(eq(topics.id, id)).returning({ id: topics.id });
        if (rows.length > 0) unit.changed('topics');
        return rows.length > 0;
      });
      cache.invalidate();
      return changed;
    },
    /** An operator setting: subscribing to the topic needs a confirmed address (double opt-in). */
    async setDoubleOptIn(id: string, on: boolean): Promise<boolean> {
      const changed = await transact(async (unit) => {
        const rows = await unit.orm.update(topics).set({ doubleOptIn: on }).where(eq(topics.id, id)).returning({ id: topics.id });
        if (rows.length > 0) unit.changed('topics');
        return rows.length > 0;
      });
      cache.invalidate();
      return changed;
    },
  };
}
