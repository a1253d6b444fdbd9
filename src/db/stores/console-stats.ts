import type Database from 'better-sqlite3';

export interface DashboardCounts {
  topics: Array<{ topicId: string; status: string; count: number }>;
  suppressionReasons: Array<{ reason: string; count: number }>;
  unsubscribesDaily: Array<{ day: number; topic: string; source: string; count: number }>;
  suppressionDaily: Array<{ day: number; added: number; removed: number }>;
  campaigns: Array<{ campaign: string; count: number; lastAt: number }>;
}

/**
 * The dashboard's reads: only the counter tables (never a scan of the
 * suppression list or the ledger), so the page costs the same at a million rows as at ten.
 */
export function createConsoleStatsStore(sqlite: Database.Database) {
  const topics = sqlite.prepare('SELECT topic_id AS topicId, status, count FROM stat_topic_status WHERE count > 0');
  const reasons = sqlite.prepare('SELECT reason, count FROM stat_suppression_reason WHERE count > 0 ORDER BY count DESC');
  const unsubDaily = sqlite.prepare('SELECT day, topic, source, count FROM stat_unsubscribe_daily WHERE day >= ? ORDER BY day');
  const suppressionDaily = sqlite.prepare('SELECT day, sum(added) AS added, sum(removed) AS removed FROM stat_suppression_daily WHERE day >= ? GROUP BY day ORDER BY day');
  const campaigns = sqlite.prepare('SELECT campaign, count, last_at AS lastAt FROM stat_campaign_unsubscribe ORDER BY count DESC, campaign LIMIT ?');

  return {
    /** Counts for the dashboard from `fromDay` (UTC day number) on. */
    async dashboard(fromDay: number, topCampaigns: number): Promise<DashboardCounts> {
      return {
        topics: topics.all() as DashboardCounts['topics'],
        suppressionReasons: reasons.all() as DashboardCounts['suppressionReasons'],
        unsubscribesDaily: unsubDaily.all(fromDay) as DashboardCounts['unsubscribesDaily'],
        suppressionDaily: suppressionDaily.all(fromDay) as DashboardCounts['suppressionDaily'],
        campaigns: campaigns.all(topCampaigns) as DashboardCounts['campaigns'],
      };
    },
  };
}

export type ConsoleStatsStore = ReturnType<typeof createConsoleStatsStore>;

const DAY = 86_400_000;

/**
 * The dashboard counters, kept by the stores' own write functions inside the same unit of work
 * as the change they count (never by triggers on the big tables: a trigger makes every insert
 * into the suppression list or the ledger a multi-table statement, which needs a statement
 * journal inside the unit's SAVEPOINT, and that cost grew with the list: a 5,000-row chunk of
 * a CSV import took 2.5 times as long at 200,000 rows as without the triggers). Each counter is
 * one insert-if-missing and one update by primary key: neither needs a statement journal.
 * Synchronous: call only inside a unit of the write queue.
 */
