import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { contacts } from './contacts.ts';

/**
 * Preference-center sessions of subscribers (lucia v3, src/auth/). Their own table and cookie:
 * the admin console's sessions live elsewhere, so one can never act as the other. Mail scanners
 * open /p/ links too, so rows are cheap, expire after a short idle time and are swept.
 */
export const subscriberSessions = sqliteTable(
  'subscriber_sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    /** Seconds since epoch (lucia's adapter stores it so). */
    expiresAt: integer('expires_at').notNull(),
    /**
     * When the person proved control of the address with a sign-in link mailed to it (ms);
     * null for a session opened by a footer link (a weak credential: mail gets forwarded).
     */
    verifiedAt: integer('verified_at'),
  },
  (t) => [index('subscriber_sessions_user').on(t.userId), index('subscriber_sessions_expiry').on(t.expiresAt)],
);

export type SubscriberSessionRow = typeof subscriberSessions.$inferSelect;
