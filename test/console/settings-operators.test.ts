import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { adminCookie, consoleGet, consolePost, PASSWORD, signedInOperator } from '../helpers/console.ts';

/** Operator settings through the real app: invite with a setup link shown once, roles, disabling, the last admin. */
let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInOperator>>;

beforeAll(async () => {
  t = await makeTestApp();
  admin = await signedInOperator(t, 'admin', 'boss@ops.example');
});
afterAll(() => t.close());

const PAGE = '/admin/settings/operators';
const post = (path: string, fields: Record<string, string> = {}, as = admin) => consolePost(t, path, as.cookie, { _csrf: as.csrf, ...fields });
const signIn = (email: string) => consolePost(t, '/admin/login', null, { email, password: PASSWORD });
const audit = async () => (await t.core.store.operators.recentAudit(50)).map((a) => `${a.action} ${a.target ?? ''}`);

describe('operator settings', () => {
  it('is for admins only', async () => {
    for (const role of ['privacy', 'viewer'] as const) {
      const op = await signedInOperator(t, role);
      expect((await consoleGet(t, PAGE, op.cookie)).status).toBe(403);
      expect((await post(PAGE, { email: 'x@ops.example', role: 'admin' }, op)).status).toBe(403);
      // …and the settings index does not offer them a page they may not open.
      const index = await (await consoleGet(t, '/admin/settings', op.cookie)).text();
      expect(index).toContain('href="/admin/settings/topics"');
      expect(index).not.toContain(`href="${PAGE}"`);
    }
    expect(await (await consoleGet(t, '/admin/settings', admin.cookie)).text()).toContain(`href="${PAGE}"`);
  });

  it('lists operators with role, status and last sign-in', async () => {
    expect((await signIn('boss@ops.example')).status).toBe(303);
    const html = await (await consoleGet(t, PAGE, admin.cookie)).text();
    const row = /<th scope="row" class="break">boss@ops\.example<\/th>[\s\S]*?<\/tr>/.exec(html)![0];
    expect(row).toContain('<td>admin</td>');
    expect(row).toContain('<td>active</td>');
    expect([...row.matchAll(/<time /g)]).toHaveLength(2); // added, last sign-in
    expect(row).toContain('you'); // no controls on one's own row
    expect(row).not.toContain('<form');
  });

  it('invites an operator: the setup link is shown once, in the answer, and works', async () => {
    const bad = await post(PAGE, { email: 'not an address', role: 'viewer' });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain('Address: ');
    expect((await post(PAGE, { email: 'new@ops.example', role: 'owner' })).status).toBe(400);

    const res = await post(PAGE, { email: 'New@Ops.Example', role: 'privacy' });
    expect(res.status).toBe(200);
    const html = await res.text();
    const url = /<code id="setup-url">([^<]+)<\/code>/.exec(html)![1]!;
    expect(url).toMatch(/^https:\/\/optbox\.test\/admin\/setup\/[\w-]{40,}$/);
    // Nowhere else: not on the page afterwards, not in the audit log.
    expect(await (await consoleGet(t, PAGE, admin.cookie)).text()).not.toContain(url);
    expect(JSON.stringify(await t.core.store.operators.recentAudit(50))).not.toContain(new URL(url).pathname.split('/').at(-1));
    expect(await audit()).toContain(`operator.create ${(await t.core.store.operators.byEmail('new@ops.example'))!.id}`);
    expect(await (await consoleGet(t, PAGE, admin.cookie)).text()).toContain('invited (no password yet)');
    // The same address again: refused, naming the field.
    const again = await post(PAGE, { email: 'new@ops.example', role: 'viewer' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('Address: an operator with this address exists');

    t.clock.advance(60_000);
    const setup = await consolePost(t, new URL(url).pathname, null, { password: PASSWORD, repeat: PASSWORD });
    expect(setup.status).toBe(303);
    // Setting the password signs in: that is the last sign-in now.
    const row = /new@ops\.example<\/th>[\s\S]*?<\/tr>/.exec(await (await consoleGet(t, PAGE, admin.cookie)).text())![0];
    expect([...row.matchAll(/<time datetime="([^"]+)"/g)].map((m) => m[1])).toEqual([new Date(t.clock.now() - 60_000).toISOString(), new Date(t.clock.now()).toISOString()]);
    expect((await consoleGet(t, '/admin/requests', adminCookie(setup))).status).toBe(200);
  });

  it('changes a role; the new role applies to the running session', async () => {
    const op = await signedInOperator(t, 'viewer', 'vic@ops.example');
    expect((await post('/admin/requests', {}, op)).status).toBe(403);
    expect((await post(`${PAGE}/${op.id}/role`, { role: 'superuser' })).status).toBe(400);
    expect((await post(`${PAGE}/${op.id}/role`, { role: 'privacy' })).headers.get('location')).toBe(`${PAGE}?done=role`);
    expect((await t.core.store.operators.byId(op.id))!.role).toBe('privacy');
    // The same session may now log a privacy request (an empty one: 400, not 403).
    expect((await post('/admin/requests', {}, op)).status).toBe(400);
    expect(await audit()).toContain(`operator.role ${op.id}`);
    expect((await post(`${PAGE}/no-such-operator/role`, { role: 'viewer' })).status).toBe(404);
  });

  it('disabling ends the sessions at once and refuses sign-in; enabling lets them back', async () => {
    const op = await signedInOperator(t, 'privacy', 'pat@ops.example');
    expect((await consoleGet(t, '/admin', op.cookie)).status).toBe(200);
    expect((await post(`${PAGE}/${op.id}/disable`)).headers.get('location')).toBe(`${PAGE}?done=disabled`);
    const dead = await consoleGet(t, '/admin', op.cookie);
    expect(dead.status).toBe(303);
    expect(dead.headers.get('location')).toBe('/admin/login');
    expect((await t.core.store.operators.sessionsOf(op.id)).length).toBe(0);
    const refused = await signIn('pat@ops.example');
    expect(refused.headers.getSetCookie().some((c) => /^optbox_admin=[^;]/.test(c))).toBe(false);
    expect(await (await consoleGet(t, PAGE, admin.cookie)).text()).toMatch(/pat@ops\.example<\/th>[\s\S]*?<span class="tag">disabled<\/span>/);
    expect(await audit()).toContain(`operator.disable ${op.id}`);

    expect((await post(`${PAGE}/${op.id}/enable`)).headers.get('location')).toBe(`${PAGE}?done=enabled`);
    expect(adminCookie(await signIn('pat@ops.example'))).toMatch(/^optbox_admin=/);
    expect(await audit()).toContain(`operator.enable ${op.id}`);
  });

  it('nobody demotes or disables themselves, and the last enabled admin stays', async () => {
    const self = await post(`${PAGE}/${admin.id}/disable`);
    expect(self.status).toBe(409);
    expect(await self.text()).toContain('you cannot disable yourself');
    expect((await post(`${PAGE}/${admin.id}/role`, { role: 'viewer' })).status).toBe(409);

    // A second admin may demote the first, but then not themselves be left alone to be disabled.
    const second = await signedInOperator(t, 'admin', 'second@ops.example');
    expect((await post(`${PAGE}/${admin.id}/role`, { role: 'viewer' }, second)).status).toBe(303);
    expect((await t.core.store.operators.byId(admin.id))!.role).toBe('viewer');
    // Only `second` is an enabled admin now: the store refuses to take that away, whoever asks.
    const last = await t.core.store.operators.change({ id: second.id, change: { disabled: true }, at: t.clock.now(), actor: admin.id });
    expect(last).toBe('last-admin');
    expect((await t.core.store.operators.byId(second.id))!.disabledAt).toBeNull();
    expect(await t.core.store.operators.change({ id: second.id, change: { role: 'viewer' }, at: t.clock.now(), actor: admin.id })).toBe('last-admin');
    // Restore: second makes the first admin again.
    expect((await post(`${PAGE}/${admin.id}/role`, { role: 'admin' }, second)).status).toBe(303);
  });
});
