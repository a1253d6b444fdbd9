import type Database from 'better-sqlite3';

export interface DashboardCounts {
  topics: Array<{ topicId: string; status: string; count: number }>;
  suppressionReasons: Array<{ reason: string; count: number }>;
  unsubscribesDaily: Array<{ day: number; topic: string; source: string; count: number }>;
  suppressionDaily: Array<{ day: number; added: number; removed: number }>;
  campaigns: Array<{ campaign: string; count: number; lastAt: number }>;
}

/**
 * The dashboard's reads: only the counter tables the triggers keep (never a scan of the
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
