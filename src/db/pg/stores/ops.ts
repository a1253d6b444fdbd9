import { readMigrationFiles } from 'drizzle-orm/migrator';
import { sql, type SQL } from 'drizzle-orm';
import { projectPath } from '../../../paths.ts';
import type { Store } from '../../store.ts';
import type { PurgeCutoffs, RetentionCounts } from '../../stores/ops.ts';
import type { PgStoreDeps } from '../sync.ts';

const DAY = 86_400_000;

/** What each purge kind removes, as on SQLite (deleting a delivery deletes its attempts: ON DELETE CASCADE). */
function purgeWhere(c: PurgeCutoffs): Record<keyof RetentionCounts, [table: string, where: SQL]> {
  const finished = sql`state IN ('delivered', 'failed') AND created_at < ${c.webhooksBefore}`;
  return {
    webhookDeliveries: ['webhook_deliveries', finished],
    // An event goes once no delivery of it is left.
    webhookEvents: ['webhook_events', sql`created_at < ${c.webhooksBefore} AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id AND NOT (d.state IN ('delivered', 'failed') AND d.created_at < ${c.webhooksBefore}))`],
    usedLinkIds: ['used_link_tokens', sql`expires_at <= ${c.now}`],
    pendingEmailChanges: ['pending_email_changes', sql`expires_at <= ${c.now}`],
    sessions: ['subscriber_sessions', sql`expires_at <= ${Math.floor(c.now / 1000)}`],
    providerEvents: ['provider_events', sql`received_at < ${c.providerEventsBefore}`],
    softBounces: ['soft_bounces', sql`at < ${c.softBouncesBefore}`],
  };
}

// "Unsubscribed from everything" and "inactive", as on SQLite.
const quietSince = (cutoff: number) => sql`c.status = 'active' AND c.updated_at < ${cutoff}
  AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.contact_id = c.id AND s.updated_at >= ${cutoff})
  AND NOT EXISTS (SELECT 1 FROM consent_events e WHERE e.contact_id = c.id AND e.at >= ${cutoff})`;
const unsubscribedContacts = (cutoff: number, limit: number) => sql`
  SELECT c.id FROM contacts c WHERE ${quietSince(cutoff)}
    AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.contact_id = c.id AND s.status = 'unsubscribed')
    AND NOT EXISTS (
      SELECT 1 FROM topics t LEFT JOIN subscriptions s ON s.topic_id = t.id AND s.contact_id = c.id
      WHERE coalesce(s.status, CASE t.default_status WHEN 'opt-out' THEN 'subscribed' ELSE 'unsubscribed' END) IN ('subscribed', 'pending'))
  ORDER BY c.id LIMIT ${limit}`;
const inactiveContacts = (cutoff: number, limit: number) => sql`SELECT c.id FROM contacts c WHERE ${quietSince(cutoff)} ORDER BY c.id LIMIT ${limit}`;

/** Storage for operating optbox on PostgreSQL: the same behaviour as src/db/stores/ops.ts. */
export function createPgOpsStore(deps: PgStoreDeps): Store['ops'] {
  const { orm, transact } = deps;
  const rows = async <R>(query: SQL) => (await orm.execute(query)).rows as R[];
  // Through drizzle, bigint results (counts, ids) come back as strings: read them as numbers.
  const num = (v: unknown) => Number(v ?? 0);
  const kinds = (c: PurgeCutoffs) => Object.entries(purgeWhere(c)) as Array<[keyof RetentionCounts, [string, SQL]]>;
  let expectedMigrations: { n: number; last: number } | undefined;

  return {
    /** A real committed write through the write queue: rejects when the database cannot take one. */
    probeWrite(at: number): Promise<void> {
      return transact(async (unit) => void (await unit.query('INSERT INTO readiness_probe (id, at) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET at = EXCLUDED.at', [at])));
    },
    /** Every migration shipped with this build (migrations/pg) is applied: drizzle's own table, in its `drizzle` schema. */
    async migrationsApplied(): Promise<boolean> {
      expectedMigrations ??= (() => {
        const files = readMigrationFiles({ migrationsFolder: projectPath('migrations/pg') });
        return { n: files.length, last: files.at(-1)?.folderMillis ?? 0 };
      })();
      const [row] = await rows<{ n: string; last: string | null }>(sql`SELECT count(*) AS n, max(created_at) AS last FROM drizzle.__drizzle_migrations`);
      return num(row!.n) === expectedMigrations.n && num(row!.last) === expectedMigrations.last;
    },
    async webhookDeliveryStates(): Promise<Record<string, number>> {
      return Object.fromEntries((await rows<{ state: string; n: string }>(sql`SELECT state, count(*) AS n FROM webhook_deliveries GROUP BY state`)).map((r) => [r.state, num(r.n)]));
    },
    /** Ledger rows after `after`, counted by action and source, and the last id seen. */
    async ledgerCountsSince(after: number): Promise<{ counts: Array<{ action: string; source: string; n: number }>; last: number }> {
      const found = await rows<{ action: string; source: string; n: string; last: string }>(
        sql`SELECT action, source, count(*) AS n, max(id) AS last FROM consent_events WHERE id > ${after} GROUP BY action, source`,
      );
      const counts = found.map((r) => ({ action: r.action, source: r.source, n: num(r.n), last: num(r.last) }));
      return { counts, last: counts.reduce((m, r) => Math.max(m, r.last), after) };
    },
    /** The chain head's row count (one row) instead of max(id) over the ledger. */
    async ledgerLength(): Promise<number> {
      const [row] = await rows<{ rows: string }>(sql`SELECT rows FROM ledger_head WHERE one = 1`);
      return num(row?.rows);
    },
    /** Contacts due for erasure by retention: unsubscribed from everything, or inactive (cutoff null: that rule is off). */
    async retentionCandidates(input: { unsubscribedBefore: number | null; inactiveBefore: number | null; limit: number }): Promise<string[]> {
      const ids = new Set<string>();
      if (input.unsubscribedBefore !== null) for (const r of await rows<{ id: string }>(unsubscribedContacts(input.unsubscribedBefore, input.limit))) ids.add(r.id);
      if (input.inactiveBefore !== null) for (const r of await rows<{ id: string }>(inactiveContacts(input.inactiveBefore, input.limit))) ids.add(r.id);
      return [...ids].slice(0, input.limit);
    },
    /** What a purge would remove now. */
    async purgeable(cutoffs: PurgeCutoffs): Promise<RetentionCounts> {
      const counts = await Promise.all(kinds(cutoffs).map(async ([kind, [table, where]]) => [kind, num((await rows<{ n: string }>(sql`SELECT count(*) AS n FROM ${sql.raw(table)} WHERE ${where}`))[0]!.n)] as const));
      return Object.fromEntries(counts) as unknown as RetentionCounts;
    },
    /**
     * Remove it, as one unit. Rate-limit buckets idle for a day go too (not counted: they hold no
     * personal data, and a bucket untouched that long is full again, as a missing one is).
     */
    purge(cutoffs: PurgeCutoffs): Promise<RetentionCounts> {
      return transact(async (unit) => {
        const counts: Array<[keyof RetentionCounts, number]> = [];
        for (const [kind, [table, where]] of kinds(cutoffs)) counts.push([kind, (await unit.orm.execute(sql`DELETE FROM ${sql.raw(table)} WHERE ${where}`)).rowCount ?? 0]);
        await unit.query('DELETE FROM rate_limit_buckets WHERE at < $1', [cutoffs.now - DAY]);
        return Object.fromEntries(counts) as unknown as RetentionCounts;
      });
    },
  };
}
