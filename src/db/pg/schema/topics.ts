// The PostgreSQL twin of src/db/schema/topics.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { pgTable, text, bigint, boolean } from 'drizzle-orm/pg-core';
export const topics = pgTable('topics', {
  id: text('id').primaryKey(),
  nameNl: text('name_nl').notNull(),
  nameEn: text('name_en').notNull(),
  descriptionNl: text('description_nl').notNull().default(''),
  descriptionEn: text('description_en').notNull().default(''),
  defaultStatus: text('default_status', { enum: ['opt-in', 'opt-out'] }).notNull().default('opt-in'),
  doubleOptIn: boolean('double_opt_in').notNull().default(false),
  position: bigint('position', { mode: 'number' }).notNull().default(0),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
  retiredAt: bigint('retired_at', { mode: 'number' }),
});

