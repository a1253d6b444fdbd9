import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadlineOf, logPrivacyRequest, REQUESTS_PER_PAGE } from '../../src/core/privacy-requests.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { consoleGet, consolePost, ORIGIN, signedInOperator } from '../helpers/console.ts';
import { sessionForms } from '../helpers/session-forms.ts';

/**
 * Privacy requests over HTTP: logged by an operator, verified by the person through the link
 * mailed to them, fulfilled with the one action of their kind, closed; the art. 12(3) deadline
 * on a fixed clock; overdue ones on the dashboard; the person's own preference-center requests
 * in the register.
 */
let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInOperator>>;
const forms = sessionForms(() => t);

beforeAll(async () => {
  t = await makeTestApp();
  admin = await signedInOperator(t, 'admin');
});
afterAll(() => t.close());

const html = async (path: string, cookie = admin.cookie) => {
  const res = await consoleGet(t, path, cookie);
  return { res, html: await res.text() };
};
/** Log a request as the admin; the request's id from the redirect. */
async function logRequest(fields: Record<string, string>) {
  const res = await consolePost(t, '/admin/requests', admin.cookie, { _csrf: admin.csrf, channel: 'mail', ...fields });
  expect(res.status, await res.clone().text()).toBe(303);
  const location = res.headers.get('location')!;
  return { id: /\/admin\/requests\/([\w-]+)\?/.exec(location)![1]!, location };
}
const verifyPathOf = (text: string) => new RegExp(`${ORIGIN}(/privacy/verify/[\\w.-]+)`).exec(text)![1]!;
const publicPost = (path: string) => t.app.request(path, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'application/x-www-form-urlencoded' }, body: '' });

