import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { upsertContact } from '../../src/core/contacts.ts';
import { verifyLedger } from '../../src/core/ledger.ts';
import { awsSnsHttp } from '../../src/routes/hooks/sns.ts';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';
import { fakeSns, fixture } from '../helpers/providers.ts';

/**
 * Amazon SES through SNS over the real app: messages signed with a certificate made here and
 * served by a local server standing in for sns.<region>.amazonaws.com.
 */
let t: TestApp;
let sns: Awaited<ReturnType<typeof fakeSns>>;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  sns = await fakeSns();
  t = await makeTestApp();
  t.config.feedback.sesTopicArns = [sns.topicArn];
  app = createApp({ ...t.deps, snsHttp: sns.http });
});
afterAll(async () => {
  t.close();
  await sns.close();
});

const post = (body: unknown, headers: Record<string, string> = {}) => app.request('/hooks/ses', { method: 'POST', headers: { 'content-type': 'text/plain; charset=UTF-8', 'x-amz-sns-message-type': 'Notification', ...headers }, body: JSON.stringify(body) });
const ledgerCounts = async () => (await t.core.store.ops.ledgerCountsSince(0)).counts;

describe('SES via SNS', () => {
  it('a signed hard bounce (SignatureVersion 2) suppresses an unknown address by its keyed hash, once', async () => {
    const message = sns.notification(fixture('ses-bounce-permanent.json'), t.clock.now());
    const res = await post(message);
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ received: 1, applied: 1, suppressed: 1 });
    expect(await t.check('gone@example.com')).toMatchObject({ suppressed: true, reason: 'bounce', scope: '*' });
    // The address is not kept in the clear: optbox did not know it.
    expect((await t.core.store.suppressions.forKey(t.core.addressKey('gone@example.com'), t.clock.now()))[0]).toMatchObject({ email: null, source: 'bounce-webhook' });
    expect(await ledgerCounts()).toContainEqual(expect.objectContaining({ action: 'suppress', source: 'bounce-webhook', n: 1 }));

    // The same delivery again (SNS retries) and the same feedback under a new SNS id change nothing.
    const before = (await t.core.store.ops.ledgerLength());
    expect(await json(post(message))).toMatchObject({ applied: 0, duplicates: 1 });
    expect(await json(post(sns.notification(fixture('ses-bounce-permanent.json'), t.clock.now())))).toMatchObject({ applied: 0, duplicates: 1 });
    expect((await t.core.store.ops.ledgerLength())).toBe(before);
  });

  it('a complaint (SignatureVersion 1, SHA1) suppresses a known contact with source complaint-webhook', async () => {
    const { contact } = await upsertContact(t.core, { email: 'angry@example.com', topics: ['newsletter'], source: 'api' });
    const res = await post(sns.notification(fixture('ses-complaint.json'), t.clock.now(), { version: '1' }));
    expect(res.status).toBe(200);
    expect(await t.check('angry@example.com', 'newsletter')).toMatchObject({ suppressed: true, reason: 'complaint' });
    const events = await t.core.store.ledger.forContact(contact.id);
    expect(events.at(-1)).toMatchObject({ action: 'suppress', source: 'complaint-webhook', topic: '*' });
    expect(JSON.parse(events.at(-1)!.detail!)).toMatchObject({ provider: 'ses', event: 'Complaint', reason: 'complaint' });
    expect(await verifyLedger(t.core)).toMatchObject({ ok: true });
  });

  it('transient bounces are counted and suppress for a while after the configured number', async () => {
    const transient = fixture<{ bounce: { feedbackId: string } }>('ses-bounce-transient.json');
    for (let i = 1; i <= 3; i++) {
      transient.bounce.feedbackId = `transient-${i}`;
      expect((await post(sns.notification(transient, t.clock.now()))).status).toBe(200);
      expect((await t.check('full@example.com')).suppressed).toBe(i >= 3);
    }
    const [row] = await t.core.store.suppressions.forKey(t.core.addressKey('full@example.com'), t.clock.now());
    expect(row!.expiresAt).toBe(t.clock.now() + t.config.feedback.softBounce.suppressMs);
    t.clock.advance(t.config.feedback.softBounce.suppressMs + 1);
    expect((await t.check('full@example.com')).suppressed).toBe(false);
  });

  it('confirms a subscription by GET of its SubscribeURL', async () => {
    const res = await post(sns.subscriptionConfirmation(t.clock.now()), { 'x-amz-sns-message-type': 'SubscriptionConfirmation' });
    expect(res.status).toBe(200);
    expect(sns.confirmations).toEqual(['/confirm?Action=ConfirmSubscription&Token=abc']);
  });

  it('tampered, expired, foreign-topic, unsigned or off-host messages are refused and change nothing', async () => {
    const before = (await t.core.store.ops.ledgerLength());
    const good = sns.notification({ ...fixture<Record<string, unknown>>('ses-bounce-permanent.json'), bounce: { ...fixture<{ bounce: Record<string, unknown> }>('ses-bounce-permanent.json').bounce, feedbackId: 'other', bouncedRecipients: [{ emailAddress: 'victim@example.com' }] } }, t.clock.now());
    const tampered = { ...good, Message: good.Message!.replace('victim@', 'victim2@') };
    expect((await post(tampered)).status).toBe(403);
    const expired = sns.notification(fixture('ses-bounce-permanent.json'), t.clock.now() - (t.config.feedback.maxAgeSeconds + 60) * 1000);
    expect((await post(expired)).status).toBe(403);
    expect((await post(sns.notification(fixture('ses-complaint.json'), t.clock.now(), { topicArn: 'arn:aws:sns:eu-west-1:999999999999:other' }))).status).toBe(403);
    const { Signature: _dropped, ...unsigned } = good;
    expect((await post(unsigned)).status).toBe(400);
    expect((await post({ ...good, SigningCertURL: 'https://evil.example.com/cert.pem' })).status).toBe(403);
    // Raw delivery is unsigned: without SES_BASIC_AUTH it is not taken in.
    expect((await post(fixture('ses-bounce-permanent.json'), { 'x-amz-sns-rawdelivery': 'true' })).status).toBe(401);
    // A subscription confirmation whose SubscribeURL leaves SNS is neither fetched nor confirmed.
    expect((await post(sns.subscriptionConfirmation(t.clock.now(), 'https://evil.example.com/confirm'))).status).toBe(403);
    expect(sns.confirmations).toHaveLength(1);
    expect((await t.core.store.ops.ledgerLength())).toBe(before);
    expect((await t.check('victim@example.com')).suppressed).toBe(false);
  });

  it('the production rule takes only https certificates on sns.<region>.amazonaws.com', () => {
    const ok = (u: string) => awsSnsHttp.allowUrl(new URL(u));
    expect(ok('https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-abc.pem')).toBe(true);
    expect(ok('https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem')).toBe(true);
    expect(ok('http://sns.eu-west-1.amazonaws.com/x.pem')).toBe(false);
    expect(ok('https://sns.eu-west-1.amazonaws.com.evil.example/x.pem')).toBe(false);
    expect(ok('https://evil.example/sns.eu-west-1.amazonaws.com/x.pem')).toBe(false);
    expect(ok('https://sns.eu-west-1.amazonaws.com:8443/x.pem')).toBe(false);
    expect(ok(`${sns.origin}/x.pem`)).toBe(false);
  });

  it('raw message delivery is taken with basic auth when SES_BASIC_AUTH is set', async () => {
    const auth = 'sns:a-long-enough-password';
    const raw = createApp({ ...t.deps, config: { ...t.config, feedback: { ...t.config.feedback, sesTopicArns: [sns.topicArn], sesBasicAuth: auth } }, snsHttp: sns.http });
    const message = { ...fixture<{ bounce: Record<string, unknown> }>('ses-bounce-permanent.json'), bounce: { ...fixture<{ bounce: Record<string, unknown> }>('ses-bounce-permanent.json').bounce, feedbackId: 'raw-1', bouncedRecipients: [{ emailAddress: 'raw@example.com' }] } };
    const send = (authorization?: string) =>
      raw.request('/hooks/ses', { method: 'POST', headers: { 'x-amz-sns-rawdelivery': 'true', 'x-amz-sns-topic-arn': sns.topicArn, ...(authorization ? { authorization } : {}) }, body: JSON.stringify(message) });
    expect((await send()).status).toBe(401);
    expect((await send(`Basic ${Buffer.from('sns:wrong-password-here').toString('base64')}`)).status).toBe(403);
    expect((await t.check('raw@example.com')).suppressed).toBe(false);
    expect((await send(`Basic ${Buffer.from(auth).toString('base64')}`)).status).toBe(200);
    expect(await t.check('raw@example.com')).toMatchObject({ suppressed: true, reason: 'bounce' });
  });

  it('answers 404 when SES is not configured', async () => {
    const off = createApp({ ...t.deps, config: { ...t.config, feedback: { ...t.config.feedback, sesTopicArns: [] } } });
    expect((await off.request('/hooks/ses', { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
