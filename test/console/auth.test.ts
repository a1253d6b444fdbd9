import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOperator, firstRunSetupLink } from '../../src/core/operators.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { adminCookie, consoleGet, consolePost, csrfOf, PASSWORD, signedInOperator } from '../helpers/console.ts';

let t: TestApp;
beforeAll(async () => {
  t = await makeTestApp({ config: { admin: { sessionIdleMinutes: 30, sessionMaxHours: 12, setupMinutes: 60, loginLimit: 3 } } });
});
afterAll(() => t.close());

describe('first run and setup links', () => {
  it('with no operator, a first-run link creates an admin once; the link is then used up', async () => {
    const url = await firstRunSetupLink(t.core, { minutes: 60 });
    expect(url).toMatch(/^https:\/\/optbox\.test\/admin\/setup\/[\w-]{43}$/);
    const path = new URL(url!).pathname;
    const form = await consoleGet(t, path, null);
    expect(form.status).toBe(200);
    expect(await form.text()).toContain('Create the first admin');

    const short = await consolePost(t, path, null, { email: 'root@ops.example', password: 'short', repeat: 'short' });
    expect(short.status).toBe(400);
    expect(await short.text()).toContain('at least 12 characters');

    const ok = await consolePost(t, path, null, { email: 'Root@Ops.Example', password: PASSWORD, repeat: PASSWORD });
    expect(ok.status).toBe(303);
    expect(ok.headers.get('location')).toBe('/admin');
    const cookie = ok.headers.getSetCookie().find((c) => c.startsWith('optbox_admin='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/admin/);
    expect(cookie).toMatch(/Secure/);
    expect((await t.core.store.operators.byEmail('root@ops.example'))?.role).toBe('admin');

    expect((await consoleGet(t, path, null)).status).toBe(400);
    expect((await consolePost(t, path, null, { email: 'x@ops.example', password: PASSWORD, repeat: PASSWORD })).status).toBe(400);
    // Once an operator exists there is no first-run link any more.
    expect(await firstRunSetupLink(t.core, { minutes: 60 })).toBeNull();
  });

  it('an expired setup link is refused', async () => {
    const created = await createOperator(t.core, { email: 'late@ops.example', role: 'viewer', minutes: 5, actor: null });
    t.clock.advance(6 * 60_000);
    expect((await consoleGet(t, new URL(created.setupUrl).pathname, null)).status).toBe(400);
  });
});

describe('sign-in', () => {
  it('signs in with the right password, refuses a wrong one with the same answer as an unknown address', async () => {
    const op = await signedInOperator(t, 'viewer', 'vera@ops.example');
    expect(op.csrf).not.toBe('');
    const wrong = await consolePost(t, '/admin/login', null, { email: 'vera@ops.example', password: 'not the password at all' });
    const unknown = await consolePost(t, '/admin/login', null, { email: 'nobody@ops.example', password: 'not the password at all' });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.headers.getSetCookie().some((c) => c.startsWith('optbox_admin=') && !c.startsWith('optbox_admin=;'))).toBe(false);
    const ok = await consolePost(t, '/admin/login', null, { email: 'VERA@ops.example', password: PASSWORD });
    expect(ok.status).toBe(303);
    const page = await consoleGet(t, '/admin', adminCookie(ok));
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-store');
  });

  it('is rate limited per address', async () => {
    await signedInOperator(t, 'viewer', 'rita@ops.example');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await consolePost(t, '/admin/login', null, { email: 'rita@ops.example', password: 'wrong password ' + i })).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    // Even the right password is refused until the window passes.
    expect((await consolePost(t, '/admin/login', null, { email: 'rita@ops.example', password: PASSWORD })).status).toBe(429);
    t.clock.advance(16 * 60_000);
    expect((await consolePost(t, '/admin/login', null, { email: 'rita@ops.example', password: PASSWORD })).status).toBe(303);
  });

  it('a form from another site is refused, and so is a form without the session token', async () => {
    const op = await signedInOperator(t, 'admin');
    expect((await consolePost(t, '/admin/logout', op.cookie, { _csrf: op.csrf }, 'https://evil.example')).status).toBe(403);
    expect((await consolePost(t, '/admin/logout', op.cookie, { _csrf: 'forged' })).status).toBe(403);
    expect((await consoleGet(t, '/admin', op.cookie)).status).toBe(200);
  });
});

describe('sessions', () => {
  it('ends after the absolute lifetime however busy', async () => {
    const op = await signedInOperator(t, 'viewer');
    for (let h = 0; h < 11; h++) {
      t.clock.advance(60 * 60_000);
      expect((await consoleGet(t, '/admin', op.cookie)).status).toBe(200);
    }
    t.clock.advance(61 * 60_000);
    const res = await consoleGet(t, '/admin', op.cookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/login');
  });

  it('are listed, and an admin can revoke another operator’s session', async () => {
    const admin = await signedInOperator(t, 'admin');
    const viewer = await signedInOperator(t, 'viewer');
    const html = await (await consoleGet(t, '/admin/sessions', admin.cookie)).text();
    expect(html).toContain(viewer.email);
    const sessionId = viewer.cookie.split('=')[1]!;
    expect((await consolePost(t, `/admin/sessions/${sessionId}/revoke`, admin.cookie, { _csrf: admin.csrf })).status).toBe(303);
    expect((await consoleGet(t, '/admin', viewer.cookie)).status).toBe(303);
    expect((await t.core.store.operators.recentAudit(10)).map((a) => a.action)).toContain('session.revoke');
  });

  it('a viewer sees only their own sessions and cannot revoke others', async () => {
    const admin = await signedInOperator(t, 'admin');
    const viewer = await signedInOperator(t, 'viewer');
    const html = await (await consoleGet(t, '/admin/sessions', viewer.cookie)).text();
    expect(html).not.toContain(admin.email);
    expect((await consolePost(t, `/admin/sessions/${admin.cookie.split('=')[1]}/revoke`, viewer.cookie, { _csrf: viewer.csrf })).status).toBe(404);
    expect((await consoleGet(t, '/admin', admin.cookie)).status).toBe(200);
  });

  it('sign-out ends the session', async () => {
    const op = await signedInOperator(t, 'privacy');
    const html = await (await consoleGet(t, '/admin', op.cookie)).text();
    const res = await consolePost(t, '/admin/logout', op.cookie, { _csrf: csrfOf(html) });
    expect(res.status).toBe(303);
    expect((await consoleGet(t, '/admin', op.cookie)).status).toBe(303);
  });

  it('a subscriber session never reaches /admin', async () => {
    const link = await t.linkFor('sub@example.com', 'newsletter');
    const opened = await t.app.request(link.prefsPath);
    const prefsCookie = opened.headers.get('set-cookie')!.split(';')[0]!;
    expect(prefsCookie).toMatch(/^optbox_prefs=/);
    const res = await consoleGet(t, '/admin', prefsCookie);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/admin/login');
    // Even with the subscriber's session id put into the console cookie's name.
    const forged = `optbox_admin=${prefsCookie.split('=')[1]}`;
    expect((await consoleGet(t, '/admin', forged)).status).toBe(303);
  });
});
