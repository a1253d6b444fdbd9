import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

const add = (suppressions: unknown[]) => t.api('/api/v1/suppressions', { body: { suppressions } });

describe('bulk add', () => {
  it('adds each item on its own and answers per item, in order', async () => {
    const res = await add([{ email: 'Ann@Example.com', reason: 'bounce' }, { email: 'bob@example.com', scope: 'newsletter' }, { email: 'ann@example.com', reason: 'bounce' }]);
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ created: 2, existing: 1, failed: 0 });
    expect(body.results.map((r: { status: string }) => r.status)).toEqual(['created', 'created', 'exists']);
    expect(await t.check('ann@example.com')).toMatchObject({ suppressed: true, reason: 'bounce', scope: '*' });
    expect(await t.check('bob@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'manual' });
    expect(await t.check('bob@example.com', 'marketing')).toMatchObject({ suppressed: false });
  });

  it('writes a suppress event per new suppression, with source api and the key name', async () => {
    await add([{ email: 'cas@example.com', reason: 'complaint' }]);
    const { contact } = await t.linkFor('dee@example.com', 'newsletter');
    await add([{ email: 'dee@example.com' }]);
    const events = await t.core.store.ledger.forContact(contact.id);
    expect(events.at(-1)).toMatchObject({ action: 'suppress', topic: '*', source: 'api', actor: 'apikey:test' });
    expect(await t.core.store.ledger.verify()).toMatchObject({ ok: true });
  });

  it('accepts 10,000 items in one request', async () => {
    const items = Array.from({ length: 10_000 }, (_, i) => ({ email: `user${i}@bulk.example`, reason: 'bounce' }));
    const res = await add(items);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ created: 10_000, failed: 0 });
    expect(await t.check('user9999@bulk.example')).toMatchObject({ suppressed: true });
  });
});

describe('get one address', () => {
  it('lists what stands for the address, global first; lapsed soft bounces are left out', async () => {
    await add([
      { email: 'eve@example.com', scope: 'newsletter' },
      { email: 'eve@example.com', reason: 'bounce' },
      { email: 'fay@example.com', reason: 'bounce', expiresAt: new Date(t.clock.now() + 60_000).toISOString() },
    ]);
    const res = await t.api('/api/v1/suppressions/EVE@example.com');
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ email: 'eve@example.com', suppressed: true, suppressions: [{ scope: '*', reason: 'bounce' }, { scope: 'newsletter', reason: 'manual' }] });
    t.clock.advance(120_000);
    expect(await (await t.api('/api/v1/suppressions/fay@example.com')).json()).toMatchObject({ suppressed: false, suppressions: [] });
  });
});

describe('remove', () => {
  it('removes a manual suppression and records unsuppress', async () => {
    await add([{ email: 'gus@example.com' }]);
    const res = await t.api('/api/v1/suppressions/gus@example.com', { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ removed: 1 });
    expect(await t.check('gus@example.com')).toMatchObject({ suppressed: false });
  });

  it('removes a complaint only with override=true', async () => {
    await add([{ email: 'hal@example.com', reason: 'complaint' }]);
    expect((await t.api('/api/v1/suppressions/hal@example.com', { method: 'DELETE' })).status).toBe(409);
    expect(await t.check('hal@example.com')).toMatchObject({ suppressed: true });
    expect((await t.api('/api/v1/suppressions/hal@example.com?override=true', { method: 'DELETE' })).status).toBe(200);
    expect(await t.check('hal@example.com')).toMatchObject({ suppressed: false });
  });

  it('removes a topic suppression by scope', async () => {
    await add([{ email: 'ida@example.com', scope: 'marketing' }]);
    expect((await t.api('/api/v1/suppressions/ida@example.com?scope=marketing', { method: 'DELETE' })).status).toBe(200);
    expect(await t.check('ida@example.com', 'marketing')).toMatchObject({ suppressed: false });
  });
});

