import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/core/api-keys.ts';
import { suppress } from '../../src/core/suppressions.ts';
import { unsubscribe } from '../../src/core/subscriptions.ts';
import { createLogger } from '../../src/logger.ts';
import { openRuntime } from '../../src/runtime.ts';
import { onPg } from '../helpers/engine.ts';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

const CHECK = '/api/v1/suppressions/check';

describe('POST /api/v1/suppressions/check', () => {
  it('answers in order, matching addresses case- and space-insensitively', async () => {
    const ann = await t.linkFor('ann@example.com', 'newsletter');
    await unsubscribe(t.core, { contactId: ann.contact.id, topic: 'newsletter', source: 'one-click' });
    const res = await t.api(CHECK, { body: { emails: [' ANN@Example.COM', 'bob@example.com', 'ann@example.com'], topic: 'newsletter' } });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({
      results: [
        { email: ' ANN@Example.COM', suppressed: true, reason: 'unsubscribe', scope: 'newsletter' },
        { email: 'bob@example.com', suppressed: false, reason: null, scope: null },
        { email: 'ann@example.com', suppressed: true, reason: 'unsubscribe', scope: 'newsletter' },
      ],
    });
  });

  it('reports a global suppression before a topic one, and only global ones without a topic', async () => {
    await suppress(t.core, { email: 'cy@example.com', scope: 'newsletter', reason: 'manual', source: 'admin' });
    await suppress(t.core, { email: 'cy@example.com', reason: 'complaint', source: 'bounce-webhook' });
    await suppress(t.core, { email: 'di@example.com', scope: 'newsletter', reason: 'manual', source: 'admin' });
    const body = async (topic?: string) => (await json(await t.api(CHECK, { body: { emails: ["cy@example.com", "di@example.com"], topic } }))).results;
    expect(await body('newsletter')).toMatchObject([{ suppressed: true, reason: 'complaint', scope: '*' }, { suppressed: true, reason: 'manual', scope: 'newsletter' }]);
    expect(await body()).toMatchObject([{ suppressed: true, scope: '*' }, { suppressed: false }]);
    expect(await body('marketing')).toMatchObject([{ suppressed: true, scope: '*' }, { suppressed: false }]);
  });

  it('lets a soft-bounce suppression lapse', async () => {
    await suppress(t.core, { email: 'eva@example.com', reason: 'bounce', source: 'bounce-webhook', expiresAt: t.clock.now() + 3600_000 });
    expect(await t.check('eva@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'bounce' });
    t.clock.advance(3600_001);
    expect(await t.check('eva@example.com', 'newsletter')).toMatchObject({ suppressed: false });
  });

  it('checks 10,000 addresses in one request', async () => {
    const emails = Array.from({ length: 10_000 }, (_, i) => `user${i}@example.com`);
    await suppress(t.core, { email: 'user9999@example.com', reason: 'bounce', source: 'api' });
    const res = await t.api(CHECK, { body: { emails, topic: 'newsletter' } });
    expect(res.status).toBe(200);
    const { results } = await json(res);
    expect(results).toHaveLength(10_000);
    expect(results.filter((r: { suppressed: boolean }) => r.suppressed).map((r: { email: string }) => r.email)).toEqual(['user9999@example.com']);
  });
});

describe('errors: one JSON shape, the bad field named', () => {
  it.each([
    ['malformed JSON', '{"emails": [', 'body'],
    ['no emails', { topic: 'newsletter' }, 'emails'],
    ['empty list', { emails: [] }, 'emails'],
    ['not a string', { emails: ['a@example.com', 42] }, 'emails[1]'],
    ['invalid address', { emails: ['ok@example.com', 'not-an-address'] }, 'emails[1]'],
    ['unknown topic', { emails: ['a@example.com'], topic: 'nope' }, 'topic'],
    ['too many', { emails: Array.from({ length: 10_001 }, (_, i) => `u${i}@example.com`) }, 'emails'],
  ])('%s → 400', async (_name, body, field) => {
    const res = await t.api(CHECK, { body });
    expect(res.status).toBe(400);
    const problem = await json(res);
    expect(problem.error.code).toBe('invalid_input');
    expect(problem.error.fields[0].field).toBe(field);
  });

  it('415 for a non-JSON body, 413 for an oversize one', async () => {
    expect((await t.api(CHECK, { body: 'emails=a', headers: { 'content-type': 'text/plain' } })).status).toBe(415);
    const huge = JSON.stringify({ emails: ['a@example.com'], pad: 'x'.repeat(1024 * 1024 + 10) });
    const res = await t.api(CHECK, { body: huge });
    expect(res.status).toBe(413);
    expect((await json(res)).error.code).toBe('payload_too_large');
  });

  it('404 JSON for an unknown API route', async () => {
    const res = await t.api('/api/v1/nope');
    expect(res.status).toBe(404);
    expect((await json(res)).error.code).toBe('not_found');
  });
});

describe('security', () => {
  it('401 without a key or with a wrong or revoked one', async () => {
    for (const key of [null, 'obx_wrong', 'Basic abc']) {
      const res = await t.api(CHECK, { body: { emails: ['a@example.com'] }, key });
      expect(res.status).toBe(401);
      expect((await json(res)).error.code).toBe('unauthorized');
    }
    const { id, key } = await createApiKey(t.core, { name: 'old' });
    await t.core.store.apiKeys.revoke(id, t.clock.now());
    expect((await t.api(CHECK, { body: { emails: ['a@example.com'] }, key })).status).toBe(401);
  });

  // SQLite: at once (the connection's data_version moves). PostgreSQL: within a second (every
  // instance polls the cache versions every 250 ms; see src/db/pg/versions.ts).
  it('sees a revocation made by another process (the CLI) at once on SQLite, within a second on PostgreSQL', async () => {
    const f = await makeTestApp({ file: true });
    try {
      const { id, key } = await createApiKey(f.core, { name: 'cli-revoked' });
      expect((await f.api(CHECK, { body: { emails: ['a@example.com'] }, key })).status).toBe(200);
      const cli = await openRuntime(f.config, { logger: createLogger('silent') });
      await cli.core.store.apiKeys.revoke(id, f.clock.now());
      await cli.close();
      // The next request comes in a later turn of the event loop, or a second later on PostgreSQL.
      await new Promise((r) => (onPg ? setTimeout(r, 1000) : setImmediate(r)));
      expect((await f.api(CHECK, { body: { emails: ['a@example.com'] }, key })).status).toBe(401);
    } finally {
      await f.close();
    }
  });

  it('403 for a key without suppressions:read', async () => {
    const { key } = await createApiKey(t.core, { name: 'writer', scopes: ['contacts:write'] });
    const res = await t.api(CHECK, { body: { emails: ['a@example.com'] }, key });
    expect(res.status).toBe(403);
    expect((await json(res)).error.message).toContain('suppressions:read');
  });
});