describe('a request from logging to closing', () => {
  it('log → mail with link (in the person’s language) → verify → fulfil erasure → closed, each step recorded', async () => {
    const { contact } = await t.linkFor('ann@example.com', 'newsletter', { locale: 'nl' });
    const before = t.mails.length;
    const { id, location } = await logRequest({ kind: 'erasure', email: ' Ann@Example.COM ', note: 'Wrote on 27 Nov <script>alert(1)</script>' });
    expect(location).toContain('done=logged');

    // The verification mail: to the address, in Dutch, with a link of its own purpose.
    expect(t.mails.length).toBe(before + 1);
    const mail = t.mails.at(-1)!;
    expect(mail.to).toBe('ann@example.com');
    expect(mail.subject).toBe('Bevestig je privacyverzoek aan optbox');
    expect(mail.text).toContain('verwijdering van je gegevens');
    const verifyPath = verifyPathOf(mail.text);

    let page = await html(`/admin/requests/${id}`);
    expect(page.res.headers.get('cache-control')).toBe('no-store');
    expect(page.html).toContain('Awaiting verification');
    expect(page.html).toContain('Wrote on 27 Nov &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.html).not.toContain('<script>alert');

    // Not before the person verified.
    expect((await consolePost(t, `/admin/requests/${id}/fulfil`, admin.cookie, { _csrf: admin.csrf, confirm: 'yes' })).status).toBe(409);

    // The public page: GET shows a button (and changes nothing), POST confirms.
    const shown = await t.app.request(verifyPath);
    expect(shown.status).toBe(200);
    expect(shown.headers.get('cache-control')).toBe('no-store');
    const shownHtml = await shown.text();
    expect(shownHtml).toContain('Bevestig je verzoek');
    expect(shownHtml).not.toContain('ann@example.com'); // masked
    await t.app.request(verifyPath, { method: 'HEAD' });
    expect((await t.core.store.privacyRequests.byId(id))!.status).toBe('awaiting-verification');
    const confirmed = await publicPost(verifyPath);
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('28 december 2026'); // the deadline, in Dutch
    expect((await t.core.store.privacyRequests.byId(id))!.status).toBe('verified');
    expect((await publicPost(verifyPath)).status).toBe(200); // a second follow changes nothing

    // Erasure needs the box ticked; then the contact is erased with the operator as actor.
    expect((await consolePost(t, `/admin/requests/${id}/fulfil`, admin.cookie, { _csrf: admin.csrf })).status).toBe(400);
    expect((await t.core.store.contacts.byId(contact.id))!.status).toBe('active');
    const fulfilled = await consolePost(t, `/admin/requests/${id}/fulfil`, admin.cookie, { _csrf: admin.csrf, confirm: 'yes' });
    expect(fulfilled.status).toBe(303);
    expect((await t.core.store.contacts.byId(contact.id))!.status).toBe('erased');
    expect(await t.check('ann@example.com')).toMatchObject({ suppressed: true, reason: 'erasure' });
    expect((await t.core.store.ledger.forContact(contact.id)).at(-1)).toMatchObject({ action: 'erase', source: 'admin', actor: `operator:${admin.id}` });
    const after = (await t.core.store.privacyRequests.byId(id))!;
    expect(after).toMatchObject({ status: 'fulfilled', fulfilment: 'erase', email: null });

    expect((await consolePost(t, `/admin/requests/${id}/close`, admin.cookie, { _csrf: admin.csrf })).status).toBe(303);
    expect((await t.core.store.privacyRequests.byId(id))!).toMatchObject({ status: 'closed', outcome: 'fulfilled' });
    expect((await t.core.store.privacyRequests.history(id)).map((h) => h.action)).toEqual(['request.log', 'request.verification-sent', 'request.verified', 'request.fulfil', 'request.close']);
    page = await html(`/admin/requests/${id}`);
    expect(page.html).toContain('Closed');
    expect(page.html).not.toContain('ann@example.com');
    // Closed stays closed.
    expect((await consolePost(t, `/admin/requests/${id}/close`, admin.cookie, { _csrf: admin.csrf })).status).toBe(409);
  });

  it('tokens of one purpose never pass as another', async () => {
    const link = await t.linkFor('bo@example.com', 'newsletter');
    const { id } = await logRequest({ kind: 'access', email: 'bo@example.com' });
    const verifyPath = verifyPathOf(t.mails.at(-1)!.text);
    const token = verifyPath.split('/').at(-1)!;
    const prefsToken = link.prefsPath.split('/').at(-1)!;
    expect((await publicPost(`/privacy/verify/${prefsToken}`)).status).toBe(400);
    expect((await t.app.request(`/p/${token}`)).status).toBe(400);
    expect((await t.app.request(`/u/${token}`, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) })).status).toBe(400);
    expect((await t.core.store.privacyRequests.byId(id))!.status).toBe('awaiting-verification');
  });

  it('access: the fulfilment is the same JSON as the person’s own download, recorded as an export by the operator', async () => {
    const { contact } = await t.linkFor('cy@example.com', 'newsletter');
    const { id } = await logRequest({ kind: 'access', email: 'cy@example.com' });
    await publicPost(verifyPathOf(t.mails.at(-1)!.text));
    const res = await consolePost(t, `/admin/requests/${id}/fulfil`, admin.cookie, { _csrf: admin.csrf });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/attachment/);
    const data = JSON.parse(await res.text());
    expect(data).toMatchObject({ format: 'optbox-contact-export/1', contact: { id: contact.id, email: 'cy@example.com' } });
    expect((await t.core.store.ledger.forContact(contact.id)).at(-1)).toMatchObject({ action: 'export', source: 'admin', actor: `operator:${admin.id}` });
    expect((await t.core.store.privacyRequests.byId(id))!).toMatchObject({ status: 'fulfilled', fulfilment: 'export' });
  });

  it('restriction, objection and rectification change the contact as the contact page would', async () => {
    const { contact } = await t.linkFor('di@example.com', 'newsletter');
    const verified = async (kind: string) => {
      const { id } = await logRequest({ kind, email: (await t.core.store.contacts.byId(contact.id))!.email! });
      await publicPost(verifyPathOf(t.mails.at(-1)!.text));
      return id;
    };
    const r1 = await verified('restriction');
    expect((await consolePost(t, `/admin/requests/${r1}/fulfil`, admin.cookie, { _csrf: admin.csrf, days: '90' })).status).toBe(303);
    expect((await t.core.store.contacts.byId(contact.id))!.pausedUntil).toBe(t.clock.now() + 90 * 86_400_000);
    const r2 = await verified('objection');
    expect((await consolePost(t, `/admin/requests/${r2}/fulfil`, admin.cookie, { _csrf: admin.csrf })).status).toBe(303);
    expect((await t.core.store.contacts.byId(contact.id))!.noProfiling).toBe(true);
    const r3 = await verified('rectification');
    expect((await consolePost(t, `/admin/requests/${r3}/fulfil`, admin.cookie, { _csrf: admin.csrf, email: 'not an address' })).status).toBe(400);
    expect((await consolePost(t, `/admin/requests/${r3}/fulfil`, admin.cookie, { _csrf: admin.csrf, email: 'di.new@example.com' })).status).toBe(303);
    expect((await t.core.store.contacts.byId(contact.id))!.email).toBe('di.new@example.com');
    expect((await t.core.store.ledger.forContact(contact.id)).map((e) => [e.action, e.source])).toEqual(expect.arrayContaining([['restrict', 'admin'], ['object', 'admin'], ['rectify', 'admin']]));
  });

  it('a request about an address optbox does not hold is fulfilled by saying so; refusal needs a reason', async () => {
    const { id } = await logRequest({ kind: 'access', email: 'stranger@example.com' });
    await publicPost(verifyPathOf(t.mails.at(-1)!.text));
    const res = await consolePost(t, `/admin/requests/${id}/fulfil`, admin.cookie, { _csrf: admin.csrf });
    expect(JSON.parse(await res.text())).toMatchObject({ contact: null });
    expect((await t.core.store.privacyRequests.byId(id))!.fulfilment).toBe('no-data');

    const other = await logRequest({ kind: 'erasure', email: 'someone@example.com' });
    expect((await consolePost(t, `/admin/requests/${other.id}/refuse`, admin.cookie, { _csrf: admin.csrf })).status).toBe(400);
    expect((await consolePost(t, `/admin/requests/${other.id}/refuse`, admin.cookie, { _csrf: admin.csrf, reason: 'Could not verify the address' })).status).toBe(303);
    expect((await consolePost(t, `/admin/requests/${other.id}/close`, admin.cookie, { _csrf: admin.csrf })).status).toBe(303);
    expect((await t.core.store.privacyRequests.byId(other.id))!).toMatchObject({ status: 'closed', outcome: 'refused', refusalReason: 'Could not verify the address' });
  });

  it('bad input is named and changes nothing', async () => {
    const count = (await t.core.store.privacyRequests.list({ limit: 1000 })).length;
    for (const [fields, name] of [
      [{ kind: 'gossip', email: 'x@example.com' }, 'kind'],
      [{ kind: 'access', email: 'x@example.com', channel: 'pigeon' }, 'channel'],
      [{ kind: 'access', email: 'nope' }, 'email'],
      [{ kind: 'access', email: 'x@example.com', received: '2026-12-01' }, 'received'],
      [{ kind: 'access', email: 'x@example.com', received: '1 Nov' }, 'received'],
    ] as const) {
      const res = await consolePost(t, '/admin/requests', admin.cookie, { _csrf: admin.csrf, channel: 'mail', ...fields });
      expect(res.status, name).toBe(400);
      expect(await res.text(), name).toContain(name);
    }
    expect((await t.core.store.privacyRequests.list({ limit: 1000 })).length).toBe(count);
    expect((await consoleGet(t, '/admin/requests/pr_nothing', admin.cookie)).status).toBe(404);
  });
});

