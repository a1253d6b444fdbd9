import { Webhook } from 'standardwebhooks';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RETRY_SCHEDULE_MS } from '../../src/core/webhook-worker.ts';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';
import { contract } from '../helpers/contract.ts';
import { startReceiver } from '../helpers/receiver.ts';

let t: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
afterEach(async () => {
  vi.useRealTimers();
  await receiver?.close();
  t.close();
});

/**
 * Standard Webhooks' verifier checks the timestamp against the wall clock: show it ours. Every
 * payload must also be what the document's `webhooks` section says it is.
 */
function verify(secret: string, r: { headers: Record<string, unknown>; body: string }) {
  vi.useFakeTimers({ toFake: ['Date'], now: t.clock.now() });
  let payload: { type: string; data: Record<string, unknown> };
  try {
    payload = new Webhook(secret).verify(r.body, r.headers as Record<string, string>) as typeof payload;
  } finally {
    vi.useRealTimers();
  }
  expect(contract().checkWebhook(payload.type, payload)).toEqual([]);
  return payload;
}

async function register(events: string[], url = receiver.url) {
  const res = await t.api('/api/v1/webhooks', { body: { url, events, description: 'crm' } });
  expect(res.status).toBe(201);
  return json(res) as Promise<{ id: string; secret: string }>;
}

