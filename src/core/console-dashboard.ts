import type { TopicRow } from '../db/store.ts';
import type { CoreDeps } from './deps.ts';
import { isRetired } from './topics.ts';

const DAY = 86_400_000;

export interface DashboardView {
  /** The first and last UTC day shown (ms at midnight). */
  days: number[];
  /** Every topic, retired ones too (marked: their history and suppressions stay). */
  topics: Array<{ id: string; name: string; retired: boolean; subscribed: number; unsubscribed: number; pending: number }>;
  suppressionsByReason: Array<{ reason: string; count: number }>;
  suppressionsTotal: number;
  /** Unsubscribes per day, one series per topic ('*' = all mail), aligned with `days`. */
  unsubscribesPerDay: Array<{ topic: string; name: string; counts: number[] }>;
  unsubscribesBySource: Array<{ source: string; count: number }>;
  topCampaigns: Array<{ campaign: string; count: number; lastAt: number }>;
  /** Standing suppressions at the end of each day of `days`. */
  suppressionGrowth: number[];
  /** Privacy requests not answered by their art. 12(3) deadline. */
  overdueRequests: number;
}

/**
 * The console's dashboard figures over the last `days` UTC days. Reads only the counters the
 * database keeps in the same transaction as each change (src/db/schema/console-stats.ts), so
 * the cost does not grow with the suppression list or the ledger.
 */
export async function dashboardOf(deps: CoreDeps, input: { days: number; campaigns: number }): Promise<DashboardView> {
  const today = Math.floor(deps.clock.now() / DAY);
  const first = today - input.days + 1;
  const [counts, topicRows, overdueRequests] = await Promise.all([deps.store.consoleStats.dashboard(first, input.campaigns), deps.store.topics.all(), deps.store.privacyRequests.countOverdue(deps.clock.now())]);
  const days = Array.from({ length: input.days }, (_, i) => (first + i) * DAY);
  const nameOf = new Map(topicRows.map((t) => [t.id, t.nameEn]));
  nameOf.set('*', 'All mail');

  const topics = topicRows.map((t) => ({ id: t.id, name: t.nameEn, retired: isRetired(t), subscribed: 0, unsubscribed: 0, pending: 0 }));
  for (const row of counts.topics) {
    const topic = topics.find((t) => t.id === row.topicId);
    if (topic && (row.status === 'subscribed' || row.status === 'unsubscribed' || row.status === 'pending')) topic[row.status] += row.count;
  }

  const series = new Map<string, number[]>();
  const bySource = new Map<string, number>();
  for (const row of counts.unsubscribesDaily) {
    let s = series.get(row.topic);
    if (!s) series.set(row.topic, (s = new Array<number>(input.days).fill(0)));
    s[row.day - first] = (s[row.day - first] ?? 0) + row.count;
    bySource.set(row.source, (bySource.get(row.source) ?? 0) + row.count);
  }
  const order = ['*', ...topicRows.map((t) => t.id)];
  const unsubscribesPerDay = [...series.entries()]
    .sort(([a], [b]) => (order.indexOf(a) === -1 ? 99 : order.indexOf(a)) - (order.indexOf(b) === -1 ? 99 : order.indexOf(b)) || a.localeCompare(b))
    .map(([topic, c]) => ({ topic, name: nameOf.get(topic) ?? topic, counts: c }));

  const suppressionsTotal = counts.suppressionReasons.reduce((n, r) => n + r.count, 0);
  // Walk back from today's total: the end of day d is the end of day d+1 less that day's net change.
  const net = new Map(counts.suppressionDaily.map((r) => [r.day, r.added - r.removed]));
  const suppressionGrowth = new Array<number>(input.days).fill(0);
  let running = suppressionsTotal;
  for (let i = input.days - 1; i >= 0; i--) {
    suppressionGrowth[i] = running;
    running -= net.get(first + i) ?? 0;
  }

  return {
    days,
    topics,
    suppressionsByReason: counts.suppressionReasons,
    suppressionsTotal,
    unsubscribesPerDay,
    unsubscribesBySource: [...bySource.entries()].map(([source, count]) => ({ source, count })).sort((a, b) => b.count - a.count),
    topCampaigns: counts.campaigns,
    suppressionGrowth,
    overdueRequests,
  };
}

/**
 * Every topic with its subscription counts, for the topic settings: the dashboard's own figures
 * (pre-aggregated counters, never a count of subscription rows), over one day.
 */
export async function topicsWithCounts(deps: CoreDeps): Promise<Array<{ topic: TopicRow; subscribed: number; unsubscribed: number; pending: number }>> {
  const [view, rows] = await Promise.all([dashboardOf(deps, { days: 1, campaigns: 1 }), deps.store.topics.all()]);
  const counts = new Map(view.topics.map((t) => [t.id, t]));
  return rows.map((topic) => ({ topic, subscribed: counts.get(topic.id)?.subscribed ?? 0, unsubscribed: counts.get(topic.id)?.unsubscribed ?? 0, pending: counts.get(topic.id)?.pending ?? 0 }));
}
