import { afterEach, describe, expect, it } from 'vitest';
import { ENDPOINT_PAUSE_MS } from '../../src/core/webhook-worker.ts';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';
import { startReceiver } from '../helpers/receiver.ts';

let t: TestApp;
const receivers: Array<Awaited<ReturnType<typeof startReceiver>>> = [];
afterEach(async () => {
  for (const r of receivers.splice(0)) await r.close();
  t.close();
});

const register = (key: string, n: number) => t.api('/api/v1/webhooks', { key, body: { url: `https://crm.example.com/hooks/${n}`, events: ['suppression.created'] } });

describe('webhook endpoint bounds', () => {
  it('refuses an endpoint over the per-key bound with 409 limit_reached, creating nothing; another key has its own', async () => {
    t = await makeTestApp({ config: { webhookEndpoints: { perKey: 2, total: 10 } } });
    const other = await t.keyWith(['webhooks:manage'], 'other');
    const mine = await register(t.apiKey, 1);
    expect(mine.status).toBe(201);
    expect((await register(t.apiKey, 2)).status).toBe(201);
    const refused = await register(t.apiKey, 3);
    expect(refused.status).toBe(409);
    expect(await json(refused)).toMatchObject({ error: { code: 'limit_reached', message: expect.stringContaining('WEBHOOK_ENDPOINTS_PER_KEY') } });
    expect((await json(t.api('/api/v1/webhooks'))).data).toHaveLength(2);
    expect((await register(other, 4)).status).toBe(201);
    // Removing one makes room again.
    await t.api(`/api/v1/webhooks/${(await json(mine)).id}`, { method: 'DELETE' });
    expect((await register(t.apiKey, 5)).status).toBe(201);
  });

  it('refuses an endpoint over the total bound, whichever key asks', async () => {
    t = await makeTestApp({ config: { webhookEndpoints: { perKey: 5, total: 3 } } });
    const keys = [t.apiKey, await t.keyWith(['webhooks:manage'], 'b'), await t.keyWith(['webhooks:manage'], 'c')];
    for (const [i, key] of keys.entries()) expect((await register(key, i)).status).toBe(201);
    const refused = await register(await t.keyWith(['webhooks:manage'], 'd'), 9);
    expect(refused.status).toBe(409);
    expect(await json(refused)).toMatchObject({ error: { code: 'limit_reached', message: expect.stringContaining('WEBHOOK_ENDPOINTS_TOTAL') } });
    expect((await json(t.api('/api/v1/webhooks'))).data).toHaveLength(3);
  });
});

describe('per-endpoint backoff', () => {
  it('a dead receiver is paused as a whole: its attempts stay bounded while a healthy one gets every delivery', async () => {
    t = await makeTestApp({ config: { webhookAllowPrivate: true } }); // the receivers listen on loopback
    let alive = false;
    const dead = await startReceiver(() => (alive ? 204 : 503));
    const healthy = await startReceiver(() => 204);
    receivers.push(dead, healthy);
    for (const r of [dead, healthy]) expect((await t.api('/api/v1/webhooks', { body: { url: r.url, events: ['suppression.created'] } })).status).toBe(201);
    const deadEndpoint = (await json(t.api('/api/v1/webhooks'))).data.find((e: { url: string }) => e.url === dead.url);

    // 60 events, each owed to both receivers: 120 deliveries.
    const suppressions = Array.from({ length: 60 }, (_, i) => ({ email: `p${i}@example.com` }));
    expect((await t.api('/api/v1/suppressions', { body: { suppressions } })).status).toBe(200);

    // Two hours of the worker polling once a minute.
    for (let minute = 0; minute < 120; minute++) {
      while ((await t.deps.webhooks.tick()) > 0 && healthy.received.length < 60);
      t.clock.advance(60_000);
    }
    expect(healthy.received).toHaveLength(60);
    // Without the pause each of its 60 deliveries would have had 4 attempts by now (240): one
    // batch before it counted as failing, then one probe per pause, the pauses doubling to an hour.
    expect(dead.received.length).toBeLessThanOrEqual(20);
    const endpoint = await json(t.api(`/api/v1/webhooks/${deadEndpoint.id}`));
    expect(endpoint.failingSince).not.toBeNull();
    expect(Date.parse(endpoint.pausedUntil) - t.clock.now()).toBeLessThanOrEqual(ENDPOINT_PAUSE_MS.max);

    // Back up: its first answer ends the pause, and what it is owed goes out as each falls due.
    alive = true;
    t.clock.advance(12 * 3_600_000);
    while ((await t.deps.webhooks.tick()) > 0);
    const log = await json(t.api(`/api/v1/webhooks/${deadEndpoint.id}/deliveries?limit=200`));
    expect(log.data.map((d: { state: string }) => d.state)).toEqual(Array(60).fill('delivered'));
    expect(await json(t.api(`/api/v1/webhooks/${deadEndpoint.id}`))).toMatchObject({ failingSince: null, pausedUntil: null });
  });
});
