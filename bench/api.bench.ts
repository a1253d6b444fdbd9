import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/app.ts';
import { testConfig } from '../src/testing/index.ts';
import { createApiKey } from '../src/core/api-keys.ts';
import { normalizeEmail } from '../src/core/email.ts';
import { insertSuppressionsBare, scanSuppressions } from './seed.ts';
import { exportDb, runExport } from './fixtures.ts';
import { openDatabase } from '../src/db/client.ts';
import { createLogger } from '../src/logger.ts';
import { openRuntime } from '../src/runtime.ts';
import { buildOptbox } from './servers.ts';
import { fmt, mb, print, ratio, type Bench } from './lib.ts';

const EXPORT_ROWS = 1_000_000;
const BULK_ROWS = 100_000;
const BATCH = 10_000;

/**
 * The marketing API at scale:
 * - export of 1,000,000 suppressions as CSV and NDJSON, streamed through the app: rows/s and
 *   peak RSS of the exporting process (target ≥ 300,000 rows/s, RSS < 150 MB), against a bare
 *   SQLite scan of the same rows;
 * - bulk add of 100,000 suppressions through POST /api/v1/suppressions (10 requests of 10,000,
 *   each row with its ledger row and change-log row, durable), against bare inserts.
 * On a file database in a temp folder, as in production (WAL, synchronous=FULL).
 */
const bench: Bench = {
  name: 'marketing API: export 1M suppressions, bulk add 100k',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'optbox-bench-'));
    try {
      await exportBench(join(dir, 'export.db'));
      await bulkBench(join(dir, 'bulk.db'), join(dir, 'bare.db'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;

async function exportBench(path: string) {
  let t = performance.now();
  await exportDb(path, EXPORT_ROWS);
  print(`seeded ${fmt(EXPORT_ROWS)} suppressions in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  const db = openDatabase(path);
  t = performance.now();
  const scanned = scanSuppressions(db);
  const scanRate = scanned / ((performance.now() - t) / 1000);
  db.sqlite.close();
  print(`baseline: bare SQLite scan of the same rows   ${fmt(scanRate)} rows/s`);

  buildOptbox();
  for (const format of ['csv', 'ndjson'] as const) {
    const r = runExport(path, format);
    if (r.rows !== EXPORT_ROWS) throw new Error(`export returned ${r.rows} rows, expected ${EXPORT_ROWS}`);
    const rate = r.rows / r.seconds;
    print(
      `export ${format.padEnd(6)} ${fmt(r.rows)} rows in ${r.seconds.toFixed(2)} s: ${fmt(rate)} rows/s (target ≥ 300,000 ${rate >= 300_000 ? 'met' : 'MISSED'}), ` +
        `peak RSS ${mb(r.peakRss)} (target < 150 MB ${r.peakRss < 150 * 1024 * 1024 ? 'met' : 'MISSED'}; ${mb(r.baseRss)} before the export began), ratio to bare scan ${ratio(rate, scanRate)}`,
    );
  }
}

async function bulkBench(path: string, barePath: string) {
  const deps = await openRuntime(testConfig({ databasePath: path, apiRateLimit: 0, apiBodyLimit: 4 * 1024 * 1024 }), { logger: createLogger('silent') });
  const app = createApp(deps);
  const { key } = await createApiKey(deps.core, { name: 'bench' });
  const bodies = Array.from({ length: BULK_ROWS / BATCH }, (_, b) =>
    JSON.stringify({ suppressions: Array.from({ length: BATCH }, (_, i) => ({ email: `bulk${b * BATCH + i}@bench.example`, reason: 'bounce' })) }),
  );
  let t = performance.now();
  for (const body of bodies) {
    const res = await app.request('/api/v1/suppressions', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body });
    const result = (await res.json()) as { created: number };
    if (res.status !== 200 || result.created !== BATCH) throw new Error(`bulk add answered ${res.status}`);
  }
  const apiRate = BULK_ROWS / ((performance.now() - t) / 1000);
  const keyOf = deps.core.addressKey;
  deps.close();

  const rows = Array.from({ length: BULK_ROWS }, (_, i) => {
    const email = normalizeEmail(`bulk${i}@bench.example`);
    return { key: keyOf(email), email };
  });
  const bare = openDatabase(barePath);
  t = performance.now();
  insertSuppressionsBare(bare, rows, Date.now());
  const bareRate = BULK_ROWS / ((performance.now() - t) / 1000);
  bare.sqlite.close();
  print(`baseline: bare INSERTs, one transaction        ${fmt(bareRate)} rows/s`);
  print(`bulk add ${fmt(BULK_ROWS)} via POST /api/v1/suppressions (10 × 10,000, ledger + change log + fsync): ${fmt(apiRate)} rows/s, ratio to bare inserts ${ratio(apiRate, bareRate)}`);
}
