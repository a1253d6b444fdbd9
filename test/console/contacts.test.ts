import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertContact } from '../../src/core/contacts.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { consoleGet, consolePost, signedInOperator } from '../helpers/console.ts';

let t: TestApp;
let privacy: Awaited<ReturnType<typeof signedInOperator>>;
let viewer: Awaited<ReturnType<typeof signedInOperator>>;

beforeAll(async () => {
  t = await makeTestApp();
  privacy = await signedInOperator(t, 'privacy', 'pia@ops.example');
  viewer = await signedInOperator(t, 'viewer');
});
afterAll(() => t.close());

async function contactPage(id: string, cookie = privacy.cookie) {
  const res = await consoleGet(t, `/admin/contacts/${id}`, cookie);
  return { res, html: await res.text() };
}

describe('search', () => {
  it('finds a contact by normalized address, external id or id, and goes straight to its page', async () => {
    const { contact } = await upsertContact(t.core, { email: 'ann@example.com', externalId: 'cust-77', topics: ['newsletter'], locale: 'en', source: 'api' });
    for (const q of ['  Ann@EXAMPLE.com ', 'cust-77', contact.id]) {
      const res = await consoleGet(t, `/admin/contacts?q=${encodeURIComponent(q)}`, viewer.cookie);
      expect(res.status, q).toBe(303);
      expect(res.headers.get('location')).toBe(`/admin/contacts/${contact.id}`);
    }
    const none = await consoleGet(t, '/admin/contacts?q=nobody%40example.com', viewer.cookie);
    expect(none.status).toBe(200);
    expect(await none.text()).toContain('No contact found');
    const bad = await consoleGet(t, '/admin/contacts?q=%40%40', viewer.cookie);
    expect(bad.status).toBe(400);
  });
});

