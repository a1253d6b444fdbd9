import type { Store } from '../../store.ts';
import type { PgStoreDeps, PgSuppressionSync, PgWebhookSync } from '../sync.ts';
import type { PgUnit } from '../unit.ts';
import type { SuppressionRow } from '../../schema/index.ts';
import type { SuppressionHit, SuppressionInput, SuppressionReason } from '../../stores/suppressions.ts';
import type { LedgerEventInput } from '../../stores/ledger.ts';
import { suppressionData, type ExportRow } from '../../../format/suppressions.ts';
import { createSuppressionLog, type LogEntry, type SuppressionCounts } from './suppression-log.ts';

type EventBase = Omit<LedgerEventInput, 'at' | 'contactId' | 'action' | 'topic' | 'addressKey' | 'source'>;

const ROW = `id, address_key AS "addressKey", scope, reason, source, email, created_at AS "createdAt", expires_at AS "expiresAt"`;
const ROW_OF = (t: string) => `${t}.id, ${t}.address_key AS "addressKey", ${t}.scope, ${t}.reason, ${t}.source, ${t}.email, ${t}.created_at AS "createdAt", ${t}.expires_at AS "expiresAt"`;
// The inputs of a batch as parallel arrays: one statement for the whole batch.
const INPUTS = 'unnest($1::bytea[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int8[]) AS n(key, scope, reason, source, email, expires_at)';
const identity = (key: Buffer, scope: string) => `${key.toString('latin1')}\0${scope}`;

