import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

describe('suppressions: keys and scopes', () => {
  const routes: Array<[string, string, unknown?]> = [
    ['GET', '/api/v1/suppressions'],
    ['GET', '/api/v1/suppressions/export'],
    ['GET', '/api/v1/suppressions/ann@example.com'],
    ['POST', '/api/v1/suppressions/check', { emails: ['ann@example.com'] }],
    ['POST', '/api/v1/suppressions', { suppressions: [{ email: 'ann@example.com' }] }],
    ['DELETE', '/api/v1/suppressions/ann@example.com'],
  ];

  it.each(routes)('%s %s answers 401 without a key, with WWW-Authenticate', async (method, path, body) => {
    const res = await t.api(path, { method, body, key: null });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(await json(res)).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('a read-only key reads but cannot write (403), and the write changes nothing', async () => {
    const reader = await t.keyWith(['suppressions:read']);
    expect((await t.api('/api/v1/suppressions', { key: reader })).status).toBe(200);
    const res = await t.api('/api/v1/suppressions', { key: reader, body: { suppressions: [{ email: 'ann@example.com' }] } });
    expect(res.status).toBe(403);
    expect(await json(res)).toMatchObject({ error: { code: 'forbidden', message: expect.stringContaining('suppressions:write') } });
    expect(await t.check('ann@example.com')).toMatchObject({ suppressed: false });
  });

  it('a write-only key cannot read the list or export it', async () => {
    const writer = await t.keyWith(['suppressions:write']);
    expect((await t.api('/api/v1/suppressions', { key: writer })).status).toBe(403);
    expect((await t.api('/api/v1/suppressions/export', { key: writer })).status).toBe(403);
  });

  it('a revoked key is refused at once', async () => {
    const key = await t.keyWith(['suppressions:read'], 'old');
    const id = (await t.core.store.apiKeys.list()).find((k) => k.name === 'old')!.id;
    await t.core.store.apiKeys.revoke(id, t.clock.now());
    expect((await t.api('/api/v1/suppressions', { key })).status).toBe(401);
  });

  it('a key that differs in one character is refused', async () => {
    const forged = t.apiKey.slice(0, -1) + (t.apiKey.endsWith('A') ? 'B' : 'A');
    expect((await t.api('/api/v1/suppressions', { key: forged })).status).toBe(401);
  });

  it('the request log never carries an address in a path', async () => {
    const { redactPath } = await import('../../src/logger.ts');
    expect(redactPath('/api/v1/suppressions/ann@example.com')).not.toContain('ann');
    expect(redactPath('/api/v1/suppressions/ann%40example.com')).not.toContain('ann');
  });
});
