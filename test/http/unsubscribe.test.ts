import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { form, makeTestApp, type TestApp } from '../helpers/app.ts';

let t: TestApp;
beforeEach(async () => {
  t = await makeTestApp();
});
afterEach(() => t.close());

describe('RFC 8058 one-click', () => {
  it('multipart/form-data POST suppresses only that topic and answers 200 without redirect', async () => {
    const link = await t.linkFor('ann@example.com', 'newsletter');
    const body = new FormData();
    body.set('List-Unsubscribe', 'One-Click');
    const res = await t.app.request(link.path, { method: 'POST', body });
    expect(res.status).toBe(200);
    expect(res.headers.get('location')).toBeNull();
    expect(await t.check('ann@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'unsubscribe', scope: 'newsletter' });
    expect(await t.check('ann@example.com', 'marketing')).toMatchObject({ suppressed: false });
  });

  it('application/x-www-form-urlencoded POST works the same', async () => {
    const link = await t.linkFor('bob@example.com', 'marketing');
    const res = await t.app.request(link.path, form({ 'List-Unsubscribe': 'One-Click' }));
    expect(res.status).toBe(200);
    expect(await t.check('bob@example.com', 'marketing')).toMatchObject({ suppressed: true, scope: 'marketing' });
  });

  it('is idempotent: a second one-click succeeds and writes no second ledger row', async () => {
    const link = await t.linkFor('cas@example.com', 'newsletter');
    expect((await t.app.request(link.path, form({ 'List-Unsubscribe': 'One-Click' }))).status).toBe(200);
    const rows = (await t.core.store.ledger.forContact(link.contact.id)).length;
    expect((await t.app.request(link.path, form({ 'List-Unsubscribe': 'One-Click' }))).status).toBe(200);
    expect((await t.core.store.ledger.forContact(link.contact.id)).length).toBe(rows);
  });

  it('records source one-click and the campaign in the ledger', async () => {
    const link = await t.linkFor('dee@example.com', 'newsletter', { campaign: 'nov-2026' });
    await t.app.request(link.path, form({ 'List-Unsubscribe': 'One-Click' }));
    const events = await t.core.store.ledger.forContact(link.contact.id);
    expect(events.at(-1)).toMatchObject({ action: 'unsubscribe', topic: 'newsletter', source: 'one-click', campaign: 'nov-2026', policyVersion: '2.0' });
  });
});

describe('lenient where a client clearly asked to unsubscribe', () => {
  it('honours the exact one-click body sent with another or no Content-Type', async () => {
    const link = await t.linkFor('ray@example.com', 'newsletter');
    const res = await t.app.request(link.path, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'List-Unsubscribe=One-Click' });
    expect(res.status).toBe(200);
    expect(await t.check('ray@example.com', 'newsletter')).toMatchObject({ suppressed: true });
  });
});

describe('GET and HEAD change nothing', () => {
  it('shows the confirm page and leaves the address unsuppressed', async () => {
    const link = await t.linkFor('eve@example.com', 'newsletter');
    const res = await t.app.request(link.path, { headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.startsWith('<!doctype html><html lang="en">')).toBe(true);
    expect(html).toContain('Unsubscribe from Newsletter?');
    expect(html).toContain(`action="${link.path}"`);
    expect((await t.app.request(link.path, { method: 'HEAD' })).status).toBe(200);
    expect(await t.check('eve@example.com', 'newsletter')).toMatchObject({ suppressed: false });
    expect(await t.core.store.ledger.forContact(link.contact.id)).toHaveLength(1); // only the subscribe
  });
});

/** The undo grant the done page carries (see core/consent-proof.ts). */
const undoOf = (html: string) => /name="undo" value="([^"]+)"/.exec(html)![1]!;

