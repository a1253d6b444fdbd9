import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.ts';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';
import { fixture, mailgunBody } from '../helpers/providers.ts';

/** Mailgun webhooks: HMAC-SHA256 over timestamp + token, replay window, one use per token. */
let t: TestApp;
const key = 'key-0123456789abcdef0123456789abcdef';

beforeAll(async () => {
  t = await makeTestApp();
  t.config.feedback.mailgunSigningKey = key;
});
afterAll(() => t.close());

const now = () => Math.floor(t.clock.now() / 1000);
const post = (body: string) => createApp(t.deps).request('/hooks/mailgun', { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('Mailgun webhooks', () => {
  it('a signed permanent failure suppresses with reason bounce; the same event under a new token changes nothing', async () => {
    const res = await post(mailgunBody(key, fixture('mailgun-failed-permanent.json'), now()));
    expect(res.status).toBe(200);
    expect(await t.check('gone@example.com')).toMatchObject({ suppressed: true, reason: 'bounce' });
    const before = (await t.core.store.ops.ledgerLength());
    expect(await json(post(mailgunBody(key, fixture('mailgun-failed-permanent.json'), now())))).toMatchObject({ duplicates: 1 });
    expect((await t.core.store.ops.ledgerLength())).toBe(before);
  });

  it('a complaint suppresses with reason complaint; a temporary failure is only counted', async () => {
    expect((await post(mailgunBody(key, fixture('mailgun-complained.json'), now()))).status).toBe(200);
    expect(await t.check('angry@example.com')).toMatchObject({ suppressed: true, reason: 'complaint' });
    const temporary = { ...fixture('mailgun-failed-permanent.json'), id: 'temp-1', severity: 'temporary', recipient: 'later@example.com' };
    expect(await json(post(mailgunBody(key, temporary, now())))).toMatchObject({ applied: 1, suppressed: 0 });
    expect((await t.check('later@example.com')).suppressed).toBe(false);
  });

  it('a reused token is refused (403) even for a new event, and changes nothing', async () => {
    const token = 'a'.repeat(50);
    const first = { ...fixture('mailgun-complained.json'), id: 'reuse-1', recipient: 'first@example.com' };
    expect((await post(mailgunBody(key, first, now(), token))).status).toBe(200);
    const second = { ...fixture('mailgun-complained.json'), id: 'reuse-2', recipient: 'victim@example.com' };
    expect((await post(mailgunBody(key, second, now(), token))).status).toBe(403);
    expect((await t.check('victim@example.com')).suppressed).toBe(false);
  });

  it('tampered, expired, unsigned or wrongly keyed requests get 401/403 and change nothing', async () => {
    const event = { ...fixture('mailgun-complained.json'), id: 'victim-1', recipient: 'victim@example.com' };
    const body = mailgunBody(key, event, now());
    const parsed = JSON.parse(body) as { signature: { timestamp: string } };
    expect((await post(body.replace(`"timestamp":"${parsed.signature.timestamp}"`, `"timestamp":"${Number(parsed.signature.timestamp) + 1}"`))).status).toBe(403);
    expect((await post(mailgunBody(key, event, now() - t.config.feedback.maxAgeSeconds - 5))).status).toBe(403);
    expect((await post(mailgunBody('key-not-the-right-one-000000000000', event, now()))).status).toBe(403);
    expect((await post(JSON.stringify({ 'event-data': event }))).status).toBe(401);
    expect((await t.check('victim@example.com')).suppressed).toBe(false);
  });

  it('answers 404 when Mailgun is not configured', async () => {
    const off = createApp({ ...t.deps, config: { ...t.config, feedback: { ...t.config.feedback, mailgunSigningKey: undefined } } });
    expect((await off.request('/hooks/mailgun', { method: 'POST', body: '{}' })).status).toBe(404);
  });
});
