import { sqliteTable, text, integer, blob } from 'drizzle-orm/sqlite-core';

/** API keys, stored only as SHA-256 of the key (the key is 32 random bytes: no need for a slow hash). */
export const apiKeys = sqliteTable('api_keys', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  /** The first characters of the key, so an operator can tell keys apart without the secret. */
  prefix: text('prefix').notNull(),
  keyHash: blob('key_hash', { mode: 'buffer' }).notNull().unique(),
  scopes: text('scopes', { mode: 'json' }).$type<string[]>().notNull(),
  createdAt: integer('created_at').notNull(),
  lastUsedAt: integer('last_used_at'),
  revokedAt: integer('revoked_at'),
});

export type ApiKeyRow = typeof apiKeys.$inferSelect;
