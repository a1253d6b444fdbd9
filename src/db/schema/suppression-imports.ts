import { sqliteTable, text, integer } from 'drizzle-orm/sqlite-core';

/**
 * CSV imports of suppressions started from the console or `optbox import`: their progress and
 * outcome live here (not in the process), so the progress page works from any instance and
 * survives a reload. Only the first few hundred row errors are kept; the counts are exact.
 */
export const suppressionImports = sqliteTable('suppression_imports', {
  id: text('id').primaryKey(),
  operatorId: text('operator_id'),
  fileName: text('file_name').notNull(),
  status: text('status', { enum: ['running', 'done', 'failed'] }).notNull(),
  bytesTotal: integer('bytes_total').notNull(),
  bytesRead: integer('bytes_read').notNull().default(0),
  rows: integer('rows').notNull().default(0),
  created: integer('created').notNull().default(0),
  existing: integer('existing').notNull().default(0),
  failed: integer('failed').notNull().default(0),
  /** JSON: [{ line, field, message }], the first errors only. */
  errors: text('errors').notNull().default('[]'),
  message: text('message'),
  startedAt: integer('started_at').notNull(),
  finishedAt: integer('finished_at'),
});

export type SuppressionImportRow = typeof suppressionImports.$inferSelect;
