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
});

export type TopicRow = typeof topics.$inferSelect;
