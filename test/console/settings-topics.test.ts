import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, json, type TestApp } from '../helpers/app.ts';
import { consoleGet, consolePost, signedInOperator } from '../helpers/console.ts';

/** Topic settings through the real app: the page, its forms, and what a retired topic really refuses. */
let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInOperator>>;
let viewer: Awaited<ReturnType<typeof signedInOperator>>;

beforeAll(async () => {
  t = await makeTestApp();
  admin = await signedInOperator(t, 'admin');
  viewer = await signedInOperator(t, 'viewer');
});
afterAll(() => t.close());

const add = (fields: Record<string, string>) => consolePost(t, '/admin/settings/topics', admin.cookie, { _csrf: admin.csrf, ...fields });
const edit = (id: string, fields: Record<string, string>) => consolePost(t, `/admin/settings/topics/${id}`, admin.cookie, { _csrf: admin.csrf, ...fields });
const audit = async () => (await t.core.store.operators.recentAudit(50)).map((a) => `${a.action} ${a.target ?? ''} ${a.operatorId}`);
const product = { id: 'product-news', nameNl: 'Productnieuws', nameEn: 'Product news', descriptionNl: 'Nieuwe functies', descriptionEn: 'New features', defaultStatus: 'opt-in' };

describe('topic settings', () => {
  it('lists every topic with its subscriber count from the dashboard counters', async () => {
    await t.linkFor('ann@example.com', 'newsletter');
    await t.linkFor('bob@example.com', 'newsletter');
    const html = await (await consoleGet(t, '/admin/settings/topics', viewer.cookie)).text();
    const row = /<a href="\/admin\/settings\/topics\/newsletter">[\s\S]*?<\/tr>/.exec(html)![0];
    expect(row).toContain('<code>newsletter</code>');
    expect([...row.matchAll(/<td class="num">(\d+)<\/td>/g)].map((m) => m[1])).toEqual(['2', '0', '0']);
    for (const id of ['marketing', 'updates']) expect(html).toContain(`/admin/settings/topics/${id}"`);
    // A viewer reads, but gets no form.
    expect(html).not.toContain('action="/admin/settings/topics"');
    expect((await consolePost(t, '/admin/settings/topics', viewer.cookie, { _csrf: viewer.csrf, ...product })).status).toBe(403);
  });

  it('adds a topic; bad input comes back with the field named and values kept, and changes nothing', async () => {
    const bad = await add({ ...product, id: 'Product News' });
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain('Id: must be 1 to 40 lower-case letters');
    expect(page).toContain('value="Productnieuws"');
    expect(await t.core.store.topics.byId('product news')).toBeUndefined();
    expect((await add({ ...product, nameEn: ' ' })).status).toBe(400);
    expect(await (await add({ ...product, defaultStatus: 'maybe' })).text()).toContain('Default: must be opt-in or opt-out');

    const res = await add(product);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/settings/topics/product-news?done=added');
    expect(await t.core.store.topics.byId('product-news')).toMatchObject({ nameNl: 'Productnieuws', defaultStatus: 'opt-in', doubleOptIn: false, retiredAt: null });
    expect(await audit()).toContain(`topic.create product-news ${admin.id}`);
    // The id is taken now: the form says so.
    const again = await add(product);
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('Id: exists');
    // The API takes it at once (the cache was invalidated).
    expect((await t.api('/api/v1/contacts', { body: { email: 'cas@example.com', topics: ['product-news'] } })).status).toBeLessThan(300);
  });

  it('edits names, descriptions and double opt-in', async () => {
    const res = await edit('product-news', { ...product, nameEn: 'Product updates', descriptionEn: 'What is new', doubleOptIn: '1' });
    expect(res.status).toBe(303);
    expect(await t.core.store.topics.byId('product-news')).toMatchObject({ nameEn: 'Product updates', descriptionEn: 'What is new', doubleOptIn: true });
    expect(await audit()).toContain(`topic.update product-news ${admin.id}`);
    const same = await edit('product-news', { ...product, nameEn: 'Product updates', descriptionEn: 'What is new', doubleOptIn: '1' });
    expect(same.headers.get('location')).toContain('done=unchanged');
    const bad = await edit('product-news', { ...product, nameNl: 'x'.repeat(81) });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Name (Dutch): must be 1 to 80 characters');
    expect((await edit('no-such-topic', product)).status).toBe(404);
    expect((await consoleGet(t, '/admin/settings/topics/no-such-topic', admin.cookie)).status).toBe(404);
  });

  it('opt-in never becomes opt-out; opt-out may be tightened to opt-in', async () => {
    const loosen = await edit('product-news', { ...product, defaultStatus: 'opt-out' });
    expect(loosen.status).toBe(400);
    expect(await loosen.text()).toContain('Default: an opt-in topic cannot become opt-out');
    expect((await t.core.store.topics.byId('product-news'))!.defaultStatus).toBe('opt-in');

    expect((await add({ id: 'service', nameNl: 'Service', nameEn: 'Service', defaultStatus: 'opt-out' })).status).toBe(303);
    const tighten = await edit('service', { nameNl: 'Service', nameEn: 'Service', defaultStatus: 'opt-in' });
    expect(tighten.status).toBe(303);
    expect((await t.core.store.topics.byId('service'))!.defaultStatus).toBe('opt-in');
    expect((await edit('service', { nameNl: 'Service', nameEn: 'Service', defaultStatus: 'opt-out' })).status).toBe(400);
  });
});

