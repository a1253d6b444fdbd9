import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/core/operators.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { consoleGet, consolePost, signedInOperator } from '../helpers/console.ts';
import { onPg } from '../helpers/engine.ts';
import { eventually, secondInstance } from '../helpers/second-instance.ts';

const BASE = '/admin/settings/signing-keys';
/** The kid in a link's JWT header. */
const kidOf = (path: string) => (JSON.parse(Buffer.from(path.split('/').pop()!.split('.')[0]!, 'base64url').toString()) as { kid: string }).kid;

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInOperator>>;

beforeAll(async () => {
  t = await makeTestApp();
  admin = await signedInOperator(t, 'admin');
});
afterAll(() => t.close());

const post = (path: string, fields: Record<string, string> = {}) => consolePost(t, path, admin.cookie, { _csrf: admin.csrf, ...fields });

describe('link signing keys in the console', () => {
  let oldLink: string;
  let oldKid: string;
  let newKid: string;

  it('lists the keys by kid, never their material', async () => {
    const html = await (await consoleGet(t, BASE, admin.cookie)).text();
    const [key] = await t.core.store.secrets.signingKeys();
    oldKid = key!.kid;
    expect(html).toContain(`<code>${oldKid}</code>`);
    for (const encoding of ['base64', 'base64url', 'hex'] as const) expect(html).not.toContain(key!.secret.toString(encoding));
    expect(html).not.toContain('OPTBOX_SECRET is set');
  });

  it('rotate now: new links carry the new kid at once; a link signed before still works', async () => {
    oldLink = (await t.linkFor('before@example.com', 'newsletter')).path;
    expect(kidOf(oldLink)).toBe(oldKid);
    const res = await post(`${BASE}/rotate`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${BASE}?done=rotated`);
    const keys = await t.core.store.secrets.signingKeys();
    expect(keys.map((k) => k.kid)).toContain(oldKid);
    newKid = keys[0]!.kid;
    expect(newKid).not.toBe(oldKid);
    const newLink = (await t.linkFor('after@example.com', 'newsletter')).path;
    expect(kidOf(newLink)).toBe(newKid);
    expect((await t.app.request(oldLink)).status).toBe(200);
    expect((await t.app.request(newLink)).status).toBe(200);
    const page = await (await consoleGet(t, `${BASE}?done=rotated`, admin.cookie)).text();
    expect(page).toMatch(new RegExp(`<code>${newKid}</code></td><td>.*?</td><td><strong>yes</strong>`));
    expect((await auditLog(t.core)).some((a) => a.action === 'signing-key.rotate' && a.target === newKid && a.operatorId === admin.id)).toBe(true);
  });

  it('retiring the signing key is refused; retiring needs the confirmation; nothing changes', async () => {
    const active = await post(`${BASE}/retire`, { kid: newKid, confirm: 'yes' });
    expect(active.status).toBe(409);
    expect(await active.text()).toContain('signs new links');
    const unconfirmed = await post(`${BASE}/retire`, { kid: oldKid });
    expect(unconfirmed.status).toBe(400);
    expect(await unconfirmed.text()).toContain('confirm: tick the box');
    expect((await post(`${BASE}/retire`, { kid: 'k-no-such', confirm: 'yes' })).status).toBe(404);
    expect((await t.core.store.secrets.signingKeys()).length).toBe(2);
    expect((await t.app.request(oldLink)).status).toBe(200);
  });

  it('retiring the old key: its links get the friendly invalid-link page (not a 500); new links still work', async () => {
    const res = await post(`${BASE}/retire`, { kid: oldKid, confirm: 'yes' });
    expect(res.status).toBe(303);
    expect((await t.core.store.secrets.signingKeys()).map((k) => k.kid)).toEqual([newKid]);
    const refused = await t.app.request(oldLink, { headers: { 'accept-language': 'en' } });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).toContain('This link does not work');
    // The one-click POST too: refused, nothing unsubscribed.
    const oneClick = await t.app.request(oldLink, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect(oneClick.status).toBe(400);
    expect((await t.check('before@example.com', 'newsletter')).suppressed).toBe(false);
    expect((await t.app.request((await t.linkFor('later@example.com', 'newsletter')).path)).status).toBe(200);
    expect((await auditLog(t.core)).some((a) => a.action === 'signing-key.retire' && a.target === oldKid)).toBe(true);
    const page = await (await consoleGet(t, BASE, admin.cookie)).text();
    expect(page).not.toContain(oldKid);
    expect(page).toContain('No key can be retired');
  });

  it('a viewer sees the keys but no rotate or retire form', async () => {
    const viewer = await signedInOperator(t, 'viewer');
    const html = await (await consoleGet(t, BASE, viewer.cookie)).text();
    expect(html).toContain(newKid);
    expect(html).not.toContain(`${BASE}/rotate`);
    expect(html).not.toContain(`${BASE}/retire`);
    expect((await consolePost(t, `${BASE}/rotate`, viewer.cookie, { _csrf: viewer.csrf })).status).toBe(403);
  });
});

describe('with OPTBOX_SECRET set', () => {
  it('says that it stays the active key, and refuses to rotate a stored key in its place', async () => {
    const withSecret = await makeTestApp({ config: { secret: 'an environment secret of well over 32 bytes, for this test' } });
    try {
      const op = await signedInOperator(withSecret, 'admin');
      const html = await (await consoleGet(withSecret, BASE, op.cookie)).text();
      expect(html).toContain('OPTBOX_SECRET is set');
      const envKid = withSecret.core.tokens.activeKid();
      expect(envKid).toMatch(/^e/);
      expect(html).toContain(`<code>${envKid}</code>`);
      expect(html).not.toContain(`${BASE}/rotate`);
      const res = await consolePost(withSecret, `${BASE}/rotate`, op.cookie, { _csrf: op.csrf });
      expect(res.status).toBe(409);
      expect(await withSecret.core.store.secrets.signingKeys()).toEqual([]);
      expect(kidOf((await withSecret.linkFor('e@example.com', 'newsletter')).path)).toBe(envKid);
    } finally {
      await withSecret.close();
    }
  });
});

// Two instances on one database: each holds the key ring in memory; the 'signing_keys' version tells the other.
describe.skipIf(!onPg)('rotation across two instances on one PostgreSQL', () => {
  it('one rotates in the console; the other verifies the new links, signs with the new key, and refuses a retired one', async () => {
    const other = await secondInstance(t);
    try {
      const before = (await t.linkFor('two-before@example.com', 'newsletter')).path;
      expect((await other.app.request(before)).status).toBe(200);
      expect((await post(`${BASE}/rotate`)).status).toBe(303);
      const rotated = t.core.tokens.activeKid();
      const signedHere = (await t.linkFor('two-after@example.com', 'newsletter')).path;
      expect(kidOf(signedHere)).toBe(rotated);
      expect(await eventually(async () => (await other.app.request(signedHere)).status === 200, 3_000)).toBe(true);
      expect(other.core.tokens.activeKid()).toBe(rotated);
      expect((await other.app.request(before)).status).toBe(200);
      // Retired on the first: the second refuses the old key's links too.
      expect((await post(`${BASE}/retire`, { kid: kidOf(before), confirm: 'yes' })).status).toBe(303);
      expect(await eventually(async () => (await other.app.request(before)).status === 400, 3_000)).toBe(true);
    } finally {
      await other.close();
    }
  });
});
