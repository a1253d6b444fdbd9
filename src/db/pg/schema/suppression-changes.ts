// The PostgreSQL twin of src/db/schema/suppression-changes.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { pgTable, bigint, boolean, uniqueIndex } from 'drizzle-orm/pg-core';
import { suppressionColumns } from './suppression-columns.ts';
export const suppressionChanges = pgTable(
  'suppression_changes',
  {
    seq: bigint('seq', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    ...suppressionColumns(),
    deleted: boolean('deleted').notNull().default(false),
    changedAt: bigint('changed_at', { mode: 'number' }).notNull(),
  },
  (t) => [uniqueIndex('suppression_changes_key_scope').on(t.addressKey, t.scope)],
);

