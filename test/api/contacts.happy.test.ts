import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

const create = (body: unknown) => t.api('/api/v1/contacts', { body });

describe('create / upsert with consent proof', () => {
  it('creates a contact subscribed to topics, 201, and writes the proof to the ledger', async () => {
    const res = await create({
      email: ' Ann@Example.COM ',
      locale: 'en',
      externalId: 'crm-1',
      topics: ['newsletter', 'marketing'],
      consent: { via: 'signup-form', policyVersion: '1.9', at: '2026-11-27T12:00:00Z', ip: '203.0.113.7', userAgent: 'Mozilla/5.0', text: 'Yes, send me the newsletter.' },
    });
    expect(res.status).toBe(201);
    const body = await json(res);
    expect(body).toMatchObject({ created: true, subscribed: ['newsletter', 'marketing'], contact: { email: 'ann@example.com', externalId: 'crm-1', locale: 'en', status: 'active', noProfiling: false, pausedUntil: null } });
    expect(body.contact.topics).toEqual({ newsletter: 'subscribed', marketing: 'subscribed', updates: 'subscribed' });
    const events = await t.core.store.ledger.forContact(body.contact.id);
    expect(events).toHaveLength(2);
    expect(events[0]).toMatchObject({ action: 'subscribe', topic: 'newsletter', source: 'api', actor: 'apikey:test', policyVersion: '1.9' });
    expect(events[0]!.consentTextId).toMatch(/^ct_/);
    expect(events[0]!.ipHash).toBeTruthy();
    expect(JSON.parse(events[0]!.detail!)).toEqual({ via: 'signup-form', consentedAt: '2026-11-27T12:00:00.000Z' });
    // Evidence is hashed: the IP itself is nowhere in the row.
    expect(JSON.stringify(events[0])).not.toContain('203.0.113');
  });

  it('upserts by address: 200, adds new topics only, keeps the id', async () => {
    const first = await json(create({ email: 'bob@example.com', topics: ['newsletter'] }));
    const res = await create({ email: 'BOB@example.com', topics: ['newsletter', 'marketing'], locale: 'en' });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ created: false, subscribed: ['marketing'], contact: { id: first.contact.id, locale: 'en' } });
  });

  it('does not lift a suppression when a later import subscribes the address', async () => {
    await t.api('/api/v1/suppressions', { body: { suppressions: [{ email: 'cas@example.com', reason: 'complaint' }] } });
    await create({ email: 'cas@example.com', topics: ['newsletter'] });
    expect(await t.check('cas@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'complaint' });
  });
});

describe('read', () => {
  it('gets by id, by address and by external id', async () => {
    const { contact } = await json(create({ email: 'dee@example.com', externalId: 'crm-9' }));
    expect(await json(t.api(`/api/v1/contacts/${contact.id}`))).toMatchObject({ id: contact.id, email: 'dee@example.com' });
    expect((await json(t.api('/api/v1/contacts?email=DEE@example.com'))).data).toMatchObject([{ id: contact.id }]);
    expect((await json(t.api('/api/v1/contacts?externalId=crm-9'))).data).toMatchObject([{ id: contact.id }]);
    expect((await json(t.api('/api/v1/contacts?email=nobody@example.com'))).data).toEqual([]);
  });

  it('lists with a cursor, every contact exactly once (creation time, then id)', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push((await json(create({ email: `p${i}@example.com` }))).contact.id);
      if (i % 3 === 0) t.clock.advance(1000);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { data: Array<{ id: string }>; nextCursor: string | null } = await json(t.api(`/api/v1/contacts?limit=3${cursor ? `&cursor=${cursor}` : ''}`));
      seen.push(...page.data.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(ids.length);
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(seen[0]).toBe(ids[0]); // the only one created in the first second
  });
});