describe('the deadline (art. 12(3))', () => {
  it('one month from receipt, the last day of a shorter month; extended once by two months with a reason', async () => {
    expect(new Date(deadlineOf(Date.UTC(2026, 0, 31, 10), 1)).toISOString()).toBe('2026-02-28T23:59:59.999Z');
    expect(new Date(deadlineOf(Date.UTC(2026, 10, 28, 9), 1)).toISOString()).toBe('2026-12-28T23:59:59.999Z');
    const { id } = await logRequest({ kind: 'access', email: 'eve@example.com', received: '2026-10-31' });
    let row = (await t.core.store.privacyRequests.byId(id))!;
    expect(row.receivedAt).toBe(Date.UTC(2026, 9, 31));
    expect(new Date(row.dueAt).toISOString()).toBe('2026-11-30T23:59:59.999Z');
    expect((await consolePost(t, `/admin/requests/${id}/extend`, admin.cookie, { _csrf: admin.csrf })).status).toBe(400);
    expect((await consolePost(t, `/admin/requests/${id}/extend`, admin.cookie, { _csrf: admin.csrf, reason: 'Many requests at once' })).status).toBe(303);
    row = (await t.core.store.privacyRequests.byId(id))!;
    expect(new Date(row.dueAt).toISOString()).toBe('2027-01-31T23:59:59.999Z');
    expect(row.extensionReason).toBe('Many requests at once');
    expect((await consolePost(t, `/admin/requests/${id}/extend`, admin.cookie, { _csrf: admin.csrf, reason: 'again' })).status).toBe(409);
    const { html: page } = await html(`/admin/requests/${id}`);
    expect(page).toContain('Many requests at once');
    expect(page).toContain('31 Jan 2027');
  });

  it('overdue requests are counted on the dashboard, linked, and listed first', async () => {
    const { id } = await logRequest({ kind: 'objection', email: 'fay@example.com' }); // received 28 Nov: due 28 Dec
    let dash = await html('/admin');
    const overdueBefore = Number(/<span class="kpi">(\d+)<\/span> privacy requests? overdue/.exec(dash.html)![1]);
    t.clock.set(Date.UTC(2026, 11, 29, 0, 0, 1));
    admin = await signedInOperator(t, 'admin'); // a month later the old session has expired
    dash = await html('/admin');
    expect(dash.html).toContain('href="/admin/requests?status=overdue"');
    const overdueNow = Number(/<span class="kpi">(\d+)<\/span> privacy requests? overdue/.exec(dash.html)![1]);
    expect(overdueNow).toBeGreaterThan(overdueBefore);
    const list = await html('/admin/requests?status=overdue');
    expect(list.html).toContain(`/admin/requests/${id}`);
    expect(list.html).toContain('overdue by');
    // Overdue first in the full list too: the first row links to an overdue request.
    const all = await html('/admin/requests');
    const first = /href="\/admin\/requests\/(pr_[\w-]+)"/.exec(all.html)![1]!;
    const row = (await t.core.store.privacyRequests.byId(first))!;
    expect(row.dueAt).toBeLessThan(t.clock.now());
    expect(['awaiting-verification', 'verified']).toContain(row.status);
  });
});

