import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { webhookDeliveries } from './webhook-deliveries.ts';

/** Every attempt of a delivery: when, the HTTP status or the error, how long it took. */
export const webhookAttempts = sqliteTable(
  'webhook_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    deliveryId: integer('delivery_id').notNull().references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    at: integer('at').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
    durationMs: integer('duration_ms').notNull(),
  },
  (t) => [index('webhook_attempts_delivery').on(t.deliveryId, t.id)],
);

export type WebhookAttemptRow = typeof webhookAttempts.$inferSelect;
