import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/**
 * Requests people make under GDPR arts. 15–21 (access, rectification, erasure, restriction,
 * portability, objection): logged by an operator when one arrives at the privacy mailbox (or by
 * letter, phone, in person), or recorded as already fulfilled when the person did it themselves
 * in the preference center. Art. 12(3): an answer is due one month from receipt, extendable once
 * by two further months with a reason. A logged request proceeds only after the person followed
 * the verification link mailed to the address (`verified_at`).
 */
export const privacyRequests = sqliteTable(
  'privacy_requests',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['access', 'rectification', 'erasure', 'restriction', 'portability', 'objection'] }).notNull(),
    /** How it arrived; `preference-center` for what the person did themselves. */
    channel: text('channel', { enum: ['mail', 'letter', 'phone', 'in-person', 'other', 'preference-center'] }).notNull(),
    /** The address it is about (normalized); cleared when an erasure request is fulfilled. */
    email: text('email'),
    /** The contact of that address when there is one (a request may come from someone optbox holds nothing about). */
    contactId: text('contact_id'),
    /** Language of the verification mail and page. */
    locale: text('locale', { enum: ['nl', 'en'] }).notNull(),
    note: text('note'),
    status: text('status', { enum: ['awaiting-verification', 'verified', 'fulfilled', 'refused', 'closed'] }).notNull(),
    /** When it was received (ms); the deadline counts from here. */
    receivedAt: integer('received_at').notNull(),
    /** End (ms) of the last day an answer is due: one month from receipt, three once extended. */
    dueAt: integer('due_at').notNull(),
    extendedAt: integer('extended_at'),
    extensionReason: text('extension_reason'),
    verificationSentAt: integer('verification_sent_at'),
    verifiedAt: integer('verified_at'),
    fulfilledAt: integer('fulfilled_at'),
    /** What was done: export, erase, pause, no-profiling, address-change, or no-data (nothing held). */
    fulfilment: text('fulfilment'),
    refusedAt: integer('refused_at'),
    refusalReason: text('refusal_reason'),
    closedAt: integer('closed_at'),
    outcome: text('outcome', { enum: ['fulfilled', 'refused'] }),
    /** The operator who logged it (null: the person, in the preference center). */
    createdBy: text('created_by'),
  },
  (t) => [index('privacy_requests_status_due').on(t.status, t.dueAt), index('privacy_requests_contact').on(t.contactId), index('privacy_requests_received').on(t.receivedAt)],
);

export type PrivacyRequestRow = typeof privacyRequests.$inferSelect;
