// The PostgreSQL twin of src/db/schema/subscriptions.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { pgTable, text, bigint, primaryKey } from 'drizzle-orm/pg-core';
import { contacts } from './contacts.ts';
import { topics } from './topics.ts';
export const subscriptions = pgTable(
  'subscriptions',
  {
    contactId: text('contact_id').notNull().references(() => contacts.id, { onDelete: 'cascade' }),
    topicId: text('topic_id').notNull().references(() => topics.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['subscribed', 'unsubscribed', 'pending'] }).notNull(),
    source: text('source').notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.contactId, t.topicId] })],
);

