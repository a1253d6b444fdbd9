import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';
import { fixture } from '../helpers/providers.ts';

/** Postmark's bounce, spam complaint and subscription change webhooks, behind basic auth. */
let t: TestApp;
const auth = 'postmark:correct-horse-battery-staple';
const basic = (creds: string) => `Basic ${Buffer.from(creds).toString('base64')}`;

beforeAll(async () => {
  t = await makeTestApp();
  t.config.feedback.postmarkAuth = auth;
});
afterAll(() => t.close());

const post = (body: unknown, authorization: string | null = basic(auth)) =>
  createApp(t.deps).request('/hooks/postmark', { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: JSON.stringify(body) });

describe('Postmark webhooks', () => {
  it('a HardBounce suppresses with reason bounce; its retry changes nothing', async () => {
    const res = await post(fixture('postmark-bounce.json'));
    expect(res.status).toBe(200);
    expect(await t.check('gone@example.com')).toMatchObject({ suppressed: true, reason: 'bounce' });
    const before = (await t.core.store.ops.ledgerLength());
    expect(await json(post(fixture('postmark-bounce.json')))).toMatchObject({ duplicates: 1, applied: 0 });
    expect((await t.core.store.ops.ledgerLength())).toBe(before);
  });

  it('a SpamComplaint suppresses with reason complaint', async () => {
    expect((await post(fixture('postmark-spam-complaint.json'))).status).toBe(200);
    expect(await t.check('angry@example.com')).toMatchObject({ suppressed: true, reason: 'complaint' });
    expect((await t.core.store.ops.ledgerCountsSince(0)).counts).toContainEqual(expect.objectContaining({ action: 'suppress', source: 'complaint-webhook' }));
  });

  it("a SubscriptionChange by the recipient unsubscribes; a reactivation or the sender's own suppression does not", async () => {
    expect((await post(fixture('postmark-subscription-change.json'))).status).toBe(200);
    expect(await t.check('leaving@example.com')).toMatchObject({ suppressed: true, reason: 'unsubscribe' });
    const change = fixture('postmark-subscription-change.json');
    expect(await json(post({ ...change, Recipient: 'back@example.com', SuppressSending: false }))).toMatchObject({ received: 0 });
    expect(await json(post({ ...change, Recipient: 'admin@example.com', Origin: 'Customer' }))).toMatchObject({ received: 0 });
    expect((await t.check('admin@example.com')).suppressed).toBe(false);
  });

  it('missing or wrong credentials get 401/403 and change nothing', async () => {
    const victim = { ...fixture('postmark-spam-complaint.json'), ID: 999, Email: 'victim@example.com' };
    expect((await post(victim, null)).status).toBe(401);
    expect((await post(victim, basic('postmark:wrong-password-000000'))).status).toBe(403);
    expect((await post(victim, 'Bearer x')).status).toBe(401);
    expect((await t.check('victim@example.com')).suppressed).toBe(false);
  });

  it('answers 404 when Postmark is not configured', async () => {
    const off = createApp({ ...t.deps, config: { ...t.config, feedback: { ...t.config.feedback, postmarkAuth: undefined } } });
    expect((await off.request('/hooks/postmark', { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
