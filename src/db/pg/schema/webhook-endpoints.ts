// The PostgreSQL twin of src/db/schema/webhook-endpoints.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { pgTable, text, bigint, jsonb, index } from 'drizzle-orm/pg-core';
export const webhookEndpoints = pgTable('webhook_endpoints', {
  id: text('id').primaryKey(),
  url: text('url').notNull(),
  description: text('description').notNull().default(''),
  events: jsonb('events').$type<string[]>().notNull(),
  secret: text('secret').notNull(),
  createdBy: text('created_by').notNull(),
  apiKeyId: text('api_key_id'),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  failingSince: bigint('failing_since', { mode: 'number' }),
  pausedUntil: bigint('paused_until', { mode: 'number' }),
}, (t) => [index('webhook_endpoints_api_key').on(t.apiKeyId)]);

