// The PostgreSQL twin of src/db/schema/suppressions.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { pgTable, bigint, index, uniqueIndex } from 'drizzle-orm/pg-core';
import { suppressionColumns } from './suppression-columns.ts';
export const suppressions = pgTable(
  'suppressions',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    ...suppressionColumns(),
  },
  (t) => [uniqueIndex('suppressions_key_scope').on(t.addressKey, t.scope), index('suppressions_email').on(t.email)],
);

