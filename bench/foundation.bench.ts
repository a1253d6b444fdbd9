import Database from 'better-sqlite3';
import { checkSuppressions } from '../src/core/suppressions.ts';
import { bulkCheckLoad, millionDb, oneClickDb, oneClickLoad, openBench, probe, rawDurableCommits, singleCheckLoad } from './fixtures.ts';
import { fmt, mb, print, rate, ratio, type Bench } from './lib.ts';
import { buildOptbox, load, startBenchServer } from './servers.ts';

/**
 * The foundation's four ratios and the RSS bound, each against a baseline measured in this run:
 *  (a) HTTP single-address suppression check vs a bare Hono "hello" route, same server setup
 *  (b) bulk check against 1,000,000 suppressions vs raw better-sqlite3 point lookups
 *  (c) durable one-click unsubscribes over HTTP vs raw single-row durable commits
 *  (d) token sign and verify per second
 * and the server's peak RSS with 1,000,000 suppressions.
 */
let OPTBOX = 'dist/src/main.js';

async function benchHttpCheck(dbPath: string, apiKey: string) {
  const hello = await startBenchServer('bench/hello-server.mjs');
  const helloRps = (await load({ url: `${hello.url}/hello` })).rps;
  await hello.stop();

  // No per-key rate limit: this measures the check, not the limiter.
  const server = await startBenchServer(OPTBOX, { DATABASE_PATH: dbPath, LOG_LEVEL: 'info', API_RATE_LIMIT: '0' });
  const single = await singleCheckLoad(server.url, apiKey);
  print(`(a) HTTP check, 1 address:   ${fmt(single.rps)} req/s (p99 ${single.p99} ms)   bare hello: ${fmt(helloRps)} req/s   ratio ${ratio(single.rps, helloRps)}  (target ≥ 0.6; errors ${single.errors}, non-2xx ${single.non2xx})`);
  const bulk = await bulkCheckLoad(server.url, apiKey);
  print(`    HTTP check, 10,000 addresses per request: ${fmt(bulk.rps * 10_000)} addresses/s (non-2xx ${bulk.non2xx})`);
  const rss = server.peakRss();
  print(`    server peak RSS with 1,000,000 suppressions after both loads: ${mb(rss)}  (target < 200 MB)`);
  await server.stop();
}

async function benchBulkCheck(dbPath: string) {
  const rt = await openBench(dbPath);
  // The baseline gets the same storage settings as optbox's own connection (src/db/client.ts).
  const raw = new Database(dbPath, { readonly: true });
  raw.pragma('cache_size = -32768');
  const lookup = raw.prepare("SELECT scope, reason FROM suppressions WHERE address_key = ? AND scope IN (?, '*') AND (expires_at IS NULL OR expires_at > ?) ORDER BY scope = '*' DESC LIMIT 1");
  const N = 10_000;
  let round = 0;
  const batch = () => Array.from({ length: N }, (_, i) => probe(round * N + i));
  const now = Date.now();

  const ours = await rate(async () => {
    round++;
    await checkSuppressions(rt.core, { emails: batch(), topic: 'newsletter' });
  }, { batch: N, ms: 3000 });
  const rawWithKey = await rate(() => {
    round++;
    for (const email of batch()) lookup.get(rt.core.addressKey(email), 'newsletter', now);
  }, { batch: N, ms: 3000 });
  const keys = batch().map((e) => rt.core.addressKey(e));
  const rawOnly = await rate(() => {
    for (const key of keys) lookup.get(key, 'newsletter', now);
  }, { batch: N, ms: 3000 });
  print(`(b) bulk check (10,000 per call) vs 1,000,000 suppressions: ${fmt(ours)} addresses/s`);
  print(`    raw better-sqlite3 point lookups, keyed by the same HMAC: ${fmt(rawWithKey)} /s   ratio ${ratio(ours, rawWithKey)}  (target ≥ 1.0)`);
  print(`    raw point lookups of precomputed keys (no HMAC, no normalization): ${fmt(rawOnly)} /s   ratio ${ratio(ours, rawOnly)}`);
  raw.close();
  await rt.close();
}

async function benchOneClick() {
  const { path, paths } = await oneClickDb();
  const server = await startBenchServer(OPTBOX, { DATABASE_PATH: path, LOG_LEVEL: 'info' });
  const result = await oneClickLoad(server.url, paths);
  await server.stop();
  const commits = await rawDurableCommits();
  print(`(c) durable one-click over HTTP: ${fmt(result.rps)} unsubscribes/s (${fmt(result.total)} distinct contacts, non-2xx ${result.non2xx})`);
  print(`    raw single-row durable commits: ${fmt(commits)} /s   ratio ${ratio(result.rps, commits)}  (target ≥ 0.5)`);
  if (result.total > paths.length) print(`    note: ${result.total - paths.length} requests repeated a contact (idempotent, cheaper)`);
}

async function benchTokens() {
  const rt = await openBench(':memory:');
  let i = 0;
  const signs = await rate(() => rt.core.tokens.sign('unsub', { contactId: `contact${i++}`, topic: 'newsletter', campaign: 'c1' }), { ms: 2000 });
  const pool = Array.from({ length: 10_000 }, (_, j) => rt.core.tokens.sign('unsub', { contactId: `contact${j}`, topic: 'newsletter' }));
  const verifies = await rate(() => rt.core.tokens.verify(pool[i++ % pool.length]!, 'unsub'), { ms: 2000 });
  print(`(d) tokens on one core: ${fmt(signs)} sign/s, ${fmt(verifies)} verify/s  (target ≥ 100,000 each)`);
  await rt.close();
}

const bench: Bench = {
  name: 'foundation: suppression check, one-click durability, tokens',
  async run() {
    OPTBOX = buildOptbox();
    const started = performance.now();
    const dbPath = await millionDb();
    const rt = await openBench(dbPath);
    const { createApiKey } = await import('../src/core/api-keys.ts');
    const { key } = await createApiKey(rt.core, { name: 'bench' });
    await rt.close();
    print(`    (1,000,000-suppression database ready in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
    await benchHttpCheck(dbPath, key);
    await benchBulkCheck(dbPath);
    await benchOneClick();
    await benchTokens();
  },
};
export default bench;
