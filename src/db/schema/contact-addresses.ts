import { sqliteTable, text, integer, blob, index } from 'drizzle-orm/sqlite-core';
import { contacts } from './contacts.ts';

/**
 * Every address a contact had before its current one, kept while the contact exists: erasure
 * must reach all of them (GDPR art. 17), suppressing each key and scrubbing each from kept
 * webhook payloads, so an old address re-imported after erasure is never mailed. Erasure deletes
 * these rows (the keyed hashes live on in the suppression list).
 */
export const contactAddresses = sqliteTable(
  'contact_addresses',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    contactId: text('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    addressKey: blob('address_key', { mode: 'buffer' }).notNull(),
    email: text('email').notNull(),
    /** When the contact stopped using it (ms). */
    replacedAt: integer('replaced_at').notNull(),
  },
  (t) => [index('contact_addresses_contact').on(t.contactId)],
);

/** Data migrations run in code at start (they need the pepper), each recorded once. */
export const dataMigrations = sqliteTable('data_migrations', {
  name: text('name').primaryKey(),
  doneAt: integer('done_at').notNull(),
});
