import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

describe('contacts: keys and scopes', () => {
  it('401 without a key on every contacts route', async () => {
    for (const [method, path] of [['GET', '/api/v1/contacts'], ['POST', '/api/v1/contacts'], ['GET', '/api/v1/contacts/x'], ['PATCH', '/api/v1/contacts/x'], ['DELETE', '/api/v1/contacts/x']] as const) {
      const res = await t.api(path, { method, key: null, body: method === 'GET' || method === 'DELETE' ? undefined : {} });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('contacts:read cannot create, change or erase; nothing changes', async () => {
    const { contact } = await json(t.api('/api/v1/contacts', { body: { email: 'ann@example.com', topics: ['newsletter'] } }));
    const reader = await t.keyWith(['contacts:read']);
    expect((await t.api(`/api/v1/contacts/${contact.id}`, { key: reader })).status).toBe(200);
    expect((await t.api('/api/v1/contacts', { key: reader, body: { email: 'bob@example.com' } })).status).toBe(403);
    expect((await t.api(`/api/v1/contacts/${contact.id}`, { key: reader, method: 'PATCH', body: { topics: { newsletter: false } } })).status).toBe(403);
    expect((await t.api(`/api/v1/contacts/${contact.id}`, { key: reader, method: 'DELETE' })).status).toBe(403);
    expect(await json(t.api(`/api/v1/contacts/${contact.id}`))).toMatchObject({ status: 'active', topics: { newsletter: 'subscribed' } });
  });

  it('a suppressions key cannot read contacts (personal data)', async () => {
    const key = await t.keyWith(['suppressions:read', 'suppressions:write']);
    expect((await t.api('/api/v1/contacts', { key })).status).toBe(403);
  });

  it('the ledger names the key that made the change, never the key itself', async () => {
    const key = await t.keyWith(['contacts:write', 'contacts:read'], 'crm-sync');
    const { contact } = await json(t.api('/api/v1/contacts', { key, body: { email: 'cas@example.com', topics: ['newsletter'] } }));
    const rows = await t.core.store.ledger.forContact(contact.id);
    expect(rows[0]!.actor).toBe('apikey:crm-sync');
    expect(JSON.stringify(rows)).not.toContain(key);
  });

  it('an erased contact reveals nothing personal through any read', async () => {
    const { contact } = await json(t.api('/api/v1/contacts', { body: { email: 'dee@example.com', externalId: 'crm-dee', topics: ['newsletter'] } }));
    await t.api(`/api/v1/contacts/${contact.id}`, { method: 'DELETE' });
    const everything = JSON.stringify([
      await json(t.api(`/api/v1/contacts/${contact.id}`)),
      await json(t.api('/api/v1/contacts')),
      await json(t.api('/api/v1/suppressions')),
      await (await t.api('/api/v1/suppressions/export?format=ndjson')).text(),
      await t.core.store.ledger.forContact(contact.id),
    ]);
    expect(everything).not.toContain('dee@example.com');
    expect(everything).not.toContain('crm-dee');
  });
});
