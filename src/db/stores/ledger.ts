import { asc, eq, gt, inArray } from 'drizzle-orm';
import type { Orm } from '../client.ts';
import { consentEvents, consentTexts, type ConsentEventRow } from '../schema/index.ts';
import { chainRow, GENESIS_HASH, verifyChain, type LedgerEventInput, type LedgerVerification } from '../ledger-chain.ts';
import type { CounterSync } from './console-stats.ts';

export type { LedgerEventInput };

export type { LedgerVerification };

/** The newest row of the chain: how many rows there are (ids run 1…n) and its hash. */
export interface LedgerHead {
  rows: number;
  hash: string;
}

export function createLedgerStore(orm: Orm, counters: CounterSync) {
  // Raw prepared statements: appended thousands of times per unit in a bulk add.
  const last = orm.$client.prepare<[], { id: number; hash: string }>('SELECT id, hash FROM consent_events ORDER BY id DESC LIMIT 1');

  // Prepared once: a bulk add appends thousands of rows per unit, and building and preparing the
  // statement per row cost more than the insert itself.
  const insert = orm.$client.prepare(`
    INSERT INTO consent_events (id, at, contact_id, address_key, action, topic, source, actor, policy_version, consent_text_id, campaign, ip_hash, user_agent_hash, detail, prev_hash, hash)
    VALUES (@id, @at, @contactId, @addressKey, @action, @topic, @source, @actor, @policyVersion, @consentTextId, @campaign, @ipHash, @userAgentHash, @detail, @prevHash, @hash)`);

  /** Append one row to the chain. Synchronous: call only inside a unit of the write queue. */
  function appendSync(input: LedgerEventInput): ConsentEventRow {
    const prev = last.get();
    const row = chainRow(input, (prev?.id ?? 0) + 1, prev?.hash ?? GENESIS_HASH);
    insert.run(row);
    counters.ledgerAppended(row);
    return row;
  }

  return {
    /** For other stores, inside their units of work. */
    sync: { appendSync },
    store: {
      async forContact(contactId: string): Promise<ConsentEventRow[]> {
        return orm.select().from(consentEvents).where(eq(consentEvents.contactId, contactId)).orderBy(asc(consentEvents.id)).all();
      },

      /** The consent wordings with these ids (what each person was shown), by id. */
      async consentTexts(ids: string[]): Promise<Map<string, { locale: string; policyVersion: string; text: string }>> {
        if (ids.length === 0) return new Map();
        const rows = orm.select().from(consentTexts).where(inArray(consentTexts.id, ids)).all();
        return new Map(rows.map((r) => [r.id, { locale: r.locale, policyVersion: r.policyVersion, text: r.text }]));
      },

      /** The newest row's id and hash (the genesis hash for an empty ledger). One indexed read. */
      async head(): Promise<LedgerHead> {
        const row = last.get();
        return row ? { rows: row.id, hash: row.hash } : { rows: 0, hash: GENESIS_HASH };
      },

      /** Walk the whole chain, recomputing every hash (see verifyChain). */
      async verify(options: { pin?: number } = {}): Promise<LedgerVerification> {
        return verifyChain((after, limit) => orm.select().from(consentEvents).where(gt(consentEvents.id, after)).orderBy(asc(consentEvents.id)).limit(limit).all(), options);
      },
    },
  };
}

export type LedgerStore = ReturnType<typeof createLedgerStore>['store'];
export type LedgerSync = ReturnType<typeof createLedgerStore>['sync'];
