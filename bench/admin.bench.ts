import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.ts';
import { testConfig } from '../src/testing/index.ts';
import { createOperator } from '../src/core/operators.ts';
import { copyInstallation } from '../src/core/db-copy.ts';
import type { Config } from '../src/config.ts';
import { onBenchPostgres } from './servers.ts';
import { dashboardByScan, seedLedger, seedSuppressions } from './seed.ts';
import { openDatabase } from '../src/db/client.ts';
import { recountDashboard } from '../src/db/stores/console-stats.ts';
import { createLogger } from '../src/logger.ts';
import { openRuntime } from '../src/runtime.ts';
import { fmt, mb, print, ratio, type Bench } from './lib.ts';

const ROWS = 1_000_000;
const RUNS = 50;
const DAY = 86_400_000;

/**
 * The console's dashboard at scale: GET /admin (session check, counters, four SVG charts,
 * HTML) with 1,000,000 suppressions and 1,000,000 ledger rows, on a file database as in
 * production. Goal: ≤ 200 ms per render. Baseline: the same figures by GROUP BY scans of
 * the suppression list and the ledger, which the pre-aggregated counters replace. Then the
 * same installation is copied to PostgreSQL (Debian's server, fsync on) and rendered there.
 */
const bench: Bench = {
  name: 'console: dashboard render over 1M suppressions and 1M ledger rows',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'optbox-bench-'));
    const path = join(dir, 'admin.db');
    const now = Date.UTC(2026, 10, 28, 12);
    try {
      const config = testConfig({ databasePath: path, publicUrl: 'https://optbox.test' });
      const runtime = await openRuntime(config, { logger: createLogger('silent') });
      const keyOf = runtime.core.addressKey;
      await runtime.close();
      const db = openDatabase(path);
      let t = performance.now();
      seedSuppressions(db, ROWS, keyOf, now - 120 * DAY);
      seedLedger(db, ROWS, now, 120);
      recountDashboard(db.sqlite);
      print(`seeded ${fmt(ROWS)} suppressions and ${fmt(ROWS)} ledger rows (counters recounted after the raw inserts) in ${((performance.now() - t) / 1000).toFixed(1)} s`);
      t = performance.now();
      dashboardByScan(db, Math.floor(now / DAY) - 89);
      const scanMs = performance.now() - t;
      db.sqlite.close();
      print(`baseline: the same figures by scanning both tables   ${scanMs.toFixed(0)} ms`);

      const sqlite = await dashboardTimes(config, now);
      print(`SQLite: dashboard GET /admin: ${sqlite.line} (goal ≤ 200 ms)`);
      print(`ratio scan/dashboard: ${ratio(scanMs, sqlite.median)}× ; peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);

      // The same installation on PostgreSQL, moved there by `optbox db copy` (timed: what an
      // operator moving a database of this size waits for), then the same renders.
      await onBenchPostgres('optbox_dashboard', async (url) => {
        t = performance.now();
        const report = await copyInstallation({ from: `sqlite:${path}`, to: url });
        const rows = report.tables.reduce((n, x) => n + x.rows, 0);
        print(`db copy sqlite → PostgreSQL: ${fmt(rows)} rows, ledger verified on both sides, in ${((performance.now() - t) / 1000).toFixed(1)} s`);
        const pg = await dashboardTimes(testConfig({ databaseUrl: url, publicUrl: 'https://optbox.test' }), now);
        print(`PostgreSQL: dashboard GET /admin: ${pg.line} (goal ≤ 200 ms)`);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;

/** Sign a viewer in and time RUNS renders of /admin (after 5 to warm up) on the installation `config` names. */
async function dashboardTimes(config: Config, now: number): Promise<{ median: number; line: string }> {
  const runtime = await openRuntime(config, { logger: createLogger('silent'), clock: { now: () => now } });
  try {
    const app = createApp(runtime);
    const op = await createOperator(runtime.core, { email: `bench-${config.databaseUrl ? 'pg' : 'sqlite'}@ops.example`, role: 'viewer', minutes: 60, actor: null });
    const setup = await app.request(new URL(op.setupUrl).pathname, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://optbox.test' },
      body: new URLSearchParams({ password: 'benchmark password', repeat: 'benchmark password' }).toString(),
    });
    const cookie = setup.headers.getSetCookie().find((c) => c.startsWith('optbox_admin='))!.split(';')[0]!;
    const times: number[] = [];
    let bytes = 0;
    for (let i = 0; i < RUNS + 5; i++) {
      const start = performance.now();
      const res = await app.request('/admin', { headers: { cookie } });
      const html = await res.text();
      if (res.status !== 200) throw new Error(`dashboard answered ${res.status}`);
      if (i >= 5) times.push(performance.now() - start);
      bytes = html.length;
    }
    times.sort((a, b) => a - b);
    const median = times[Math.floor(times.length / 2)]!;
    const p95 = times[Math.floor(times.length * 0.95)]!;
    return { median, line: `median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms over ${RUNS} renders (${fmt(bytes)} bytes)` };
  } finally {
    await runtime.close();
  }
}
