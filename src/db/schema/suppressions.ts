import { sqliteTable, text, integer, blob, uniqueIndex, index } from 'drizzle-orm/sqlite-core';

/**
 * The list the sending pipeline checks. Keyed by HMAC-SHA256(pepper, normalized address) so it
 * outlives erasure without keeping the address: a plain hash of an address is easily reversed.
 * The address itself is kept beside it only while there is a contact (or a sender) to own it.
 */
export const suppressions = sqliteTable(
  'suppressions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    addressKey: blob('address_key', { mode: 'buffer' }).notNull(),
    /** A topic id, or '*' for every topic. */
    scope: text('scope').notNull(),
    reason: text('reason', { enum: ['unsubscribe', 'bounce', 'complaint', 'manual', 'erasure'] }).notNull(),
    source: text('source').notNull(),
    email: text('email'),
    createdAt: integer('created_at').notNull(),
    /** Soft bounces lapse; null = never. */
    expiresAt: integer('expires_at'),
  },
  (t) => [uniqueIndex('suppressions_key_scope').on(t.addressKey, t.scope), index('suppressions_email').on(t.email)],
);

export type SuppressionRow = typeof suppressions.$inferSelect;
