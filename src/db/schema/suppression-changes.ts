import { sqliteTable, integer, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { suppressionColumns } from './suppression-columns.ts';

/**
 * The suppression list's change log, compacted: one row per (address key, scope) holding its
 * latest state, re-inserted with a new `seq` on every change (AUTOINCREMENT never reuses a
 * number, so `seq` only grows). A removal leaves a tombstone (`deleted`). "Everything changed
 * since my cursor" is then `seq > cursor` in seq order, removals included, and a client that
 * follows cursors ends with exactly the server's list. Written in the same unit as the change.
 */
export const suppressionChanges = sqliteTable(
  'suppression_changes',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    ...suppressionColumns(),
    deleted: integer('deleted', { mode: 'boolean' }).notNull().default(false),
    changedAt: integer('changed_at').notNull(),
  },
  (t) => [uniqueIndex('suppression_changes_key_scope').on(t.addressKey, t.scope)],
);

export type SuppressionChangeRow = typeof suppressionChanges.$inferSelect;
