import { sqliteTable, text, integer, primaryKey } from 'drizzle-orm/sqlite-core';

/**
 * Pre-aggregated counts for the console's dashboard, kept in the same unit of work as the change
 * they count (suppressions and ledger by the stores, src/db/stores/console-stats.ts; topic
 * statuses by triggers in the migration `console`), so the dashboard reads a few hundred rows
 * instead of scanning millions of suppressions and ledger rows.
 */

/** Subscription rows per topic and status. */
export const statTopicStatus = sqliteTable(
  'stat_topic_status',
  {
    topicId: text('topic_id').notNull(),
    status: text('status').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.topicId, t.status] })],
);

/** Standing suppressions per reason. */
export const statSuppressionReason = sqliteTable('stat_suppression_reason', {
  reason: text('reason').primaryKey(),
  count: integer('count').notNull(),
});

/** Suppressions added and removed per UTC day (day = ms / 86,400,000) and reason. */
export const statSuppressionDaily = sqliteTable(
  'stat_suppression_daily',
  {
    day: integer('day').notNull(),
    reason: text('reason').notNull(),
    added: integer('added').notNull(),
    removed: integer('removed').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.reason] })],
);

/** Unsubscribe ledger events per UTC day, topic ('*' = all) and source. */
export const statUnsubscribeDaily = sqliteTable(
  'stat_unsubscribe_daily',
  {
    day: integer('day').notNull(),
    topic: text('topic').notNull(),
    source: text('source').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.topic, t.source] })],
);

/** Unsubscribes per campaign (carried in the unsubscribe link, written to the ledger). */
export const statCampaignUnsubscribe = sqliteTable('stat_campaign_unsubscribe', {
  campaign: text('campaign').primaryKey(),
  count: integer('count').notNull(),
  lastAt: integer('last_at').notNull(),
});
