import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/** One person. Keyed by a random id; the address is stored normalized and cleared on erasure. */
export const contacts = sqliteTable(
  'contacts',
  {
    id: text('id').primaryKey(),
    email: text('email').unique(),
    locale: text('locale', { enum: ['nl', 'en'] }).notNull(),
    externalId: text('external_id').unique(),
    status: text('status', { enum: ['active', 'erased'] }).notNull().default('active'),
    /** GDPR art. 18 restriction: no mail until this instant (ms since epoch). */
    pausedUntil: integer('paused_until'),
    /** GDPR art. 21 objection to profiling ("similar profiles"). */
    noProfiling: integer('no_profiling', { mode: 'boolean' }).notNull().default(false),
    /**
     * Preference, sign-in and confirmation links issued before this instant (ms) no longer open
     * anything: set when the address changes, so mail in the old mailbox loses its power.
     * Unsubscribe links keep working (they can only reduce mail).
     */
    linksIssuedAfter: integer('links_issued_after'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  // The API lists contacts in creation order with a keyset cursor.
  (t) => [index('contacts_created').on(t.createdAt, t.id)],
);

export type ContactRow = typeof contacts.$inferSelect;
