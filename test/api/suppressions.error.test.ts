import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ config: { apiBodyLimit: 64 * 1024 } });
});
afterEach(() => t.close());

const count = async () => (await t.core.store.suppressions.exportPage(0, 1e6, {})).length;

describe('bad input changes nothing and names the field', () => {
  it('answers a bad item on its own and adds the others', async () => {
    const res = await t.api('/api/v1/suppressions', {
      body: { suppressions: [{ email: 'ok@example.com' }, { email: 'not-an-address' }, { email: 'x@example.com', scope: 'nope' }, { email: 'y@example.com', expiresAt: '2020-01-01T00:00:00Z' }] },
    });
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ created: 1, failed: 3 });
    expect(body.results[1]).toMatchObject({ status: 'error', error: { code: 'invalid_input', field: 'suppressions[1].email' } });
    expect(body.results[2].error.field).toBe('suppressions[2].scope');
    expect(body.results[3].error.field).toBe('suppressions[3].expiresAt');
    expect(await count()).toBe(1);
  });

  it('refuses a malformed request as a whole with 400 and the field, adding nothing', async () => {
    const res = await t.api('/api/v1/suppressions', { body: { suppressions: [{ email: 'ok@example.com' }, { email: 42 }] } });
    expect(res.status).toBe(400);
    expect(await json(res)).toMatchObject({ error: { code: 'invalid_input', fields: [{ field: 'suppressions[1].email' }] } });
    expect(await count()).toBe(0);
  });

  it.each([
    ['an unknown reason', { suppressions: [{ email: 'a@example.com', reason: 'erasure' }] }, 'suppressions[0].reason'],
    ['an unknown field', { suppressions: [{ email: 'a@example.com', colour: 'red' }] }, 'suppressions[0].colour'],
    ['an empty list', { suppressions: [] }, 'suppressions'],
    ['more than 10,000', { suppressions: Array.from({ length: 10_001 }, () => ({ email: 'a@b.co' })) }, 'suppressions'],
  ])('refuses %s', async (_name, body, field) => {
    const res = await t.app.request('/api/v1/suppressions', { method: 'POST', headers: { authorization: `Bearer ${t.apiKey}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect([400, 413]).toContain(res.status);
    if (res.status === 400) expect((await json(res)).error.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(await count()).toBe(0);
  });

  it('answers 413 for a body over the limit', async () => {
    const res = await t.api('/api/v1/suppressions', { body: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(await json(res)).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('answers 415 for a body that is not JSON, 400 for malformed JSON', async () => {
    expect((await t.api('/api/v1/suppressions', { body: 'email=a@b.co', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status).toBe(415);
    const res = await t.api('/api/v1/suppressions', { body: '{"suppressions": [' });
    expect(res.status).toBe(400);
    expect((await json(res)).error.fields).toEqual([{ field: 'body', message: 'malformed JSON' }]);
  });

  it.each([
    ['cursor=garbage', 'cursor'],
    ['limit=0', 'limit'],
    ['limit=abc', 'limit'],
    ['reason=spam', 'reason'],
    ['since=yesterday', 'since'],
    ['topic=nope', 'topic'],
    ['scope=nope', 'scope'],
    ['topic=newsletter&scope=newsletter', 'scope'],
    ['colour=red', 'colour'],
    ['limit=1001', 'limit'],
    ['limit=2.5', 'limit'],
    ['limit=1&limit=2', 'limit'],
  ])('refuses the list query %s naming %s', async (query, field) => {
    const res = await t.api(`/api/v1/suppressions?${query}`);
    expect(res.status).toBe(400);
    expect((await json(res)).error.fields.map((f: { field: string }) => f.field)).toContain(field);
  });

  it('refuses a cursor of another list', async () => {
    await t.linkFor('ann@example.com', 'newsletter');
    await t.linkFor('bob@example.com', 'newsletter');
    const page = await json(t.api('/api/v1/contacts?limit=1'));
    expect(page.nextCursor).toBeTruthy();
    expect((await t.api(`/api/v1/suppressions?cursor=${page.nextCursor}`)).status).toBe(400);
  });

  it('refuses a bad export format or topic before streaming', async () => {
    expect((await t.api('/api/v1/suppressions/export?format=xml')).status).toBe(400);
    const res = await t.api('/api/v1/suppressions/export?topic=nope');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/json/);
  });

  it('answers 400 for a path address that is not one, 404 for removing what is not there', async () => {
    expect((await t.api('/api/v1/suppressions/not-an-address')).status).toBe(400);
    expect((await t.api('/api/v1/suppressions/nobody@example.com', { method: 'DELETE' })).status).toBe(404);
    expect((await t.api('/api/v1/suppressions/nobody@example.com?override=yes', { method: 'DELETE' })).status).toBe(400);
  });

  it('an erasure suppression cannot be removed without override', async () => {
    const { contact } = await t.linkFor('eve@example.com', 'newsletter');
    expect((await t.api(`/api/v1/contacts/${contact.id}`, { method: 'DELETE' })).status).toBe(200);
    const res = await t.api('/api/v1/suppressions/eve@example.com', { method: 'DELETE' });
    expect(res.status).toBe(409);
    expect(await t.check('eve@example.com')).toMatchObject({ suppressed: true, reason: 'erasure' });
  });

  it('unknown API routes answer JSON 404', async () => {
    const res = await t.api('/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({ error: { code: 'not_found' } });
  });
});
