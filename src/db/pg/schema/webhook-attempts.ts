// The PostgreSQL twin of src/db/schema/webhook-attempts.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { pgTable, text, bigint, index } from 'drizzle-orm/pg-core';
import { webhookDeliveries } from './webhook-deliveries.ts';
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    deliveryId: bigint('delivery_id', { mode: 'number' }).notNull().references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    at: bigint('at', { mode: 'number' }).notNull(),
    statusCode: bigint('status_code', { mode: 'number' }),
    error: text('error'),
    durationMs: bigint('duration_ms', { mode: 'number' }).notNull(),
  },
  (t) => [index('webhook_attempts_delivery').on(t.deliveryId, t.id)],
);

