import { asc, desc, eq, gt, sql } from 'drizzle-orm';
import type { Orm } from '../client.ts';
import { consentEvents, type ConsentEventRow } from '../schema/index.ts';
import { GENESIS_HASH, ledgerHash } from '../ledger-chain.ts';

export interface LedgerEventInput {
  at: number;
  contactId: string | null;
  addressKey?: Buffer | null;
  action: string;
  topic?: string | null;
  source: string;
  actor?: string | null;
  policyVersion: string;
  consentTextId?: string | null;
  campaign?: string | null;
  ipHash?: string | null;
  userAgentHash?: string | null;
  detail?: Record<string, unknown> | null;
}

export type LedgerVerification =
  | { ok: true; rows: number; head: string }
  | { ok: false; rows: number; brokenAt: number; problem: string };

export function createLedgerStore(orm: Orm) {
  const last = orm
    .select({ id: consentEvents.id, hash: consentEvents.hash })
    .from(consentEvents)
    .orderBy(desc(consentEvents.id))
    .limit(1)
    .prepare();

  const insert = orm
    .insert(consentEvents)
    .values({
      id: sql.placeholder('id'),
      at: sql.placeholder('at'),
      contactId: sql.placeholder('contactId'),
      addressKey: sql.placeholder('addressKey'),
      action: sql.placeholder('action'),
      topic: sql.placeholder('topic'),
      source: sql.placeholder('source'),
      actor: sql.placeholder('actor'),
      policyVersion: sql.placeholder('policyVersion'),
      consentTextId: sql.placeholder('consentTextId'),
      campaign: sql.placeholder('campaign'),
      ipHash: sql.placeholder('ipHash'),
      userAgentHash: sql.placeholder('userAgentHash'),
      detail: sql.placeholder('detail'),
      prevHash: sql.placeholder('prevHash'),
      hash: sql.placeholder('hash'),
    })
    .prepare();

  /** Append one row to the chain. Synchronous: call only inside a unit of the write queue. */
  function appendSync(input: LedgerEventInput): ConsentEventRow {
    const prev = last.get();
    const base = {
      id: (prev?.id ?? 0) + 1,
      at: input.at,
      contactId: input.contactId,
      addressKey: input.addressKey ?? null,
      action: input.action,
      topic: input.topic ?? null,
      source: input.source,
      actor: input.actor ?? null,
      policyVersion: input.policyVersion,
      consentTextId: input.consentTextId ?? null,
      campaign: input.campaign ?? null,
      ipHash: input.ipHash ?? null,
      userAgentHash: input.userAgentHash ?? null,
      detail: input.detail ? JSON.stringify(input.detail) : null,
      prevHash: prev?.hash ?? GENESIS_HASH,
    };
    const row = { ...base, hash: ledgerHash(base) };
    insert.run(row);
    return row;
  }

  return {
    appendSync,

    async forContact(contactId: string): Promise<ConsentEventRow[]> {
      return orm.select().from(consentEvents).where(eq(consentEvents.contactId, contactId)).orderBy(asc(consentEvents.id)).all();
    },

    /** Walk the whole chain in id order, in pages, recomputing every hash. */
    async verify(): Promise<LedgerVerification> {
      let prevHash = GENESIS_HASH;
      let expectedId = 1;
      let rows = 0;
      const page = 5000;
      for (let after = 0; ; ) {
        const batch = orm.select().from(consentEvents).where(gt(consentEvents.id, after)).orderBy(asc(consentEvents.id)).limit(page).all();
        for (const row of batch) {
          rows++;
          if (row.id !== expectedId) return { ok: false, rows, brokenAt: row.id, problem: `row ${expectedId} is missing` };
          if (row.prevHash !== prevHash) return { ok: false, rows, brokenAt: row.id, problem: 'previous hash does not match' };
          const { hash, ...rest } = row;
          if (ledgerHash(rest) !== hash) return { ok: false, rows, brokenAt: row.id, problem: 'row content does not match its hash' };
          prevHash = hash;
          expectedId++;
        }
        if (batch.length < page) break;
        after = batch[batch.length - 1]!.id;
        await new Promise((r) => setImmediate(r)); // let requests through on a long chain
      }
      return { ok: true, rows, head: prevHash };
    },
  };
}

export type LedgerStore = ReturnType<typeof createLedgerStore>;
