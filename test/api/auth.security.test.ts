import { afterEach, describe, expect, it } from 'vitest';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
afterEach(() => t.close());

describe('API keys and the rate limit', () => {
  it('answers 429 with Retry-After per key once the burst is spent, and recovers with time', async () => {
    t = await makeTestApp({ config: { apiRateLimit: 2, apiRateBurst: 3 } });
    const other = await t.keyWith(['suppressions:read'], 'other');
    for (let i = 0; i < 3; i++) expect((await t.api('/api/v1/suppressions')).status).toBe(200);
    const limited = await t.api('/api/v1/suppressions');
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(await json(limited)).toMatchObject({ error: { code: 'rate_limited' } });
    // Another key has its own bucket.
    expect((await t.api('/api/v1/suppressions', { key: other })).status).toBe(200);
    // Half a second refills one request at 2/s.
    t.clock.advance(500);
    expect((await t.api('/api/v1/suppressions')).status).toBe(200);
    expect((await t.api('/api/v1/suppressions')).status).toBe(429);
  });

  it('a limited request changes nothing', async () => {
    t = await makeTestApp({ config: { apiRateLimit: 1, apiRateBurst: 1 } });
    await t.api('/api/v1/suppressions');
    const res = await t.api('/api/v1/suppressions', { body: { suppressions: [{ email: 'ann@example.com' }] } });
    expect(res.status).toBe(429);
    expect(await t.check('ann@example.com')).toMatchObject({ suppressed: false });
  });

  it('API_RATE_LIMIT=0 turns the limit off', async () => {
    t = await makeTestApp({ config: { apiRateLimit: 0, apiRateBurst: 1 } });
    for (let i = 0; i < 5; i++) expect((await t.api('/api/v1/suppressions')).status).toBe(200);
  });

  it('refuses malformed Authorization headers with 401 in the one error shape', async () => {
    t = await makeTestApp();
    for (const header of ['', 'Basic dXNlcjpwdw==', 'Bearer', `Bearer ${t.apiKey} extra`, 'Bearer not-a-key']) {
      const res = await t.api('/api/v1/contacts', { key: null, headers: header ? { authorization: header } : {} });
      expect(res.status, header).toBe(401);
      expect(Object.keys((await json(res)).error).sort()).toEqual(['code', 'message']);
    }
  });

  it('records when a key was last used', async () => {
    t = await makeTestApp();
    await t.api('/api/v1/suppressions');
    expect((await t.core.store.apiKeys.list())[0]!.lastUsedAt).toBe(t.clock.now());
  });
});