describe('the confirm page and its own buttons', () => {
  it('unsubscribes from the topic, then undo resubscribes', async () => {
    const link = await t.linkFor('fay@example.com', 'newsletter');
    const done = await t.app.request(link.path, form({ action: 'topic' }));
    expect(done.status).toBe(200);
    const html = await done.text();
    expect(html).toContain('You are unsubscribed');
    expect(html).toContain('name="action" value="undo"');
    expect(await t.check('fay@example.com', 'newsletter')).toMatchObject({ suppressed: true });

    const grant = /name="undo" value="([^"]+)"/.exec(html)![1]!; // the page's own undo (single use, minutes)
    const undo = await t.app.request(link.path, form({ action: 'undo', undo: grant }));
    expect(await undo.text()).toContain('You are subscribed to Newsletter again.');
    expect(await t.check('fay@example.com', 'newsletter')).toMatchObject({ suppressed: false });
    const actions = (await t.core.store.ledger.forContact(link.contact.id)).map((e) => `${e.action}:${e.topic}:${e.source}`);
    expect(actions).toEqual(['subscribe:newsletter:api', 'unsubscribe:newsletter:unsubscribe-page', 'subscribe:newsletter:unsubscribe-page']);
  });

  it('unsubscribe from everything suppresses every topic; undo-all restores exactly what was on', async () => {
    const link = await t.linkFor('gus@example.com', 'newsletter');
    // marketing is opt-in and gus never subscribed; updates is opt-out, so on by default
    const done = await (await t.app.request(link.path, form({ action: 'all' }))).text();
    for (const topic of ['newsletter', 'marketing', 'updates']) {
      expect(await t.check('gus@example.com', topic)).toMatchObject({ suppressed: true, scope: '*' });
    }
    await t.app.request(link.path, form({ action: 'undo-all', undo: undoOf(done) }));
    expect(await t.check('gus@example.com', 'newsletter')).toMatchObject({ suppressed: false });
    const subs = Object.fromEntries((await t.core.store.contacts.subscriptions(link.contact.id)).map((s) => [s.topicId, s.status]));
    expect(subs).toEqual({ newsletter: 'subscribed', updates: 'subscribed' });
  });

  it('undo never lifts a bounce', async () => {
    const link = await t.linkFor('hal@example.com', 'newsletter');
    const done = await (await t.app.request(link.path, form({ action: 'all' }))).text();
    const { suppress } = await import('../../src/core/suppressions.ts');
    await suppress(t.core, { email: 'hal@example.com', reason: 'bounce', source: 'bounce-webhook', scope: 'newsletter' });
    const page = await (await t.app.request(link.path, form({ action: 'undo-all', undo: undoOf(done) }))).text();
    expect(page).toContain('still blocked');
    expect(await t.check('hal@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'bounce' });
  });

  it('shows "already unsubscribed" on a second visit', async () => {
    const link = await t.linkFor('ida@example.com', 'newsletter');
    await t.app.request(link.path, form({ 'List-Unsubscribe': 'One-Click' }));
    expect(await (await t.app.request(link.path)).text()).toContain('You are already unsubscribed from Newsletter');
  });

  it('speaks the contact\'s language, and the browser\'s for errors', async () => {
    const link = await t.linkFor('jan@example.nl', 'newsletter', { locale: 'nl' });
    const nl = await (await t.app.request(link.path, { headers: { 'accept-language': 'en-GB,en;q=0.9' } })).text();
    expect(nl).toContain('<html lang="nl">');
    expect(nl).toContain('Uitschrijven voor Nieuwsbrief?');
    expect(await (await t.app.request(`${link.path}?lang=en`)).text()).toContain('Unsubscribe from Newsletter?');
    const err = await t.app.request('/u/not-a-token', { headers: { 'accept-language': 'nl-NL,nl;q=0.9,en;q=0.5' } });
    expect(err.status).toBe(400);
    expect(await err.text()).toContain('Deze link werkt niet');
  });

  it('never shows the full address on a page reached by a link', async () => {
    const link = await t.linkFor('katherine@example.com', 'newsletter');
    const html = await (await t.app.request(link.path)).text();
    expect(html).not.toContain('katherine@example.com');
    expect(html).toContain('ka••••••@example.com');
  });

  it('sends security headers: CSP without inline script, no referrer, no caching', async () => {
    const link = await t.linkFor('lee@example.com', 'newsletter');
    const res = await t.app.request(link.path);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    // Error pages and API errors carry them too (they are set before the handler runs).
    for (const other of [await t.app.request('/u/broken'), await t.app.request('/nope'), await t.api('/api/v1/suppressions/check', { key: null, body: {} })]) {
      expect(other.headers.get('content-security-policy')).toContain("default-src 'none'");
      expect(other.headers.get('x-content-type-options')).toBe('nosniff');
      expect(other.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});

describe('bad links and bad bodies change nothing', () => {
  async function unchanged(email: string) {
    expect(await t.check(email, 'newsletter')).toMatchObject({ suppressed: false });
  }

  it('rejects tampered, alg:none, wrong-purpose and expired links with a 400 page', async () => {
    const link = await t.linkFor('max@example.com', 'newsletter');
    const [h, p, s] = link.path.slice(3).split('.');
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const tampered = `/u/${h}.${b64({ p: 'u', s: link.contact.id, t: 'marketing' })}.${s}`;
    const none = `/u/${b64({ alg: 'none', typ: 'JWT' })}.${p}.`;
    const prefs = `/u/${link.prefsPath.slice(3)}`;
    const expired = `/u/${t.core.tokens.sign('unsub', { contactId: link.contact.id, topic: 'newsletter' }, { expiresInSeconds: 1 })}`;
    t.clock.advance(5000);
    for (const path of [tampered, none, prefs, expired]) {
      for (const init of [{}, form({ 'List-Unsubscribe': 'One-Click' })]) {
        const res = await t.app.request(path, { ...init, headers: { ...(init as { headers?: Record<string, string> }).headers, 'accept-language': 'en' } });
        expect(res.status, path).toBe(400);
        expect(res.headers.get('content-type')).toContain('text/html');
        expect(await res.text()).toContain('This link does not work');
      }
    }
    await unchanged('max@example.com');
  });

  it("an erased person's old link: GET says so with 404, one-click still answers 200, nothing comes back", async () => {
    const link = await t.linkFor('sam@example.com', 'newsletter');
    const { eraseContact } = await import('../../src/core/erasure.ts');
    await eraseContact(t.core, { contactId: link.contact.id, source: 'api' });
    expect((await t.app.request(link.path, { headers: { 'accept-language': 'en' } })).status).toBe(404);
    const res = await t.app.request(link.path, { ...form({ 'List-Unsubscribe': 'One-Click' }), headers: { ...form({}).headers, 'accept-language': 'en' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Your data was erased');
    expect(await t.check('sam@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'erasure', scope: '*' });
    expect((await t.app.request(link.path, form({ action: 'undo-all' }))).status).toBe(200);
    expect(await t.check('sam@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'erasure' });
  });

  it('answers 404 for a well-signed link to a contact that does not exist', async () => {
    const path = `/u/${t.core.tokens.sign('unsub', { contactId: 'nobody', topic: 'newsletter' })}`;
    expect((await t.app.request(path)).status).toBe(404);
    expect((await t.app.request(path, form({ 'List-Unsubscribe': 'One-Click' }))).status).toBe(404);
  });

  it('refuses a POST without List-Unsubscribe=One-Click or a known action', async () => {
    const link = await t.linkFor('ned@example.com', 'newsletter');
    expect((await t.app.request(link.path, form({ 'List-Unsubscribe': 'Nope' }))).status).toBe(400);
    expect((await t.app.request(link.path, form({ action: 'delete-everything' }))).status).toBe(400);
    expect((await t.app.request(link.path, { method: 'POST' })).status).toBe(415);
    expect((await t.app.request(link.path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"List-Unsubscribe":"One-Click"}' })).status).toBe(415);
    expect((await t.app.request(link.path, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'unsubscribe me' })).status).toBe(415);
    expect((await t.app.request(link.path, { method: 'POST', headers: { 'content-type': 'multipart/form-data; boundary=x' }, body: 'garbage' })).status).toBe(400);
    await unchanged('ned@example.com');
  });

  it('refuses an oversize body with 413', async () => {
    const link = await t.linkFor('oli@example.com', 'newsletter');
    const res = await t.app.request(link.path, form({ 'List-Unsubscribe': 'One-Click', pad: 'x'.repeat(64 * 1024) }));
    expect(res.status).toBe(413);
    await unchanged('oli@example.com');
  });

  it('answers unknown pages with a 404 page, not 200', async () => {
    const res = await t.app.request('/nope', { headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain('We could not find that');
  });
});
