import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

const fieldsOf = async (res: Response) => (await json(res)).error.fields.map((f: { field: string }) => f.field);
const contactCount = async () => (await t.core.store.contacts.list({ limit: 1000 })).length;

describe('contacts: bad input changes nothing', () => {
  it.each([
    [{ email: 'not-an-address' }, 'email'],
    [{ email: 'a@example.com', topics: ['newsletter', 'nope'] }, 'topics[1]'],
    [{ email: 'a@example.com', locale: 'de' }, 'locale'],
    [{ email: 'a@example.com', consent: { ip: '999.1.1.1' } }, 'consent.ip'],
    [{ email: 'a@example.com', consent: { at: 'yesterday' } }, 'consent.at'],
    [{ email: 'a@example.com', consent: { at: '2099-01-01T00:00:00Z' } }, 'consent.at'],
    [{ email: 'a@example.com', shoeSize: 44 }, 'shoeSize'],
    [{ email: 'a@example.com', topics: [''] }, 'topics[0]'],
    [{ email: 'x'.repeat(250) + '@example.com' }, 'email'],
    [{}, 'email'],
  ])('create %j → 400 naming %s', async (body, field) => {
    const res = await t.api('/api/v1/contacts', { body });
    expect(res.status).toBe(400);
    expect(await fieldsOf(res)).toContain(field);
    expect(await contactCount()).toBe(0);
  });

  it('refuses an external id that belongs to another contact with 409, changing nothing', async () => {
    await t.api('/api/v1/contacts', { body: { email: 'a@example.com', externalId: 'crm-1' } });
    const res = await t.api('/api/v1/contacts', { body: { email: 'b@example.com', externalId: 'crm-1', topics: ['newsletter'] } });
    expect(res.status).toBe(409);
    expect(await fieldsOf(res)).toEqual(['externalId']);
    expect(await contactCount()).toBe(1);
  });

  it('PATCH: an unknown topic, a past pause or an unknown field is refused before anything is written', async () => {
    const { contact } = await json(t.api('/api/v1/contacts', { body: { email: 'c@example.com', topics: ['newsletter'] } }));
    const before = (await t.core.store.ledger.forContact(contact.id)).length;
    for (const [body, field] of [
      [{ topics: { newsletter: false, nope: true } }, 'topics.nope'],
      [{ pausedUntil: '2020-01-01T00:00:00Z', noProfiling: true }, 'pausedUntil'],
      [{ status: 'erased' }, 'status'],
      [{ topics: { '': true } }, 'topics[""]'],
      [{ topics: { 'a.b': true } }, 'topics["a.b"]'],
      [{ noProfiling: 'yes' }, 'noProfiling'],
    ] as const) {
      const res = await t.api(`/api/v1/contacts/${contact.id}`, { method: 'PATCH', body });
      expect(res.status).toBe(400);
      expect(await fieldsOf(res)).toContain(field);
    }
    expect(await t.core.store.ledger.forContact(contact.id)).toHaveLength(before);
    expect(await t.check('c@example.com', 'newsletter')).toMatchObject({ suppressed: false });
    expect(await json(t.api(`/api/v1/contacts/${contact.id}`))).toMatchObject({ noProfiling: false });
  });

  it('answers 404 for an unknown contact on get, patch and delete', async () => {
    expect((await t.api('/api/v1/contacts/nope')).status).toBe(404);
    expect((await t.api('/api/v1/contacts/nope', { method: 'PATCH', body: { locale: 'en' } })).status).toBe(404);
    expect((await t.api('/api/v1/contacts/nope', { method: 'DELETE' })).status).toBe(404);
  });

  it('answers 409 for changing an erased contact', async () => {
    const { contact } = await json(t.api('/api/v1/contacts', { body: { email: 'd@example.com' } }));
    await t.api(`/api/v1/contacts/${contact.id}`, { method: 'DELETE' });
    expect((await t.api(`/api/v1/contacts/${contact.id}`, { method: 'PATCH', body: { topics: { newsletter: true } } })).status).toBe(409);
  });

  it('refuses bad list queries', async () => {
    expect(await fieldsOf(await t.api('/api/v1/contacts?limit=501'))).toContain('limit');
    expect(await fieldsOf(await t.api('/api/v1/contacts?cursor=abc'))).toContain('cursor');
    expect(await fieldsOf(await t.api('/api/v1/contacts?email=nope'))).toContain('email');
  });
});
