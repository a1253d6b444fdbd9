import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertContact } from '../../src/core/contacts.ts';
import { makeTestApp, json, type TestApp } from '../helpers/app.ts';

/**
 * Nothing a client sends answers 500: names of Object.prototype's members where a lookup key is
 * expected, and template data of the wrong shape or nested without bound.
 */
let t: TestApp;
let cookie: string;
beforeAll(async () => {
  t = await makeTestApp();
  await upsertContact(t.core, { email: 'ann@example.com', topics: ['newsletter'], locale: 'en', source: 'api' });
  const link = await t.linkFor('pat@example.com', 'newsletter');
  cookie = (await t.app.request(link.prefsPath)).headers.get('set-cookie')!.split(';')[0]!;
});
afterAll(() => t.close());

describe('lookups keyed by client input', () => {
  for (const done of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf']) {
    it(`GET /preferences?done=${done} shows the page without a notice`, async () => {
      const res = await t.app.request(`/preferences?done=${done}`, { headers: { cookie, 'accept-language': 'en' } });
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('Your email preferences');
    });
  }
});

describe('form fields and query parameters named like Object.prototype members', () => {
  it('are plain fields: a 4xx or the page, never a 500', async () => {
    const html = await (await t.app.request('/preferences', { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const res = await t.app.request('/preferences', {
      method: 'POST',
      headers: { cookie, origin: 'https://optbox.test', 'content-type': 'application/x-www-form-urlencoded' },
      body: `_csrf=${csrf}&__proto__=a&__proto__=b&constructor=x&shown=newsletter&topic=newsletter`,
    });
    expect(res.status).toBeLessThan(500);
    expect((await t.api('/api/v1/contacts?__proto__=x&constructor=y')).status).toBeLessThan(500);
  });
});

describe('template data of messages/prepare', () => {
  const message = { to: 'ann@example.com', topic: 'newsletter', template: 'newsletter', subject: 'News' };
  const prepare = (data: unknown) => t.api('/api/v1/messages/prepare', { body: { ...message, data } });

  it('an object where a string belongs is refused, naming the field', async () => {
    const res = await prepare({ firstName: { toString: 'x' } });
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error.code).toBe('invalid_input');
    expect(error.fields.map((f: { field: string }) => f.field)).toEqual(['data.firstName']);
  });

  it('data nested thousands deep is refused, not a 500', async () => {
    const deep = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000);
    const res = await t.api('/api/v1/messages/prepare', { body: `{"to":"ann@example.com","topic":"newsletter","template":"newsletter","subject":"News","data":{"firstName":${deep}}}` });
    expect(res.status).toBe(400);
    expect((await json(res)).error.fields[0].field).toBe('data.firstName');
  });

  it('lists of lists, too many keys and overlong strings are refused; flat values and lists pass', async () => {
    expect((await prepare({ items: [['a']] })).status).toBe(400);
    expect((await prepare({ lines: [{ item: { deeper: 'x' } }] })).status).toBe(400);
    expect((await prepare(Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, 'v'])))).status).toBe(400);
    expect((await prepare({ body: 'x'.repeat(200_000) })).status).toBe(400);
    expect((await t.api('/api/v1/messages/prepare', { body: `{"to":"ann@example.com","topic":"newsletter","template":"newsletter","subject":"News","data":{"__proto__":{"x":1}}}` })).status).not.toBe(500);
    expect((await prepare({ constructor: 'x', toString: 'y' })).status).toBe(200);
    const ok = await prepare({ firstName: 'Ann', count: 3, vip: true, items: ['a', 1, false], nothing: null });
    expect(ok.status).toBe(200);
    expect((await json(ok)).html).toContain('Hi Ann,');
  });

  it('the batch form names the recipient too', async () => {
    const res = await t.api('/api/v1/messages/prepare', { body: { recipients: [{ ...message, data: { firstName: 'Ann' } }, { ...message, data: { firstName: { a: 1 } } }] } });
    expect(res.status).toBe(400);
    expect((await json(res)).error.fields.map((f: { field: string }) => f.field)).toEqual(['recipients[1].data.firstName']);
  });
});
