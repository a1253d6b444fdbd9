import { sqliteTable, text, integer, primaryKey } from 'drizzle-orm/sqlite-core';
import { contacts } from './contacts.ts';
import { topics } from './topics.ts';

/** contact × topic → subscribed / unsubscribed / pending (double opt-in), with when and how. */
export const subscriptions = sqliteTable(
  'subscriptions',
  {
    contactId: text('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    topicId: text('topic_id').notNull().references(() => topics.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['subscribed', 'unsubscribed', 'pending'] }).notNull(),
    source: text('source').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.contactId, t.topicId] })],
);

export type SubscriptionRow = typeof subscriptions.$inferSelect;
