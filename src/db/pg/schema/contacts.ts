// The PostgreSQL twin of src/db/schema/contacts.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { pgTable, text, bigint, boolean, index } from 'drizzle-orm/pg-core';
export const contacts = pgTable(
  'contacts',
  {
    id: text('id').primaryKey(),
    email: text('email').unique(),
    locale: text('locale', { enum: ['nl', 'en'] }).notNull(),
    externalId: text('external_id').unique(),
    status: text('status', { enum: ['active', 'erased'] }).notNull().default('active'),
    pausedUntil: bigint('paused_until', { mode: 'number' }),
    noProfiling: boolean('no_profiling').notNull().default(false),
    linksIssuedAfter: bigint('links_issued_after', { mode: 'number' }),
    createdAt: bigint('created_at', { mode: 'number' }).notNull(),
    updatedAt: bigint('updated_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('contacts_created').on(t.createdAt, t.id)],
);

