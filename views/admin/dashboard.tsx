import type { DashboardView } from '../../src/core/console-dashboard.ts';
import { Bars, Line, StackedDays } from './charts.tsx';
import { ConsoleLayout, type ConsoleViewer } from './layout.tsx';

const num = new Intl.NumberFormat('en-GB');
const SOURCE_LABELS: Record<string, string> = {
  'one-click': 'One-click (mail client)',
  'unsubscribe-page': 'Unsubscribe page',
  'preference-center': 'Preference center',
  api: 'API',
  admin: 'Operator (console)',
  import: 'Import',
  'bounce-webhook': 'Bounce webhook',
  mailto: 'Mail to unsubscribe address',
  cli: 'Command line',
};
const REASON_LABELS: Record<string, string> = { unsubscribe: 'Unsubscribe', bounce: 'Bounce', complaint: 'Complaint (spam report)', manual: 'Manual', erasure: 'Erasure (GDPR art. 17)' };

export function DashboardPage(props: { viewer: ConsoleViewer; view: DashboardView }) {
  const v = props.view;
  const unsubTotal = v.unsubscribesPerDay.reduce((n, s) => n + s.counts.reduce((a, b) => a + b, 0), 0);
  return (
    <ConsoleLayout title="Dashboard" viewer={props.viewer} current="dashboard">
      <h1>Dashboard</h1>
      <ul class="kpis">
        <li><span class="kpi">{num.format(v.suppressionsTotal)}</span> suppressions on the list</li>
        <li><span class="kpi">{num.format(unsubTotal)}</span> unsubscribes in the last {v.days.length} days</li>
        <li><span class="kpi">{num.format(v.topics.reduce((n, t) => n + t.subscribed, 0))}</span> subscriptions</li>
        <li>
          <a href="/admin/requests?status=overdue" class={v.overdueRequests > 0 ? 'kpi-alert' : undefined}>
            <span class="kpi">{num.format(v.overdueRequests)}</span> privacy request{v.overdueRequests === 1 ? '' : 's'} overdue
          </a>
        </li>
      </ul>
      <div class="grid two">
        <section class="panel">
          <h2>Topics</h2>
          <div class="table-wrap" tabindex={0}>
            <table>
              <thead>
                <tr><th scope="col">Topic</th><th scope="col" class="num">Subscribed</th><th scope="col" class="num">Unsubscribed</th><th scope="col" class="num">Pending</th></tr>
              </thead>
              <tbody>
                {v.topics.map((t) => (
                  <tr>
                    <th scope="row">{t.name}{t.retired ? <span class="tag">retired</span> : null}</th>
                    <td class="num">{num.format(t.subscribed)}</td>
                    <td class="num">{num.format(t.unsubscribed)}</td>
                    <td class="num">{num.format(t.pending)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="muted small">Counts of explicit choices. Contacts without a choice for an opt-out topic receive it too.</p>
        </section>
        <section class="panel">
          <h2>Suppressions by reason</h2>
          <div class="table-wrap" tabindex={0}>
            <table>
              <thead>
                <tr><th scope="col">Reason</th><th scope="col" class="num">Count</th></tr>
              </thead>
              <tbody>
                {v.suppressionsByReason.length === 0 ? (
                  <tr><td colspan={2} class="muted">No suppressions yet.</td></tr>
                ) : (
                  v.suppressionsByReason.map((r) => (
                    <tr><th scope="row">{REASON_LABELS[r.reason] ?? r.reason}</th><td class="num">{num.format(r.count)}</td></tr>
                  ))
                )}
              </tbody>
            </table>
          </div>
        </section>
      </div>
      <section class="panel">
        <h2>Who leaves, and why</h2>
        <StackedDays
          id="unsub-days"
          title={`Unsubscribes per day and topic, last ${v.days.length} days`}
          desc={`${num.format(unsubTotal)} unsubscribes in ${v.days.length} days, stacked per topic; "All mail" is an unsubscribe from everything.`}
          days={v.days}
          series={v.unsubscribesPerDay.map((s) => ({ name: s.name, counts: s.counts }))}
        />
        <div class="grid two">
          <Bars
            id="unsub-source"
            title="Unsubscribes by source"
            desc={`Where the ${num.format(unsubTotal)} unsubscribes of the last ${v.days.length} days came from.`}
            labelHeader="Source"
            empty="No unsubscribes in this period."
            rows={v.unsubscribesBySource.map((s) => ({ label: SOURCE_LABELS[s.source] ?? s.source, value: s.count }))}
          />
          <Bars
            id="unsub-campaign"
            title="Campaigns people left from"
            desc="The campaigns whose unsubscribe links were used most, all time."
            labelHeader="Campaign"
            empty="No unsubscribe carried a campaign yet."
            rows={v.topCampaigns.map((c) => ({ label: c.campaign, value: c.count }))}
          />
        </div>
        <Line
          id="supp-growth"
          title={`Suppression list size, last ${v.days.length} days`}
          desc={`Standing suppressions at the end of each day; ${num.format(v.suppressionsTotal)} today.`}
          days={v.days}
          values={v.suppressionGrowth}
          valueHeader="Suppressions"
        />
      </section>
    </ConsoleLayout>
  );
}
