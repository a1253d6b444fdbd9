import { sqliteTable, text, integer, blob, index } from 'drizzle-orm/sqlite-core';

/**
 * The consent ledger: one row per change of consent, never updated or deleted (triggers in the
 * migration refuse both). Each row carries the hash of the previous one, so an edit or a
 * deletion anywhere breaks the chain that `verifyLedger` walks (GDPR art. 7(1): the controller
 * must be able to demonstrate consent).
 */
export const consentEvents = sqliteTable(
  'consent_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    contactId: text('contact_id'),
    /** For events about an address without a contact (a bounce from the pipeline). */
    addressKey: blob('address_key', { mode: 'buffer' }),
    action: text('action').notNull(),
    topic: text('topic'),
    source: text('source').notNull(),
    actor: text('actor'),
    policyVersion: text('policy_version').notNull(),
    consentTextId: text('consent_text_id'),
    campaign: text('campaign'),
    ipHash: text('ip_hash'),
    userAgentHash: text('user_agent_hash'),
    detail: text('detail'),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [index('consent_events_contact').on(t.contactId, t.id)],
);

/** The exact words a person was shown when consenting, kept per version (proof, not "the current site"). */
export const consentTexts = sqliteTable('consent_texts', {
  id: text('id').primaryKey(),
  locale: text('locale').notNull(),
  policyVersion: text('policy_version').notNull(),
  text: text('text').notNull(),
  createdAt: integer('created_at').notNull(),
});

export type ConsentEventRow = typeof consentEvents.$inferSelect;
