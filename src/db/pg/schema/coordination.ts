import { pgTable, text, bigint, doublePrecision, check } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

/**
 * State that SQLite keeps inside its one process and that several instances on one PostgreSQL
 * must share instead. These tables have no SQLite twin (test/unit/schema-parity.test.ts names
 * them as the only difference).
 */

/**
 * The consent ledger's chain head: one row, locked FOR UPDATE by every transaction that appends,
 * so appends from every instance form one chain (row n+1 carries the hash of row n).
 */
export const ledgerHead = pgTable(
  'ledger_head',
  {
    one: bigint('one', { mode: 'number' }).primaryKey(),
    rows: bigint('rows', { mode: 'number' }).notNull(),
    hash: text('hash').notNull(),
  },
  (t) => [check('ledger_head_one', sql`${t.one} = 1`)],
);

/**
 * Token buckets of the rate limits (API keys, sign-in forms), shared by every instance so that
 * a limit is not multiplied by their number. UNLOGGED (see the migration): counts lost in a
 * crash only let a few requests more through.
 */
export const rateLimitBuckets = pgTable('rate_limit_buckets', {
  key: text('key').primaryKey(),
  tokens: doublePrecision('tokens').notNull(),
  at: bigint('at', { mode: 'number' }).notNull(),
});

/**
 * A counter per cached table (topics, API keys), bumped in the same transaction as every change
 * to it: each instance polls these and reloads its cache when one moved.
 */
export const changeVersions = pgTable('change_versions', {
  name: text('name').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull(),
});
