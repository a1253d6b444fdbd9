import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

/**
 * The preference center over app.request: sessions, CSRF, each form's effect on the ledger,
 * step-up, magic links, export, address change, erasure, double opt-in. The browser flows are
 * in test/e2e/preferences.test.ts.
 */
const ORIGIN = 'https://optbox.test';
let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

/** Open a mail's preferences link; returns the session cookie. */
async function open(prefsPath: string): Promise<string> {
  const res = await t.app.request(prefsPath);
  expect(res.status).toBe(303);
  expect(res.headers.get('location')).toBe('/preferences');
  const cookie = res.headers.get('set-cookie')!;
  expect(cookie).toMatch(/^optbox_prefs=\w+/);
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Lax/i);
  expect(cookie).toMatch(/Secure/); // PUBLIC_URL is https
  expect(cookie).toMatch(/Max-Age=1800/); // expires with the idle session, not a long-lived cookie
  return cookie.split(';')[0]!;
}

async function page(cookie: string, path = '/preferences') {
  const res = await t.app.request(path, { headers: { cookie, 'accept-language': 'en' } });
  return { res, html: await res.text() };
}

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

function post(path: string, cookie: string | null, fields: Record<string, string | string[]>, origin: string | null = ORIGIN) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'en' };
  if (cookie) headers.cookie = cookie;
  if (origin) headers.origin = origin;
  return t.app.request(path, { method: 'POST', headers, body: body.toString() });
}

/** Sign-in mails go out after the answer (so it takes as long for unknown addresses): wait for one. */
// Mail goes out after the answer; the first one in a process also waits for the templates to compile.
const mailed = (count: number) => vi.waitFor(() => expect(t.mails.length).toBe(count), { timeout: 30_000 });

const lastLink = (prefix: string) => {
  const text = t.mails.at(-1)!.text;
  const m = new RegExp(`${ORIGIN}(${prefix}/[\\w.-]+)`).exec(text);
  return m![1]!;
};

describe('sessions from a mail link', () => {
  it('GET /p/ opens a session and redirects; GET changes no consent', async () => {
    const link = await t.linkFor('ann@example.com', 'newsletter');
    const before = await t.core.store.ledger.forContact(link.contact.id);
    const cookie = await open(link.prefsPath);
    const { res, html } = await page(cookie);
    expect(res.status).toBe(200);
    expect(html).toContain('Your email preferences');
    expect(html).toMatch(/id="topic-newsletter"[^>]*checked/);
    expect(html).not.toMatch(/id="topic-marketing"[^>]*checked/);
    expect(html).not.toContain('ann@example.com'); // masked
    expect(res.headers.get('referrer-policy')).toBe('same-origin');
    expect(html).toContain('<meta name="referrer" content="same-origin"/>');
    await t.app.request(link.prefsPath, { method: 'HEAD' });
    expect(await t.core.store.ledger.forContact(link.contact.id)).toEqual(before);
  });

  it('without a session /preferences sends to the sign-in page; a bad token is a 400 page', async () => {
    const res = await t.app.request('/preferences');
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/preferences/login');
    const bad = await t.app.request('/p/nonsense', { headers: { 'accept-language': 'nl' } });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Deze link werkt niet');
    const link = await t.linkFor('unsub-token@example.com', 'newsletter');
    expect((await t.app.request(link.path.replace('/u/', '/p/'))).status).toBe(400); // an unsub token is not a prefs token
  });

  it('sign-out ends the session', async () => {
    const link = await t.linkFor('bo@example.com', 'newsletter');
    const cookie = await open(link.prefsPath);
    const { html } = await page(cookie);
    const res = await post('/preferences/sign-out', cookie, { _csrf: csrfOf(html) });
    expect(res.status).toBe(200);
    expect(res.headers.get('set-cookie')).toMatch(/optbox_prefs=;/);
    expect((await page(cookie)).res.status).toBe(303);
  });
});

