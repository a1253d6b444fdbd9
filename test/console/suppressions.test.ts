import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suppress } from '../../src/core/suppressions.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { consoleGet, consolePost, ORIGIN, signedInOperator } from '../helpers/console.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInOperator>>;
let privacy: Awaited<ReturnType<typeof signedInOperator>>;

beforeAll(async () => {
  t = await makeTestApp();
  admin = await signedInOperator(t, 'admin');
  privacy = await signedInOperator(t, 'privacy');
});
afterAll(() => t.close());

function upload(csv: string, cookie: string, csrf: string, name = 'list.csv') {
  const body = new FormData();
  body.set('_csrf', csrf);
  body.set('file', new File([csv], name, { type: 'text/csv' }));
  return t.app.request('/admin/suppressions/import', { method: 'POST', body, headers: { cookie, origin: ORIGIN } });
}

async function finished(location: string) {
  for (let i = 0; i < 200; i++) {
    const html = await (await consoleGet(t, location, admin.cookie)).text();
    if (!html.includes('http-equiv="refresh"')) return html;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('import did not finish');
}

describe('suppression list', () => {
  it('browses newest first, filters by reason and scope, pages by id', async () => {
    for (let i = 0; i < 60; i++) await suppress(t.core, { email: `p${i}@example.com`, reason: i % 2 ? 'bounce' : 'manual', scope: i % 3 ? '*' : 'newsletter', source: 'api' });
    const first = await (await consoleGet(t, '/admin/suppressions', privacy.cookie)).text();
    expect(first.indexOf('p59@example.com')).toBeLessThan(first.indexOf('p58@example.com'));
    const next = /href="([^"]+)" rel="next"/.exec(first)![1]!.replace(/&amp;/g, '&');
    const second = await (await consoleGet(t, next, privacy.cookie)).text();
    expect(second).toContain('p0@example.com');
    expect(second).not.toContain('p59@example.com');
    const bounces = await (await consoleGet(t, '/admin/suppressions?reason=bounce&scope=newsletter', privacy.cookie)).text();
    const shown = [...bounces.matchAll(/<td class="break">(p\d+)@example\.com<\/td>/g)].map((m) => Number(m[1]!.slice(1)));
    expect(shown.length).toBe(10);
    for (const n of shown) expect(n % 2 === 1 && n % 3 === 0).toBe(true);
    // A privacy officer reads the list but does not see the admin's forms.
    expect(first).not.toContain('action="/admin/suppressions/add"');
  });

  it('adds and removes with a reason; a complaint only with override', async () => {
    const add = (fields: Record<string, string>) => consolePost(t, '/admin/suppressions/add', admin.cookie, { _csrf: admin.csrf, ...fields });
    expect((await add({ email: 'q@example.com', scope: '*', reason: 'complaint' })).status).toBe(400);
    expect((await add({ email: 'q@example.com', scope: '*', reason: 'complaint', note: 'called us' })).status).toBe(303);
    expect(await t.check('q@example.com')).toMatchObject({ suppressed: true, reason: 'complaint' });
    const remove = (fields: Record<string, string>) => consolePost(t, '/admin/suppressions/remove', admin.cookie, { _csrf: admin.csrf, email: 'q@example.com', scope: '*', ...fields });
    expect((await remove({ note: 'asked' })).status).toBe(409);
    expect((await remove({ note: 'asked in writing', override: '1' })).status).toBe(303);
    expect(await t.check('q@example.com')).toMatchObject({ suppressed: false });
  });

  it('exports the list as CSV, the same as the API export', async () => {
    const res = await consoleGet(t, '/admin/suppressions/export?format=csv&reason=bounce', privacy.cookie);
    expect(res.status).toBe(200);
    const csv = await res.text();
    const api = await (await t.api('/api/v1/suppressions/export?format=csv&reason=bounce')).text();
    expect(csv).toBe(api);
    expect(csv.split('\r\n')[0]).toBe('email,scope,reason,source,created_at,expires_at');
  });
});

describe('CSV import', () => {
  const csv = [
    'email,scope,reason,expires_at',
    'new1@example.com,*,bounce,',
    'NEW2@Example.com , newsletter , unsubscribe ,',
    'not-an-address,*,manual,',
    'new3@example.com,no-such-topic,manual,',
    'new4@example.com,*,erasure,',
    'new5@example.com,*,bounce,yesterday',
    '"new6@example.com",*,,',
    '',
  ].join('\r\n');

  it('imports the good rows, reports each bad row by line and column, and a re-upload changes nothing', async () => {
    const res = await upload(csv, admin.cookie, admin.csrf);
    expect(res.status).toBe(303);
    const html = await finished(res.headers.get('location')!);
    expect(html).toContain('Import finished.');
    expect(html).toMatch(/<span class="kpi">7<\/span> rows read/);
    expect(html).toMatch(/<span class="kpi">3<\/span> added/);
    expect(html).toMatch(/<span class="kpi">4<\/span> rows with errors/);
    for (const [line, col] of [[4, 'email'], [5, 'scope'], [6, 'reason'], [7, 'expires_at']] as const) expect(html).toContain(`<td class="num">${line}</td><td>${col}</td>`);
    expect(await t.check('new2@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });
    expect(await t.check('new6@example.com')).toMatchObject({ suppressed: true, reason: 'manual' });
    const ledgerBefore = (await t.core.store.ledger.verify()).rows;

    const again = await upload(csv, admin.cookie, admin.csrf);
    const html2 = await finished(again.headers.get('location')!);
    expect(html2).toMatch(/<span class="kpi">0<\/span> added/);
    expect(html2).toMatch(/<span class="kpi">3<\/span> already on the list/);
    expect((await t.core.store.ledger.verify()).rows).toBe(ledgerBefore);
  });

  it('a file without an email column fails with a message; an upload without the form token is refused', async () => {
    const res = await upload('address\r\nx@example.com\r\n', admin.cookie, admin.csrf);
    expect(await finished(res.headers.get('location')!)).toContain('Import failed: the first line must name the columns');
    expect((await upload(csv, admin.cookie, 'forged')).status).toBe(403);
    expect((await upload(csv, privacy.cookie, privacy.csrf)).status).toBe(403);
  });
});
