// The PostgreSQL twin of src/db/schema/provider-events.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { pgTable, text, bigint, index, primaryKey } from 'drizzle-orm/pg-core';
import { bytea } from './bytea.ts';
export const providerEvents = pgTable(
  'provider_events',
  {
    provider: text('provider').notNull(),
    eventId: text('event_id').notNull(),
    receivedAt: bigint('received_at', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.eventId] }), index('provider_events_received').on(t.receivedAt)],
);
export const softBounces = pgTable(
  'soft_bounces',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    addressKey: bytea('address_key').notNull(),
    at: bigint('at', { mode: 'number' }).notNull(),
  },
  (t) => [index('soft_bounces_key').on(t.addressKey, t.at), index('soft_bounces_at').on(t.at)],
);
export const readinessProbe = pgTable('readiness_probe', {
  id: bigint('id', { mode: 'number' }).primaryKey(),
  at: bigint('at', { mode: 'number' }).notNull(),
});
