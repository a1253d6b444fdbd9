import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.ts';
import { testConfig } from '../src/testing/index.ts';
import { createOperator } from '../src/core/operators.ts';
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
 * the suppression list and the ledger, which the pre-aggregated counters replace.
 */
const bench: Bench = {
  name: 'console: dashboard render over 1M suppressions and 1M ledger rows',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'optbox-bench-'));
    const path = join(dir, 'admin.db');
    const now = Date.UTC(2026, 10, 28, 12);
    try {
      const config = testConfig({ databasePath: path, publicUrl: 'https://optbox.test' });
      let runtime = await openRuntime(config, { logger: createLogger('silent') });
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

      runtime = await openRuntime(config, { logger: createLogger('silent'), clock: { now: () => now } });
      const app = createApp(runtime);
      const op = await createOperator(runtime.core, { email: 'bench@ops.example', role: 'viewer', minutes: 60, actor: null });
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
      await runtime.close();
      times.sort((a, b) => a - b);
      const median = times[Math.floor(times.length / 2)]!;
      const p95 = times[Math.floor(times.length * 0.95)]!;
      print(`dashboard GET /admin: median ${median.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms over ${RUNS} renders (${fmt(bytes)} bytes; goal ≤ 200 ms)`);
      print(`ratio scan/dashboard: ${ratio(scanMs, median)}× ; peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;
