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

  it('a check or prepare costs one per address (a batch at most one burst), and a batch the key cannot pay for is refused', async () => {
    t = await makeTestApp({ config: { apiRateLimit: 10, apiRateBurst: 10 } });
    const check = (n: number) => t.api('/api/v1/suppressions/check', { body: { emails: Array.from({ length: n }, (_, i) => `reader${i}@example.com`) } });
    // Ten addresses spend the whole bucket.
    expect((await check(10)).status).toBe(200);
    const limited = await check(1);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    // Half a second later five are back: six addresses are refused (the entry token is spent), four go through.
    t.clock.advance(500);
    expect((await check(6)).status).toBe(429);
    expect((await check(4)).status).toBe(200);
    expect((await check(1)).status).toBe(429);
    // A batch larger than the burst costs the burst, not a refusal for ever.
    t.clock.advance(60_000);
    expect((await check(30)).status).toBe(200);
    expect((await check(1)).status).toBe(429);
    // prepare counts the recipients of a batch the same way.
    t.clock.advance(60_000);
    const batch = { recipients: Array.from({ length: 8 }, (_, i) => ({ to: `reader${i}@example.com`, topic: 'newsletter', template: 'newsletter', data: {} })) };
    expect((await t.api('/api/v1/messages/prepare', { body: batch })).status).toBe(200);
    expect((await check(3)).status).toBe(429); // two left: the entry token is spent, two more are not there
    expect((await check(1)).status).toBe(200);
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

  it('every 401 carries a Bearer challenge; a key that is not valid adds error="invalid_token" (RFC 6750 §3.1)', async () => {
    t = await makeTestApp();
    const missing = await t.api('/api/v1/contacts', { key: null });
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="optbox"');
    for (const key of ['obx_not-a-real-key', 'something-else']) {
      const res = await t.api('/api/v1/contacts', { key });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="optbox", error="invalid_token"/);
    }
  });

  it('a known path asked with another method is 405 with Allow; an unknown path is 404', async () => {
    t = await makeTestApp();
    const put = await t.api('/api/v1/contacts', { method: 'PUT', body: {} });
    expect(put.status).toBe(405);
    expect(put.headers.get('allow')).toBe('GET, HEAD, POST');
    expect(await json(put)).toMatchObject({ error: { code: 'method_not_allowed' } });
    const post = await t.api('/api/v1/contacts/abc', { method: 'POST', body: {} });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('DELETE, GET, HEAD, PATCH');
    const deleteAll = await t.api('/api/v1/webhooks', { method: 'DELETE' });
    expect(deleteAll.headers.get('allow')).toBe('GET, HEAD, POST');
    expect((await t.api('/api/v1/nothing-here')).status).toBe(404);
    expect((await t.api('/api/v1/contacts/a/b')).status).toBe(404);
    // Without a key the answer is 401 first: which methods a path has is not told to strangers.
    expect((await t.api('/api/v1/contacts', { method: 'PUT', key: null })).status).toBe(401);
  });

  it('records when a key was last used', async () => {
    t = await makeTestApp();
    await t.api('/api/v1/suppressions');
    expect((await t.core.store.apiKeys.list())[0]!.lastUsedAt).toBe(t.clock.now());
  });
});
