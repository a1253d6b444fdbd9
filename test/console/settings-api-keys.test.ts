import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listApiKeys } from '../../src/core/api-keys.ts';
import { auditLog } from '../../src/core/operators.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { consoleGet, consolePost, signedInOperator } from '../helpers/console.ts';
import { onPg } from '../helpers/engine.ts';
import { eventually, secondInstance } from '../helpers/second-instance.ts';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInOperator>>;
const BASE = '/admin/settings/api-keys';

beforeAll(async () => {
  t = await makeTestApp();
  admin = await signedInOperator(t, 'admin');
});
afterAll(() => t.close());

const keyIn = (html: string) => /id="new-key-value"[^>]*value="(obx_[^"]+)"/.exec(html)?.[1];
const check = (app: { request: TestApp['app']['request'] }, key: string) =>
  app.request('/api/v1/suppressions/check', { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify({ emails: ['someone@example.com'] }) });
const create = (fields: Record<string, string | string[]>) => consolePost(t, BASE, admin.cookie, { _csrf: admin.csrf, ...fields });

async function createdKey(name: string, scopes: string[]) {
  const res = await create({ name, scopes });
  expect(res.status).toBe(200);
  const html = await res.text();
  const key = keyIn(html);
  expect(key, 'the key is on the answer to the POST').toBeDefined();
  const row = (await listApiKeys(t.core)).find((k) => k.name === name)!;
  return { key: key!, id: row.id, html };
}

describe('API keys in the console', () => {
  it('a key made in the console is shown once and works against the API at once, within its scopes', async () => {
    const { key, id } = await createdKey('pipeline', ['suppressions:read']);
    expect((await check(t.app, key)).status).toBe(200);
    // Only the scopes ticked: contacts need another scope.
    expect((await t.app.request('/api/v1/contacts?limit=1', { headers: { authorization: `Bearer ${key}` } })).status).toBe(403);
    // Never again: the list page shows the name and prefix, not the key.
    const list = await (await consoleGet(t, BASE, admin.cookie)).text();
    expect(list).toContain('pipeline');
    expect(list).toContain(key.slice(0, 10));
    expect(list).not.toContain(key);
    const audit = (await auditLog(t.core)).find((a) => a.action === 'api-key.create' && a.target === id);
    expect(audit?.operatorId).toBe(admin.id);
    expect(JSON.stringify(audit?.detail)).not.toContain(key);
  });

  it('revoking in the console makes the API answer 401 at once, and is audited', async () => {
    const { key, id } = await createdKey('to revoke', ['suppressions:read', 'contacts:read']);
    expect((await check(t.app, key)).status).toBe(200);
    const res = await consolePost(t, `${BASE}/${id}/revoke`, admin.cookie, { _csrf: admin.csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${BASE}?done=revoked`);
    const refused = await check(t.app, key);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await listApiKeys(t.core)).find((k) => k.id === id)?.revokedAt).not.toBeNull();
    expect((await auditLog(t.core)).some((a) => a.action === 'api-key.revoke' && a.target === id && a.operatorId === admin.id)).toBe(true);
    // Again, or an id that does not exist: 404, nothing changes.
    expect((await consolePost(t, `${BASE}/${id}/revoke`, admin.cookie, { _csrf: admin.csrf })).status).toBe(404);
    expect((await consolePost(t, `${BASE}/nope/revoke`, admin.cookie, { _csrf: admin.csrf })).status).toBe(404);
  });

  it('shows how many webhook endpoints each key registered; revoking the key leaves them registered', async () => {
    const { key, id } = await createdKey('crm', ['webhooks:manage']);
    const made = await t.api('/api/v1/webhooks', { key, body: { url: 'https://crm.example.com/hooks/optbox', events: ['suppression.created'] } });
    expect(made.status).toBe(201);
    const endpoint = ((await made.json()) as { id: string }).id;
    const row = (html: string) => new RegExp(`<td>crm</td>.*?<td class="num">(\\d+)</td>`, 's').exec(html)?.[1];
    expect(row(await (await consoleGet(t, BASE, admin.cookie)).text())).toBe('1');
    expect((await consolePost(t, `${BASE}/${id}/revoke`, admin.cookie, { _csrf: admin.csrf })).status).toBe(303);
    expect((await t.api(`/api/v1/webhooks/${endpoint}`)).status).toBe(200);
    await t.api(`/api/v1/webhooks/${endpoint}`, { method: 'DELETE' });
    expect(row(await (await consoleGet(t, BASE, admin.cookie)).text())).toBe('0');
  });

  it('bad input re-renders the form with what was typed and the field named, and makes no key', async () => {
    const before = (await listApiKeys(t.core)).length;
    const noScopes = await create({ name: 'kept name' });
    expect(noScopes.status).toBe(400);
    const html = await noScopes.text();
    expect(html).toContain('scopes: choose at least one');
    expect(html).toContain('value="kept name"');
    expect(keyIn(html)).toBeUndefined();
    const noName = await create({ name: '  ', scopes: ['contacts:read'] });
    expect(noName.status).toBe(400);
    const noNameHtml = await noName.text();
    expect(noNameHtml).toContain('name: must be 1 to 100 characters');
    expect(noNameHtml).toMatch(/value="contacts:read" checked/);
    const unknown = await create({ name: 'x', scopes: ['root'] });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain('unknown scope');
    expect((await listApiKeys(t.core)).length).toBe(before);
  });

  it('a viewer sees the keys but no form and no revoke button; their POST is refused', async () => {
    const viewer = await signedInOperator(t, 'viewer');
    const html = await (await consoleGet(t, BASE, viewer.cookie)).text();
    expect(html).toContain('pipeline');
    expect(html).not.toContain(`action="${BASE}"`);
    expect(html).not.toContain('/revoke');
    expect((await consolePost(t, BASE, viewer.cookie, { _csrf: viewer.csrf, name: 'v', scopes: ['contacts:read'] })).status).toBe(403);
  });
});

// Each PostgreSQL instance holds the keys in memory; the 'api_keys' change version tells the others.
describe.skipIf(!onPg)('API keys across two instances on one PostgreSQL', () => {
  it('a key made on one instance works on the other at once; revoked, the other refuses it within its poll', async () => {
    const other = await secondInstance(t);
    try {
      const { key, id } = await createdKey('shared', ['suppressions:read']);
      // Warm the other instance's cache with the key first, so the revocation must reach it by the version.
      expect((await check(other.app, key)).status).toBe(200);
      expect((await consolePost(t, `${BASE}/${id}/revoke`, admin.cookie, { _csrf: admin.csrf })).status).toBe(303);
      expect((await check(t.app, key)).status).toBe(401);
      expect(await eventually(async () => (await check(other.app, key)).status === 401, 3_000)).toBe(true);
    } finally {
      await other.close();
    }
  });
});
