import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

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
  /** Id of that key: endpoints are bounded per key (WEBHOOK_ENDPOINTS_PER_KEY). Null for rows older than the bound. */
  apiKeyId: text('api_key_id'),
  createdAt: integer('created_at').notNull(),
  /** First failure of the current run of failures; null while the receiver answers. */
  failingSince: integer('failing_since'),
  /** A failing receiver is left alone until then, as a whole (not per delivery). */
  pausedUntil: integer('paused_until'),
}, (t) => [index('webhook_endpoints_api_key').on(t.apiKeyId)]);

export type WebhookEndpointRow = typeof webhookEndpoints.$inferSelect;
