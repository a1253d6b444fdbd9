import { and, eq, sql } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { Orm } from '../client.ts';
import type { RunInTransaction } from '../write-queue.ts';
import { suppressions, type SuppressionRow } from '../schema/index.ts';
import type { LedgerStore, LedgerEventInput } from './ledger.ts';

export type SuppressionReason = SuppressionRow['reason'];

export interface SuppressionInput {
  addressKey: Buffer;
  scope: string;
  reason: SuppressionReason;
  source: string;
  email: string | null;
  expiresAt: number | null;
}

/** The suppression that applies to one address for a scope, if any. */
export interface SuppressionHit {
  scope: string;
  reason: SuppressionReason;
}

export function createSuppressionStore(orm: Orm, sqlite: Database.Database, transact: RunInTransaction, ledger: LedgerStore) {
  /**
   * The hot path of every send. One indexed statement for a whole batch: the keys travel as one
   * JSON array of hex strings, and SQLite walks the (address_key, scope) index once per key and
   * scope. A global ('*') suppression wins over a topic one.
   */
  const checkMany = sqlite.prepare<{ keys: string; topic: string; now: number }>(`
    SELECT j.key AS i, s.scope AS scope, s.reason AS reason
    FROM json_each(@keys) AS j
    JOIN suppressions AS s ON s.address_key = unhex(j.value) AND s.scope IN (@topic, '*')
    WHERE s.expires_at IS NULL OR s.expires_at > @now`);
  const checkOne = sqlite.prepare<{ key: Buffer; topic: string; now: number }>(`
    SELECT scope, reason FROM suppressions
    WHERE address_key = @key AND scope IN (@topic, '*') AND (expires_at IS NULL OR expires_at > @now)
    ORDER BY scope = '*' DESC LIMIT 1`);

  /**
   * Insert, or replace one that lapses (a soft bounce) by the new one. A standing suppression
   * keeps its first reason: an unsubscribe does not turn a complaint into something weaker.
   */
  const insert = orm
    .insert(suppressions)
    .values({
      addressKey: sql.placeholder('addressKey'),
      scope: sql.placeholder('scope'),
      reason: sql.placeholder('reason'),
      source: sql.placeholder('source'),
      email: sql.placeholder('email'),
      createdAt: sql.placeholder('at'),
      expiresAt: sql.placeholder('expiresAt'),
    })
    .onConflictDoUpdate({
      target: [suppressions.addressKey, suppressions.scope],
      set: { reason: sql`excluded.reason`, source: sql`excluded.source`, expiresAt: sql`excluded.expires_at`, createdAt: sql`excluded.created_at`, email: sql`coalesce(excluded.email, ${suppressions.email})` },
      setWhere: sql`${suppressions.expiresAt} IS NOT NULL`,
    })
    .prepare();
  const lift = orm
    .delete(suppressions)
    .where(
      and(
        eq(suppressions.addressKey, sql.placeholder('addressKey')),
        sql`${suppressions.scope} IN (SELECT value FROM json_each(${sql.placeholder('scopes')}))`,
        sql`${suppressions.reason} IN (SELECT value FROM json_each(${sql.placeholder('reasons')}))`,
      ),
    )
    .prepare();

  function addSync(input: SuppressionInput, at: number): boolean {
    return insert.run({ ...input, at }).changes > 0;
  }

  function liftSync(addressKey: Buffer, scopes: string[], reasons: SuppressionReason[]): number {
    return lift.run({ addressKey, scopes: JSON.stringify(scopes), reasons: JSON.stringify(reasons) }).changes;
  }

  return {
    addSync,
    liftSync,

    async checkOne(addressKey: Buffer, topic: string, now: number): Promise<SuppressionHit | undefined> {
      return checkOne.get({ key: addressKey, topic, now }) as SuppressionHit | undefined;
    },

    /** Suppressions for many keys; the result is indexed like `keys`. */
    async checkMany(keys: Buffer[], topic: string, now: number): Promise<Array<SuppressionHit | undefined>> {
      // A few keys: point lookups beat building and walking a JSON array.
      if (keys.length <= 4) return keys.map((key) => checkOne.get({ key, topic, now }) as SuppressionHit | undefined);
      const out: Array<SuppressionHit | undefined> = new Array(keys.length);
      const json = JSON.stringify(keys.map((k) => k.toString('hex')));
      for (const row of checkMany.all({ keys: json, topic, now }) as Array<{ i: number; scope: string; reason: SuppressionReason }>) {
        const seen = out[row.i];
        if (!seen || row.scope === '*') out[row.i] = { scope: row.scope, reason: row.reason };
      }
      return out;
    },

    /** Add a suppression by address (bounce, complaint, manual); records a `suppress` event if new. */
    add(input: SuppressionInput & { at: number; contactId: string | null; event: Omit<LedgerEventInput, 'at' | 'contactId' | 'action' | 'topic' | 'addressKey' | 'source'> }): Promise<boolean> {
      return transact(() => {
        const added = addSync(input, input.at);
        if (added) {
          ledger.appendSync({
            ...input.event,
            at: input.at,
            contactId: input.contactId,
            addressKey: input.contactId ? null : input.addressKey,
            action: 'suppress',
            topic: input.scope,
            source: input.source,
            detail: { reason: input.reason, ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}) },
          });
        }
        return added;
      });
    },

    /** Remove suppressions of the given reasons; records an `unsuppress` event if any went. */
    remove(input: { addressKey: Buffer; scope: string; reasons: SuppressionReason[]; at: number; contactId: string | null; source: string; event: Omit<LedgerEventInput, 'at' | 'contactId' | 'action' | 'topic' | 'addressKey' | 'source'> }): Promise<number> {
      return transact(() => {
        const removed = liftSync(input.addressKey, [input.scope], input.reasons);
        if (removed > 0) {
          ledger.appendSync({ ...input.event, at: input.at, contactId: input.contactId, addressKey: input.contactId ? null : input.addressKey, action: 'unsuppress', topic: input.scope, source: input.source });
        }
        return removed;
      });
    },
  };
}

export type SuppressionStore = ReturnType<typeof createSuppressionStore>;
