import { asc, eq, gt, inArray } from 'drizzle-orm';
import type { PgOrm } from '../client.ts';
import type { LedgerAppender } from '../unit.ts';
import { consentEvents, consentTexts } from '../schema/index.ts';
import { chainRow, GENESIS_HASH, verifyChain, type LedgerVerification } from '../../ledger-chain.ts';
import type { ConsentEventRow } from '../../schema/index.ts';
import type { LedgerHead } from '../../stores/ledger.ts';
import { pgCounters } from './console-stats.ts';

const COLUMNS = ['id', 'at', 'contact_id', 'address_key', 'action', 'topic', 'source', 'actor', 'policy_version', 'consent_text_id', 'campaign', 'ip_hash', 'user_agent_hash', 'detail', 'prev_hash', 'hash'];
const ROWS_PER_INSERT = 1000; // 16 parameters a row, far below PostgreSQL's 65,535 per statement

/**
 * The consent ledger on PostgreSQL. One chain for every instance: appends lock the chain head
 * (`ledger_head`, one row) FOR UPDATE, number and hash their rows from it, and move it, all in
 * the transaction of the change they record; the lock is held until that transaction commits,
 * so the next appender, on any instance, reads the head this one left.
 */
export function createPgLedgerStore(orm: PgOrm) {
  const append: LedgerAppender = async (query, events) => {
    const [head] = await query<{ rows: number; hash: string }>('SELECT rows, hash FROM ledger_head WHERE one = 1 FOR UPDATE');
    let id = head!.rows;
    let prevHash = head!.hash;
    const rows: ConsentEventRow[] = events.map((input) => {
      const row = chainRow(input, ++id, prevHash);
      prevHash = row.hash;
      return row;
    });
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const chunk = rows.slice(i, i + ROWS_PER_INSERT);
      const params = chunk.flatMap((r) => [r.id, r.at, r.contactId, r.addressKey, r.action, r.topic, r.source, r.actor, r.policyVersion, r.consentTextId, r.campaign, r.ipHash, r.userAgentHash, r.detail, r.prevHash, r.hash]);
      const tuples = chunk.map((_, j) => `(${COLUMNS.map((__, k) => `$${j * COLUMNS.length + k + 1}`).join(', ')})`);
      await query(`INSERT INTO consent_events (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, params);
    }
    await query('UPDATE ledger_head SET rows = $1, hash = $2 WHERE one = 1', [id, prevHash]);
    await pgCounters.ledgerAppended(query, rows);
  };

  return {
    append,
    store: {
      async forContact(contactId: string): Promise<ConsentEventRow[]> {
        return orm.select().from(consentEvents).where(eq(consentEvents.contactId, contactId)).orderBy(asc(consentEvents.id));
      },

      async consentTexts(ids: string[]): Promise<Map<string, { locale: string; policyVersion: string; text: string }>> {
        if (ids.length === 0) return new Map();
        const rows = await orm.select().from(consentTexts).where(inArray(consentTexts.id, ids));
        return new Map(rows.map((r) => [r.id, { locale: r.locale, policyVersion: r.policyVersion, text: r.text }]));
      },

      /** The chain head as committed: one row. */
      async head(): Promise<LedgerHead> {
        const { rows } = await orm.$client.query<{ rows: number; hash: string }>('SELECT rows, hash FROM ledger_head WHERE one = 1');
        return rows[0] ? { rows: rows[0].rows, hash: rows[0].hash } : { rows: 0, hash: GENESIS_HASH };
      },

      /** Walk the whole chain, recomputing every hash (see verifyChain). */
      async verify(options: { pin?: number } = {}): Promise<LedgerVerification> {
        return verifyChain((after, limit) => orm.select().from(consentEvents).where(gt(consentEvents.id, after)).orderBy(asc(consentEvents.id)).limit(limit), options);
      },
    },
  };
}
