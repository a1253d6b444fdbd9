// The PostgreSQL twin of src/db/schema/suppression-columns.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { text, bigint } from 'drizzle-orm/pg-core';
import { bytea } from './bytea.ts';
export const SUPPRESSION_REASONS = ['unsubscribe', 'bounce', 'complaint', 'manual', 'erasure'] as const;
export const suppressionColumns = () => ({
  addressKey: bytea('address_key').notNull(),
  scope: text('scope').notNull(),
  reason: text('reason', { enum: SUPPRESSION_REASONS }).notNull(),
  source: text('source').notNull(),
  email: text('email'),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  expiresAt: bigint('expires_at', { mode: 'number' }),
});
