import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/core/operators.ts';
import { suppress } from '../../src/core/suppressions.ts';
import { webhookDeliveries, webhookEndpoint } from '../../src/core/webhooks.ts';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';
import { consoleGet, consolePost, signedInOperator } from '../helpers/console.ts';
import { onPg } from '../helpers/engine.ts';
import { startReceiver } from '../helpers/receiver.ts';
import { secondInstance } from '../helpers/second-instance.ts';

const BASE = '/admin/settings/webhooks';

let t: TestApp;
let admin: Awaited<ReturnType<typeof signedInOperator>>;
/** Answers 500 while `down` is true, 200 otherwise. */
let down = true;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  t = await makeTestApp({ config: { webhookAllowPrivate: true, webhookMaxAttempts: 2 } });
  admin = await signedInOperator(t, 'admin');
  receiver = await startReceiver(() => (down ? 500 : 200));
});
afterAll(async () => {
  await receiver.close();
  await t.close();
});

const post = (path: string, fields: Record<string, string | string[]> = {}) => consolePost(t, path, admin.cookie, { _csrf: admin.csrf, ...fields });
const secretIn = (html: string) => /id="new-secret"[^>]*value="(whsec_[^"]+)"/.exec(html)?.[1];
let n = 0;
/** One suppression.created event. */
const event = () => suppress(t.core, { email: `w${n++}@example.com`, scope: '*', reason: 'manual', source: 'api' });
const log = async (id: string) => (await webhookDeliveries(t.core, { endpointId: id, limit: 100 })).deliveries;

async function register(events = ['suppression.created']) {
  const res = await post(BASE, { url: receiver.url, events, description: 'CRM sync' });
  expect(res.status).toBe(200);
  const html = await res.text();
  const id = /href="\/admin\/settings\/webhooks\/(wh_[^"]+)"/.exec(html)![1]!;
  return { id, secret: secretIn(html), html };
}