describe('changes from the page', () => {
  it('saves topics, language and the profiling objection, each on the ledger as preference-center', async () => {
    const link = await t.linkFor('cas@example.com', 'newsletter');
    const cookie = await open(link.prefsPath);
    const { html } = await page(cookie);
    const res = await post('/preferences', cookie, { _csrf: csrfOf(html), shown: ['newsletter', 'marketing', 'updates'], topic: ['marketing'], locale: 'nl', noProfiling: '1' });
    expect(res.status).toBe(303);
    // A footer-link session may reduce mail at once; a topic turned on waits for the mailed link.
    expect(res.headers.get('location')).toBe('/preferences?done=confirm');
    expect(await t.check('cas@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });
    expect((await t.core.store.contacts.subscriptions(link.contact.id)).find((s) => s.topicId === 'marketing')?.status).toBe('pending');
    expect((await post(lastLink('/preferences/confirm'), null, {})).status).toBe(200);
    expect(await t.check('cas@example.com', 'marketing')).toMatchObject({ suppressed: false });
    const contact = (await t.core.store.contacts.byId(link.contact.id))!;
    expect(contact).toMatchObject({ locale: 'nl', noProfiling: true });
    const events = (await t.core.store.ledger.forContact(link.contact.id)).slice(1);
    expect(events.map((e) => [e.action, e.topic])).toEqual([
      ['object', null],
      ['unsubscribe', 'newsletter'],
      ['subscribe-pending', 'marketing'],
      ['unsubscribe', 'updates'],
      ['subscribe', 'marketing'],
    ]);
    expect(events.every((e) => e.source === 'preference-center')).toBe(true);
    const after = await page(cookie, '/preferences?done=saved');
    expect(after.html).toContain('Je keuzes zijn opgeslagen.');
    expect(after.html).toMatch(/id="topic-marketing"[^>]*checked/);
    // Turning a topic back on lifts the person's own unsubscribe, once the mailed link is followed.
    await post('/preferences', cookie, { _csrf: csrfOf(html), shown: ['newsletter'], topic: ['newsletter'] });
    expect(await t.check('cas@example.com', 'newsletter')).toMatchObject({ suppressed: true });
    await post(lastLink('/preferences/confirm'), null, {});
    expect(await t.check('cas@example.com', 'newsletter')).toMatchObject({ suppressed: false });
  });

  it('unsubscribe from everything and undo; pause 30 days and resume', async () => {
    const link = await t.linkFor('dee@example.com', 'newsletter');
    const cookie = await open(link.prefsPath);
    const csrf = csrfOf((await page(cookie)).html);
    const off = await post('/preferences/all', cookie, { _csrf: csrf, mail: 'off' });
    expect(off.status).toBe(303);
    expect(await t.check('dee@example.com')).toMatchObject({ suppressed: true });
    const after = (await page(cookie, off.headers.get('location')!)).html;
    expect(after).toContain('You are unsubscribed from all emails');
    // The undo right after, on the page that did it (it carries a single-use grant).
    await post('/preferences/all', cookie, { _csrf: csrf, mail: 'on', undo: /name="undo" value="([^"]+)"/.exec(after)![1]! });
    expect(await t.check('dee@example.com', 'newsletter')).toMatchObject({ suppressed: false });

    await post('/preferences/pause', cookie, { _csrf: csrf, days: '30' });
    const paused = (await t.core.store.contacts.byId(link.contact.id))!.pausedUntil;
    expect(paused).toBe(t.clock.now() + 30 * 86_400_000);
    expect((await page(cookie)).html).toContain('All emails are paused until 28 December 2026');
    // Ending the pause brings mail back: a footer-link session may not; a signed-in one may.
    expect((await post('/preferences/pause', cookie, { _csrf: csrf, days: '0' })).status).toBe(403);
    const sent = t.mails.length;
    await post('/preferences/login', null, { email: 'dee@example.com' });
    await mailed(sent + 1);
    const strong = (await post(lastLink('/preferences/signin'), null, {})).headers.get('set-cookie')!.split(';')[0]!;
    await post('/preferences/pause', strong, { _csrf: csrfOf((await page(strong)).html), days: '0' });
    expect((await t.core.store.contacts.byId(link.contact.id))!.pausedUntil).toBeNull();
    const actions = (await t.core.store.ledger.forContact(link.contact.id)).map((e) => e.action);
    expect(actions).toEqual(['subscribe', 'unsubscribe', 'subscribe', 'restrict', 'restrict']);
  });

  it('refuses forms from another origin, without the session token, or without a session; changes nothing', async () => {
    const link = await t.linkFor('eve@example.com', 'newsletter');
    const cookie = await open(link.prefsPath);
    const csrf = csrfOf((await page(cookie)).html);
    const fields = { _csrf: csrf, mail: 'off' };
    expect((await post('/preferences/all', cookie, fields, 'https://evil.example')).status).toBe(403);
    expect((await post('/preferences/all', cookie, fields, null)).status).toBe(403);
    expect((await post('/preferences/all', cookie, { ...fields, _csrf: 'forged' })).status).toBe(403);
    expect((await post('/preferences/all', null, fields)).status).toBe(401);
    const other = await open((await t.linkFor('mallory@example.com', 'newsletter')).prefsPath);
    expect((await post('/preferences/all', other, fields)).status).toBe(403); // another session's token
    expect(await t.check('eve@example.com')).toMatchObject({ suppressed: false });
  });

  it('bad input gets a 4xx page and changes nothing', async () => {
    const link = await t.linkFor('fay@example.com', 'newsletter');
    const cookie = await open(link.prefsPath);
    const csrf = csrfOf((await page(cookie)).html);
    expect((await post('/preferences/pause', cookie, { _csrf: csrf, days: '7' })).status).toBe(400);
    expect((await post('/preferences', cookie, { _csrf: csrf, shown: ['nope'], topic: ['nope'] })).status).toBe(400);
    expect((await post('/preferences', cookie, { _csrf: csrf, shown: ['newsletter'], locale: 'de' })).status).toBe(400);
    expect((await t.core.store.ledger.forContact(link.contact.id))).toHaveLength(1);
  });

  it('the one-click POST on /u/ still needs no Origin or cookie (RFC 8058)', async () => {
    const link = await t.linkFor('gil@example.com', 'newsletter');
    const res = await t.app.request(link.path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
  });
});

describe('magic-link sign-in and step-up', () => {
  it('answers the same for known and unknown addresses; mails only the known one; the link works once', async () => {
    await t.linkFor('hal@example.com', 'newsletter');
    const sent = t.mails.length;
    const known = await post('/preferences/login', null, { email: 'HAL@example.com' });
    const unknown = await post('/preferences/login', null, { email: 'nobody@example.com' });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(200);
    expect(await known.text()).toBe(await unknown.text());
    await mailed(sent + 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(t.mails.length).toBe(sent + 1); // none for the unknown address
    expect(t.mails.at(-1)!.to).toBe('hal@example.com');
    const path = lastLink('/preferences/signin');
    // GET shows a button and uses nothing (scanners open links).
    expect((await t.app.request(path)).status).toBe(200);
    expect((await t.app.request(path)).status).toBe(200);
    const res = await post(path, null, {});
    expect(res.status).toBe(303);
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    const { html } = await page(cookie);
    expect(html).toContain('Consent history'); // a verified session sees the data section
    expect((await post(path, null, {})).status).toBe(400); // used
    t.clock.advance(31 * 60_000);
    const before = t.mails.length;
    await post('/preferences/login', null, { email: 'hal@example.com' });
    await mailed(before + 1);
    const late = lastLink('/preferences/signin');
    t.clock.advance(31 * 60_000);
    expect((await post(late, null, {})).status).toBe(400); // expired
  });

  it('rate limits sign-in links per address', async () => {
    await t.linkFor('ida@example.com', 'newsletter');
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post('/preferences/login', null, { email: 'ida@example.com' })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it('a footer-link session must step up for history, download, address change and erasure', async () => {
    const link = await t.linkFor('jo@example.com', 'newsletter');
    const cookie = await open(link.prefsPath);
    const { html } = await page(cookie);
    expect(html).not.toContain('/preferences/history');
    const csrf = csrfOf(html);
    expect((await post('/preferences/data', cookie, { _csrf: csrf })).status).toBe(403);
    expect((await post('/preferences/erase', cookie, { _csrf: csrf, confirm: 'yes' })).status).toBe(403);
    expect((await post('/preferences/email', cookie, { _csrf: csrf, email: 'jo2@example.com' })).status).toBe(403);
    expect((await page(cookie, '/preferences/history')).res.status).toBe(303);
    const verify = await post('/preferences/verify', cookie, { _csrf: csrf });
    expect(verify.status).toBe(200);
    expect(t.mails.at(-1)!.to).toBe('jo@example.com');
    const signin = await post(lastLink('/preferences/signin'), null, {});
    const strong = signin.headers.get('set-cookie')!.split(';')[0]!;
    expect((await page(strong, '/preferences/history')).res.status).toBe(200);
    // Step-up lasts minutes, not the whole session.
    t.clock.advance(16 * 60_000);
    expect((await page(strong, '/preferences/history')).res.status).toBe(303);
  });
});

describe('rights that need a verified session', () => {
  async function verifiedSession(email: string) {
    const link = await t.linkFor(email, 'newsletter');
    const before = t.mails.length;
    await post('/preferences/login', null, { email });
    await mailed(before + 1);
    const res = await post(lastLink('/preferences/signin'), null, {});
    const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
    return { link, cookie, csrf: csrfOf((await page(cookie)).html) };
  }

  it('history in plain words; download as JSON with the ledger, itself recorded', async () => {
    const { link, cookie, csrf } = await verifiedSession('kim@example.com');
    await post('/preferences/pause', cookie, { _csrf: csrf, days: '90' });
    const { html } = await page(cookie, '/preferences/history');
    expect(html).toContain('Your pause of all mail was changed');
    expect(html).toContain('You were subscribed to Newsletter');
    expect(html).toContain('via this page');
    const res = await post('/preferences/data', cookie, { _csrf: csrf });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    const data = JSON.parse(await res.text());
    expect(data.contact).toMatchObject({ id: link.contact.id, email: 'kim@example.com' });
    expect(data.subscriptions.find((s: { topic: string }) => s.topic === 'newsletter').status).toBe('subscribed');
    expect(data.consentEvents.map((e: { action: string }) => e.action)).toEqual(['subscribe', 'restrict', 'export']);
  });

  it('address change: confirmed by a link to the new address; suppressions follow', async () => {
    const { link, cookie, csrf } = await verifiedSession('lou@example.com');
    await post('/preferences', cookie, { _csrf: csrf, shown: ['newsletter'] }); // unsubscribe newsletter
    const res = await post('/preferences/email', cookie, { _csrf: csrf, email: 'lou.new@example.com' });
    expect(res.status).toBe(200);
    expect(t.mails.at(-1)!.to).toBe('lou.new@example.com');
    expect(t.mails.at(-1)!.subject).toBe('Confirm your new email address for optbox');
    expect((await t.core.store.contacts.byId(link.contact.id))!.email).toBe('lou@example.com');
    const path = lastLink('/preferences/email/confirm');
    expect((await t.app.request(path)).status).toBe(200); // GET changes nothing
    expect((await t.core.store.contacts.byId(link.contact.id))!.email).toBe('lou@example.com');
    expect((await post(path, null, {})).status).toBe(200);
    expect((await t.core.store.contacts.byId(link.contact.id))!.email).toBe('lou.new@example.com');
    expect(await t.check('lou.new@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });
    expect((await post(path, null, {})).status).toBe(400); // once
    expect((await t.core.store.ledger.forContact(link.contact.id)).at(-1)).toMatchObject({ action: 'rectify', source: 'preference-center' });
  });

  it('erasure: a confirmation step, then only the hashed suppression remains', async () => {
    const { link, cookie, csrf } = await verifiedSession('max@example.com');
    const confirm = await page(cookie, '/preferences/erase');
    expect(confirm.html).toContain('Delete your data?');
    expect((await t.core.store.contacts.byId(link.contact.id))!.status).toBe('active');
    expect((await post('/preferences/erase', cookie, { _csrf: csrf })).status).toBe(400); // no confirm
    const res = await post('/preferences/erase', cookie, { _csrf: csrf, confirm: 'yes' });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Only a scrambled (hashed) form of your address remains');
    expect((await t.core.store.contacts.byId(link.contact.id))).toMatchObject({ status: 'erased', email: null });
    expect(await t.check('max@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'erasure' });
    expect((await page(cookie)).res.status).toBe(303); // the session is gone
    expect((await t.app.request(link.prefsPath)).status).toBe(404);
  });
});

describe('double opt-in', () => {
  it('a topic that needs confirmation is pending until the mailed link is followed', async () => {
    const link = await t.linkFor('ned@example.com', 'newsletter');
    const cookie = await open(link.prefsPath);
    const csrf = csrfOf((await page(cookie)).html);
    await setDoubleOptIn('marketing', true);
    try {
      const res = await post('/preferences', cookie, { _csrf: csrf, shown: ['newsletter', 'marketing'], topic: ['newsletter', 'marketing'] });
      expect(res.headers.get('location')).toBe('/preferences?done=confirm');
      expect((await t.core.store.contacts.subscriptions(link.contact.id)).find((s) => s.topicId === 'marketing')?.status).toBe('pending');
      expect(t.mails.at(-1)!.subject).toContain('Please confirm');
      const path = lastLink('/preferences/confirm');
      expect((await t.app.request(path)).status).toBe(200);
      expect((await post(path, null, {})).status).toBe(200);
      expect((await t.core.store.contacts.subscriptions(link.contact.id)).find((s) => s.topicId === 'marketing')?.status).toBe('subscribed');
    } finally {
      await setDoubleOptIn('marketing', false);
    }
  });
});

async function setDoubleOptIn(topic: string, on: boolean) {
  await t.core.store.topics.setDoubleOptIn(topic, on);
}
