import { asc, eq, sql } from 'drizzle-orm';
import type { Orm } from '../client.ts';
import { topics, type TopicRow } from '../schema/index.ts';

export function createTopicStore(orm: Orm) {
  const all = orm.select().from(topics).orderBy(asc(topics.position), asc(topics.id)).prepare();
  const byId = orm.select().from(topics).where(eq(topics.id, sql.placeholder('id'))).prepare();
  return {
    async all(): Promise<TopicRow[]> {
      return all.all();
    },
    async byId(id: string): Promise<TopicRow | undefined> {
      return byId.get({ id });
    },
  };
}

export type TopicStore = ReturnType<typeof createTopicStore>;
