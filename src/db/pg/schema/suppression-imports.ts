// The PostgreSQL twin of src/db/schema/suppression-imports.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { pgTable, text, bigint } from 'drizzle-orm/pg-core';
export const suppressionImports = pgTable('suppression_imports', {
  id: text('id').primaryKey(),
  operatorId: text('operator_id'),
  fileName: text('file_name').notNull(),
  status: text('status', { enum: ['running', 'done', 'failed'] }).notNull(),
  bytesTotal: bigint('bytes_total', { mode: 'number' }).notNull(),
  bytesRead: bigint('bytes_read', { mode: 'number' }).notNull().default(0),
  rows: bigint('rows', { mode: 'number' }).notNull().default(0),
  created: bigint('created', { mode: 'number' }).notNull().default(0),
  existing: bigint('existing', { mode: 'number' }).notNull().default(0),
  failed: bigint('failed', { mode: 'number' }).notNull().default(0),
  errors: text('errors').notNull().default('[]'),
  message: text('message'),
  startedAt: bigint('started_at', { mode: 'number' }).notNull(),
  finishedAt: bigint('finished_at', { mode: 'number' }),
});