export function createCounterSync(sqlite: Database.Database) {
  const reasonRow = sqlite.prepare<[string]>('INSERT OR IGNORE INTO stat_suppression_reason (reason, count) VALUES (?, 0)');
  const reasonBy = sqlite.prepare<[number, string]>('UPDATE stat_suppression_reason SET count = count + ? WHERE reason = ?');
  const dailyRow = sqlite.prepare<[number, string]>('INSERT OR IGNORE INTO stat_suppression_daily (day, reason, added, removed) VALUES (?, ?, 0, 0)');
  const dailyAdded = sqlite.prepare<[number, string]>('UPDATE stat_suppression_daily SET added = added + 1 WHERE day = ? AND reason = ?');
  const dailyRemoved = sqlite.prepare<[number, string]>('UPDATE stat_suppression_daily SET removed = removed + 1 WHERE day = ? AND reason = ?');
  const unsubRow = sqlite.prepare<[number, string, string]>('INSERT OR IGNORE INTO stat_unsubscribe_daily (day, topic, source, count) VALUES (?, ?, ?, 0)');
  const unsubBy = sqlite.prepare<[number, string, string]>('UPDATE stat_unsubscribe_daily SET count = count + 1 WHERE day = ? AND topic = ? AND source = ?');
  const campaignRow = sqlite.prepare<[string, number]>('INSERT OR IGNORE INTO stat_campaign_unsubscribe (campaign, count, last_at) VALUES (?, 0, ?)');
  const campaignBy = sqlite.prepare<[number, string]>('UPDATE stat_campaign_unsubscribe SET count = count + 1, last_at = max(last_at, ?) WHERE campaign = ?');

  const reason = (r: string, by: number) => {
    reasonRow.run(r);
    reasonBy.run(by, r);
  };
  return {
    /** A suppression row appeared (dated by its creation). */
    suppressionAdded(r: string, at: number): void {
      reason(r, 1);
      dailyRow.run(Math.floor(at / DAY), r);
      dailyAdded.run(Math.floor(at / DAY), r);
    },
    /** A suppression row went (dated by its removal). */
    suppressionRemoved(r: string, at: number): void {
      reason(r, -1);
      dailyRow.run(Math.floor(at / DAY), r);
      dailyRemoved.run(Math.floor(at / DAY), r);
    },
    /** A duplicate suppression row merged into the one that stands (not a removal by anyone). */
    suppressionMerged(r: string): void {
      reason(r, -1);
    },
    /** A standing suppression now has another reason (a lapsing one replaced, an erasure). */
    suppressionReasonChanged(from: string, to: string): void {
      if (from === to) return;
      reason(from, -1);
      reason(to, 1);
    },
    /** A ledger row was appended: unsubscribes count per day, topic, source and campaign. */
    ledgerAppended(e: { action: string; at: number; topic: string | null; source: string; campaign: string | null }): void {
      if (e.action !== 'unsubscribe') return;
      const day = Math.floor(e.at / DAY);
      const topic = e.topic ?? '*';
      unsubRow.run(day, topic, e.source);
      unsubBy.run(day, topic, e.source);
      if (e.campaign !== null) {
        campaignRow.run(e.campaign, e.at);
        campaignBy.run(e.at, e.campaign);
      }
    },
  };
}

export type CounterSync = ReturnType<typeof createCounterSync>;

/**
 * Count the suppression list and the ledger afresh (what the migration did once): for rows
 * written straight into the tables, as the benchmarks' seeding does. One scan of each table.
 */
export function recountDashboard(sqlite: Database.Database): void {
  sqlite.transaction(() => {
    sqlite.exec(`
      DELETE FROM stat_suppression_reason; DELETE FROM stat_suppression_daily; DELETE FROM stat_unsubscribe_daily; DELETE FROM stat_campaign_unsubscribe;
      INSERT INTO stat_suppression_reason (reason, count) SELECT reason, count(*) FROM suppressions GROUP BY 1;
      INSERT INTO stat_suppression_daily (day, reason, added, removed)
        SELECT day, reason, sum(added), sum(removed) FROM (
          SELECT created_at / 86400000 AS day, reason, 1 AS added, 0 AS removed FROM suppressions
          UNION ALL
          SELECT changed_at / 86400000, reason, 0, 1 FROM suppression_changes WHERE deleted = 1
        ) WHERE true GROUP BY 1, 2;
      INSERT INTO stat_unsubscribe_daily (day, topic, source, count)
        SELECT at / 86400000, coalesce(topic, '*'), source, count(*) FROM consent_events WHERE action = 'unsubscribe' GROUP BY 1, 2, 3;
      INSERT INTO stat_campaign_unsubscribe (campaign, count, last_at)
        SELECT campaign, count(*), max(at) FROM consent_events WHERE action = 'unsubscribe' AND campaign IS NOT NULL GROUP BY 1;`);
  })();
}
