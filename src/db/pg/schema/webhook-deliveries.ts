// The PostgreSQL twin of src/db/schema/webhook-deliveries.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { pgTable, text, bigint, index } from 'drizzle-orm/pg-core';
import { webhookEndpoints } from './webhook-endpoints.ts';
import { webhookEvents } from './webhook-events.ts';
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    endpointId: text('endpoint_id').notNull().references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    eventId: text('event_id').notNull().references(() => webhookEvents.id, { onDelete: 'cascade' }),
    state: text('state', { enum: ['pending', 'delivered', 'failed'] }).notNull().default('pending'),
    attempts: bigint('attempts', { mode: 'number' }).notNull().default(0),
    nextAttemptAt: bigint('next_attempt_at', { mode: 'number' }).notNull(),
    lastAttemptAt: bigint('last_attempt_at', { mode: 'number' }),
    lastStatus: bigint('last_status', { mode: 'number' }),
    lastError: text('last_error'),
    deliveredAt: bigint('delivered_at', { mode: 'number' }),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  },
  (t) => [
    index('webhook_deliveries_due').on(t.state, t.nextAttemptAt),
    index('webhook_deliveries_endpoint').on(t.endpointId, t.id),
    index('webhook_deliveries_endpoint_due').on(t.endpointId, t.state, t.nextAttemptAt),
  ],
);