describe('list and sync', () => {
  type Change = { key: string; email: string | null; scope: string; reason: string; deleted: boolean };
  async function follow(cursor: string | undefined, query = ''): Promise<{ changes: Change[]; cursor: string }> {
    const changes: Change[] = [];
    for (;;) {
      const res = await t.api(`/api/v1/suppressions?limit=3${query}${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      const page = await json(res);
      changes.push(...page.data);
      cursor = page.nextCursor;
      if (!page.hasMore) return { changes, cursor: cursor! };
    }
  }
  const apply = (mirror: Map<string, Change>, changes: Change[]) => {
    for (const c of changes) {
      if (c.deleted) mirror.delete(`${c.key}|${c.scope}`);
      else mirror.set(`${c.key}|${c.scope}`, c);
    }
  };
  /** The truth, read from the suppressions table itself rather than the change log. */
  async function serverList() {
    const rows = await t.core.store.suppressions.exportPage(0, 1_000_000, {});
    return rows.map(([, email, scope, reason]) => `${email}|${scope}|${reason}`).sort();
  }
  const mirrorList = (mirror: Map<string, Change>) => [...mirror.values()].map((c) => `${c.email}|${c.scope}|${c.reason}`).sort();

  it('a client following cursors through adds, removes and re-adds ends with exactly the server list', async () => {
    const mirror = new Map<string, Change>();
    await add(['a', 'b', 'c', 'd', 'e'].map((n) => ({ email: `${n}@sync.example` })));
    let { changes, cursor } = await follow(undefined);
    expect(changes).toHaveLength(5);
    apply(mirror, changes);

    // Remove two, re-add one of them with another reason, add two more, remove a new one.
    await t.api('/api/v1/suppressions/b@sync.example', { method: 'DELETE' });
    await t.api('/api/v1/suppressions/c@sync.example', { method: 'DELETE' });
    await add([{ email: 'b@sync.example', reason: 'bounce' }, { email: 'f@sync.example' }, { email: 'g@sync.example', scope: 'newsletter' }]);
    await t.api('/api/v1/suppressions/f@sync.example', { method: 'DELETE' });
    t.clock.advance(1000);

    ({ changes, cursor } = await follow(cursor));
    expect(changes.filter((c) => c.deleted).map((c) => c.email).sort()).toEqual(['c@sync.example', 'f@sync.example']);
    apply(mirror, changes);
    expect(mirrorList(mirror)).toEqual(await serverList());
    expect(mirrorList(mirror)).toEqual(['a@sync.example|*|manual', 'b@sync.example|*|bounce', 'd@sync.example|*|manual', 'e@sync.example|*|manual', 'g@sync.example|newsletter|manual']);

    // Nothing changed: an empty page and the same position.
    const again = await follow(cursor);
    expect(again.changes).toEqual([]);
    expect(again.cursor).toBe(cursor);

    // Changes through other doors (one-click unsubscribe) come through the same feed.
    const link = await t.linkFor('h@sync.example', 'newsletter');
    await t.app.request(link.path, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) });
    ({ changes, cursor } = await follow(cursor));
    expect(changes).toMatchObject([{ email: 'h@sync.example', scope: 'newsletter', reason: 'unsubscribe', deleted: false }]);
    apply(mirror, changes);
    expect(mirrorList(mirror)).toEqual(await serverList());
  });

  it('filters by topic (its own and global), reason and since', async () => {
    await add([{ email: 'x@f.example', scope: 'newsletter' }, { email: 'y@f.example', scope: 'marketing' }, { email: 'z@f.example', reason: 'bounce' }]);
    t.clock.advance(60_000);
    await add([{ email: 'w@f.example', reason: 'bounce' }]);
    const emails = async (q: string) => ((await json(t.api(`/api/v1/suppressions?${q}`))).data as Change[]).map((c) => c.email).sort();
    expect(await emails('topic=newsletter')).toEqual(['w@f.example', 'x@f.example', 'z@f.example']);
    expect(await emails('scope=marketing')).toEqual(['y@f.example']);
    expect(await emails('reason=bounce')).toEqual(['w@f.example', 'z@f.example']);
    expect(await emails(`since=${encodeURIComponent(new Date(t.clock.now()).toISOString())}`)).toEqual(['w@f.example']);
  });
});

describe('export', () => {
  it('streams CSV with a header and one line per suppression', async () => {
    await add([{ email: 'ann@example.com', reason: 'bounce' }, { email: 'bob@example.com', scope: 'newsletter' }]);
    const res = await t.api('/api/v1/suppressions/export?format=csv');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await res.text()).trimEnd().split('\r\n');
    expect(lines[0]).toBe('email,scope,reason,source,created_at,expires_at');
    expect(lines.slice(1)).toEqual(['ann@example.com,*,bounce,api,2026-11-28T09:00:00.000Z,', 'bob@example.com,newsletter,manual,api,2026-11-28T09:00:00.000Z,']);
  });

  it('streams NDJSON across many pages, every row once', async () => {
    const n = 12_345;
    for (let i = 0; i < n; i += 5000) await add(Array.from({ length: Math.min(5000, n - i) }, (_, j) => ({ email: `u${i + j}@exp.example` })));
    const res = await t.api('/api/v1/suppressions/export?format=ndjson');
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const rows = (await res.text()).trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(rows).toHaveLength(n);
    expect(new Set(rows.map((r) => r.email)).size).toBe(n);
    expect(rows[0]).toEqual({ email: 'u0@exp.example', scope: '*', reason: 'manual', source: 'api', createdAt: '2026-11-28T09:00:00.000Z', expiresAt: null });

    // A long export does not hold up other requests: they are answered between its pages.
    const order: string[] = [];
    const exporting = Promise.resolve(t.api('/api/v1/suppressions/export?format=csv')).then(async (r) => {
      await r.text();
      order.push('export');
    });
    await new Promise((resolve) => setImmediate(resolve));
    const health = Promise.resolve(t.app.request('/healthz')).then(() => order.push('healthz'));
    await Promise.all([exporting, health]);
    expect(order).toEqual(['healthz', 'export']);
  });

  it('keeps a spreadsheet from running a cell as a formula', async () => {
    await add([{ email: '=cmd@example.com' }]);
    const text = await (await t.api('/api/v1/suppressions/export')).text();
    expect(text).toContain("\r\n'=cmd@example.com,*,manual");
  });
});

describe('check (foundation) still answers', () => {
  it('reports a bulk-added suppression', async () => {
    await add([{ email: 'ann@example.com', scope: 'newsletter' }]);
    const res = await t.api('/api/v1/suppressions/check', { body: { emails: ['ann@example.com'], topic: 'newsletter' } });
    expect(await res.json()).toEqual({ results: [{ email: 'ann@example.com', suppressed: true, reason: 'manual', scope: 'newsletter' }] });
  });
});
