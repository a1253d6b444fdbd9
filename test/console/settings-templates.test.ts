import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../src/testing/index.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { consoleGet, signedInOperator } from '../helpers/console.ts';
import { openRawDb } from '../helpers/raw-db.ts';

/** Template previews: every template in both languages, the framed HTML's own policy, and that previewing stores nothing. */
let t: TestApp;
let viewer: Awaited<ReturnType<typeof signedInOperator>>;

beforeAll(async () => {
  t = await makeTestApp({ file: true });
  viewer = await signedInOperator(t, 'viewer');
});
afterAll(() => t.close());

const BUILT_IN = ['confirm', 'confirm-address', 'login', 'newsletter', 'verify-request'];
const OWN = ['login', 'confirm', 'confirm-address', 'verify-request'];
const get = (path: string) => consoleGet(t, path, viewer.cookie);

/** Row counts of everything a preview could be tempted to write. */
async function counts() {
  const raw = await openRawDb(t.config);
  const out: Record<string, number> = {};
  for (const table of ['contacts', 'subscriptions', 'consent_events', 'suppressions', 'used_link_tokens', 'subscriber_sessions', 'pending_email_changes', 'webhook_events', 'audit_events']) {
    out[table] = (await raw.all<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n;
  }
  await raw.close();
  return out;
}

describe('mail template previews', () => {
  it('lists every template, optbox’s own mails marked, with a preview per language', async () => {
    const html = await (await get('/admin/settings/templates')).text();
    for (const name of BUILT_IN) {
      expect(html).toContain(`href="/admin/settings/templates/${name}/nl"`);
      expect(html).toContain(`href="/admin/settings/templates/${name}/en"`);
    }
    expect(html.match(/sent by optbox/g)).toHaveLength(OWN.length);
  });

  it('renders each template in nl and en: subject, headers, text part, and an iframe on the HTML route', async () => {
    const before = await counts();
    for (const name of BUILT_IN) {
      for (const locale of ['nl', 'en']) {
        const res = await get(`/admin/settings/templates/${name}/${locale}`);
        expect(res.status, `${name}/${locale}`).toBe(200);
        expect(res.headers.get('content-security-policy')).toContain("frame-src 'self'");
        const page = await res.text();
        expect(page).toMatch(/<dt>Subject<\/dt><dd>[^<(]+<\/dd>/);
        expect(page).toContain(`<iframe src="/admin/settings/templates/${name}/${locale}/html"`);
        expect(page).toMatch(/<iframe[^>]* sandbox=""/);
        if (OWN.includes(name)) {
          expect(page).toContain('None: transactional mail carries no List-Unsubscribe.');
          expect(page).toContain('https://optbox.test/');
          expect(page).toContain('sample-link-preview-only');
        } else {
          expect(page).toMatch(/List-Unsubscribe: &lt;https:\/\/optbox\.test\/u\/[\w.-]+&gt;/);
          expect(page).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
          expect(page).toContain(locale === 'nl' ? 'Hallo Sam' : 'Hi Sam');
          // The sample's markup is text, in the text part and the HTML alike.
          expect(page).toContain('&lt;b&gt;');
        }
      }
    }
    // Previewing created no contact, subscription, token, session or ledger row.
    expect(await counts()).toEqual(before);
  });

  it('answers the HTML under its own strict policy, framable only by the console', async () => {
    const res = await get('/admin/settings/templates/newsletter/nl/html');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = res.headers.get('content-security-policy')!;
    for (const d of ["default-src 'none'", "style-src 'unsafe-inline'", 'img-src data: https:', 'sandbox', "frame-ancestors 'self'"]) expect(csp).toContain(d);
    expect(csp).not.toMatch(/script-src/);
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toMatch(/<script/i);
    // Other console pages keep refusing to be framed.
    expect((await get('/admin/settings/templates')).headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });

  it('answers 404 for an unknown template or language', async () => {
    for (const path of ['/admin/settings/templates/nope/en', '/admin/settings/templates/newsletter/de', '/admin/settings/templates/nope/en/html', '/admin/settings/templates/newsletter/fr/html', '/admin/settings/templates/..%2Fpartials%2Fhead/en']) {
      expect((await get(path)).status, path).toBe(404);
    }
  });
});

describe('an operator’s own templates (TEMPLATES_DIR)', () => {
  let own: TestApp;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'optbox-templates-'));
    mkdirSync(join(dir, 'en'));
    writeFileSync(join(dir, 'en', 'promo.mjml'), '<mjml><mj-body><mj-section><mj-column><mj-text>Promo for {{firstName}} <a href="{{unsubscribeUrl}}">out</a></mj-text></mj-column></mj-section></mj-body></mjml>');
    own = await makeTestApp({ config: { mail: { ...testConfig().mail, templatesDir: dir } } });
  });
  afterAll(async () => {
    await own?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists it beside the built-in ones and previews it, saying when a language is missing', async () => {
    const op = await signedInOperator(own, 'viewer');
    const list = await (await consoleGet(own, '/admin/settings/templates', op.cookie)).text();
    expect(list).toContain('href="/admin/settings/templates/promo/en"');
    expect(list).toContain('with the ones in TEMPLATES_DIR over them');
    const en = await (await consoleGet(own, '/admin/settings/templates/promo/en', op.cookie)).text();
    expect(en).toContain('(no subject in the template: the sender gives one)');
    expect(en).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    const nl = await (await consoleGet(own, '/admin/settings/templates/promo/nl', op.cookie)).text();
    expect(nl).toContain('This template has no Dutch version: the English one is sent instead');
    expect(await (await consoleGet(own, '/admin/settings/templates/promo/nl/html', op.cookie)).text()).toContain('Promo for Sam');
  });
});