/** The suppression list on PostgreSQL: the same behaviour as src/db/stores/suppressions.ts. */
export function createPgSuppressionStore(deps: PgStoreDeps, webhooks: PgWebhookSync): { sync: PgSuppressionSync; store: Store['suppressions'] } {
  const pool = deps.orm.$client;
  const log = createSuppressionLog();

  /** The change rows, counters and webhooks of suppressions that appeared or went (same unit). */
  async function changed(unit: PgUnit, entries: LogEntry[], counts: SuppressionCounts, at: number): Promise<void> {
    await log.write(unit, entries, counts, at);
    for (const { row, deleted } of entries) {
      // `key` as the sync API shows it: what a receiver matches on once erasure took the address out.
      await webhooks.emit(unit, { type: deleted ? 'suppression.deleted' : 'suppression.created', at, addressKey: row.addressKey, data: { key: row.addressKey.toString('base64url'), ...suppressionData(row) } });
    }
  }

  /**
   * Insert each, or replace one that lapses (a soft bounce) by the new one; a standing
   * suppression keeps its first reason (as on SQLite). Per input, the row added or replaced.
   * Two statements for a batch of distinct (key, scope); a key and scope given twice is taken in
   * a later round, so it meets the first as SQLite's one-at-a-time loop does.
   */
  async function addRows(unit: PgUnit, inputs: SuppressionInput[], at: number): Promise<Array<SuppressionRow | undefined>> {
    const out: Array<SuppressionRow | undefined> = new Array(inputs.length);
    let pending = inputs.map((input, i) => ({ input, i }));
    while (pending.length > 0) {
      const seen = new Map<string, number>();
      const round: typeof pending = [];
      const later: typeof pending = [];
      for (const p of pending) {
        const id = identity(p.input.addressKey, p.input.scope);
        if (seen.has(id)) later.push(p);
        else (seen.set(id, p.i), round.push(p));
      }
      const params = (list: typeof round) => [list.map((p) => p.input.addressKey), list.map((p) => p.input.scope), list.map((p) => p.input.reason), list.map((p) => p.input.source), list.map((p) => p.input.email), list.map((p) => p.input.expiresAt), at];
      const counts = log.tally();
      const inserted = await unit.query<SuppressionRow>(
        `INSERT INTO suppressions (address_key, scope, reason, source, email, created_at, expires_at)
         SELECT key, scope, reason, source, email, $7::int8, expires_at FROM ${INPUTS}
         ON CONFLICT (address_key, scope) DO NOTHING RETURNING ${ROW}`,
        params(round),
      );
      for (const row of inserted) {
        out[seen.get(identity(row.addressKey, row.scope))!] = row;
        counts.added(row.reason, at);
      }
      const rest = round.filter((p) => !out[p.i]);
      if (rest.length > 0) {
        // Only a lapsing one is replaced; the old reason comes from the locked row it replaces.
        const replaced = await unit.query<SuppressionRow & { oldReason: SuppressionReason }>(
          `UPDATE suppressions AS s SET reason = v.reason, source = v.source, expires_at = v.expires_at, created_at = $7::int8, email = coalesce(v.email, s.email)
           FROM (SELECT o.id, o.reason AS old_reason, n.* FROM ${INPUTS}
                 JOIN suppressions AS o ON o.address_key = n.key AND o.scope = n.scope
                 WHERE o.expires_at IS NOT NULL FOR UPDATE OF o) AS v
           WHERE s.id = v.id RETURNING ${ROW_OF('s')}, v.old_reason AS "oldReason"`,
          params(rest),
        );
        for (const { oldReason, ...row } of replaced) {
          out[seen.get(identity(row.addressKey, row.scope))!] = row;
          counts.reasonChanged(oldReason, row.reason);
        }
      }
      // Written per round: the next round may change the same (key, scope) again.
      const entries = round.flatMap((p) => (out[p.i] ? [{ row: out[p.i]!, deleted: false }] : []));
      await changed(unit, entries, counts, at);
      pending = later;
    }
    return out;
  }

  async function lift(unit: PgUnit, addressKey: Buffer, scopes: string[], reasons: SuppressionReason[], at: number): Promise<number> {
    const rows = await unit.query<SuppressionRow>(`DELETE FROM suppressions WHERE address_key = $1 AND scope = ANY($2::text[]) AND reason = ANY($3::text[]) RETURNING ${ROW}`, [addressKey, scopes, reasons]);
    const counts = log.tally();
    for (const row of rows) counts.removed(row.reason, at);
    await changed(
      unit,
      rows.map((row) => ({ row, deleted: true })),
      counts,
      at,
    );
    return rows.length;
  }

  /** Erasure (GDPR art. 17), as on SQLite: the address forgotten, a global `erasure` suppression standing. */
  async function eraseAddress(unit: PgUnit, addressKey: Buffer, at: number, source: string): Promise<void> {
    await unit.query('UPDATE suppressions SET email = NULL WHERE address_key = $1', [addressKey]);
    await unit.query('UPDATE suppression_changes SET email = NULL WHERE address_key = $1', [addressKey]);
    const counts = log.tally();
    // The row locked, then replaced or inserted; an insert that lost a race finds the row next time.
    for (;;) {
      const [before] = await unit.query<{ reason: string }>("SELECT reason FROM suppressions WHERE address_key = $1 AND scope = '*' FOR UPDATE", [addressKey]);
      const [row] = before
        ? await unit.query<SuppressionRow>(`UPDATE suppressions SET reason = 'erasure', source = $2, expires_at = NULL, created_at = $3 WHERE address_key = $1 AND scope = '*' RETURNING ${ROW}`, [addressKey, source, at])
        : await unit.query<SuppressionRow>(`INSERT INTO suppressions (address_key, scope, reason, source, email, created_at, expires_at) VALUES ($1, '*', 'erasure', $2, NULL, $3, NULL) ON CONFLICT (address_key, scope) DO NOTHING RETURNING ${ROW}`, [addressKey, source, at]);
      if (!row) continue;
      if (before) counts.reasonChanged(before.reason, row.reason);
      else counts.added(row.reason, at);
      await changed(unit, [{ row, deleted: false }], counts, at);
      return;
    }
  }

  /** An address change (GDPR art. 16), as on SQLite: the old address's suppressions apply to the new one. */
  async function moveAddress(unit: PgUnit, oldKey: Buffer, newKey: Buffer, newEmail: string, at: number): Promise<void> {
    const rows = await unit.query<SuppressionRow>(`SELECT ${ROW} FROM suppressions WHERE address_key = $1 AND (expires_at IS NULL OR expires_at > $2) ORDER BY id`, [oldKey, at]);
    if (rows.length > 0) await addRows(unit, rows.map((row) => ({ addressKey: newKey, scope: row.scope, reason: row.reason, source: row.source, email: newEmail, expiresAt: row.expiresAt })), at);
    await unit.query('UPDATE suppressions SET email = NULL WHERE address_key = $1', [oldKey]);
    await unit.query('UPDATE suppression_changes SET email = NULL WHERE address_key = $1', [oldKey]);
  }

  const suppressEvent = (input: SuppressionInput & { contactId: string | null }, at: number, event: EventBase): LedgerEventInput => ({
    ...event,
    at,
    contactId: input.contactId,
    addressKey: input.contactId ? null : input.addressKey,
    action: 'suppress',
    topic: input.scope,
    source: input.source,
    detail: { reason: input.reason, ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}) },
  });

  return {
    sync: { add: async (unit, input, at) => !!(await addRows(unit, [input], at))[0], lift, eraseAddress, moveAddress },
    store: {
      /** The hot path of every send: one indexed lookup; a global ('*') suppression wins over a topic one. */
      async checkOne(addressKey: Buffer, topic: string, now: number): Promise<SuppressionHit | undefined> {
        const { rows } = await pool.query<SuppressionHit>({
          name: 'optbox_suppression_check_one',
          text: `SELECT scope, reason FROM suppressions WHERE address_key = $1 AND scope IN ($2, '*') AND (expires_at IS NULL OR expires_at > $3)
                 ORDER BY scope = '*' DESC LIMIT 1`,
          values: [addressKey, topic, now],
        });
        return rows[0];
      },

      /** Suppressions for many keys in one statement (`= ANY` over the unique index); indexed like `keys`. */
      async checkMany(keys: Buffer[], topic: string, now: number): Promise<Array<SuppressionHit | undefined>> {
        if (keys.length === 0) return [];
        const { rows } = await pool.query<SuppressionHit & { key: Buffer }>({
          name: 'optbox_suppression_check_many',
          text: `SELECT address_key AS key, scope, reason FROM suppressions
                 WHERE address_key = ANY($1::bytea[]) AND scope IN ($2, '*') AND (expires_at IS NULL OR expires_at > $3)`,
          values: [keys, topic, now],
        });
        const hits = new Map<string, SuppressionHit>();
        for (const row of rows) {
          const id = row.key.toString('latin1');
          if (!hits.has(id) || row.scope === '*') hits.set(id, { scope: row.scope, reason: row.reason });
        }
        return keys.map((key) => hits.get(key.toString('latin1')));
      },

      add(input) {
        return deps.transact(async (unit) => {
          const { at, contactId, event, ...suppression } = input;
          const added = !!(await addRows(unit, [suppression], at))[0];
          if (added) unit.appendLedger(suppressEvent({ ...suppression, contactId }, at, event));
          return added;
        });
      },

      remove(input) {
        return deps.transact(async (unit) => {
          const removed = await lift(unit, input.addressKey, [input.scope], input.reasons, input.at);
          if (removed > 0) {
            unit.appendLedger({ ...input.event, at: input.at, contactId: input.contactId, addressKey: input.contactId ? null : input.addressKey, action: 'unsuppress', topic: input.scope, source: input.source });
          }
          return removed;
        });
      },

      /** Many suppressions in one unit, each on its own (bulk API, CSV import), as on SQLite. */
      addMany(items, at, event) {
        return deps.transact(async (unit) => {
          const rows = await addRows(
            unit,
            items.map(({ contactId, ...input }) => (void contactId, input)),
            at,
          );
          items.forEach((item, i) => rows[i] && unit.appendLedger(suppressEvent(item, at, event)));
          return rows.map((row) => !!row);
        });
      },

      /** Every suppression held for one key (lapsed ones excluded), global first, then by scope (binary order, as SQLite). */
      async forKey(addressKey: Buffer, now: number): Promise<SuppressionRow[]> {
        const { rows } = await pool.query<SuppressionRow>(
          `SELECT ${ROW} FROM suppressions WHERE address_key = $1 AND (expires_at IS NULL OR expires_at > $2) ORDER BY scope = '*' DESC, scope COLLATE "C"`,
          [addressKey, now],
        );
        return rows;
      },

      /** The compacted change log after a seq, in seq order (see suppression-log.ts for why it locks). */
      changes: (query) => log.read(pool, query),

      /** One page of the list for export, as raw arrays, after a row id (as on SQLite). */
      async exportPage(afterId: number, limit: number, filter: { scope?: string | undefined; reason?: string | undefined }): Promise<ExportRow[]> {
        const { rows } = await pool.query<ExportRow>({
          text: `SELECT id, email, scope, reason, source, created_at, expires_at FROM suppressions
                 WHERE id > $1 AND ($3::text IS NULL OR scope IN ($3, '*')) AND ($4::text IS NULL OR reason = $4)
                 ORDER BY id LIMIT $2`,
          values: [afterId, limit, filter.scope ?? null, filter.reason ?? null],
          rowMode: 'array',
        });
        return rows;
      },
    },
  };
}
