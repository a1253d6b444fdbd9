import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';

/** What a contact can subscribe to. Seeded with newsletter, marketing, updates by a migration. */
export const topics = sqliteTable('topics', {
  id: text('id').primaryKey(),
  nameNl: text('name_nl').notNull(),
  nameEn: text('name_en').notNull(),
  descriptionNl: text('description_nl').notNull().default(''),
  descriptionEn: text('description_en').notNull().default(''),
  /** opt-in: mailed only after a subscribe; opt-out: mailed unless unsubscribed. */
  defaultStatus: text('default_status', { enum: ['opt-in', 'opt-out'] }).notNull().default('opt-in'),
  doubleOptIn: integer('double_opt_in', { mode: 'boolean' }).notNull().default(false),
  position: integer('position').notNull().default(0),
  createdAt: integer('created_at').notNull(),
  /**
   * When an operator retired the topic (ms); null while it is in use. A retired topic takes no
   * new subscriptions and no mail, but its ledger history, its suppressions and the unsubscribe
   * links already mailed for it stay valid (RFC 8058: a link in a sent mail must keep working).
   */
  retiredAt: integer('retired_at'),
});

export type TopicRow = typeof topics.$inferSelect;
