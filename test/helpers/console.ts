import { createOperator } from '../../src/core/operators.ts';
import type { OperatorRole } from '../../src/db/store.ts';
import type { TestApp } from './app.ts';

export const ORIGIN = 'https://optbox.test';
export const PASSWORD = 'correct horse battery staple';

/** POST a console form as a browser on this site would (Origin, cookie, fields). */
export function consolePost(t: TestApp, path: string, cookie: string | null, fields: Record<string, string | string[]>, origin: string | null = ORIGIN) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (cookie) headers.cookie = cookie;
  if (origin) headers.origin = origin;
  return t.app.request(path, { method: 'POST', headers, body: body.toString() });
}

export function consoleGet(t: TestApp, path: string, cookie: string | null) {
  return t.app.request(path, { headers: cookie ? { cookie } : {} });
}

/** The `optbox_admin=…` pair of a Set-Cookie answer. */
export function adminCookie(res: Response): string {
  const set = res.headers.getSetCookie().find((c) => c.startsWith('optbox_admin=') && !c.startsWith('optbox_admin=;'));
  if (!set) throw new Error(`no console session cookie (status ${res.status})`);
  return set.split(';')[0]!;
}

export const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** An operator of a role, signed in through the setup link as a real one would be: cookie and form token. */
export async function signedInOperator(t: TestApp, role: OperatorRole, email = `${role}-${Math.random().toString(36).slice(2, 8)}@ops.example`) {
  const created = await createOperator(t.core, { email, role, minutes: 60, actor: null });
  const path = new URL(created.setupUrl).pathname;
  const res = await consolePost(t, path, null, { password: PASSWORD, repeat: PASSWORD });
  if (res.status !== 303) throw new Error(`setup failed: ${res.status} ${await res.text()}`);
  const cookie = adminCookie(res);
  const page = await consoleGet(t, '/admin/sessions', cookie);
  const csrf = csrfOf(await page.text());
  return { id: created.id, email, cookie, csrf };
}
