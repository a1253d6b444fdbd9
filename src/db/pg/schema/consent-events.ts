// The PostgreSQL twin of src/db/schema/consent-events.ts: the same tables, columns and constraints (checked by
// test/unit/schema-parity.test.ts); the comments there say what each column is for.
import { pgTable, text, bigint, index } from 'drizzle-orm/pg-core';
import { bytea } from './bytea.ts';
export const consentEvents = pgTable(
  'consent_events',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    at: bigint('at', { mode: 'number' }).notNull(),
    contactId: text('contact_id'),
    addressKey: bytea('address_key'),
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
export const consentTexts = pgTable('consent_texts', {
  id: text('id').primaryKey(),
  locale: text('locale').notNull(),
  policyVersion: text('policy_version').notNull(),
  text: text('text').notNull(),
  createdAt: bigint('created_at', { mode: 'number' }).notNull(),
});

