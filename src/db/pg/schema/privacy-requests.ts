// The PostgreSQL twin of src/db/schema/privacy-requests.ts (checked by test/unit/schema-parity.test.ts);
// the comments there say what each column is for.
import { pgTable, text, bigint, index } from 'drizzle-orm/pg-core';
export const privacyRequests = pgTable(
  'privacy_requests',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['access', 'rectification', 'erasure', 'restriction', 'portability', 'objection'] }).notNull(),
    channel: text('channel', { enum: ['mail', 'letter', 'phone', 'in-person', 'other', 'preference-center'] }).notNull(),
    email: text('email'),
    contactId: text('contact_id'),
    locale: text('locale', { enum: ['nl', 'en'] }).notNull(),
    note: text('note'),
    status: text('status', { enum: ['awaiting-verification', 'verified', 'fulfilled', 'refused', 'closed'] }).notNull(),
    receivedAt: bigint('received_at', { mode: 'number' }).notNull(),
    dueAt: bigint('due_at', { mode: 'number' }).notNull(),
    extendedAt: bigint('extended_at', { mode: 'number' }),
    extensionReason: text('extension_reason'),
    verificationSentAt: bigint('verification_sent_at', { mode: 'number' }),
    verifiedAt: bigint('verified_at', { mode: 'number' }),
    fulfilledAt: bigint('fulfilled_at', { mode: 'number' }),
    fulfilment: text('fulfilment'),
    refusedAt: bigint('refused_at', { mode: 'number' }),
    refusalReason: text('refusal_reason'),
    closedAt: bigint('closed_at', { mode: 'number' }),
    outcome: text('outcome', { enum: ['fulfilled', 'refused'] }),
    createdBy: text('created_by'),
  },
  (t) => [index('privacy_requests_status_due').on(t.status, t.dueAt), index('privacy_requests_contact').on(t.contactId), index('privacy_requests_received').on(t.receivedAt)],
);
