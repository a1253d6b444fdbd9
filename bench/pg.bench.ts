import { mkdirSync } from 'node:fs';
import pg from 'pg';
import { createApiKey } from '../src/core/api-keys.ts';
import { checkSuppressions } from '../src/core/suppressions.ts';
import { createLogger } from '../src/logger.ts';
import { openRuntime, type Runtime } from '../src/runtime.ts';
import { testConfig } from '../src/testing/index.ts';
import { startPgServer } from '../test/helpers/pg-server.ts';
import { fmt, print, rate, ratio, type Bench } from './lib.ts';
import { buildOptbox, load, startBenchServer } from './servers.ts';

/**
 * optbox on PostgreSQL against the same server used raw, in one run: a throwaway server from
 * Debian's postgresql package (fsync and synchronous_commit on), or OPTBOX_BENCH_DATABASE_URL.
 */
const MILLION = 1_000_000;
const CONCURRENCY = 32; // as many requests in flight as the HTTP load keeps
const POOL = 10; // DATABASE_POOL_SIZE's default

const probe = (i: number) => (i % 2 === 0 ? `user${(i * 7919) % MILLION}@bench.example` : `other${i}@bench.example`);

/** `fn` run by CONCURRENCY loops at once for `ms`: completed calls per second. */
async function concurrentRate(fn: () => Promise<unknown>, ms = 5000): Promise<number> {
  let ops = 0;
  const end = performance.now() + ms;
  const start = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (performance.now() < end) {
      await fn();
      ops++;
    }
  }));
  return ops / ((performance.now() - start) / 1000);
}

