// The PostgreSQL twin of src/db/schema/used-link-tokens.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { pgTable, text, bigint, index } from 'drizzle-orm/pg-core';
import { contacts } from './contacts.ts';
export const usedLinkTokens = pgTable(
  'used_link_tokens',
  {
    jti: text('jti').primaryKey(),
    expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
  },
  (t) => [index('used_link_tokens_expiry').on(t.expiresAt)],
);
export const pendingEmailChanges = pgTable('pending_email_changes', {
  jti: text('jti').primaryKey(),
  contactId: text('contact_id')
    .notNull()
    .references(() => contacts.id, { onDelete: 'cascade' }),
  email: text('email').notNull(),
  expiresAt: bigint('expires_at', { mode: 'number' }).notNull(),
});
