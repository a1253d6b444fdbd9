import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dashboardOf } from '../../src/core/console-dashboard.ts';
import { upsertContact } from '../../src/core/contacts.ts';
import { eraseContact } from '../../src/core/erasure.ts';
import { suppress, suppressMany, unsuppress } from '../../src/core/suppressions.ts';
import { unsubscribe } from '../../src/core/subscriptions.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';
import { consoleGet, signedInOperator } from '../helpers/console.ts';

const DAY = 86_400_000;
let t: TestApp;

beforeAll(async () => {
  t = await makeTestApp();
});
afterAll(() => t.close());

const oneClick = (path: string) => t.app.request(path, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }), headers: { 'content-type': 'application/x-www-form-urlencoded' } });

describe('dashboard counters', () => {
  it('follow every change in the same unit of work: subscriptions, unsubscribes by day, source and campaign, suppressions (one by one, replaced, in bulk, lifted, erased)', async () => {
    const a = await t.linkFor('a@example.com', 'newsletter', { campaign: 'spring' });
    const b = await t.linkFor('b@example.com', 'newsletter', { campaign: 'spring' });
    const c = await t.linkFor('c@example.com', 'marketing', { campaign: 'summer' });
    let view = await dashboardOf(t.core, { days: 90, campaigns: 10 });
    expect(view.topics.find((x) => x.id === 'newsletter')).toMatchObject({ subscribed: 2, unsubscribed: 0 });
    expect(view.suppressionsTotal).toBe(0);

    await oneClick(a.path);
    await oneClick(b.path);
    t.clock.advance(DAY);
    await oneClick(c.path);
    await unsubscribe(t.core, { contactId: a.contact.id, topic: '*', source: 'preference-center' });
    await suppress(t.core, { email: 'bounce@example.net', reason: 'bounce', source: 'api' });
    await unsuppress(t.core, { email: 'bounce@example.net', source: 'api' });
    await suppress(t.core, { email: 'x@example.net', reason: 'complaint', source: 'api' });
    await eraseContact(t.core, { contactId: b.contact.id, source: 'api' });
    // A soft bounce replaced by a complaint moves between reasons; a bulk add counts each new row once.
    await suppress(t.core, { email: 'soft@example.net', reason: 'bounce', source: 'api', expiresAt: t.clock.now() + DAY });
    await suppress(t.core, { email: 'soft@example.net', reason: 'complaint', source: 'api' });
    await suppressMany(t.core, { items: [{ email: 'm1@example.net', reason: 'manual' }, { email: 'm2@example.net', reason: 'manual' }, { email: 'x@example.net', reason: 'manual' }], source: 'import' });

    view = await dashboardOf(t.core, { days: 90, campaigns: 10 });
    expect(view.topics.find((x) => x.id === 'newsletter')).toMatchObject({ subscribed: 0, unsubscribed: 1 }); // b erased: its rows went
    expect(view.topics.find((x) => x.id === 'marketing')).toMatchObject({ subscribed: 0, unsubscribed: 1 });
    expect(view.topCampaigns.map((x) => [x.campaign, x.count])).toEqual([['spring', 2], ['summer', 1]]);
    expect(Object.fromEntries(view.unsubscribesBySource.map((s) => [s.source, s.count]))).toEqual({ 'one-click': 3, 'preference-center': 1 });
    const newsletter = view.unsubscribesPerDay.find((s) => s.topic === 'newsletter')!;
    expect(newsletter.counts.slice(-2)).toEqual([2, 0]);
    expect(view.unsubscribesPerDay.find((s) => s.topic === 'marketing')!.counts.at(-1)).toBe(1);

    // The counters agree with the suppression list itself.
    const rows = [];
    for await (const chunk of (await import('../../src/core/suppressions.ts')).exportSuppressions(t.core, { format: 'ndjson' })) rows.push(...chunk.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)));
    const byReason: Record<string, number> = {};
    for (const r of rows) byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
    expect(Object.fromEntries(view.suppressionsByReason.map((r) => [r.reason, r.count]))).toEqual(byReason);
    expect(view.suppressionsTotal).toBe(rows.length);
    expect(view.suppressionGrowth.at(-1)).toBe(rows.length);
    expect(byReason).toMatchObject({ complaint: 2, manual: 2 });
    expect(view.suppressionGrowth.at(-2)).toBe(2); // a and b unsubscribed yesterday
    expect(view.suppressionGrowth[0]).toBe(0);
  });

  it('renders the charts as accessible SVG with a data table, no script, no inline style', async () => {
    const op = await signedInOperator(t, 'viewer');
    const res = await consoleGet(t, '/admin', op.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    const html = await res.text();
    for (const id of ['unsub-days', 'unsub-source', 'unsub-campaign', 'supp-growth']) {
      expect(html).toContain(`aria-labelledby="${id}-t ${id}-d"`);
      expect(html).toContain(`<title id="${id}-t">`);
      expect(html).toContain(`<desc id="${id}-d">`);
    }
    expect(html.match(/<details><summary>Data table<\/summary>/g)?.length).toBe(4);
    expect(html).not.toMatch(/<script|style="/);
  });
});
