import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp({ config: { webhookAllowPrivate: true } });
});
afterEach(() => t.close());

const fieldsOf = async (res: Response) => (await json(res)).error.fields.map((f: { field: string }) => f.field);

describe('webhooks: bad input', () => {
  it.each([
    [{ url: 'ftp://example.com/x', events: ['contact.erased'] }, 'url'],
    [{ url: 'javascript:alert(1)', events: ['contact.erased'] }, 'url'],
    [{ url: 'file:///etc/passwd', events: ['contact.erased'] }, 'url'],
    [{ url: 'https://user:pw@example.com/x', events: ['contact.erased'] }, 'url'],
    [{ url: 'not a url', events: ['contact.erased'] }, 'url'],
    [{ url: 'https://example.com/x', events: [] }, 'events'],
    [{ url: 'https://example.com/x', events: ['everything'] }, 'events[0]'],
    [{ url: 'https://example.com/x', events: ['contact.erased'], secret: 'hunter2' }, 'secret'],
    [{ url: 'https://example.com/x', events: ['contact.erased'], secret: 'whsec_c2hvcnQ=' }, 'secret'],
    [{ events: ['contact.erased'] }, 'url'],
  ])('refuses %j naming %s, registering nothing', async (body, field) => {
    const res = await t.api('/api/v1/webhooks', { body });
    expect(res.status).toBe(400);
    expect(await fieldsOf(res)).toContain(field);
    expect(await t.core.store.webhooks.endpoints()).toEqual([]);
  });

  it('404 for an unknown endpoint and its log; 400 for a bad log cursor', async () => {
    expect((await t.api('/api/v1/webhooks/wh_nope')).status).toBe(404);
    expect((await t.api('/api/v1/webhooks/wh_nope', { method: 'DELETE' })).status).toBe(404);
    expect((await t.api('/api/v1/webhooks/wh_nope/deliveries')).status).toBe(404);
    const { id } = await json(t.api('/api/v1/webhooks', { body: { url: 'https://example.com/x', events: ['contact.erased'] } }));
    expect(await fieldsOf(await t.api(`/api/v1/webhooks/${id}/deliveries?cursor=zzz`))).toContain('cursor');
  });

  it('a receiver that cannot be reached is logged as an error and retried, never a crash', async () => {
    const { id } = await json(t.api('/api/v1/webhooks', { body: { url: 'http://127.0.0.1:9/nothing', events: ['suppression.created'] } }));
    await t.api('/api/v1/suppressions', { body: { suppressions: [{ email: 'ann@example.com' }] } });
    await t.deps.webhooks.tick();
    const log = await json(t.api(`/api/v1/webhooks/${id}/deliveries`));
    expect(log.data[0]).toMatchObject({ state: 'pending', attempts: 1, lastStatus: null });
    expect(log.data[0].lastError).toBeTruthy();
  });

  it('a redirect is not an answer: counted as failed, not followed', async () => {
    const { startReceiver } = await import('../helpers/receiver.ts');
    const receiver = await startReceiver(() => 302);
    try {
      const { id } = await json(t.api('/api/v1/webhooks', { body: { url: receiver.url, events: ['suppression.created'] } }));
      await t.api('/api/v1/suppressions', { body: { suppressions: [{ email: 'bob@example.com' }] } });
      await t.deps.webhooks.tick();
      expect((await json(t.api(`/api/v1/webhooks/${id}/deliveries`))).data[0]).toMatchObject({ state: 'pending', lastStatus: 302, lastError: 'HTTP 302' });
    } finally {
      await receiver.close();
    }
  });

  it('deleting an endpoint drops its pending deliveries', async () => {
    const { id } = await json(t.api('/api/v1/webhooks', { body: { url: 'http://127.0.0.1:9/x', events: ['suppression.created'] } }));
    await t.api('/api/v1/suppressions', { body: { suppressions: [{ email: 'cas@example.com' }] } });
    await t.api(`/api/v1/webhooks/${id}`, { method: 'DELETE' });
    expect(await t.deps.webhooks.tick()).toBe(0);
  });
});
