import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ config: { webhookAllowPrivate: true } });
});
afterEach(() => t.close());

describe('webhooks: keys and scopes', () => {
  it('401 without a key, 403 without webhooks:manage, and nothing is registered', async () => {
    const body = { url: 'https://example.com/x', events: ['contact.erased'] };
    expect((await t.api('/api/v1/webhooks', { body, key: null })).status).toBe(401);
    const key = await t.keyWith(['contacts:read', 'contacts:write', 'suppressions:read', 'suppressions:write']);
    for (const [method, path] of [['POST', '/api/v1/webhooks'], ['GET', '/api/v1/webhooks'], ['GET', '/api/v1/webhooks/x'], ['DELETE', '/api/v1/webhooks/x'], ['GET', '/api/v1/webhooks/x/deliveries']] as const) {
      const res = await t.api(path, { method, key, body: method === 'POST' ? body : undefined });
      expect(res.status, `${method} ${path}`).toBe(403);
    }
    expect(await t.core.store.webhooks.endpoints()).toEqual([]);
  });

  it('signatures differ per endpoint secret: one endpoint cannot forge for another', async () => {
    const { signWebhook } = await import('../../src/core/webhooks.ts');
    const a = await json(t.api('/api/v1/webhooks', { body: { url: 'https://a.example/x', events: ['contact.erased'] } }));
    const b = await json(t.api('/api/v1/webhooks', { body: { url: 'https://b.example/x', events: ['contact.erased'] } }));
    expect(a.secret).not.toBe(b.secret);
    expect(signWebhook(a.secret, 'msg_1', 1, '{}')).not.toBe(signWebhook(b.secret, 'msg_1', 1, '{}'));
  });

  it('the delivery log holds no secret and no payload', async () => {
    const created = await json(t.api('/api/v1/webhooks', { body: { url: 'http://127.0.0.1:9/x', events: ['suppression.created'] } }));
    await t.api('/api/v1/suppressions', { body: { suppressions: [{ email: 'ann@example.com' }] } });
    await t.deps.webhooks.tick();
    const log = JSON.stringify(await json(t.api(`/api/v1/webhooks/${created.id}/deliveries`)));
    expect(log).not.toContain(created.secret);
    expect(log).not.toContain('ann@example.com');
  });
});
