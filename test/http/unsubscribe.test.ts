import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { form, makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

describe('RFC 8058 one-click', () => {
  it('multipart/form-data POST suppresses only that topic and answers 200 without redirect', async () => {
    const link = await t.linkFor('ann@example.com', 'newsletter');
    const body = new FormData();
    body.set('List-Unsubscribe', 'One-Click');
    const res = await t.app.request(link.path, { method: 'POST', body });
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    expect(await t.check('ann@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'unsubscribe', scope: 'newsletter' });
    expect(await t.check('ann@example.com', 'marketing')).toMatchObject({ suppressed: false });
  });

  it('application/x-www-form-urlencoded POST works the same', async () => {
    const link = await t.linkFor('bob@example.com', 'marketing');
    const res = await t.app.request(link.path, form({ 'List-Unsubscribe': 'One-Click' }));
    expect(res.status).toBe(200);
    expect(await t.check('bob@example.com', 'marketing')).toMatchObject({ suppressed: true, scope: 'marketing' });
  });

  it('is idempotent: a second one-click succeeds and writes no second ledger row', async () => {
    const link = await t.linkFor('cas@example.com', 'newsletter');
    expect((await t.app.request(link.path, form({ 'List-Unsubscribe': 'One-Click' }))).status).toBe(200);
    const rows = (await t.core.store.ledger.forContact(link.contact.id)).length;
    expect((await t.app.request(link.path, form({ 'List-Unsubscribe': 'One-Click' }))).status).toBe(200);
    expect((await t.core.store.ledger.forContact(link.contact.id)).length).toBe(rows);
  });

  it('records source one-click and the campaign in the ledger', async () => {
    const link = await t.linkFor('dee@example.com', 'newsletter', { campaign: 'nov-2026' });
    await t.app.request(link.path, form({ 'List-Unsubscribe': 'One-Click' }));
    const events = await t.core.store.ledger.forContact(link.contact.id);
    expect(events.at(-1)).toMatchObject({ action: 'unsubscribe', topic: 'newsletter', source: 'one-click', campaign: 'nov-2026', policyVersion: '2.0' });
  });
});

describe('GET and HEAD change nothing', () => {
  it('shows the confirm page and leaves the address unsuppressed', async () => {
    const link = await t.linkFor('eve@example.com', 'newsletter');
    const res = await t.app.request(link.path, { headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('Unsubscribe from Newsletter?');
    expect(html).toContain(`action="${link.path}"`);
    expect((await t.app.request(link.path, { method: 'HEAD' })).status).toBe(200);
    expect(await t.check('eve@example.com', 'newsletter')).toMatchObject({ suppressed: false });
    expect(await t.core.store.ledger.forContact(link.contact.id)).toHaveLength(1); // only the subscribe
  });
});