describe('webhook delivery', () => {
  beforeEach(async () => {
    t = await makeTestApp({ config: { webhookAllowPrivate: true } });
  });

  it('fails twice, then delivers: retried with backoff on the core clock, signed, and logged', async () => {
    receiver = await startReceiver((n) => (n < 2 ? 500 : 204));
    const endpoint = await register(['suppression.created']);
    expect(endpoint.secret).toMatch(/^whsec_/);

    const added = await t.api('/api/v1/suppressions', { body: { suppressions: [{ email: 'ann@example.com', reason: 'bounce' }] } });
    expect(added.status).toBe(200);
    expect(receiver.received).toHaveLength(0); // the request did not wait for the webhook

    expect(await t.deps.webhooks.tick()).toBe(1);
    expect(receiver.received).toHaveLength(1);
    expect(await t.deps.webhooks.tick()).toBe(0); // not due again yet
    t.clock.advance(RETRY_SCHEDULE_MS[0]!);
    expect(await t.deps.webhooks.tick()).toBe(1);
    t.clock.advance(RETRY_SCHEDULE_MS[1]! - 1);
    expect(await t.deps.webhooks.tick()).toBe(0);
    t.clock.advance(1);
    expect(await t.deps.webhooks.tick()).toBe(1);
    expect(receiver.received).toHaveLength(3);

    // The same message id on every attempt; each attempt signed at its own time and verifiable.
    const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
    expect(ids.size).toBe(1);
    const last = receiver.received[2]!;
    expect(last.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
    expect(Number(last.headers['webhook-timestamp'])).toBe(Math.floor(t.clock.now() / 1000));
    const payload = verify(endpoint.secret, last as never);
    expect(payload).toMatchObject({ type: 'suppression.created', data: { email: 'ann@example.com', scope: '*', reason: 'bounce', source: 'api' } });
    // A tampered body does not verify.
    expect(() => verify(endpoint.secret, { ...last, body: last.body.replace('bounce', 'manual') } as never)).toThrow();

    t.clock.advance(86_400_000);
    expect(await t.deps.webhooks.tick()).toBe(0); // delivered: never sent again

    const log = await json(t.api(`/api/v1/webhooks/${endpoint.id}/deliveries`));
    expect(log.data).toHaveLength(1);
    expect(log.data[0]).toMatchObject({ type: 'suppression.created', state: 'delivered', attempts: 3, lastStatus: 204, lastError: null, nextAttemptAt: null });
    expect(log.data[0].attemptLog.map((a: { statusCode: number }) => a.statusCode)).toEqual([500, 500, 204]);
    expect(log.data[0].eventId).toBe(last.headers['webhook-id']);
  });

  it('sends every event type it listens for, and only those', async () => {
    receiver = await startReceiver();
    const endpoint = await register(['subscription.updated', 'suppression.deleted', 'contact.erased']);
    const { contact } = await json(t.api('/api/v1/contacts', { body: { email: 'bob@example.com', externalId: 'crm-bob', topics: ['newsletter'] } }));
    await t.api('/api/v1/suppressions', { body: { suppressions: [{ email: 'bob@example.com', scope: 'marketing' }] } }); // not listened for
    await t.api('/api/v1/suppressions/bob@example.com?scope=marketing', { method: 'DELETE' });
    await t.api(`/api/v1/contacts/${contact.id}`, { method: 'DELETE' });
    await t.deps.webhooks.tick();
    const events = receiver.received.map((r) => verify(endpoint.secret, r as never)).sort((a, b) => a.type.localeCompare(b.type));
    expect(events).toMatchObject([
      { type: 'contact.erased', data: { contactId: contact.id } },
      // Sent after the erasure: its external id was scrubbed too.
      { type: 'subscription.updated', data: { contactId: contact.id, externalId: null, topics: ['newsletter'], status: 'subscribed', source: 'api' } },
      // Erasure scrubbed the address from the payload before it went out; the key stays, so a
      // receiver still matches it to the entry it holds.
      { type: 'suppression.deleted', data: { email: null, scope: 'marketing', key: expect.stringMatching(/^[\w-]{43}$/) } },
    ]);
    // The same key the sync API shows for that address.
    const sync = await json(t.api('/api/v1/suppressions'));
    const erasure = sync.data.find((c: { reason: string }) => c.reason === 'erasure');
    expect(events[2]!.data.key).toBe(erasure.key);
  });

  it('subscription.updated carries the external id while the contact exists', async () => {
    receiver = await startReceiver();
    const endpoint = await register(['subscription.updated']);
    await t.api('/api/v1/contacts', { body: { email: 'bea@example.com', externalId: 'crm-bea', topics: ['newsletter'] } });
    await t.deps.webhooks.tick();
    expect(verify(endpoint.secret, receiver.received[0] as never).data).toMatchObject({ externalId: 'crm-bea' });
  });

  it('reports a one-click unsubscribe as subscription.updated', async () => {
    receiver = await startReceiver();
    const endpoint = await register(['subscription.updated', 'suppression.created']);
    const link = await t.linkFor('cas@example.com', 'newsletter');
    await t.deps.webhooks.tick();
    receiver.received.length = 0;
    await t.app.request(link.path, { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) });
    await t.deps.webhooks.tick();
    const types = receiver.received.map((r) => verify(endpoint.secret, r as never)).map((e) => `${e.type}:${(e.data as { source: string }).source}`).sort();
    expect(types).toEqual(['subscription.updated:one-click', 'suppression.created:one-click']);
  });

  it('counts a receiver that does not answer in time as failed, and retries', async () => {
    t.close();
    t = await makeTestApp({ config: { webhookAllowPrivate: true, webhookTimeoutMs: 200 } });
    receiver = await startReceiver((n) => (n === 0 ? 'hang' : 200));
    const endpoint = await register(['suppression.created']);
    await t.api('/api/v1/suppressions', { body: { suppressions: [{ email: 'dee@example.com' }] } });
    await t.deps.webhooks.tick();
    const log = await json(t.api(`/api/v1/webhooks/${endpoint.id}/deliveries`));
    expect(log.data[0]).toMatchObject({ state: 'pending', attempts: 1, lastStatus: null, lastError: 'timeout after 200 ms' });
    t.clock.advance(RETRY_SCHEDULE_MS[0]!);
    await t.deps.webhooks.tick();
    expect((await json(t.api(`/api/v1/webhooks/${endpoint.id}/deliveries`))).data[0]).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('gives up after the configured attempts', async () => {
    t.close();
    t = await makeTestApp({ config: { webhookAllowPrivate: true, webhookMaxAttempts: 2 } });
    receiver = await startReceiver(() => 503);
    const endpoint = await register(['suppression.created']);
    await t.api('/api/v1/suppressions', { body: { suppressions: [{ email: 'eve@example.com' }] } });
    await t.deps.webhooks.tick();
    t.clock.advance(RETRY_SCHEDULE_MS[0]!);
    await t.deps.webhooks.tick();
    t.clock.advance(86_400_000);
    expect(await t.deps.webhooks.tick()).toBe(0);
    expect((await json(t.api(`/api/v1/webhooks/${endpoint.id}/deliveries`))).data[0]).toMatchObject({ state: 'failed', attempts: 2, lastStatus: 503, nextAttemptAt: null });
  });

  it('lists, gets and deletes endpoints; the secret is shown only at creation', async () => {
    receiver = await startReceiver();
    const endpoint = await register(['contact.erased']);
    const list = await json(t.api('/api/v1/webhooks'));
    expect(list.data).toMatchObject([{ id: endpoint.id, url: receiver.url, events: ['contact.erased'], description: 'crm' }]);
    expect(JSON.stringify(list)).not.toContain(endpoint.secret);
    expect(JSON.stringify(await json(t.api(`/api/v1/webhooks/${endpoint.id}`)))).not.toContain('whsec_');
    expect((await t.api(`/api/v1/webhooks/${endpoint.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.api(`/api/v1/webhooks/${endpoint.id}`)).status).toBe(404);
  });

  it('accepts a secret of the client, and signs with it', async () => {
    receiver = await startReceiver();
    const secret = 'whsec_' + Buffer.alloc(32, 7).toString('base64');
    const res = await t.api('/api/v1/webhooks', { body: { url: receiver.url, events: ['suppression.created'], secret } });
    expect((await json(res)).secret).toBe(secret);
    await t.api('/api/v1/suppressions', { body: { suppressions: [{ email: 'fay@example.com' }] } });
    await t.deps.webhooks.tick();
    expect(verify(secret, receiver.received[0] as never).type).toBe('suppression.created');
  });
});

describe('durability', () => {
  it('a pending delivery survives a restart and goes out after it', async () => {
    t = await makeTestApp({ file: true, config: { webhookAllowPrivate: true } });
    receiver = await startReceiver((n) => (n === 0 ? 500 : 200));
    await register(['suppression.created']);
    await t.api('/api/v1/suppressions', { body: { suppressions: [{ email: 'gus@example.com' }] } });
    await t.deps.webhooks.tick(); // fails once
    await t.restart();
    t.clock.advance(RETRY_SCHEDULE_MS[0]!);
    expect(await t.deps.webhooks.tick()).toBe(1);
    expect(receiver.received).toHaveLength(2);
    expect(receiver.received[0]!.headers['webhook-id']).toBe(receiver.received[1]!.headers['webhook-id']);
  });

  it('the started worker delivers on its own and stops cleanly', async () => {
    t = await makeTestApp({ config: { webhookAllowPrivate: true, webhookPollMs: 50 } });
    receiver = await startReceiver();
    await register(['suppression.created']);
    t.deps.webhooks.start();
    await t.api('/api/v1/suppressions', { body: { suppressions: [{ email: 'hal@example.com' }] } });
    await vi.waitFor(() => expect(receiver.received).toHaveLength(1), { timeout: 30_000 });
    await t.deps.webhooks.stop();
  });
});
