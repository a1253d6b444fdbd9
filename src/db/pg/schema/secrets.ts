// The PostgreSQL twin of src/db/schema/secrets.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { pgTable, text, bigint } from 'drizzle-orm/pg-core';
import { bytea } from './bytea.ts';
export const signingKeys = pgTable('signing_keys', {
  kid: text('kid').primaryKey(),
  secret: bytea('secret').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  retiredAt: bigint('retired_at', { mode: 'number' }),
});
export const settings = pgTable('settings', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});
