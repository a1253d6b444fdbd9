// The PostgreSQL twin of src/db/schema/contact-addresses.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { pgTable, text, bigint, index } from 'drizzle-orm/pg-core';
import { bytea } from './bytea.ts';
import { contacts } from './contacts.ts';
export const contactAddresses = pgTable(
  'contact_addresses',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    contactId: text('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    addressKey: bytea('address_key').notNull(),
    email: text('email').notNull(),
    replacedAt: bigint('replaced_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('contact_addresses_contact').on(t.contactId)],
);
export const dataMigrations = pgTable('data_migrations', {
  name: text('name').primaryKey(),
  doneAt: bigint('done_at', { mode: 'number' }).notNull(),
});
