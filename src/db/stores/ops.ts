import type Database from 'better-sqlite3';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { projectPath } from '../../paths.ts';
import type { RunInTransaction } from '../write-queue.ts';

/** What a retention run removes (or would remove), by kind. */
export interface RetentionCounts {
  webhookDeliveries: number;
  webhookEvents: number;
  usedLinkIds: number;
  pendingEmailChanges: number;
  sessions: number;
  providerEvents: number;
  softBounces: number;
}

export interface PurgeCutoffs {
  /** Now (ms): expired link ids, sessions and pending changes go. */
  now: number;
  /** Delivered and given-up webhook deliveries created before this go, with their attempts. */
  webhooksBefore: number;
  /** Provider event ids (replay protection) received before this go. */
  providerEventsBefore: number;
  /** Soft bounces counted before this go (outside every window). */
  softBouncesBefore: number;
}

/**
 * Storage for operating optbox: the readiness probe, figures for /metrics and the retention
 * purge. Figures are read on scrape, never counted per request.
 */
export function createOpsStore(sqlite: Database.Database, transact: RunInTransaction) {
  const probe = sqlite.prepare<{ at: number }>('INSERT INTO readiness_probe (id, at) VALUES (1, @at) ON CONFLICT (id) DO UPDATE SET at = excluded.at');
  const applied = sqlite.prepare<[], { n: number; last: number | null }>('SELECT count(*) AS n, max(created_at) AS last FROM __drizzle_migrations');
  const deliveryStates = sqlite.prepare<[], { state: string; n: number }>('SELECT state, count(*) AS n FROM webhook_deliveries GROUP BY state');
  const ledgerSince = sqlite.prepare<{ after: number }, { action: string; source: string; n: number; last: number }>(
    'SELECT action, source, count(*) AS n, max(id) AS last FROM consent_events WHERE id > @after GROUP BY action, source',
  );
  const ledgerLength = sqlite.prepare<[], { n: number | null }>('SELECT max(id) AS n FROM consent_events');

  // Deleting a delivery deletes its attempts (foreign key, ON DELETE CASCADE); an event goes
  // once no delivery of it is left.
  const purgeSql = {
    webhookDeliveries: ["state IN ('delivered', 'failed') AND created_at < @webhooksBefore", 'webhook_deliveries'],
    webhookEvents: [
      "created_at < @webhooksBefore AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.event_id = webhook_events.id AND NOT (d.state IN ('delivered', 'failed') AND d.created_at < @webhooksBefore))",
      'webhook_events',
    ],
    usedLinkIds: ['expires_at <= @now', 'used_link_tokens'],
    pendingEmailChanges: ['expires_at <= @now', 'pending_email_changes'],
    sessions: ['expires_at <= @nowSeconds', 'subscriber_sessions'],
    providerEvents: ['received_at < @providerEventsBefore', 'provider_events'],
    softBounces: ['at < @softBouncesBefore', 'soft_bounces'],
  } as const;
  const kinds = Object.keys(purgeSql) as Array<keyof RetentionCounts>;
  const counters = Object.fromEntries(kinds.map((k) => [k, sqlite.prepare(`SELECT count(*) AS n FROM ${purgeSql[k][1]} WHERE ${purgeSql[k][0]}`)]));
  const deleters = Object.fromEntries(kinds.map((k) => [k, sqlite.prepare(`DELETE FROM ${purgeSql[k][1]} WHERE ${purgeSql[k][0]}`)]));
  const params = (c: PurgeCutoffs) => ({ ...c, nowSeconds: Math.floor(c.now / 1000) });

  // "Unsubscribed from everything": at least one topic turned off, none on or pending (a topic
  // without a row has its default), and no change of any kind since the cutoff.
  const quietSince = `c.status = 'active' AND c.updated_at < @cutoff
    AND NOT EXISTS (SELECT 1 FROM subscriptions s WHERE s.contact_id = c.id AND s.updated_at >= @cutoff)
    AND NOT EXISTS (SELECT 1 FROM consent_events e WHERE e.contact_id = c.id AND e.at >= @cutoff)`;
  const unsubscribedContacts = sqlite.prepare<{ cutoff: number; limit: number }, { id: string }>(`
    SELECT c.id FROM contacts c WHERE ${quietSince}
      AND EXISTS (SELECT 1 FROM subscriptions s WHERE s.contact_id = c.id AND s.status = 'unsubscribed')
      AND NOT EXISTS (
        SELECT 1 FROM topics t LEFT JOIN subscriptions s ON s.topic_id = t.id AND s.contact_id = c.id
        WHERE coalesce(s.status, CASE t.default_status WHEN 'opt-out' THEN 'subscribed' ELSE 'unsubscribed' END) IN ('subscribed', 'pending'))
    ORDER BY c.id LIMIT @limit`);
  const inactiveContacts = sqlite.prepare<{ cutoff: number; limit: number }, { id: string }>(`SELECT c.id FROM contacts c WHERE ${quietSince} ORDER BY c.id LIMIT @limit`);

  let expectedMigrations: { n: number; last: number } | undefined;

  return {
    /** A real committed write through the write queue: rejects when the database cannot take one. */
    probeWrite(at: number): Promise<void> {
      return transact(() => void probe.run({ at }));
    },
    /** Every migration shipped with this build is applied to the open database. */
    async migrationsApplied(): Promise<boolean> {
      expectedMigrations ??= (() => {
        const files = readMigrationFiles({ migrationsFolder: projectPath('migrations/sqlite') });
        return { n: files.length, last: files.at(-1)?.folderMillis ?? 0 };
      })();
      const row = applied.get()!;
      return row.n === expectedMigrations.n && row.last === expectedMigrations.last;
    },
    async webhookDeliveryStates(): Promise<Record<string, number>> {
      return Object.fromEntries(deliveryStates.all().map((r) => [r.state, r.n]));
    },
    /** Ledger rows after `after`, counted by action and source, and the last id seen. */
    async ledgerCountsSince(after: number): Promise<{ counts: Array<{ action: string; source: string; n: number }>; last: number }> {
      const rows = ledgerSince.all({ after });
      return { counts: rows, last: rows.reduce((m, r) => Math.max(m, r.last), after) };
    },
    async ledgerLength(): Promise<number> {
      return ledgerLength.get()?.n ?? 0;
    },
    /** Contacts due for erasure by retention: unsubscribed from everything, or inactive (cutoff null: that rule is off). */
    async retentionCandidates(input: { unsubscribedBefore: number | null; inactiveBefore: number | null; limit: number }): Promise<string[]> {
      const ids = new Set<string>();
      if (input.unsubscribedBefore !== null) for (const r of unsubscribedContacts.all({ cutoff: input.unsubscribedBefore, limit: input.limit })) ids.add(r.id);
      if (input.inactiveBefore !== null) for (const r of inactiveContacts.all({ cutoff: input.inactiveBefore, limit: input.limit })) ids.add(r.id);
      return [...ids].slice(0, input.limit);
    },
    /** What a purge would remove now. */
    async purgeable(cutoffs: PurgeCutoffs): Promise<RetentionCounts> {
      const p = params(cutoffs);
      return Object.fromEntries(kinds.map((k) => [k, (counters[k]!.get(p) as { n: number }).n])) as unknown as RetentionCounts;
    },
    /** Remove it, as one unit. */
    purge(cutoffs: PurgeCutoffs): Promise<RetentionCounts> {
      const p = params(cutoffs);
      return transact(() => Object.fromEntries(kinds.map((k) => [k, deleters[k]!.run(p).changes])) as unknown as RetentionCounts);
    },
  };
}

export type OpsStore = ReturnType<typeof createOpsStore>;
