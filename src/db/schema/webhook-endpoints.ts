import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';

/**
 * Where to send webhooks. The secret signs every delivery (Standard Webhooks: `whsec_` + base64);
 * it must be kept readable to sign with, and is shown to the client only when created.
 */
export const webhookEndpoints = sqliteTable('webhook_endpoints', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  description: text('description').notNull().default(''),
  events: text('events', { mode: 'json' }).$type<string[]>().notNull(),
  secret: text('secret').notNull(),
  /** Name of the API key that registered it (for the operator). */
  createdBy: text('created_by').notNull(),
  createdAt: integer('created_at').notNull(),
});

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