describe('update', () => {
  it('unsubscribes a topic (suppressing it) and subscribes another, with ledger rows', async () => {
    const { contact } = await json(create({ email: 'eve@example.com', topics: ['newsletter'] }));
    const res = await t.api(`/api/v1/contacts/${contact.id}`, { method: 'PATCH', body: { topics: { newsletter: false, marketing: true } } });
    expect(res.status).toBe(200);
    expect((await json(res)).topics).toMatchObject({ newsletter: 'unsubscribed', marketing: 'subscribed' });
    expect(await t.check('eve@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });
    const actions = (await t.core.store.ledger.forContact(contact.id)).map((e) => `${e.action}:${e.topic}:${e.source}`);
    expect(actions).toEqual(['subscribe:newsletter:api', 'subscribe:marketing:api', 'unsubscribe:newsletter:api']);
  });

  it('sets and lifts the restriction and objection flags, each on the record', async () => {
    const { contact } = await json(create({ email: 'fay@example.com' }));
    const until = new Date(t.clock.now() + 30 * 86_400_000).toISOString();
    const res = await t.api(`/api/v1/contacts/${contact.id}`, { method: 'PATCH', body: { pausedUntil: until, noProfiling: true, locale: 'en' } });
    expect(await json(res)).toMatchObject({ pausedUntil: until, noProfiling: true, locale: 'en' });
    await t.api(`/api/v1/contacts/${contact.id}`, { method: 'PATCH', body: { pausedUntil: null } });
    const events = await t.core.store.ledger.forContact(contact.id);
    expect(events.map((e) => e.action)).toEqual(['restrict', 'object', 'restrict']);
    expect(JSON.parse(events[2]!.detail!)).toEqual({ pausedUntil: null });
    // The same PATCH again changes nothing and writes nothing.
    await t.api(`/api/v1/contacts/${contact.id}`, { method: 'PATCH', body: { noProfiling: true } });
    expect(await t.core.store.ledger.forContact(contact.id)).toHaveLength(3);
  });
});

describe('erase (GDPR art. 17)', () => {
  it('deletes personal data, keeps a hashed global suppression, and a later import stays suppressed', async () => {
    const { contact } = await json(create({ email: 'gus@example.com', externalId: 'crm-gus', topics: ['newsletter'] }));
    await t.api('/api/v1/suppressions', { body: { suppressions: [{ email: 'gus@example.com', scope: 'marketing' }] } });
    const res = await t.api(`/api/v1/contacts/${contact.id}`, { method: 'DELETE' });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ id: contact.id, status: 'erased', erased: true });

    const after = await json(t.api(`/api/v1/contacts/${contact.id}`));
    expect(after).toMatchObject({ email: null, externalId: null, status: 'erased', topics: {} });
    expect(await t.core.store.contacts.subscriptions(contact.id)).toEqual([]);
    // No suppression keeps the address in the clear; the global one is an erasure.
    const rows = await t.core.store.suppressions.exportPage(0, 100, {});
    expect(rows.map(([, email, scope, reason]) => [email, scope, reason])).toEqual([
      [null, 'marketing', 'manual'],
      [null, '*', 'erasure'],
    ]);
    expect((await json(t.api('/api/v1/suppressions'))).data.every((c: { email: string | null }) => c.email === null)).toBe(true);
    expect((await t.core.store.ledger.forContact(contact.id)).at(-1)).toMatchObject({ action: 'erase', source: 'api' });
    expect(await t.core.store.ledger.verify()).toMatchObject({ ok: true });

    // A later import of the same address makes a new contact, still never mailed.
    const again = await create({ email: 'GUS@example.com', topics: ['newsletter'] });
    expect(again.status).toBe(201);
    expect(await t.check('gus@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'erasure', scope: '*' });
  });

  it('is idempotent', async () => {
    const { contact } = await json(create({ email: 'hal@example.com' }));
    await t.api(`/api/v1/contacts/${contact.id}`, { method: 'DELETE' });
    expect(await json(t.api(`/api/v1/contacts/${contact.id}`, { method: 'DELETE' }))).toMatchObject({ erased: false });
  });
});
