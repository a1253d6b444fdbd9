import { parse } from 'csv-parse';
import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { testConfig } from '../src/testing/index.ts';
import type { Config } from '../src/config.ts';
import { onBenchPostgres } from './servers.ts';
import { runSuppressionImport, startSuppressionImport } from '../src/core/suppression-import.ts';
import { createLogger } from '../src/logger.ts';
import { openRuntime } from '../src/runtime.ts';
import { fmt, mb, print, ratio, type Bench } from './lib.ts';

const ROWS = 1_000_000;

/**
 * The console's CSV import (the same verb `optbox import` and the upload page run) of a
 * 1,000,000-row file into a file database: rows/s and the peak RSS while it runs (memory must
 * stay flat: the file is streamed and written in chunks). Baseline: only reading and parsing
 * the same file with csv-parse. Every 50th row is bad, to exercise the error report.
 */
const bench: Bench = {
  name: 'console: CSV import of 1M suppressions',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'optbox-bench-'));
    try {
      const file = join(dir, 'suppressions.csv');
      const out = createWriteStream(file);
      out.write('email,scope,reason,expires_at\r\n');
      for (let i = 0; i < ROWS; i++) {
        const line = i % 50 === 49 ? `broken-${i},*,manual,\r\n` : `person${i}@import${i % 97}.example,${i % 3 ? '*' : 'newsletter'},${i % 2 ? 'bounce' : 'manual'},\r\n`;
        if (!out.write(line)) await once(out, 'drain');
      }
      out.end();
      await once(out, 'finish');

      let t = performance.now();
      let parsed = 0;
      for await (const _ of createReadStream(file).pipe(parse({ columns: true, bom: true, skip_empty_lines: true, trim: true, relax_column_count: true, info: true }))) parsed++;
      const parseRate = parsed / ((performance.now() - t) / 1000);
      print(`baseline: csv-parse alone over the same file   ${fmt(parseRate)} rows/s`);

      await importInto('SQLite', testConfig({ databasePath: join(dir, 'import.db') }), file, parseRate);
      // The same file into PostgreSQL, when the package is there.
      await onBenchPostgres('optbox_import', (url) => importInto('PostgreSQL', testConfig({ databaseUrl: url }), file, parseRate));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
export default bench;

/** Import `file` through the console's verb into the installation `config` names: rows/s and peak RSS. */
async function importInto(engine: string, config: Config, file: string, parseRate: number): Promise<void> {
  const runtime = await openRuntime(config, { logger: createLogger('silent') });
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  const t = performance.now();
  const id = await startSuppressionImport(runtime.core, { file, fileName: 'suppressions.csv', operatorId: null });
  // A line every 100,000 rows: on a busy machine a partial run still gives figures.
  let shown = 0;
  const result = await runSuppressionImport(runtime.core, {
    id,
    file,
    actor: 'bench',
    onProgress: (p) => {
      if (p.rows - shown < 100_000) return;
      shown = p.rows;
      const s = (performance.now() - t) / 1000;
      print(`  ${engine}: ${fmt(p.rows)} rows in ${s.toFixed(0)} s: ${fmt(p.rows / s)} rows/s, RSS now ${mb(process.memoryUsage().rss)}, peak ${mb(peak)}`);
    },
  });
  const secs = (performance.now() - t) / 1000;
  clearInterval(sampler);
  await runtime.close();
  print(`${engine} import: ${fmt(result.rows)} rows (${fmt(result.created)} added, ${fmt(result.failed)} with errors) in ${secs.toFixed(1)} s = ${fmt(result.rows / secs)} rows/s, each with its ledger and change-log row, durable`);
  print(`peak RSS during the import ${mb(peak)} (before: ${mb(rssBefore)}); ratio parse/import ${ratio(parseRate, result.rows / secs)}×`);
}
