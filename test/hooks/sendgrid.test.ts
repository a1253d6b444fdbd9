import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertContact } from '../../src/core/contacts.ts';
import { createApp } from '../../src/app.ts';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';
import { fakeSendgrid, fixture } from '../helpers/providers.ts';

/** SendGrid's Signed Event Webhook over the real app, signed with a P-256 key made here. */
let t: TestApp;
const sendgrid = fakeSendgrid();

beforeAll(async () => {
  t = await makeTestApp();
  t.config.feedback.sendgridPublicKey = sendgrid.publicKey;
});
afterAll(() => t.close());

const app = () => createApp(t.deps);
const now = () => Math.floor(t.clock.now() / 1000);
const post = (body: string, headers: Record<string, string>) => app().request('/hooks/sendgrid', { method: 'POST', headers, body });

describe('SendGrid Event Webhook', () => {
  it('a signed batch suppresses bounces, complaints and unsubscribes, skips the rest, and a replay changes nothing', async () => {
    const { contact } = await upsertContact(t.core, { email: 'leaving@example.com', topics: ['newsletter', 'updates'], source: 'api' });
    const body = JSON.stringify(fixture('sendgrid-events.json'));
    const res = await post(body, sendgrid.headers(body, now()));
    expect(res.status).toBe(200);
    // processed, deferred and delivered are not feedback; the other five are.
    expect(await json(res)).toMatchObject({ received: 5, applied: 5, duplicates: 0 });
    expect(await t.check('gone@example.com')).toMatchObject({ suppressed: true, reason: 'bounce' });
    expect(await t.check('angry@example.com')).toMatchObject({ suppressed: true, reason: 'complaint' });
    expect(await t.check('group@example.com')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });
    expect((await t.check('later@example.com')).suppressed).toBe(false); // one "blocked" is a soft bounce, counted
    expect((await t.check('seen@example.com')).suppressed).toBe(false);
    // A known contact's provider unsubscribe turns its topics off, as its own one-click would.
    expect(await t.check('leaving@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });
    const statuses = await t.core.store.contacts.subscriptions(contact.id);
    expect(statuses.every((s) => s.status === 'unsubscribed')).toBe(true);
    expect((await t.core.store.ledger.forContact(contact.id)).at(-1)).toMatchObject({ action: 'unsubscribe', topic: '*', source: 'unsubscribe-webhook' });

    const before = (await t.core.store.ops.ledgerLength());
    t.clock.advance(30_000);
    const again = await post(body, sendgrid.headers(body, now())); // SendGrid retries the same events
    expect(await json(again)).toMatchObject({ applied: 0, duplicates: 5 });
    expect((await t.core.store.ops.ledgerLength())).toBe(before);
  });

  it('tampered, expired, future, unsigned or wrongly keyed requests get 401/403 and change nothing', async () => {
    const events = [{ email: 'victim@example.com', timestamp: now(), event: 'spamreport', sg_event_id: 'victim-1' }];
    const body = JSON.stringify(events);
    const headers = sendgrid.headers(body, now());
    expect((await post(body.replace('victim@', 'victim2@'), headers)).status).toBe(403);
    expect((await post(body, { ...headers, 'x-twilio-email-event-webhook-timestamp': String(now() + 1) })).status).toBe(403);
    expect((await post(body, sendgrid.headers(body, now() - t.config.feedback.maxAgeSeconds - 5))).status).toBe(403);
    expect((await post(body, sendgrid.headers(body, now() + t.config.feedback.maxAgeSeconds + 5))).status).toBe(403);
    expect((await post(body, { 'content-type': 'application/json' })).status).toBe(401);
    expect((await post(body, fakeSendgrid().headers(body, now()))).status).toBe(403);
    expect((await t.check('victim@example.com')).suppressed).toBe(false);
    expect((await t.check('victim2@example.com')).suppressed).toBe(false);
  });

  it('a signed body that is not the expected shape is a 400 naming the field', async () => {
    const body = JSON.stringify([{ event: 'bounce' }]);
    const res = await post(body, sendgrid.headers(body, now()));
    expect(res.status).toBe(400);
    expect((await json(res)).error.fields[0].field).toBe('[0].email');
  });

  it('answers 404 when SendGrid is not configured', async () => {
    const off = createApp({ ...t.deps, config: { ...t.config, feedback: { ...t.config.feedback, sendgridPublicKey: undefined } } });
    expect((await off.request('/hooks/sendgrid', { method: 'POST', body: '[]' })).status).toBe(404);
  });
});
