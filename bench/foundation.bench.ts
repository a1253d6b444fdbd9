import Database from 'better-sqlite3';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { testConfig } from '../src/testing/index.ts';
import { checkSuppressions } from '../src/core/suppressions.ts';
import { createLogger } from '../src/logger.ts';
import { openRuntime } from '../src/runtime.ts';
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
const DIR = '.bench';
const MILLION = 1_000_000;
const silent = createLogger('silent');
let OPTBOX = 'dist/src/main.js';

function openBench(databasePath: string) {
  return openRuntime(testConfig({ databasePath, logLevel: 'silent' }), { logger: silent });
}

/** A database with a million suppressions (a quarter global, the rest newsletter), made once and kept in .bench/. */
async function millionDb(): Promise<string> {
  const path = join(DIR, 'million.db');
  if (existsSync(path)) return path;
  mkdirSync(DIR, { recursive: true });
  const tmp = path + '.tmp';
  rmSync(tmp, { force: true });
  const rt = await openBench(tmp);
  const raw = new Database(tmp);
  raw.pragma('synchronous = OFF');
  const insert = raw.prepare("INSERT INTO suppressions (address_key, scope, reason, source, email, created_at) VALUES (?, ?, ?, 'import', ?, 0)");
  raw.transaction(() => {
    for (let i = 0; i < MILLION; i++) {
      const email = `user${i}@bench.example`;
      insert.run(rt.core.addressKey(email), i % 4 === 0 ? '*' : 'newsletter', i % 4 === 0 ? 'bounce' : 'unsubscribe', email);
    }
  })();
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  await rt.close();
  // The checkpoint emptied the WAL into the main file: move that, drop the rest.
  for (const suffix of ['-wal', '-shm']) rmSync(tmp + suffix, { force: true });
  renameSync(tmp, path);
  return path;
}

/** Half of the addresses are on the list. */
const probe = (i: number) => (i % 2 === 0 ? `user${(i * 7919) % MILLION}@bench.example` : `other${i}@bench.example`);

async function benchHttpCheck(dbPath: string, apiKey: string) {
  const hello = await startBenchServer('bench/hello-server.mjs');
  const helloRps = (await load({ url: `${hello.url}/hello` })).rps;
  await hello.stop();

  // No per-key rate limit: this measures the check, not the limiter.
  const server = await startBenchServer(OPTBOX, { DATABASE_PATH: dbPath, LOG_LEVEL: 'info', API_RATE_LIMIT: '0' });
  let n = 0;
  const single = await load({
    url: server.url,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/suppressions/check',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: JSON.stringify({ emails: [probe(n++)], topic: 'newsletter' }) }),
      },
    ],
  });
  print(`(a) HTTP check, 1 address:   ${fmt(single.rps)} req/s   bare hello: ${fmt(helloRps)} req/s   ratio ${ratio(single.rps, helloRps)}  (target ≥ 0.6; errors ${single.errors}, non-2xx ${single.non2xx})`);

  const bulkBody = JSON.stringify({ emails: Array.from({ length: 10_000 }, (_, i) => probe(i + 1)), topic: 'newsletter' });
  const bulk = await load({
    url: server.url,
    connections: 4,
    requests: [{ method: 'POST', path: '/api/v1/suppressions/check', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, body: bulkBody }],
  });
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
  const path = join(DIR, 'oneclick.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
  const rt = await openBench(path);
  const CONTACTS = 60_000;
  const raw = new Database(path);
  const addContact = raw.prepare("INSERT INTO contacts (id, email, locale, status, created_at, updated_at) VALUES (?, ?, 'en', 'active', 0, 0)");
  const addSub = raw.prepare("INSERT INTO subscriptions (contact_id, topic_id, status, source, updated_at) VALUES (?, 'newsletter', 'subscribed', 'import', 0)");
  const paths: string[] = [];
  raw.transaction(() => {
    for (let i = 0; i < CONTACTS; i++) {
      const id = `bench${i}`;
      addContact.run(id, `reader${i}@bench.example`);
      addSub.run(id);
      paths.push(`/u/${rt.core.tokens.sign('unsub', { contactId: id, topic: 'newsletter' })}`);
    }
  })();
  raw.close();
  await rt.close();

  const server = await startBenchServer(OPTBOX, { DATABASE_PATH: path, LOG_LEVEL: 'info' });
  let next = 0;
  const result = await load({
    url: server.url,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'List-Unsubscribe=One-Click',
        setupRequest: (req) => ({ ...req, path: paths[next++ % paths.length]! }),
      },
    ],
  });
  await server.stop();

  // Baseline: one row per transaction, WAL, synchronous=FULL: the fsync every durable commit pays.
  const basePath = join(DIR, 'commits.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(basePath + suffix, { force: true });
  const base = new Database(basePath);
  base.pragma('journal_mode = WAL');
  base.pragma('synchronous = FULL');
  base.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
  const insert = base.prepare('INSERT INTO t (v) VALUES (?)');
  const commits = await rate(() => insert.run('unsubscribe'), { ms: 3000 });
  base.close();
  print(`(c) durable one-click over HTTP: ${fmt(result.rps)} unsubscribes/s (${fmt(result.total)} distinct contacts, non-2xx ${result.non2xx})`);
  print(`    raw single-row durable commits: ${fmt(commits)} /s   ratio ${ratio(result.rps, commits)}  (target ≥ 0.5)`);
  if (result.total > CONTACTS) print(`    note: ${result.total - CONTACTS} requests repeated a contact (idempotent, cheaper)`);
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