describe('a contact’s page and actions', () => {
  it('shows topics, flags and the ledger as a timeline with source, actor and policy version', async () => {
    const link = await t.linkFor('bob@example.com', 'newsletter', { campaign: 'spring-sale' });
    await t.app.request(link.path, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const { res, html } = await contactPage(link.contact.id);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(html).toContain('Unsubscribed');
    expect(html).toContain('one-click');
    expect(html).toContain('campaign spring-sale');
    expect(html).toContain('policy 2.0');
  });

  it('changes topics and pause with source admin and the operator as actor', async () => {
    const { contact } = await upsertContact(t.core, { email: 'cas@example.com', topics: ['newsletter'], locale: 'en', source: 'api' });
    const topics = await consolePost(t, `/admin/contacts/${contact.id}/topics`, privacy.cookie, { _csrf: privacy.csrf, shown: ['newsletter', 'marketing', 'updates'], topic: ['marketing', 'updates'] });
    expect(topics.status).toBe(303);
    const flags = await consolePost(t, `/admin/contacts/${contact.id}/flags`, privacy.cookie, { _csrf: privacy.csrf, pause: '30', noProfiling: '1' });
    expect(flags.status).toBe(303);
    const events = await t.core.store.ledger.forContact(contact.id);
    const mine = events.filter((e) => e.source === 'admin');
    expect(mine.map((e) => e.action).sort()).toEqual(['object', 'restrict', 'subscribe', 'unsubscribe']);
    for (const e of mine) expect(e.actor).toBe(`operator:${privacy.id}`);
    expect(await t.check('cas@example.com', 'newsletter')).toMatchObject({ suppressed: true });
    const { html } = await contactPage(contact.id);
    expect(html).toContain('by pia@ops.example');
  });

  it('suppress needs a reason; removing a complaint needs an explicit override', async () => {
    const { contact } = await upsertContact(t.core, { email: 'dee@example.com', topics: ['newsletter'], locale: 'en', source: 'api' });
    const base = `/admin/contacts/${contact.id}`;
    expect((await consolePost(t, `${base}/suppress`, privacy.cookie, { _csrf: privacy.csrf, scope: '*', reason: 'complaint' })).status).toBe(400);
    expect((await consolePost(t, `${base}/suppress`, privacy.cookie, { _csrf: privacy.csrf, scope: '*', reason: 'complaint', note: 'reported spam by phone' })).status).toBe(303);
    expect(await t.check('dee@example.com')).toMatchObject({ suppressed: true, reason: 'complaint' });
    expect((await consolePost(t, `${base}/unsuppress`, privacy.cookie, { _csrf: privacy.csrf, scope: '*' })).status).toBe(400);
    expect((await consolePost(t, `${base}/unsuppress`, privacy.cookie, { _csrf: privacy.csrf, scope: '*', note: 'asked again' })).status).toBe(409);
    expect(await t.check('dee@example.com')).toMatchObject({ suppressed: true });
    expect((await consolePost(t, `${base}/unsuppress`, privacy.cookie, { _csrf: privacy.csrf, scope: '*', note: 'asked again in writing', override: '1' })).status).toBe(303);
    expect(await t.check('dee@example.com')).toMatchObject({ suppressed: false });
    const audit = await t.core.store.operators.recentAudit(5);
    expect(audit[0]).toMatchObject({ action: 'suppression.remove', target: contact.id });
    expect(JSON.parse(audit[0]!.detail!)).toMatchObject({ note: 'asked again in writing', override: true });
  });

  it('exports the same JSON as the person’s own download, recorded as an export by the operator', async () => {
    const { contact } = await upsertContact(t.core, { email: 'eve@example.com', topics: ['newsletter'], locale: 'nl', source: 'api' });
    const res = await consolePost(t, `/admin/contacts/${contact.id}/export`, privacy.cookie, { _csrf: privacy.csrf });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('attachment');
    const data = (await res.json()) as { format: string; contact: { email: string } };
    expect(data.format).toBe('optbox-contact-export/1');
    expect(data.contact.email).toBe('eve@example.com');
    const exported = (await t.core.store.ledger.forContact(contact.id)).find((e) => e.action === 'export')!;
    expect(exported).toMatchObject({ source: 'admin', actor: `operator:${privacy.id}` });
  });

  it('erases: only the hashed suppression remains, and it holds on re-import', async () => {
    const { contact } = await upsertContact(t.core, { email: 'fay@example.com', topics: ['newsletter'], locale: 'en', source: 'api' });
    expect((await consolePost(t, `/admin/contacts/${contact.id}/erase`, privacy.cookie, { _csrf: privacy.csrf })).status).toBe(400);
    expect((await consolePost(t, `/admin/contacts/${contact.id}/erase`, privacy.cookie, { _csrf: privacy.csrf, confirm: 'yes' })).status).toBe(303);
    const { html } = await contactPage(contact.id);
    expect(html).toContain('Erased contact');
    expect(html).not.toContain('fay@example.com');
    expect(await t.check('fay@example.com')).toMatchObject({ suppressed: true, reason: 'erasure' });
    // Nothing left to export or change.
    expect((await consolePost(t, `/admin/contacts/${contact.id}/export`, privacy.cookie, { _csrf: privacy.csrf })).status).toBeLessThan(500);
    expect((await consolePost(t, `/admin/contacts/${contact.id}/flags`, privacy.cookie, { _csrf: privacy.csrf, pause: '30' })).status).toBe(409);
  });

  it('a viewer sees the page without any form that changes something', async () => {
    const { contact } = await upsertContact(t.core, { email: 'gus@example.com', topics: ['newsletter'], locale: 'en', source: 'api' });
    const { html } = await contactPage(contact.id, viewer.cookie);
    expect(html).toContain('gus@example.com');
    const actions = [...html.matchAll(/<form method="post" action="([^"]+)"/g)].map((m) => m[1]);
    expect(actions).toEqual(['/admin/logout']);
  });
});
