import { blob, integer, text } from 'drizzle-orm/sqlite-core';

/** Why an address is suppressed. */
export const SUPPRESSION_REASONS = ['unsubscribe', 'bounce', 'complaint', 'manual', 'erasure'] as const;

/**
 * The columns a suppression is made of, shared by the list (suppressions.ts) and its change log
 * (suppression-changes.ts), which keeps each suppression's latest state. A function: each table
 * needs its own column builders.
 */
export const suppressionColumns = () => ({
  addressKey: blob('address_key', { mode: 'buffer' }).notNull(),
  /** A topic id, or '*' for every topic. */
  scope: text('scope').notNull(),
  reason: text('reason', { enum: SUPPRESSION_REASONS }).notNull(),
  source: text('source').notNull(),
  /** The address in the clear, while there is a contact (or a sender) to own it; cleared on erasure. */
  email: text('email'),
  createdAt: integer('created_at').notNull(),
  /** Soft bounces lapse; null = never. */
  expiresAt: integer('expires_at'),
});