async function seed(rt: Runtime, pool: pg.Pool): Promise<string[]> {
  const started = performance.now();
  for (let i = 0; i < MILLION; i += 5000) {
    const keys: Buffer[] = [];
    const scopes: string[] = [];
    const emails: string[] = [];
    for (let j = i; j < i + 5000; j++) {
      const email = `user${j}@bench.example`;
      keys.push(rt.core.addressKey(email));
      scopes.push(j % 4 === 0 ? '*' : 'newsletter');
      emails.push(email);
    }
    await pool.query(
      `INSERT INTO suppressions (address_key, scope, reason, source, email, created_at)
       SELECT k, s, CASE WHEN s = '*' THEN 'bounce' ELSE 'unsubscribe' END, 'import', e, 0 FROM unnest($1::bytea[], $2::text[], $3::text[]) AS t(k, s, e)`,
      [keys, scopes, emails],
    );
  }
  const CONTACTS = 100_000;
  const ids = Array.from({ length: CONTACTS }, (_, i) => `bench${i}`);
  for (let i = 0; i < CONTACTS; i += 10_000) {
    const chunk = ids.slice(i, i + 10_000);
    await pool.query("INSERT INTO contacts (id, email, locale, status, created_at, updated_at) SELECT id, 'reader' || substr(id, 6) || '@bench.example', 'en', 'active', 0, 0 FROM unnest($1::text[]) AS t(id)", [chunk]);
    await pool.query("INSERT INTO subscriptions (contact_id, topic_id, status, source, updated_at) SELECT id, 'newsletter', 'subscribed', 'import', 0 FROM unnest($1::text[]) AS t(id)", [chunk]);
  }
  await pool.query('VACUUM ANALYZE');
  print(`    seeded 1,000,000 suppressions and 100,000 contacts in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  return ids.map((id) => `/u/${rt.core.tokens.sign('unsub', { contactId: id, topic: 'newsletter' })}`);
}

const bench: Bench = {
  name: 'PostgreSQL: HTTP and core against raw pg on the same server',
  async run() {
    mkdirSync('.bench', { recursive: true });
    const server = process.env.OPTBOX_BENCH_DATABASE_URL ? undefined : await startPgServer({ fsync: true });
    const admin = new pg.Client({ connectionString: process.env.OPTBOX_BENCH_DATABASE_URL ?? server!.url });
    admin.on('error', () => {});
    await admin.connect();
    const name = `optbox_bench_${Date.now()}`;
    await admin.query(`CREATE DATABASE "${name}"`);
    const u = new URL(process.env.OPTBOX_BENCH_DATABASE_URL ?? server!.url);
    u.pathname = `/${name}`;
    const url = u.toString();
    const rt = await openRuntime(testConfig({ databaseUrl: url, databasePoolSize: POOL }), { logger: createLogger('silent') });
    const raw = new pg.Pool({ connectionString: url, max: POOL });
    raw.on('error', () => {}); // an idle connection cut when the database is dropped at the end
    try {
      const paths = await seed(rt, raw);
      const apiKey = (await createApiKey(rt.core, { name: 'bench' })).key;
      const OPTBOX = buildOptbox();
      const env = { DATABASE_URL: url, LOG_LEVEL: 'info', API_RATE_LIMIT: '0' };

      // (a) one address over HTTP, against the point query it makes, over a pool of the same size.
      const one = await startBenchServer(OPTBOX, env);
      let n = 0;
      const single = await load({
        url: one.url,
        requests: [{ method: 'POST', path: '/api/v1/suppressions/check', headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' }, setupRequest: (req) => ({ ...req, body: JSON.stringify({ emails: [probe(n++)], topic: 'newsletter' }) }) }],
      });
      const lookup = "SELECT scope, reason FROM suppressions WHERE address_key = $1 AND scope IN ($2, '*') AND (expires_at IS NULL OR expires_at > $3) ORDER BY scope = '*' DESC LIMIT 1";
      let m = 0;
      const now = Date.now();
      const point = await concurrentRate(() => raw.query(lookup, [rt.core.addressKey(probe(m++)), 'newsletter', now]));
      print(`(a) HTTP check, 1 address: ${fmt(single.rps)} req/s (p99 ${single.p99} ms)   raw pg point query (same pool size, ${CONCURRENCY} in flight): ${fmt(point)} /s   ratio ${ratio(single.rps, point)}  (goal ≥ 0.5; non-2xx ${single.non2xx})`);

      // (b) 10,000 addresses in one core call, against one raw = ANY($1) query of precomputed keys.
      const N = 10_000;
      let round = 0;
      const ours = await rate(async () => {
        round++;
        await checkSuppressions(rt.core, { emails: Array.from({ length: N }, (_, i) => probe(round * N + i)), topic: 'newsletter' });
      }, { batch: N, ms: 3000 });
      const keys = Array.from({ length: N }, (_, i) => rt.core.addressKey(probe(i)));
      const any = await rate(() => raw.query("SELECT address_key, scope, reason FROM suppressions WHERE address_key = ANY($1::bytea[]) AND scope IN ($2, '*') AND (expires_at IS NULL OR expires_at > $3)", [keys, 'newsletter', now]), { batch: N, ms: 3000 });
      print(`(b) bulk check (10,000 per call): ${fmt(ours)} addresses/s   one raw = ANY($1) query: ${fmt(any)} addresses/s   ratio ${ratio(ours, any)}  (goal ≥ 0.8)`);

      // (c) durable one-click over HTTP, against single-row durable commits.
      let next = 0;
      const clicks = await load({ url: one.url, requests: [{ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click', setupRequest: (req) => ({ ...req, path: paths[next++ % 50_000]! }) }] });
      await raw.query('CREATE TABLE bench_commits (id bigserial PRIMARY KEY, v text)');
      const commits = await concurrentRate(() => raw.query('INSERT INTO bench_commits (v) VALUES ($1)', ['unsubscribe']));
      print(`(c) durable one-click over HTTP, one instance: ${fmt(clicks.rps)} unsubscribes/s (p99 ${clicks.p99} ms, non-2xx ${clicks.non2xx})   raw single-row commits (${CONCURRENCY} in flight): ${fmt(commits)} /s   ratio ${ratio(clicks.rps, commits)}  (goal ≥ 0.5)`);

      // (d) two instances on the one database, loaded at once, on contacts not yet unsubscribed.
      const two = await startBenchServer(OPTBOX, env);
      let k1 = 50_000;
      let k2 = 75_000;
      const oneClick = (server: { url: string }, pick: () => string) => load({ url: server.url, requests: [{ method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click', setupRequest: (req) => ({ ...req, path: pick() }) }] });
      const [r1, r2] = await Promise.all([oneClick(one, () => paths[k1++ % 100_000]!), oneClick(two, () => paths[k2++ % 100_000]!)]);
      const pair = r1.rps + r2.rps;
      print(`(d) durable one-click, two instances at once: ${fmt(pair)} unsubscribes/s (${fmt(r1.rps)} + ${fmt(r2.rps)}; non-2xx ${r1.non2xx + r2.non2xx})   ÷ one instance: ${ratio(pair, clicks.rps)}  (goal ≥ 1.6)`);
      const verified = await rt.core.store.ledger.verify();
      print(`    ledger after the load: ${verified.ok ? `intact, ${verified.rows} rows` : `BROKEN at ${verified.brokenAt}`}`);
      await Promise.all([one.stop(), two.stop()]);
    } finally {
      await raw.end();
      await rt.close();
      await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).catch(() => {});
      await admin.end();
      await server?.stop();
    }
  },
};

export default bench;
