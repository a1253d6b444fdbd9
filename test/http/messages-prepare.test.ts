import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/core/api-keys.ts';
import { upsertContact } from '../../src/core/contacts.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (res: Response): Promise<any> => res.json();

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
  await upsertContact(t.core, { email: 'ann@example.com', topics: ['newsletter'], locale: 'en', source: 'api' });
});
afterEach(() => t.close());

const message = { to: 'ann@example.com', topic: 'newsletter', template: 'newsletter', subject: 'News', campaign: 'nov', data: { firstName: 'Ann', body: 'Hello' } };

describe('POST /api/v1/messages/prepare', () => {
  it('answers one message with what prepare() answers', async () => {
    const res = await t.api('/api/v1/messages/prepare', { body: message });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await json(res);
    expect(body).toMatchObject({ to: 'ann@example.com', send: true, subject: 'News', locale: 'en', headers: { 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } });
    expect(body.headers['List-Unsubscribe']).toBe(`<${body.unsubscribeUrl}>`);
    expect(body.html).toContain('Hi Ann,');
    expect(body.text).toContain(body.unsubscribeUrl);
  });

  it('answers a batch in order, refusals included', async () => {
    const res = await t.api('/api/v1/messages/prepare', { body: { recipients: [message, { ...message, to: 'bob@example.com' }] } });
    expect(res.status).toBe(200);
    const { results } = await json(res);
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({ send: true });
    expect(results[1]).toEqual({ to: 'bob@example.com', send: false, reason: 'unknown-contact', scope: 'newsletter' });
  });

  it('names bad fields with 400 and the one error shape', async () => {
    const res = await t.api('/api/v1/messages/prepare', { body: { recipients: [message, { ...message, subject: 'a\r\nb', to: 'nope' }] } });
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error.code).toBe('invalid_input');
    expect(error.fields.map((f: { field: string }) => f.field)).toEqual(['recipients[1].subject']);
    const bad = await t.api('/api/v1/messages/prepare', { body: { recipients: [message], topic: 'newsletter' } });
    expect((await json(bad)).error.fields).toEqual([{ field: 'topic', message: expect.stringContaining('recipients') }]);
    expect((await t.api('/api/v1/messages/prepare', { body: { ...message, to: 'nope' } })).status).toBe(400);
    expect((await t.api('/api/v1/messages/prepare', { body: '[1,2' })).status).toBe(400);
    expect((await t.api('/api/v1/messages/prepare', { body: { recipients: [] } })).status).toBe(400);
  });

  it('needs an API key with the messages:prepare scope', async () => {
    expect((await t.api('/api/v1/messages/prepare', { body: message, key: null })).status).toBe(401);
    const { key } = await createApiKey(t.core, { name: 'reader', scopes: ['suppressions:read'] });
    const res = await t.api('/api/v1/messages/prepare', { body: message, key });
    expect(res.status).toBe(403);
    expect((await json(res)).error.message).toContain('messages:prepare');
  });
});
