import { sqliteTable, text, integer, blob, index, primaryKey } from 'drizzle-orm/sqlite-core';

/**
 * Feedback already taken in from a mail service (SES, SendGrid, Postmark, Mailgun), by the
 * provider's own event id, and the one-time tokens of signed requests (Mailgun's `token`).
 * Written in the same unit of work as the suppression the event caused, so a retried or replayed
 * delivery finds its id and changes nothing. Ids older than the retention period are purged.
 */
export const providerEvents = sqliteTable(
  'provider_events',
  {
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] }), index('provider_events_received').on(t.receivedAt)],
);

/**
 * One row per soft bounce (mailbox full, greylisting, a server down), by the address's keyed
 * hash only. A few in a short window suppress the address for a while; rows past the window go.
 */
export const softBounces = sqliteTable(
  'soft_bounces',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    addressKey: blob('address_key', { mode: 'buffer' }).notNull(),
    at: integer('at').notNull(),
  },
  (t) => [index('soft_bounces_key').on(t.addressKey, t.at), index('soft_bounces_at').on(t.at)],
);

/** One row, rewritten by /readyz: proves the database takes a committed write. */
export const readinessProbe = sqliteTable('readiness_probe', {
  id: integer('id').primaryKey(),
  at: integer('at').notNull(),
});
