import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey, revokeApiKey } from '../../src/core/api-keys.ts';
import { upsertContact } from '../../src/core/contacts.ts';
import { verifyLedger } from '../../src/core/ledger.ts';
import { linksFor } from '../../src/core/links.ts';
import { createTopic, setTopicRetired } from '../../src/core/topics.ts';
import { checkSuppressions } from '../../src/core/suppressions.ts';
import { createLogger } from '../../src/logger.ts';
import { openRuntime, type Runtime } from '../../src/runtime.ts';
import { testConfig } from '../../src/testing/index.ts';
import { startReceiver } from '../helpers/receiver.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Several optbox processes on one PostgreSQL behave as one service: they migrate once when
 * started together, keep one ledger chain, deliver each webhook event once, share rate limits,
 * see a revoked key, and serve each other's sessions. PostgreSQL only: SQLite is one process.
 */
const target = inject('optboxPg');

describe.skipIf(!target)('two instances on one PostgreSQL', () => {
  let url: string;
  let drop: () => Promise<void>;
  let a: RunningServer;
  let b: RunningServer;
  let rt: Runtime;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  const env = () => ({ DATABASE_URL: url, PUBLIC_URL: 'https://optbox.test', WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_POLL_MS: '100', API_RATE_LIMIT: '0.01', API_RATE_BURST: '20' });

  beforeAll(async () => {
    // An empty database (not the migrated template): the two instances race to migrate it.
    const name = `${target!.prefix}_multi_${randomBytes(4).toString('hex')}`;
    const admin = async (sql: string) => {
      const client = new pg.Client({ connectionString: target!.adminUrl });
      await client.connect();
      await client.query(sql).finally(() => client.end());
    };
    await admin(`CREATE DATABASE "${name}"`);
    const u = new URL(target!.adminUrl);
    u.pathname = `/${name}`;
    url = u.toString();
    drop = () => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    receiver = await startReceiver();
    [a, b] = await Promise.all([startServer(env()), startServer(env())]);
    rt = await openRuntime(testConfig({ databaseUrl: url, publicUrl: 'https://optbox.test' }), { logger: createLogger('silent') });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await rt?.close();
    await receiver?.close();
    await drop?.();
  });

  const api = (server: RunningServer, key: string, path: string, body?: unknown) =>
    fetch(server.url + path, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const oneClick = (server: RunningServer, path: string) =>
    fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });

  it('migrated once and made the secrets once: a link signed by one instance opens on the other', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const keys = await client.query('SELECT count(*)::int AS n FROM signing_keys');
      const peppers = await client.query("SELECT count(*)::int AS n FROM settings WHERE key = 'pepper'");
      expect(keys.rows[0].n).toBe(1);
      expect(peppers.rows[0].n).toBe(1);
    } finally {
      await client.end();
    }
    const { contact } = await upsertContact(rt.core, { email: 'link@example.com', topics: ['newsletter'], source: 'api' });
    const path = new URL(linksFor(rt.core, { contactId: contact.id, topic: 'newsletter' }).unsubscribeUrl).pathname;
    expect((await fetch(a.url + path)).status).toBe(200);
    expect((await fetch(b.url + path)).status).toBe(200);
  });

  it('concurrent one-clicks and API writes on both keep one ledger chain, and each webhook event is delivered once', async () => {
    const key = (await createApiKey(rt.core, { name: 'writer' })).key;
    const hook = await api(a, key, '/api/v1/webhooks', { url: receiver.url, events: ['suppression.created'] });
    expect(hook.status).toBe(201);
    const people = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const { contact } = await upsertContact(rt.core, { email: `multi${i}@example.com`, topics: ['newsletter'], source: 'api' });
        return new URL(linksFor(rt.core, { contactId: contact.id, topic: 'newsletter' }).unsubscribeUrl).pathname;
      }),
    );
    const clicks = people.map((path, i) => oneClick(i % 2 ? a : b, path).then((r) => r.status));
    const adds = Array.from({ length: 10 }, (_, i) => api(i % 2 ? b : a, key, '/api/v1/suppressions', { suppressions: [{ email: `api${i}@example.com` }] }).then((r) => r.status));
    expect(await Promise.all(clicks)).toEqual(people.map(() => 200));
    expect(await Promise.all(adds)).toEqual(adds.map(() => 200));

    expect(await verifyLedger(rt.core)).toMatchObject({ ok: true });
    // 40 one-clicks (a global or topic suppression each, depending on the link) and 10 API adds.
    const expected = 50;
    const deadline = Date.now() + 20_000;
    const ids = () => receiver.received.map((r) => String(r.headers['webhook-id']));
    while (new Set(ids()).size < expected && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500)); // room for a second delivery, if there were one
    expect(new Set(ids()).size).toBe(expected);
    expect(ids().length).toBe(expected);
  }, 60_000);

  it('shares the API rate limit: a burst of 20 is 20 across both instances, not 40', async () => {
    const key = (await createApiKey(rt.core, { name: 'limited' })).key;
    const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => api(i % 2 ? a : b, key, '/api/v1/suppressions/check', { emails: ['x@example.com'] }).then((r) => r.status)));
    const ok = statuses.filter((s) => s === 200).length;
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0);
    // 20 at once; the bucket refills one token per 100 s, so load on the machine cannot blur it.
    expect(ok).toBeGreaterThanOrEqual(20);
    expect(ok).toBeLessThanOrEqual(21);
  });

  it('a key revoked through one instance is refused by every instance within a second', async () => {
    const created = await createApiKey(rt.core, { name: 'soon revoked' });
    // A key made elsewhere works on every instance at once (an unknown key is looked up).
    expect((await api(a, created.key, '/api/v1/suppressions/check', { emails: ['y@example.com'] })).status).toBe(200);
    expect((await api(b, created.key, '/api/v1/suppressions/check', { emails: ['y@example.com'] })).status).toBe(200);
    await revokeApiKey(rt.core, created.id);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await api(a, created.key, '/api/v1/suppressions/check', { emails: ['y@example.com'] })).status).toBe(401);
    expect((await api(b, created.key, '/api/v1/suppressions/check', { emails: ['y@example.com'] })).status).toBe(401);
  });

  it('a topic retired through one instance is refused by every instance within a second', async () => {
    const { key } = await createApiKey(rt.core, { name: 'topics' });
    await createTopic(rt.core, { id: 'multi-topic', nameNl: 'Multi', nameEn: 'Multi', defaultStatus: 'opt-in' });
    // Both instances have the topic cached (a new one is seen through the version poll too).
    await new Promise((r) => setTimeout(r, 1000));
    expect((await api(a, key, '/api/v1/contacts', { email: 'multi-a@example.com', topics: ['multi-topic'] })).status).toBeLessThan(300);
    expect((await api(b, key, '/api/v1/contacts', { email: 'multi-b@example.com', topics: ['multi-topic'] })).status).toBeLessThan(300);
    await setTopicRetired(rt.core, { id: 'multi-topic', retired: true, operatorId: 'op_test' });
    await new Promise((r) => setTimeout(r, 1000));
    expect((await api(a, key, '/api/v1/contacts', { email: 'multi-c@example.com', topics: ['multi-topic'] })).status).toBe(400);
    expect((await api(b, key, '/api/v1/contacts', { email: 'multi-d@example.com', topics: ['multi-topic'] })).status).toBe(400);
  });

  it('a session opened on one instance works on the other', async () => {
    const { contact } = await upsertContact(rt.core, { email: 'session@example.com', topics: ['newsletter'], source: 'api' });
    const prefs = new URL(linksFor(rt.core, { contactId: contact.id, topic: 'newsletter' }).preferencesUrl).pathname;
    const opened = await fetch(a.url + prefs, { redirect: 'manual' });
    const cookie = opened.headers.get('set-cookie')!.split(';')[0]!;
    const page = await fetch(b.url + '/preferences', { headers: { cookie, 'accept-language': 'en' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('se•••••@example.com'); // the page masks the address it shows
  });

  it('kill -9 of one instance under one-click load loses no acknowledged unsubscribe, and the other keeps answering', async () => {
    const people = await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        const email = `crash${i}@example.com`;
        const { contact } = await upsertContact(rt.core, { email, topics: ['newsletter'], source: 'api' });
        return { email, path: new URL(linksFor(rt.core, { contactId: contact.id, topic: 'newsletter' }).unsubscribeUrl).pathname };
      }),
    );
    const acknowledged: string[] = [];
    const onB: number[] = [];
    const sent = people.map(async ({ email, path }, i) => {
      const server = i % 2 ? a : b;
      try {
        const res = await oneClick(server, path);
        if (res.status === 200) acknowledged.push(email);
        if (server === b) onB.push(res.status);
      } catch {
        // the connection to the killed instance was cut: not acknowledged
      }
    });
    setTimeout(() => void a.kill(), 30);
    await Promise.all(sent);
    expect(onB).toEqual(people.filter((_, i) => i % 2 === 0).map(() => 200));
    const results = await checkSuppressions(rt.core, { emails: acknowledged, topic: 'newsletter' });
    expect(results.filter((r) => !r.suppressed).map((r) => r.email)).toEqual([]);
    expect(await verifyLedger(rt.core)).toMatchObject({ ok: true });
  }, 60_000);
});
