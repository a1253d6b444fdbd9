import type { PgOrm } from '../client.ts';
import type { PgUnit } from '../unit.ts';
import type { DashboardCounts } from '../../stores/console-stats.ts';

const DAY = 86_400_000;
type Query = PgUnit['query'];

/** The dashboard's reads: only the counter tables (see src/db/stores/console-stats.ts). */
export function createPgConsoleStatsStore(orm: PgOrm) {
  const q = async <R>(text: string, params: unknown[] = []) => (await orm.$client.query(text, params)).rows as R[];
  return {
    async dashboard(fromDay: number, topCampaigns: number): Promise<DashboardCounts> {
      const [topics, suppressionReasons, unsubscribesDaily, suppressionDaily, campaigns] = await Promise.all([
        q<DashboardCounts['topics'][number]>('SELECT topic_id AS "topicId", status, count FROM stat_topic_status WHERE count > 0'),
        q<DashboardCounts['suppressionReasons'][number]>('SELECT reason, count FROM stat_suppression_reason WHERE count > 0 ORDER BY count DESC'),
        q<DashboardCounts['unsubscribesDaily'][number]>('SELECT day, topic, source, count FROM stat_unsubscribe_daily WHERE day >= $1 ORDER BY day', [fromDay]),
        q<DashboardCounts['suppressionDaily'][number]>('SELECT day, sum(added)::bigint AS added, sum(removed)::bigint AS removed FROM stat_suppression_daily WHERE day >= $1 GROUP BY day ORDER BY day', [fromDay]),
        q<DashboardCounts['campaigns'][number]>('SELECT campaign, count, last_at AS "lastAt" FROM stat_campaign_unsubscribe ORDER BY count DESC, campaign LIMIT $1', [topCampaigns]),
      ]);
      return { topics, suppressionReasons, unsubscribesDaily, suppressionDaily, campaigns };
    },
  };
}

/**
 * The dashboard counters, kept in the same transaction as the change they count, as on SQLite.
 * Each is one upsert by primary key.
 */
export const pgCounters = {
  async suppressionAdded(query: Query, reason: string, at: number): Promise<void> {
    await bumpReason(query, reason, 1);
    await bumpDaily(query, Math.floor(at / DAY), reason, 1, 0);
  },
  async suppressionRemoved(query: Query, reason: string, at: number): Promise<void> {
    await bumpReason(query, reason, -1);
    await bumpDaily(query, Math.floor(at / DAY), reason, 0, 1);
  },
  /** A duplicate suppression row merged into the one that stands (not a removal by anyone). */
  async suppressionMerged(query: Query, reason: string): Promise<void> {
    await bumpReason(query, reason, -1);
  },
  async suppressionReasonChanged(query: Query, from: string, to: string): Promise<void> {
    if (from === to) return;
    await bumpReason(query, from, -1);
    await bumpReason(query, to, 1);
  },
  /** Ledger rows appended in one batch: unsubscribes counted per day, topic, source and campaign. */
  async ledgerAppended(query: Query, events: Array<{ action: string; at: number; topic?: string | null | undefined; source: string; campaign?: string | null | undefined }>): Promise<void> {
    const daily = new Map<string, { day: number; topic: string; source: string; n: number }>();
    const campaigns = new Map<string, { n: number; last: number }>();
    for (const e of events) {
      if (e.action !== 'unsubscribe') continue;
      const day = Math.floor(e.at / DAY);
      const topic = e.topic ?? '*';
      const key = `${day}\0${topic}\0${e.source}`;
      const d = daily.get(key) ?? { day, topic, source: e.source, n: 0 };
      d.n++;
      daily.set(key, d);
      if (e.campaign) {
        const c = campaigns.get(e.campaign) ?? { n: 0, last: 0 };
        c.n++;
        c.last = Math.max(c.last, e.at);
        campaigns.set(e.campaign, c);
      }
    }
    for (const d of daily.values()) {
      await query(
        `INSERT INTO stat_unsubscribe_daily (day, topic, source, count) VALUES ($1, $2, $3, $4)
         ON CONFLICT (day, topic, source) DO UPDATE SET count = stat_unsubscribe_daily.count + EXCLUDED.count`,
        [d.day, d.topic, d.source, d.n],
      );
    }
    for (const [campaign, c] of campaigns) {
      await query(
        `INSERT INTO stat_campaign_unsubscribe (campaign, count, last_at) VALUES ($1, $2, $3)
         ON CONFLICT (campaign) DO UPDATE SET count = stat_campaign_unsubscribe.count + EXCLUDED.count, last_at = greatest(stat_campaign_unsubscribe.last_at, EXCLUDED.last_at)`,
        [campaign, c.n, c.last],
      );
    }
  },
};

const bumpReason = (query: Query, reason: string, by: number) =>
  query('INSERT INTO stat_suppression_reason (reason, count) VALUES ($1, $2) ON CONFLICT (reason) DO UPDATE SET count = stat_suppression_reason.count + EXCLUDED.count', [reason, by]);

const bumpDaily = (query: Query, day: number, reason: string, added: number, removed: number) =>
  query(
    `INSERT INTO stat_suppression_daily (day, reason, added, removed) VALUES ($1, $2, $3, $4)
     ON CONFLICT (day, reason) DO UPDATE SET added = stat_suppression_daily.added + EXCLUDED.added, removed = stat_suppression_daily.removed + EXCLUDED.removed`,
    [day, reason, added, removed],
  );
