import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { unsubscribe } from '../../src/core/subscriptions.ts';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';
import { sessionForms } from '../helpers/session-forms.ts';

/**
 * Consent given back must come from the person. A session opened by a mail link (a footer link,
 * or whatever an API key can render) may reduce mail; giving back consent the person took away
 * needs a confirmation link mailed to the address, a recently signed-in session, or the
 * immediate undo on the page that just did the unsubscribe.
 */
let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

const { post, pageOf, cookieOf, csrfOf, lastLink } = sessionForms(() => t);
const actions = async (contactId: string) => (await t.core.store.ledger.forContact(contactId)).map((e) => `${e.action}:${e.topic}`);

describe('the attack: a messages:prepare key switches mail back on', () => {
  it('transactional mail carries no preferences link', async () => {
    const link = await t.linkFor('ann.gone@example.com', 'newsletter');
    await unsubscribe(t.core, { contactId: link.contact.id, topic: '*', source: 'one-click' });
    const key = await t.keyWith(['messages:prepare']);
    const res = await t.api('/api/v1/messages/prepare', { key, body: { to: 'ann.gone@example.com', template: 'login', transactional: true, data: { loginUrl: 'https://x.test/', minutesValid: 5 } } });
    const mail = await json(res);
    expect(mail).toMatchObject({ send: true, preferencesUrl: null });
    expect(mail.html).not.toContain('/p/');
  });

  it('from a footer-link session, "mail on" after unsubscribing from everything only mails a confirmation', async () => {
    const link = await t.linkFor('bo.gone@example.com', 'newsletter');
    await unsubscribe(t.core, { contactId: link.contact.id, topic: '*', source: 'one-click' });
    const cookie = cookieOf(await t.app.request(link.prefsPath));
    const before = await actions(link.contact.id);
    const sent = t.mails.length;
    const res = await post('/preferences/all', cookie, { _csrf: await csrfOf(cookie), mail: 'on' });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/preferences?done=confirm');
    expect(await t.check('bo.gone@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });
    expect(await actions(link.contact.id)).toEqual(before); // no subscribe on the ledger
    expect(t.mails).toHaveLength(sent + 1);
    expect(t.mails.at(-1)!.to).toBe('bo.gone@example.com');
    // The owner follows the mailed link: now it is their consent.
    const confirm = lastLink('/preferences/confirm');
    expect((await t.app.request(confirm)).status).toBe(200);
    expect((await post(confirm, null)).status).toBe(200);
    expect(await t.check('bo.gone@example.com', 'newsletter')).toMatchObject({ suppressed: false });
    expect((await actions(link.contact.id)).at(-1)).toBe('subscribe:*');
    expect((await post(confirm, null)).status).toBe(400); // once
  });

  it('the same for one topic: pending until the mailed link is followed', async () => {
    const link = await t.linkFor('cy.topic@example.com', 'newsletter');
    await unsubscribe(t.core, { contactId: link.contact.id, topic: 'newsletter', source: 'one-click' });
    const cookie = cookieOf(await t.app.request(link.prefsPath));
    const res = await post('/preferences', cookie, { _csrf: await csrfOf(cookie), shown: ['newsletter'], topic: ['newsletter'] });
    expect(res.headers.get('location')).toBe('/preferences?done=confirm');
    expect(await t.check('cy.topic@example.com', 'newsletter')).toMatchObject({ suppressed: true });
    expect((await t.core.store.contacts.subscriptions(link.contact.id)).find((s) => s.topicId === 'newsletter')?.status).toBe('pending');
    expect((await post(lastLink('/preferences/confirm'), null)).status).toBe(200);
    expect(await t.check('cy.topic@example.com', 'newsletter')).toMatchObject({ suppressed: false });
  });

  it('lifting a pause from a footer-link session is refused', async () => {
    const link = await t.linkFor('di.pause@example.com', 'newsletter');
    const cookie = cookieOf(await t.app.request(link.prefsPath));
    const csrf = await csrfOf(cookie);
    await post('/preferences/pause', cookie, { _csrf: csrf, days: '30' });
    expect((await post('/preferences/pause', cookie, { _csrf: csrf, days: '0' })).status).toBe(403);
    expect((await t.core.store.contacts.byId(link.contact.id))!.pausedUntil).not.toBeNull();
  });
});

describe('proof that counts', () => {
  it('a session signed in by a mailed link turns mail back on at once', async () => {
    const link = await t.linkFor('ed.proven@example.com', 'newsletter');
    await unsubscribe(t.core, { contactId: link.contact.id, topic: '*', source: 'one-click' });
    const sent = t.mails.length;
    await post('/preferences/login', null, { email: 'ed.proven@example.com' });
    await vi.waitFor(() => expect(t.mails.length).toBe(sent + 1), { timeout: 30_000 });
    const cookie = cookieOf(await post(lastLink('/preferences/signin'), null));
    const res = await post('/preferences/all', cookie, { _csrf: await csrfOf(cookie), mail: 'on' });
    expect(res.headers.get('location')).toBe('/preferences?done=saved');
    expect(await t.check('ed.proven@example.com', 'newsletter')).toMatchObject({ suppressed: false });
  });

  it('the immediate undo in the preference center: the page that unsubscribed carries the grant', async () => {
    const link = await t.linkFor('flo.undo@example.com', 'newsletter');
    const cookie = cookieOf(await t.app.request(link.prefsPath));
    const csrf = await csrfOf(cookie);
    const off = await post('/preferences/all', cookie, { _csrf: csrf, mail: 'off' });
    const next = off.headers.get('location')!;
    expect(next).toMatch(/^\/preferences\?done=saved&undo=/);
    const undo = /name="undo" value="([^"]+)"/.exec(await pageOf(cookie, next))![1]!;
    expect((await post('/preferences/all', cookie, { _csrf: csrf, mail: 'on', undo })).headers.get('location')).toBe('/preferences?done=saved');
    expect(await t.check('flo.undo@example.com', 'newsletter')).toMatchObject({ suppressed: false });
    // Used once; a second "on" after another "off" without it needs the mailed confirmation.
    await post('/preferences/all', cookie, { _csrf: csrf, mail: 'off' });
    expect((await post('/preferences/all', cookie, { _csrf: csrf, mail: 'on', undo })).status).toBe(400);
    expect(await t.check('flo.undo@example.com', 'newsletter')).toMatchObject({ suppressed: true });
  });

  it('the undo on the unsubscribe page works right after, and not from the link alone or later', async () => {
    const link = await t.linkFor('gus.page@example.com', 'newsletter');
    const form = (fields: Record<string, string>) => t.app.request(link.path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
    const done = await (await form({ action: 'all' })).text();
    const undo = /name="undo" value="([^"]+)"/.exec(done)![1]!;
    // Someone holding only the link (a forwarded mail) cannot give the consent back.
    expect((await form({ action: 'undo-all' })).status).toBe(400);
    expect((await form({ action: 'undo', undo })).status).toBe(400); // a grant for '*' is not one for the topic
    expect(await t.check('gus.page@example.com', 'newsletter')).toMatchObject({ suppressed: true });
    expect((await form({ action: 'undo-all', undo })).status).toBe(200);
    expect(await t.check('gus.page@example.com', 'newsletter')).toMatchObject({ suppressed: false });
    expect((await form({ action: 'undo-all', undo })).status).toBe(400); // once
    // A grant is for minutes.
    const later = /name="undo" value="([^"]+)"/.exec(await (await form({ action: 'topic' })).text())![1]!;
    t.clock.advance(11 * 60_000);
    expect((await form({ action: 'undo', undo: later })).status).toBe(400);
    expect(await t.check('gus.page@example.com', 'newsletter')).toMatchObject({ suppressed: true });
  });
});
