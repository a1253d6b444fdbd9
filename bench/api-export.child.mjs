/**
 * Run by api.bench.ts in a child process, so the peak RSS it reports is the export's own and
 * not the seeding's: opens the seeded database, streams the export through the app and reports
 * rows, seconds and peak RSS as one JSON line. It runs the production build (dist/, as
 * `npm start` does), so no transpiler sits in the memory it measures.
 */
import { createApp } from '../dist/src/app.js';
import { testConfig } from '../dist/src/testing/index.js';
import { createApiKey } from '../dist/src/core/api-keys.js';
import { createLogger } from '../dist/src/logger.js';
import { openRuntime } from '../dist/src/runtime.js';

const [path, format, query = ''] = process.argv.slice(2);
const deps = openRuntime(testConfig({ databasePath: path, apiRateLimit: 0 }), { logger: createLogger('silent') });
const app = createApp(deps);
const { key } = await createApiKey(deps.core, { name: 'bench' });

const baseRss = process.memoryUsage.rss();
let peak = baseRss;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
const started = performance.now();
const res = await app.request(`/api/v1/suppressions/export?format=${format}${query}`, { headers: { authorization: `Bearer ${key}` } });
let lines = 0;
const reader = res.body.getReader();
for (;;) {
  const { done, value } = await reader.read();
  if (done) break;
  for (let i = 0; i < value.length; i++) if (value[i] === 10) lines++;
  peak = Math.max(peak, process.memoryUsage.rss());
}
const seconds = (performance.now() - started) / 1000;
clearInterval(sampler);
deps.close();
process.stdout.write(JSON.stringify({ rows: format === "csv" ? lines - 1 : lines, seconds, peakRss: peak, baseRss }) + '\n');
