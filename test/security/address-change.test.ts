import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { linksFor } from '../../src/core/links.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { sessionForms } from '../helpers/session-forms.ts';

/**
 * An address change ends what the old mailbox could do: other sessions end, preference and
 * sign-in links sent before the change open nothing; unsubscribe links keep working.
 */
let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

const { post, cookieOf, csrfOf, lastLink } = sessionForms(() => t);
const status = async (cookie: string) => (await t.app.request('/preferences', { headers: { cookie } })).status;
const mailed = (n: number) => vi.waitFor(() => expect(t.mails.length).toBe(n), { timeout: 30_000 });

describe('after an address change', () => {
  it('other sessions end, old preference and sign-in links stop working, unsubscribe links still work', async () => {
    const link = await t.linkFor('old.box@example.com', 'newsletter');
    const oldUnsub = link.path;
    const oldPrefs = link.prefsPath;
    // A forwarded footer link opened in someone else's browser: a session of its own.
    const other = cookieOf(await t.app.request(oldPrefs));
    // A sign-in link in the old mailbox, not yet used.
    let sent = t.mails.length;
    await post('/preferences/login', null, { email: 'old.box@example.com' });
    await mailed(++sent);
    const oldSignIn = lastLink('/preferences/signin');
    // The owner signs in with another sign-in link and changes the address.
    await post('/preferences/login', null, { email: 'old.box@example.com' });
    await mailed(++sent);
    const owner = cookieOf(await post(lastLink('/preferences/signin'), null));
    t.clock.advance(60_000);
    expect((await post('/preferences/email', owner, { _csrf: await csrfOf(owner), email: 'new.box@example.com' })).status).toBe(200);
    const confirm = lastLink('/preferences/email/confirm');
    t.clock.advance(60_000);
    expect((await post(confirm, owner)).status).toBe(200);
    expect((await t.core.store.contacts.byId(link.contact.id))!.email).toBe('new.box@example.com');

    expect(await status(owner)).toBe(200); // the browser that confirmed stays signed in
    expect(await status(other)).toBe(303); // every other session ended
    expect((await t.app.request(oldPrefs)).status).toBe(400); // old preference link
    expect((await post(oldSignIn, null)).status).toBe(400); // old sign-in link

    // The unsubscribe link in an old mail still works, and reaches the current address.
    const res = await t.app.request(oldUnsub, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    expect(await t.check('new.box@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });

    // Links made after the change work.
    const fresh = linksFor(t.core, { contactId: link.contact.id, topic: 'newsletter' });
    expect((await t.app.request(new URL(fresh.preferencesUrl).pathname)).status).toBe(303);
  });
});
