// The PostgreSQL twin of src/db/schema/webhook-events.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { pgTable, text, bigint, index } from 'drizzle-orm/pg-core';
import { bytea } from './bytea.ts';
export const webhookEvents = pgTable(
  'webhook_events',
  {
    id: text('id').primaryKey(),
    type: text('type').notNull(),
    payload: text('payload').notNull(),
    addressKey: bytea('address_key'),
    contactId: text('contact_id'),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('webhook_events_address_key').on(t.addressKey), index('webhook_events_contact').on(t.contactId)],
);

