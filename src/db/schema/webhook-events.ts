import { sqliteTable, text, integer, blob, index } from 'drizzle-orm/sqlite-core';

/**
 * The outbox: one row per event, written in the same unit of work as the change that caused it,
 * so an event is never lost nor sent for a change that rolled back. `address_key` and
 * `contact_id` let erasure scrub the address out of payloads not yet (or already) delivered.
 */
export const webhookEvents = sqliteTable(
  'webhook_events',
  {
    /** The `webhook-id` header: the same on every retry, so receivers can de-duplicate. */
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    payload: text('payload').notNull(),
    addressKey: blob('address_key', { mode: 'buffer' }),
    contactId: text('contact_id'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('webhook_events_address_key').on(t.addressKey), index('webhook_events_contact').on(t.contactId)],
);

export type WebhookEventRow = typeof webhookEvents.$inferSelect;
