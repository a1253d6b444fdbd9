import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allows, OPERATOR_ROLES, type Permission } from '../../src/auth/roles.ts';
import { createConsoleRoutes } from '../../src/routes/admin/index.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { consoleGet, consolePost, signedInOperator } from '../helpers/console.ts';

/**
 * Every console route, with every role and without a session. The list comes from the app
 * itself, so a route added later is covered (and fails here if it was added without a permission).
 */
let t: TestApp;
let routes: Array<{ method: 'GET' | 'POST'; path: string; permission: Permission }>;
let subscriberCookie: string;

beforeAll(async () => {
  t = await makeTestApp();
  const permissions = createConsoleRoutes(t.deps).permissions;
  const seen = new Set<string>();
  routes = [];
  for (const r of t.app.routes) {
    if (!(r.path === '/admin' || r.path.startsWith('/admin/')) || r.method === 'ALL') continue;
    const key = `${r.method} ${r.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    routes.push({ method: r.method as 'GET' | 'POST', path: r.path, permission: permissions.get(key) as Permission });
  }
  const link = await t.linkFor('subscriber@example.com', 'newsletter');
  subscriberCookie = (await t.app.request(link.prefsPath)).headers.get('set-cookie')!.split(';')[0]!;
});
afterAll(() => t.close());

const concrete = (path: string) => path.replace(/:(\w+)(\{[^}]*\})?/g, (_, name: string) => (name === 'token' ? 'no-such-token' : 'no-such-' + name));

describe('console authorization', () => {
  it('finds the console routes, each registered with a permission', () => {
    expect(routes.length).toBeGreaterThan(10);
    for (const r of routes) expect(r.permission, `${r.method} ${r.path} has no permission`).toBeDefined();
    // Reading is allowed to everyone (but the operator list, an admin's); a viewer may change nothing beyond their own session.
    for (const r of routes) if (r.method === 'GET') expect(['read', 'public', ...(r.path === '/admin/settings/operators' ? ['operators'] : [])]).toContain(r.permission);
  });

  it('without a session (or with a subscriber session) nothing but sign-in and setup answers', async () => {
    for (const cookie of [null, subscriberCookie]) {
      for (const r of routes) {
        if (r.permission === 'public') continue;
        const path = concrete(r.path);
        const res = r.method === 'GET' ? await consoleGet(t, path, cookie) : await consolePost(t, path, cookie, {});
        if (r.method === 'GET') {
          expect(res.status, `GET ${path}`).toBe(303);
          expect(res.headers.get('location')).toBe('/admin/login');
        } else expect(res.status, `POST ${path}`).toBe(401);
      }
    }
  });

  for (const role of OPERATOR_ROLES) {
    it(`a ${role} gets exactly what the role allows, on every route`, async () => {
      const reader = await signedInOperator(t, role);
      for (const r of routes) {
        if (r.permission === 'public') continue;
        const path = concrete(r.path);
        // A fresh session per POST: sign-out and revocation end the session they run in.
        const op = r.method === 'GET' ? reader : await signedInOperator(t, role);
        const res = r.method === 'GET' ? await consoleGet(t, path, op.cookie) : await consolePost(t, path, op.cookie, { _csrf: op.csrf });
        const label = `${role} ${r.method} ${path} (${r.permission})`;
        if (allows(role, r.permission)) {
          expect([401, 403], label).not.toContain(res.status);
          expect(res.status, label).toBeLessThan(500);
        } else {
          expect(res.status, label).toBe(403);
        }
      }
    });
  }

  it('a viewer can change nothing: every POST but signing out is refused', async () => {
    for (const r of routes.filter((x) => x.method === 'POST' && x.permission !== 'public' && x.permission !== 'self')) {
      const viewer = await signedInOperator(t, 'viewer');
      const res = await consolePost(t, concrete(r.path), viewer.cookie, { _csrf: viewer.csrf });
      expect(res.status, r.path).toBe(403);
    }
  });

  it('privacy requests: every operator reads them; admin and privacy officers act on them, a viewer never', () => {
    const own = routes.filter((r) => r.path === '/admin/requests' || r.path.startsWith('/admin/requests/'));
    expect(own.map((r) => `${r.method} ${r.path} ${r.permission}`).sort()).toEqual([
      'GET /admin/requests read',
      'GET /admin/requests/:id read',
      'GET /admin/requests/new read',
      'POST /admin/requests requests',
      'POST /admin/requests/:id/close requests',
      'POST /admin/requests/:id/extend requests',
      'POST /admin/requests/:id/fulfil requests',
      'POST /admin/requests/:id/refuse requests',
      'POST /admin/requests/:id/resend requests',
    ]);
    expect(OPERATOR_ROLES.filter((role) => allows(role, 'requests'))).toEqual(['admin', 'privacy']);
  });
});
