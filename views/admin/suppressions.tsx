import type { SuppressionImportRow, SuppressionRow, TopicRow } from '../../src/db/store.ts';
import { ConsoleLayout, Csrf, Notice, When, type ConsoleViewer } from './layout.tsx';

const REASONS = ['unsubscribe', 'bounce', 'complaint', 'manual', 'erasure'];
export const SOURCES = ['one-click', 'unsubscribe-page', 'preference-center', 'api', 'admin', 'import', 'bounce-webhook', 'mailto', 'cli'];
const num = new Intl.NumberFormat('en-GB');

export interface SuppressionFilterValues {
  reason: string;
  scope: string;
  source: string;
  from: string;
  to: string;
}

function Select(props: { id: string; label: string; value: string; options: Array<[string, string]> }) {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <select id={props.id} name={props.id}>
        <option value="">Any</option>
        {props.options.map(([v, l]) => (
          <option value={v} selected={props.value === v}>{l}</option>
        ))}
      </select>
    </div>
  );
}

export function SuppressionsPage(props: { viewer: ConsoleViewer; topics: TopicRow[]; filter: SuppressionFilterValues; rows: Array<Omit<SuppressionRow, 'addressKey'>>; next: string | null; notice?: string | undefined }) {
  const { viewer, filter } = props;
  const scopes: Array<[string, string]> = [['*', 'All mail'], ...props.topics.map((t): [string, string] => [t.id, t.nameEn])];
  const exportQuery = new URLSearchParams({ format: 'csv', ...(filter.reason ? { reason: filter.reason } : {}), ...(filter.scope && filter.scope !== '*' ? { topic: filter.scope } : {}) });
  return (
    <ConsoleLayout title="Suppressions" viewer={viewer} current="suppressions">
      <h1>Suppressions</h1>
      <Notice text={props.notice} />
      <section class="panel">
        <form method="get" action="/admin/suppressions" class="row-form filters">
          <Select id="reason" label="Reason" value={filter.reason} options={REASONS.map((r) => [r, r])} />
          <Select id="scope" label="Scope" value={filter.scope} options={scopes} />
          <Select id="source" label="Source" value={filter.source} options={SOURCES.map((s) => [s, s])} />
          <div class="field">
            <label for="from">Added from</label>
            <input id="from" name="from" type="date" value={filter.from} />
          </div>
          <div class="field">
            <label for="to">Added until</label>
            <input id="to" name="to" type="date" value={filter.to} />
          </div>
          <button type="submit" class="primary">Filter</button>
        </form>
        <p class="links-row">
          <a href={`/admin/suppressions/export?${exportQuery.toString()}`}>Export as CSV</a>
          {viewer.can.suppressions ? <a href="/admin/suppressions/import">Import a CSV file</a> : null}
        </p>
        {props.rows.length === 0 ? (
          <p class="muted" role="status">No suppressions match.</p>
        ) : (
          <div class="table-wrap" tabindex={0}>
            <table>
              <thead>
                <tr><th scope="col">Address</th><th scope="col">Scope</th><th scope="col">Reason</th><th scope="col">Source</th><th scope="col">Added</th><th scope="col">Lapses</th></tr>
              </thead>
              <tbody>
                {props.rows.map((r) => (
                  <tr>
                    <td class="break">{r.email ?? <span class="muted">(erased: hashed only)</span>}</td>
                    <td>{r.scope === '*' ? 'All mail' : r.scope}</td>
                    <td>{r.reason}</td>
                    <td>{r.source}</td>
                    <td><When at={r.createdAt} /></td>
                    <td>{r.expiresAt === null ? 'never' : <When at={r.expiresAt} />}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {props.next ? <p><a href={props.next} rel="next">Older suppressions →</a></p> : null}
      </section>
      {viewer.can.suppressions ? (
        <div class="grid two">
          <section class="panel">
            <h2>Add a suppression</h2>
            <form method="post" action="/admin/suppressions/add" class="stack">
              <Csrf viewer={viewer} />
              <div class="field"><label for="a-email">Address</label><input id="a-email" name="email" type="email" required /></div>
              <div class="field">
                <label for="a-scope">Scope</label>
                <select id="a-scope" name="scope">{scopes.map(([v, l]) => <option value={v}>{l}</option>)}</select>
              </div>
              <div class="field">
                <label for="a-reason">Reason</label>
                <select id="a-reason" name="reason"><option value="manual">manual</option><option value="bounce">bounce</option><option value="complaint">complaint</option></select>
              </div>
              <div class="field"><label for="a-note">Why (required)</label><input id="a-note" name="note" required maxlength={300} /></div>
              <button type="submit" class="primary">Add</button>
            </form>
          </section>
          <section class="panel">
            <h2>Remove a suppression</h2>
            <form method="post" action="/admin/suppressions/remove" class="stack">
              <Csrf viewer={viewer} />
              <div class="field"><label for="r-email">Address</label><input id="r-email" name="email" type="email" required /></div>
              <div class="field">
                <label for="r-scope">Scope</label>
                <select id="r-scope" name="scope">{scopes.map(([v, l]) => <option value={v}>{l}</option>)}</select>
              </div>
              <div class="field"><label for="r-note">Why (required)</label><input id="r-note" name="note" required maxlength={300} /></div>
              <label class="check">
                <input type="checkbox" name="override" value="1" />
                <span>Also lift a complaint or an erasure (explicit override)</span>
              </label>
              <button type="submit" class="secondary">Remove</button>
            </form>
          </section>
        </div>
      ) : null}
    </ConsoleLayout>
  );
}

export function ImportPage(props: { viewer: ConsoleViewer; recent: SuppressionImportRow[]; maxMb: number; error?: string | undefined }) {
  return (
    <ConsoleLayout title="Import suppressions" viewer={props.viewer} current="suppressions">
      <p class="crumbs"><a href="/admin/suppressions">Suppressions</a></p>
      <h1>Import suppressions from CSV</h1>
      <Notice text={props.error} kind="error" />
      <section class="panel">
        <p>
          The first line names the columns: <code>email</code> (required), <code>scope</code> (a topic id or <code>*</code>, default <code>*</code>), <code>reason</code> (unsubscribe,
          bounce, complaint or manual; default manual), <code>expires_at</code> (ISO 8601, optional). An export from this page imports as it is. Rows already on the list are left
          alone, so uploading the same file twice changes nothing. Up to {props.maxMb} MB.
        </p>
        {props.viewer.can.suppressions ? (
        <form method="post" action="/admin/suppressions/import" enctype="multipart/form-data" class="stack">
          <Csrf viewer={props.viewer} />
          <div class="field">
            <label for="file">CSV file</label>
            <input id="file" name="file" type="file" accept=".csv,text/csv" required />
          </div>
          <button type="submit" class="primary">Upload and import</button>
        </form>
        ) : (
          <p class="muted">Imports are started by an admin.</p>
        )}
      </section>
      {props.recent.length ? (
        <section class="panel">
          <h2>Recent imports</h2>
          <ul class="plain">
            {props.recent.map((r) => (
              <li><a href={`/admin/suppressions/import/${r.id}`}>{r.fileName}</a> · <When at={r.startedAt} /> · {r.status}</li>
            ))}
          </ul>
        </section>
      ) : null}
    </ConsoleLayout>
  );
}

export function ImportProgressPage(props: { viewer: ConsoleViewer; job: SuppressionImportRow }) {
  const { job } = props;
  const running = job.status === 'running';
  const errors = JSON.parse(job.errors) as Array<{ line: number; field: string; message: string }>;
  const pct = job.bytesTotal ? Math.min(100, Math.floor((job.bytesRead / job.bytesTotal) * 100)) : 100;
  return (
    <ConsoleLayout title={`Import ${job.fileName}`} viewer={props.viewer} current="suppressions" refreshSeconds={running ? 2 : undefined}>
      <p class="crumbs"><a href="/admin/suppressions/import">Imports</a></p>
      <h1 class="break">Import of {job.fileName}</h1>
      <section class="panel">
        <p role="status">
          {running ? `Importing… ${pct}% read. This page refreshes itself.` : job.status === 'done' ? 'Import finished.' : `Import failed: ${job.message ?? 'unknown error'}`}
        </p>
        <label for="progress" class="muted">Progress</label>
        <progress id="progress" max={100} value={running ? pct : 100}>{`${running ? pct : 100}%`}</progress>
        <ul class="kpis">
          <li><span class="kpi">{num.format(job.rows)}</span> rows read</li>
          <li><span class="kpi">{num.format(job.created)}</span> added</li>
          <li><span class="kpi">{num.format(job.existing)}</span> already on the list</li>
          <li><span class="kpi">{num.format(job.failed)}</span> rows with errors</li>
        </ul>
      </section>
      {errors.length ? (
        <section class="panel">
          <h2>Rows with errors{job.failed > errors.length ? ` (first ${errors.length} of ${num.format(job.failed)})` : ''}</h2>
          <div class="table-wrap" tabindex={0}>
            <table>
              <thead><tr><th scope="col" class="num">Line</th><th scope="col">Column</th><th scope="col">Problem</th></tr></thead>
              <tbody>
                {errors.map((e) => (
                  <tr><td class="num">{e.line}</td><td>{e.field}</td><td>{e.message}</td></tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </ConsoleLayout>
  );
}
