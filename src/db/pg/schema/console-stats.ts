// The PostgreSQL twin of src/db/schema/console-stats.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { pgTable, text, bigint, primaryKey } from 'drizzle-orm/pg-core';
export const statTopicStatus = pgTable(
  'stat_topic_status',
  {
    topicId: text('topic_id').notNull(),
    status: text('status').notNull(),
    count: bigint('count', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.topicId, t.status] })],
);
export const statSuppressionReason = pgTable('stat_suppression_reason', {
  reason: text('reason').primaryKey(),
  count: bigint('count', { mode: 'number' }).notNull(),
});
export const statSuppressionDaily = pgTable(
  'stat_suppression_daily',
  {
    day: bigint('day', { mode: 'number' }).notNull(),
    reason: text('reason').notNull(),
    added: bigint('added', { mode: 'number' }).notNull(),
    removed: bigint('removed', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.reason] })],
);
export const statUnsubscribeDaily = pgTable(
  'stat_unsubscribe_daily',
  {
    day: bigint('day', { mode: 'number' }).notNull(),
    topic: text('topic').notNull(),
    source: text('source').notNull(),
    count: bigint('count', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.topic, t.source] })],
);
export const statCampaignUnsubscribe = pgTable('stat_campaign_unsubscribe', {
  campaign: text('campaign').primaryKey(),
  count: bigint('count', { mode: 'number' }).notNull(),
  lastAt: bigint('last_at', { mode: 'number' }).notNull(),
});
