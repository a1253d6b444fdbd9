import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiKey } from '../src/core/api-keys.ts';
import { upsertContact } from '../src/core/contacts.ts';
import { preferencesUrlFor } from '../src/core/links.ts';
import { bulkCheckLoad, DIR, exportDb, MILLION, millionDb, oneClickDb, oneClickLoad, openBench, rawDurableCommits, runExport, singleCheckLoad } from './fixtures.ts';
import { fmt, mb, print, type Bench } from './lib.ts';
import { buildOptbox, load, startBenchServer } from './servers.ts';

/**
 * The HTTP path against the work it does, every figure with its goal, in one run on one machine:
 *  - /healthz (only the shared middleware: request log, security headers, errors, routing),
 *    the single-address check with a real key against 1,000,000 suppressions (and its p99 under
 *    32 connections), and /preferences signed in, each as a ratio to a bare Hono route;
 *  - durable one-click unsubscribes over HTTP as a ratio to raw single-row durable commits;
 *  - the server's peak RSS with 1,000,000 suppressions after the single and the bulk check
 *    loads, and the peak RSS of a streamed export of the million rows.
 * The server is the production build with LOG_LEVEL=info (one log line per request), as run by
 * `npm start`; the per-key rate limit is off, so the limiter's budget is not what is measured.
 */
const MB = 1024 * 1024;

interface Row {
  what: string;
  value: number;
  shown: string;
  goal: string;
  met: boolean;
}

const bench: Bench = {
  name: 'http path: shared middleware, single check, preference page, one-click, memory',
  async run() {
    const optbox = buildOptbox();
    const dbPath = await millionDb();
    const rt = await openBench(dbPath);
    const { key } = await createApiKey(rt.core, { name: 'bench' });
    const { contact } = await upsertContact(rt.core, { email: 'bench-prefs@example.com', topics: ['newsletter', 'marketing'], locale: 'en', source: 'api' });
    const prefsPath = new URL(preferencesUrlFor(rt.core, contact.id)).pathname;
    await rt.close();
    const rows: Row[] = [];
    const ratioRow = (what: string, value: number, goal: number, extra = '') =>
      rows.push({ what, value, shown: `${value.toFixed(2)}${extra}`, goal: `≥ ${goal}`, met: value >= goal });

    // The bare route runs beside optbox and is measured in turns with each figure (three rounds
    // each, medians): on a shared machine a baseline taken minutes earlier says little.
    const hello = await startBenchServer('bench/hello-server.mjs');
    const server = await startBenchServer(optbox, { DATABASE_PATH: dbPath, LOG_LEVEL: 'info', API_RATE_LIMIT: '0', MAIL_OUTBOX_DIR: join(DIR, 'outbox') });
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const paired = async (what: string, target: () => ReturnType<typeof load>) => {
      const bare: number[] = [];
      const ours: number[] = [];
      const p99: number[] = [];
      let non2xx = 0;
      for (let round = 0; round < 3; round++) {
        bare.push((await load({ url: `${hello.url}/hello`, duration: 3 })).rps);
        const r = await target();
        ours.push(r.rps);
        p99.push(r.p99);
        non2xx += r.non2xx;
      }
      print(`${what}: ${fmt(median(ours))} req/s, p99 ${median(p99)} ms; bare route ${fmt(median(bare))} req/s (non-2xx ${non2xx})`);
      return { ratio: median(ours) / median(bare), p99: median(p99) };
    };
    try {
      const health = await paired('/healthz', () => load({ url: `${server.url}/healthz`, duration: 3 }));
      ratioRow('/healthz ÷ bare route', health.ratio, 0.8);

      const single = await paired('single-address check', () => singleCheckLoad(server.url, key, 3));
      ratioRow('single check ÷ bare route', single.ratio, 0.6, ` (p99 ${single.p99} ms)`);

      const opened = await fetch(server.url + prefsPath, { redirect: 'manual' });
      const cookie = opened.headers.get('set-cookie')?.split(';')[0];
      if (opened.status !== 303 || !cookie) throw new Error(`/p/ did not open a session (${opened.status})`);
      const page = await paired('/preferences signed in', () => load({ url: `${server.url}/preferences`, headers: { cookie }, duration: 3 }));
      ratioRow('/preferences ÷ bare route', page.ratio, 0.3);

      const bulk = await bulkCheckLoad(server.url, key);
      print(`bulk check, 10,000 addresses per request: ${fmt(bulk.rps * 10_000)} addresses/s (non-2xx ${bulk.non2xx})`);
      const rss = server.peakRss();
      rows.push({ what: 'peak RSS, 1,000,000 suppressions', value: rss, shown: mb(rss), goal: '< 200 MB', met: rss < 200 * MB });
    } finally {
      await server.stop();
      await hello.stop();
    }

    const { path, paths } = await oneClickDb();
    const oneClickServer = await startBenchServer(optbox, { DATABASE_PATH: path, LOG_LEVEL: 'info' });
    const oneClick = await oneClickLoad(oneClickServer.url, paths);
    await oneClickServer.stop();
    const commits = await rawDurableCommits();
    print(`one-click over HTTP: ${fmt(oneClick.rps)} unsubscribes/s (non-2xx ${oneClick.non2xx}); raw durable commits ${fmt(commits)} /s`);
    ratioRow('one-click ÷ raw durable commits', oneClick.rps / commits, 0.5);

    // The marketing API bench's export (api.bench.ts): a million seeded rows, streamed as CSV in a process of its own.
    const dir = mkdtempSync(join(tmpdir(), 'optbox-bench-'));
    let exported;
    try {
      await exportDb(join(dir, 'export.db'), MILLION);
      exported = runExport(join(dir, 'export.db'), 'csv');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    print(`export of ${fmt(exported.rows)} suppressions (CSV): ${exported.seconds.toFixed(2)} s`);
    rows.push({ what: 'export peak RSS', value: exported.peakRss, shown: mb(exported.peakRss), goal: '< 150 MB', met: exported.peakRss < 150 * MB });

    print('');
    print(`${'figure'.padEnd(34)} ${'measured'.padEnd(20)} ${'goal'.padEnd(9)} result`);
    for (const r of rows) print(`${r.what.padEnd(34)} ${r.shown.padEnd(20)} ${r.goal.padEnd(9)} ${r.met ? 'met' : 'MISSED'}`);
  },
};
export default bench;