describe('a retired topic', () => {
  let unsubscribePath: string;
  let prefsPath: string;

  beforeAll(async () => {
    expect((await add({ id: 'events', nameNl: 'Evenementen', nameEn: 'Events', defaultStatus: 'opt-in' })).status).toBe(303);
    const link = await t.linkFor('dee@example.com', 'events');
    prefsPath = link.prefsPath;
    unsubscribePath = (await t.linkFor('gus@example.com', 'events')).path;
    const res = await consolePost(t, '/admin/settings/topics/events/retire', admin.cookie, { _csrf: admin.csrf });
    expect(res.status).toBe(303);
  });

  it('is marked retired in the console and the dashboard, and the change is audited', async () => {
    expect(await (await consoleGet(t, '/admin/settings/topics/events', viewer.cookie)).text()).toContain('<span class="tag">retired</span>');
    const dashboard = await (await consoleGet(t, '/admin', viewer.cookie)).text();
    expect(dashboard).toMatch(/Events<span class="tag">retired<\/span>/);
    expect(await audit()).toContain(`topic.retire events ${admin.id}`);
  });

  it('refuses new subscriptions from the API, naming the field', async () => {
    const res = await t.api('/api/v1/contacts', { body: { email: 'eve@example.com', topics: ['newsletter', 'events'] } });
    expect(res.status).toBe(400);
    const { error } = await json(res);
    expect(error).toMatchObject({ code: 'invalid_input', fields: [{ field: 'topics[1]', message: expect.stringContaining('retired') }] });
  });

  it('is mailed to nobody: the mail hook answers "not sent", reason topic-retired', async () => {
    const res = await t.api('/api/v1/messages/prepare', { body: { to: 'dee@example.com', topic: 'events', template: 'newsletter', subject: 'Hi', data: { body: 'x' } } });
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ to: 'dee@example.com', send: false, reason: 'topic-retired', scope: 'events' });
  });

  it('is gone from the preference center, and saving it is refused', async () => {
    const open = await t.app.request(prefsPath);
    const cookie = open.headers.get('set-cookie')!.split(';')[0]!;
    const html = await (await t.app.request('/preferences', { headers: { cookie, 'accept-language': 'en' } })).text();
    expect(html).toContain('Newsletter');
    expect(html).not.toContain('Events');
    expect(html).not.toContain('value="events"');
    // A page opened before the topic was retired: left on, nothing changes; switching it on again is refused, naming it.
    const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const save = (on: string[]) => {
      const body = new URLSearchParams({ _csrf: csrf });
      for (const id of ['newsletter', 'events']) body.append('shown', id);
      for (const id of on) body.append('topic', id);
      return t.app.request('/preferences', { method: 'POST', headers: { cookie, origin: 'https://optbox.test', 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' }, body: body.toString() });
    };
    expect((await save(['newsletter', 'events'])).status).toBe(303);
    expect((await save(['newsletter'])).status).toBe(303);
    expect(await t.check('dee@example.com', 'events')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });
    const refused = await save(['newsletter', 'events']);
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain('retired');
  });

  it('keeps its unsubscribe links working (RFC 8058 one-click) and its history', async () => {
    expect(await t.check('gus@example.com', 'events')).toMatchObject({ suppressed: false });
    const res = await t.app.request(unsubscribePath, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    // No "undo" on the answer: the topic takes no subscriptions back.
    expect(await res.text()).not.toContain('name="undo"');
    // The confirm page still opens for it.
    expect((await t.app.request(unsubscribePath)).status).toBe(200);
    expect(await t.check('gus@example.com', 'events')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });
    const contact = (await t.core.store.contacts.byEmail('gus@example.com'))!;
    const actions = (await t.core.store.ledger.forContact(contact.id)).map((e) => `${e.action} ${e.topic}`);
    expect(actions).toEqual(expect.arrayContaining(['subscribe events', 'unsubscribe events']));
  });

  it('on a contact’s console page: marked, and an operator may turn it off but not on', async () => {
    const hal = (await t.linkFor('hal@example.com', 'newsletter')).contact;
    const ivy = (await t.linkFor('ivy@example.com', 'newsletter')).contact;
    await t.core.store.consent.setTopics({ contactId: ivy.id, at: t.clock.now(), topicIds: ['events'], status: 'subscribed', event: { action: 'subscribe', topic: 'events', source: 'api', actor: null, policyVersion: 'test' } });
    expect(await (await consoleGet(t, `/admin/contacts/${hal.id}`, admin.cookie)).text()).toContain('retired: can be turned off, not on');
    const topics = (id: string, on: string[]) => consolePost(t, `/admin/contacts/${id}/topics`, admin.cookie, { _csrf: admin.csrf, shown: ['newsletter', 'events'], topic: on });
    const refused = await topics(hal.id, ['newsletter', 'events']);
    expect(refused.status).toBe(400);
    expect(await t.check('ivy@example.com', 'events')).toMatchObject({ suppressed: false });
    expect((await topics(ivy.id, ['newsletter'])).status).toBe(303);
    expect(await t.check('ivy@example.com', 'events')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });
  });

  it('is reinstated as it was', async () => {
    const res = await consolePost(t, '/admin/settings/topics/events/reinstate', admin.cookie, { _csrf: admin.csrf });
    expect(res.headers.get('location')).toBe('/admin/settings/topics/events?done=reinstated');
    expect((await t.core.store.topics.byId('events'))!.retiredAt).toBeNull();
    expect((await t.api('/api/v1/contacts', { body: { email: 'fay@example.com', topics: ['events'] } })).status).toBeLessThan(300);
    expect(await audit()).toContain(`topic.reinstate events ${admin.id}`);
  });
});
