import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertContact } from '../../src/core/contacts.ts';
import { createTopic } from '../../src/core/topics.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { logPrivacyRequest } from '../../src/core/privacy-requests.ts';
import { consoleGet, consolePost, signedInOperator } from '../helpers/console.ts';
import { createApiKey } from '../../src/core/api-keys.ts';
import { createWebhookEndpoint } from '../../src/core/webhooks.ts';

/**
 * Stored XSS: names an outsider can choose (external id through the API, a campaign in a link,
 * a topic an operator typed in) are rendered inert on every console page.
 */
const SCRIPT = '<script>alert(1)</script>';
const IMG = '"><img src=x onerror=alert(1)>';
const SVG = '<svg onload=alert(1)>';

let t: TestApp;
let contactId: string;
beforeAll(async () => {
  t = await makeTestApp();
  await createTopic(t.core, { id: 'evil', nameNl: IMG, nameEn: IMG, descriptionEn: SCRIPT, defaultStatus: 'opt-in' });
  const { contact } = await upsertContact(t.core, { email: 'x@example.com', externalId: SCRIPT, topics: ['evil', 'newsletter'], locale: 'en', source: 'api' });
  contactId = contact.id;
  const link = await t.linkFor('x@example.com', 'evil', { campaign: SVG });
  await t.app.request(link.path, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
});
afterAll(() => t.close());

describe('stored XSS', () => {
  it('every console page renders the hostile names inert', async () => {
    const admin = await signedInOperator(t, 'admin');
    const pages = new Set<string>();
    for (const r of t.app.routes) {
      if (r.method !== 'GET' || !r.path.startsWith('/admin')) continue;
      pages.add(r.path.replace(':id', contactId).replace(/:token/, 'none'));
    }
    pages.add(`/admin/contacts?q=${encodeURIComponent(SCRIPT)}`);
    let checked = 0;
    for (const path of pages) {
      const res = await consoleGet(t, path, admin.cookie);
      const html = await res.text();
      if (res.status !== 200) continue;
      checked++;
      expect(html, path).not.toContain(SCRIPT);
      expect(html, path).not.toContain('<img src=x');
      expect(html, path).not.toContain('<svg onload');
      expect(html, path).not.toMatch(/<script/i);
    }
    expect(checked).toBeGreaterThanOrEqual(4);
    const contact = await (await consoleGet(t, `/admin/contacts/${contactId}`, admin.cookie)).text();
    expect(contact).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(contact).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    const dashboard = await (await consoleGet(t, '/admin', admin.cookie)).text();
    expect(dashboard).toContain('&lt;svg onload=alert(1)&gt;');
  });

  it("a privacy request's note and the values of a refused form render inert", async () => {
    const admin = await signedInOperator(t, 'admin');
    const request = await logPrivacyRequest(t.core, { kind: 'access', channel: 'mail', email: 'x@example.com', note: `${SCRIPT} ${IMG}`, operatorId: admin.id });
    await consolePost(t, `/admin/requests/${request.id}/refuse`, admin.cookie, { _csrf: admin.csrf, reason: SVG });
    for (const path of ['/admin/requests', `/admin/requests/${request.id}`, '/admin']) {
      const html = await (await consoleGet(t, path, admin.cookie)).text();
      expect(html, path).not.toMatch(/<script|<img src=x|<svg onload/i);
    }
    const page = await (await consoleGet(t, `/admin/requests/${request.id}`, admin.cookie)).text();
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toContain('&lt;svg onload=alert(1)&gt;');
    // A form sent back with an error shows what was typed, escaped.
    const refused = await consolePost(t, '/admin/requests', admin.cookie, { _csrf: admin.csrf, kind: 'access', channel: 'mail', email: IMG, note: SCRIPT });
    expect(refused.status).toBe(400);
    const html = await refused.text();
    expect(html).not.toMatch(/<script>alert|<img src=x/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('API key names, webhook URLs and descriptions, and the key that made an endpoint render inert on the settings pages', async () => {
    const admin = await signedInOperator(t, 'admin');
    await createApiKey(t.core, { name: SCRIPT });
    const hook = await createWebhookEndpoint(t.core, { url: `https://example.com/"><svg onload=alert(1)>`, events: ['suppression.created'], description: IMG, actor: `apikey:${SVG}`, apiKeyId: null, limits: { perKey: 10, total: 100 } });
    for (const path of ['/admin/settings/api-keys', '/admin/settings/webhooks', `/admin/settings/webhooks/${hook.id}`, '/admin/settings/signing-keys']) {
      const res = await consoleGet(t, path, admin.cookie);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html, path).not.toMatch(/<script|<img src=x|<svg onload/i);
    }
    expect(await (await consoleGet(t, '/admin/settings/api-keys', admin.cookie)).text()).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    const hooks = await (await consoleGet(t, '/admin/settings/webhooks', admin.cookie)).text();
    expect(hooks).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(hooks).toContain('&lt;svg onload=alert(1)&gt;');
    // A refused form shows what was typed, escaped.
    const refused = await consolePost(t, '/admin/settings/webhooks', admin.cookie, { _csrf: admin.csrf, url: IMG, description: SCRIPT });
    expect(refused.status).toBe(400);
    expect(await refused.text()).not.toMatch(/<script>alert|<img src=x/i);
  });

  it('the topic, operator and template settings render hostile names and typed values inert', async () => {
    const admin = await signedInOperator(t, 'admin');
    for (const path of ['/admin/settings/topics', '/admin/settings/topics/evil', '/admin/settings/operators', '/admin/settings/templates', '/admin/settings/templates/newsletter/en', '/admin/settings/templates/confirm/nl']) {
      const res = await consoleGet(t, path, admin.cookie);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).not.toMatch(/<script|<img src=x|<svg onload/i);
    }
    const topic = await (await consoleGet(t, '/admin/settings/topics/evil', admin.cookie)).text();
    expect(topic).toContain('value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"');
    expect(topic).toContain('&lt;script&gt;alert(1)&lt;/script&gt;</textarea>');
    // Forms sent back with an error show what was typed, escaped.
    const added = await consolePost(t, '/admin/settings/topics', admin.cookie, { _csrf: admin.csrf, id: IMG, nameNl: SCRIPT, nameEn: SVG, descriptionNl: IMG, defaultStatus: 'opt-in' });
    expect(added.status).toBe(400);
    const edited = await consolePost(t, '/admin/settings/topics/evil', admin.cookie, { _csrf: admin.csrf, nameNl: '', nameEn: SVG, descriptionEn: SCRIPT, defaultStatus: 'opt-in' });
    expect(edited.status).toBe(400);
    const invited = await consolePost(t, '/admin/settings/operators', admin.cookie, { _csrf: admin.csrf, email: IMG, role: SCRIPT });
    expect(invited.status).toBe(400);
    for (const res of [added, edited, invited]) expect(await res.text()).not.toMatch(/<script>alert|<img src=x|<svg onload/i);
  });
});
