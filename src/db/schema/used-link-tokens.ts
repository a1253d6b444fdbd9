import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';
import { contacts } from './contacts.ts';

/**
 * Single-use link tokens (sign-in, address change) that were used, by their `jti`, until they
 * expire: a second use is refused. Rows past their expiry are swept as new ones come in.
 */
export const usedLinkTokens = sqliteTable(
  'used_link_tokens',
  {
    jti: text('jti').primaryKey(),
    /** ms; after this the token is refused by its own expiry and the row may go. */
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('used_link_tokens_expiry').on(t.expiresAt)],
);

/**
 * An address change waiting for its confirmation link to be followed (GDPR art. 16). The new
 * address is kept here, not in the link: link tokens never carry an address.
 */
export const pendingEmailChanges = sqliteTable('pending_email_changes', {
  jti: text('jti').primaryKey(),
  contactId: text('contact_id')
    .notNull()
    .references(() => contacts.id, { onDelete: 'cascade' }),
  email: text('email').notNull(),
  expiresAt: integer('expires_at').notNull(),
});
