import { sqliteTable, text, integer, index } from 'drizzle-orm/sqlite-core';

/**
 * The people who run optbox in the console (not subscribers: their sessions and cookie are
 * separate, so a subscriber session can never act as an operator). The password is kept only as
 * an argon2id hash; null until the operator followed their setup link.
 */
export const operators = sqliteTable('operators', {
  id: text('id').primaryKey(),
  email: text('email').notNull().unique(),
  role: text('role', { enum: ['admin', 'privacy', 'viewer'] }).notNull(),
  passwordHash: text('password_hash'),
  createdAt: integer('created_at').notNull(),
  disabledAt: integer('disabled_at'),
});

/** Console sessions (lucia v3, src/auth/operators.ts): their own table and cookie. */
export const operatorSessions = sqliteTable(
  'operator_sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => operators.id, { onDelete: 'cascade' }),
    /** Seconds since epoch (lucia's adapter stores it so): the idle expiry. */
    expiresAt: integer('expires_at').notNull(),
    /** When the session started (ms): the absolute expiry counts from here. */
    createdAt: integer('created_at').notNull(),
    /** Keyed, truncated hash of the sign-in IP and the browser's user agent (shortened), to tell sessions apart. */
    ipHash: text('ip_hash'),
    userAgent: text('user_agent'),
  },
  (t) => [index('operator_sessions_user').on(t.userId)],
);

/**
 * Single-use setup links: the first operator's (no operator yet) or one made by
 * `optbox operator create`. Only the SHA-256 of the token is kept.
 */
export const operatorSetupTokens = sqliteTable('operator_setup_tokens', {
  tokenHash: text('token_hash').primaryKey(),
  /** null: the first-run link, which creates an admin with the address given on the page. */
  operatorId: text('operator_id').references(() => operators.id, { onDelete: 'cascade' }),
  expiresAt: integer('expires_at').notNull(),
});

/**
 * What operators did that is not a consent change (those go to the consent ledger, with the
 * operator as actor): sign-ins, exports, settings, session revocations.
 */
export const auditEvents = sqliteTable(
  'audit_events',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    at: integer('at').notNull(),
    operatorId: text('operator_id'),
    action: text('action').notNull(),
    target: text('target'),
    detail: text('detail'),
  },
  (t) => [index('audit_events_at').on(t.at)],
);

export type OperatorRow = typeof operators.$inferSelect;
export type OperatorSessionRow = typeof operatorSessions.$inferSelect;
export type AuditEventRow = typeof auditEvents.$inferSelect;
