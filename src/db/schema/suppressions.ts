import { sqliteTable, integer, uniqueIndex, index } from 'drizzle-orm/sqlite-core';
import { suppressionColumns } from './suppression-columns.ts';

/**
 * The list the sending pipeline checks. Keyed by HMAC-SHA256(pepper, normalized address) so it
 * outlives erasure without keeping the address: a plain hash of an address is easily reversed.
 * The address itself is kept beside it only while there is a contact (or a sender) to own it.
 */
export const suppressions = sqliteTable(
  'suppressions',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    ...suppressionColumns(),
  },
  (t) => [uniqueIndex('suppressions_key_scope').on(t.addressKey, t.scope), index('suppressions_email').on(t.email)],
);

export type SuppressionRow = typeof suppressions.$inferSelect;