describe('webhook endpoints in the console', () => {
  it('registers an endpoint: the signing secret is shown once; it belongs to no API key and names the operator', async () => {
    const { id, secret } = await register();
    expect(secret).toMatch(/^whsec_/);
    const row = await webhookEndpoint(t.core, id);
    expect(row).toMatchObject({ url: receiver.url, events: ['suppression.created'], apiKeyId: null, createdBy: `operator:${admin.id}`, secret });
    const list = await (await consoleGet(t, BASE, admin.cookie)).text();
    expect(list).toContain(receiver.url);
    expect(list).toContain(`${admin.email} (console)`);
    expect(list).not.toContain(secret!);
    expect(await (await consoleGet(t, `${BASE}/${id}`, admin.cookie)).text()).not.toContain(secret!);
    const audit = (await auditLog(t.core)).find((a) => a.action === 'webhook.create' && a.target === id);
    expect(audit?.operatorId).toBe(admin.id);
    expect(JSON.stringify(audit)).not.toContain(secret!);
    // Through the API (any key with webhooks:manage) the console's endpoint is listed like any other.
    expect((await json(t.api('/api/v1/webhooks'))).data.map((e: { id: string }) => e.id)).toContain(id);
    await t.api(`/api/v1/webhooks/${id}`, { method: 'DELETE' });
  });

  it('bad input re-renders the form with the values and the field named, and registers nothing', async () => {
    const before = (await json(t.api('/api/v1/webhooks'))).data.length;
    const cases: Array<[Record<string, string | string[]>, string]> = [
      [{ url: 'not a url', events: ['suppression.created'] }, 'url: is not a URL'],
      [{ url: 'ftp://example.com/x', events: ['suppression.created'] }, 'url: must be an http:// or https:// URL'],
      [{ url: 'https://user:pw@example.com/x', events: ['suppression.created'] }, 'url: must not carry a user name or password'],
      [{ url: 'https://example.com/kept', events: [] }, 'events: choose at least one'],
      [{ url: 'https://example.com/x', events: ['contact.created'] }, 'unknown event'],
    ];
    for (const [fields, message] of cases) {
      const res = await post(BASE, fields);
      expect(res.status, message).toBe(400);
      const html = await res.text();
      expect(html).toContain(message);
      expect(secretIn(html)).toBeUndefined();
    }
    expect(await (await post(BASE, { url: 'https://example.com/kept' })).text()).toContain('value="https://example.com/kept"');
    expect((await json(t.api('/api/v1/webhooks'))).data.length).toBe(before);
  });

  it('the endpoint page shows the delivery log, paged, newest first', async () => {
    const { id } = await register();
    down = false;
    for (let i = 0; i < 30; i++) await event();
    while ((await t.deps.webhooks.tick()) > 0);
    const first = await (await consoleGet(t, `${BASE}/${id}`, admin.cookie)).text();
    expect(first.match(/<td>delivered<\/td>/g)?.length).toBe(25);
    expect(first).toContain('HTTP 200');
    const next = /href="([^"]+)" rel="next"/.exec(first)![1]!;
    const second = await (await consoleGet(t, next, admin.cookie)).text();
    expect(second.match(/<td>delivered<\/td>/g)?.length).toBe(5);
    expect(second).not.toContain('rel="next"');
    expect((await post(`${BASE}/${id}/delete`, { confirm: 'yes' })).status).toBe(303);
  });

  it('retry now on a failed delivery: the worker really delivers it to the receiver', async () => {
    const { id } = await register();
    down = true;
    await event();
    expect(await t.deps.webhooks.tick()).toBe(1);
    const [failed] = await log(id);
    expect(failed).toMatchObject({ state: 'pending', attempts: 1, lastStatus: 500 });
    expect(failed!.nextAttemptAt).toBeGreaterThan(t.clock.now());
    const page = await (await consoleGet(t, `${BASE}/${id}`, admin.cookie)).text();
    expect(page).toContain('failing');
    expect(page).toContain(`${BASE}/${id}/deliveries/${failed!.id}/retry`);
    // Nothing is due while the endpoint is paused (the clock stands still).
    expect(await t.deps.webhooks.tick()).toBe(0);
    down = false;
    const seen = receiver.received.length;
    const res = await post(`${BASE}/${id}/deliveries/${failed!.id}/retry`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(`${BASE}/${id}?done=retried`);
    expect(await t.deps.webhooks.tick()).toBe(1);
    expect(receiver.received.length).toBe(seen + 1);
    expect(receiver.received.at(-1)!.headers['webhook-id']).toBe(failed!.eventId);
    expect((await log(id))[0]).toMatchObject({ state: 'delivered', attempts: 2, lastStatus: 200 });
    expect((await webhookEndpoint(t.core, id)).failingSince).toBeNull();
    expect((await auditLog(t.core)).some((a) => a.action === 'webhook.retry-delivery' && a.target === id)).toBe(true);
    // Delivered: nothing to retry; an unknown delivery or endpoint: 404.
    expect((await post(`${BASE}/${id}/deliveries/${failed!.id}/retry`)).status).toBe(409);
    expect((await post(`${BASE}/${id}/deliveries/999999/retry`)).status).toBe(404);
    expect((await post(`${BASE}/${id}/deliveries/abc/retry`)).status).toBe(404);
    expect((await post(`${BASE}/wh_nope/deliveries/${failed!.id}/retry`)).status).toBe(404);
    await post(`${BASE}/${id}/delete`, { confirm: 'yes' });
  });

  it('retry now on a given-up delivery, and on a failing endpoint', async () => {
    const { id } = await register();
    down = true;
    await event();
    await t.deps.webhooks.tick();
    t.clock.advance(10 * 60_000);
    await t.deps.webhooks.tick();
    const [gaveUp] = await log(id);
    expect(gaveUp).toMatchObject({ state: 'failed', attempts: 2 });
    expect(await (await consoleGet(t, `${BASE}/${id}`, admin.cookie)).text()).toContain('given up');
    expect((await post(`${BASE}/${id}/deliveries/${gaveUp!.id}/retry`)).status).toBe(303);
    down = false;
    expect(await t.deps.webhooks.tick()).toBe(1);
    expect((await log(id))[0]).toMatchObject({ state: 'delivered', attempts: 3 });

    // The endpoint as a whole: failing, paused, its delivery waiting for a later try.
    down = true;
    await event();
    await t.deps.webhooks.tick();
    expect((await webhookEndpoint(t.core, id)).pausedUntil).toBeGreaterThan(t.clock.now());
    expect(await t.deps.webhooks.tick()).toBe(0);
    down = false;
    const seen = receiver.received.length;
    expect((await post(`${BASE}/${id}/retry`)).status).toBe(303);
    expect(await t.deps.webhooks.tick()).toBe(1);
    expect(receiver.received.length).toBe(seen + 1);
    expect((await webhookEndpoint(t.core, id)).failingSince).toBeNull();
    // Healthy now: nothing to retry.
    expect((await post(`${BASE}/${id}/retry`)).status).toBe(409);
    expect((await auditLog(t.core)).some((a) => a.action === 'webhook.retry' && a.target === id)).toBe(true);
    await post(`${BASE}/${id}/delete`, { confirm: 'yes' });
  });

  it('removes an endpoint only with the confirmation; audited', async () => {
    const { id } = await register();
    expect((await post(`${BASE}/${id}/delete`)).status).toBe(400);
    await webhookEndpoint(t.core, id);
    const res = await post(`${BASE}/${id}/delete`, { confirm: 'yes' });
    expect(res.status).toBe(303);
    await expect(webhookEndpoint(t.core, id)).rejects.toThrow(/not found/);
    expect((await consoleGet(t, `${BASE}/${id}`, admin.cookie)).status).toBe(404);
    expect((await auditLog(t.core)).some((a) => a.action === 'webhook.delete' && a.target === id)).toBe(true);
  });

  it('a viewer reads the list and the log but sees no form', async () => {
    const { id } = await register();
    const viewer = await signedInOperator(t, 'viewer');
    const list = await (await consoleGet(t, BASE, viewer.cookie)).text();
    expect(list).toContain(receiver.url);
    expect(list).not.toContain(`action="${BASE}"`);
    const page = await (await consoleGet(t, `${BASE}/${id}`, viewer.cookie)).text();
    expect(page).not.toContain('/retry');
    expect(page).not.toContain('/delete');
    expect((await consolePost(t, `${BASE}/${id}/delete`, viewer.cookie, { _csrf: viewer.csrf, confirm: 'yes' })).status).toBe(403);
    await post(`${BASE}/${id}/delete`, { confirm: 'yes' });
  });
});

describe.skipIf(!onPg)('retry now with two instances on one PostgreSQL', () => {
  it('both workers turn at once after the retry: the receiver gets the delivery exactly once', async () => {
    const other = await secondInstance(t);
    try {
      const { id } = await register();
      down = true;
      await event();
      await t.deps.webhooks.tick();
      const [failed] = await log(id);
      expect(failed!.state).toBe('pending');
      down = false;
      const seen = receiver.received.length;
      expect((await post(`${BASE}/${id}/deliveries/${failed!.id}/retry`)).status).toBe(303);
      const sent = await Promise.all([t.deps.webhooks.tick(), other.deps.webhooks.tick()]);
      expect(sent.reduce((a, b) => a + b, 0)).toBe(1);
      // And once more each: nothing is left to send.
      expect(await Promise.all([t.deps.webhooks.tick(), other.deps.webhooks.tick()])).toEqual([0, 0]);
      expect(receiver.received.length).toBe(seen + 1);
      expect((await log(id))[0]).toMatchObject({ state: 'delivered', attempts: 2 });
    } finally {
      await other.close();
    }
  });
});
