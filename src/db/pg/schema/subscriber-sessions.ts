// The PostgreSQL twin of src/db/schema/subscriber-sessions.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { pgTable, text, bigint, index } from 'drizzle-orm/pg-core';
import { contacts } from './contacts.ts';
export const subscriberSessions = pgTable(
  'subscriber_sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
    verifiedAt: bigint('verified_at', { mode: 'number' }),
  },
  (t) => [index('subscriber_sessions_user').on(t.userId), index('subscriber_sessions_expiry').on(t.expiresAt)],
);