describe('requests the person makes in the preference center', () => {
  it('a data download appears in the list as fulfilled, source preference center', async () => {
    await t.linkFor('gus@example.com', 'newsletter');
    const before = t.mails.length;
    await forms.post('/preferences/login', null, { email: 'gus@example.com' });
    for (let i = 0; i < 50 && t.mails.length === before; i++) await new Promise((r) => setTimeout(r, 10));
    const signedIn = await forms.post(forms.lastLink('/preferences/signin'), null, {});
    const cookie = forms.cookieOf(signedIn);
    const res = await forms.post('/preferences/data', cookie, { _csrf: await forms.csrfOf(cookie) });
    expect(res.status).toBe(200);
    const rows = (await t.core.store.privacyRequests.list({ limit: 1000 })).filter((r) => r.email === 'gus@example.com');
    expect(rows).toEqual([expect.objectContaining({ kind: 'access', channel: 'preference-center', status: 'closed', outcome: 'fulfilled', fulfilment: 'export' })]);
    const list = await html('/admin/requests?status=closed');
    expect(list.html).toContain('gus@example.com');
    expect(list.html).toContain('Preference center (self-service)');
    // Erased later (by any path), the person's requests stay in the register without the address.
    const gus = (await t.core.store.contacts.byEmail('gus@example.com'))!;
    expect((await t.api(`/api/v1/contacts/${gus.id}`, { method: 'DELETE' })).status).toBeLessThan(300);
    const kept = (await t.core.store.privacyRequests.list({ limit: 1000 })).filter((r) => r.contactId === gus.id);
    expect(kept.map((r) => [r.kind, r.email])).toEqual([['access', null]]);
  });
});

describe('roles', () => {
  it('a viewer reads requests but sees no forms; a privacy officer may act', async () => {
    const { id } = await logRequest({ kind: 'access', email: 'hal@example.com' });
    const viewer = await signedInOperator(t, 'viewer');
    const page = await html(`/admin/requests/${id}`, viewer.cookie);
    expect(page.res.status).toBe(200);
    expect(page.html).not.toContain('/resend');
    expect((await html('/admin/requests/new', viewer.cookie)).html).toContain('may only read');
    expect((await consolePost(t, `/admin/requests/${id}/resend`, viewer.cookie, { _csrf: viewer.csrf })).status).toBe(403);
    const officer = await signedInOperator(t, 'privacy');
    expect((await consolePost(t, `/admin/requests/${id}/resend`, officer.cookie, { _csrf: officer.csrf })).status).toBe(303);
  });
});

describe('the register in pages', () => {
  it('pages of a hundred, each request on exactly one page, filters kept across pages', async () => {
    for (let i = 0; i < REQUESTS_PER_PAGE + 5; i++) await logPrivacyRequest(t.core, { kind: 'restriction', channel: 'letter', email: `page${i}@example.com`, operatorId: admin.id });
    const idsOn = (text: string) => [...text.matchAll(/href="\/admin\/requests\/(pr_[\w-]+)"/g)].map((m) => m[1]!);
    const first = await html('/admin/requests?status=awaiting-verification');
    expect(idsOn(first.html)).toHaveLength(REQUESTS_PER_PAGE);
    expect(first.html).toContain('href="/admin/requests?status=awaiting-verification&amp;page=2" rel="next"');
    expect(first.html).not.toContain('rel="prev"');
    const second = await html('/admin/requests?status=awaiting-verification&page=2');
    expect(second.html).toContain('href="/admin/requests?status=awaiting-verification" rel="prev"');
    const all = [...idsOn(first.html), ...idsOn(second.html)];
    const waiting = (await t.core.store.privacyRequests.list({ status: 'awaiting-verification', limit: 10_000 })).map((r) => r.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort()).toEqual(waiting.sort());
    // A page past the end is empty, not an error; a page that is not a number is the first.
    for (const past of ['9999', '999999999999999']) expect((await html(`/admin/requests?page=${past}`)).html).toContain('No requests on this page.');
    for (const bad of ['0', '-1', 'x', '1e9', '2.5']) expect(idsOn((await html(`/admin/requests?status=awaiting-verification&page=${bad}`)).html)).toEqual(idsOn(first.html));
  });
});
