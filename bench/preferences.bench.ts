import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { testConfig } from '../src/testing/index.ts';
import { upsertContact } from '../src/core/contacts.ts';
import { preferencesUrlFor } from '../src/core/links.ts';
import { createLogger } from '../src/logger.ts';
import { openRuntime } from '../src/runtime.ts';
import { fmt, print, ratio, type Bench } from './lib.ts';
import { buildOptbox, load, startBenchServer } from './servers.ts';

/**
 * `/preferences` page renders per second for a signed-in contact (session cookie
 * validated by lucia, contact, topics and suppressions read, the page rendered with hono/jsx)
 * against the bare Hono hello route, each the real server in its own process, same autocannon
 * load. Target ratio ≥ 0.3.
 */
const DIR = '.bench';

const bench: Bench = {
  name: 'preference center page',
  async run() {
    mkdirSync(DIR, { recursive: true });
    const dbPath = join(DIR, 'preferences.db');
    for (const suffix of ['', '-wal', '-shm']) rmSync(dbPath + suffix, { force: true });
    // A contact with a few topics and an unsubscribe, so the page has something to show.
    const rt = await openRuntime(testConfig({ databasePath: dbPath, logLevel: 'silent' }), { logger: createLogger('silent') });
    const { contact } = await upsertContact(rt.core, { email: 'bench@example.com', topics: ['newsletter', 'marketing'], locale: 'en', source: 'api' });
    const prefsPath = new URL(preferencesUrlFor(rt.core, contact.id)).pathname;
    rt.close();

    const hello = await startBenchServer('bench/hello-server.mjs');
    const helloRps = (await load({ url: `${hello.url}/hello` })).rps;
    await hello.stop();

    const server = await startBenchServer(buildOptbox(), { DATABASE_PATH: dbPath, LOG_LEVEL: 'info', MAIL_OUTBOX_DIR: join(DIR, 'outbox') });
    try {
      const opened = await fetch(server.url + prefsPath, { redirect: 'manual' });
      const cookie = opened.headers.get('set-cookie')?.split(';')[0];
      if (opened.status !== 303 || !cookie) throw new Error(`/p/ did not open a session (${opened.status})`);
      const check = await fetch(`${server.url}/preferences`, { headers: { cookie }, redirect: 'manual' });
      if (check.status !== 200 || !(await check.text()).includes('Your email preferences')) throw new Error('/preferences did not render for the session');
      const page = await load({ url: `${server.url}/preferences`, headers: { cookie } });
      print(`/preferences signed in:  ${fmt(page.rps)} req/s   bare hello: ${fmt(helloRps)} req/s   ratio ${ratio(page.rps, helloRps)}  (target ≥ 0.3; errors ${page.errors}, non-2xx ${page.non2xx})`);
      // For reading the figure: the same server's floor, a route that does nothing but pass the
      // app's shared middleware (request log, security headers) — no page can be faster.
      const floor = await load({ url: `${server.url}/healthz` });
      print(`  same server, /healthz:  ${fmt(floor.rps)} req/s   ratio to hello ${ratio(floor.rps, helloRps)}   /preferences to /healthz ${ratio(page.rps, floor.rps)}`);
    } finally {
      await server.stop();
    }
  },
};

export default bench;
