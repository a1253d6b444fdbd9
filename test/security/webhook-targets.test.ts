import type { LookupFunction } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebhookWorker } from '../../src/core/webhook-worker.ts';
import { json, makeTestApp, type TestApp } from '../helpers/app.ts';
import { startReceiver } from '../helpers/receiver.ts';

/**
 * Webhook targets (SSRF): loopback, link-local, private, unspecified and other non-public
 * addresses are refused at registration when the URL names one (in any spelling) and at every
 * delivery on the address actually connected to; WEBHOOK_ALLOW_PRIVATE=true allows them. The
 * delivery log says what happened in a few fixed words.
 */
let t: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>> | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  t.close();
});

const register = (url: string) => t.api('/api/v1/webhooks', { body: { url, events: ['suppression.created'] } });
const suppressSomeone = () => t.api('/api/v1/suppressions', { body: { suppressions: [{ email: `x${Math.random().toString(36).slice(2)}@example.com`, reason: 'bounce' }] } });
/** A resolver that answers every name with these addresses, in turn (a rebinding DNS server). */
function fakeDns(...answers: string[][]): LookupFunction & { calls: string[] } {
  const calls: string[] = [];
  const fn = ((hostname: string, options: { all?: boolean }, callback: (err: Error | null, a: unknown, f?: number) => void) => {
    calls.push(hostname);
    const list = (answers[Math.min(calls.length - 1, answers.length - 1)] ?? []).map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (options.all) callback(null, list);
    else callback(null, list[0]!.address, list[0]!.family);
  }) as unknown as LookupFunction & { calls: string[] };
  fn.calls = calls;
  return fn;
}

const PRIVATE_URLS = [
  'http://127.0.0.1/x',
  'http://127.1/x',
  'http://2130706433/x', // decimal
  'http://0x7f000001/x', // hex
  'http://0177.0.0.1/x', // octal
  'http://0x7f.0.0.1/x',
  'http://[::1]/x',
  'http://[::ffff:127.0.0.1]/x', // IPv4-mapped IPv6
  'http://[::ffff:7f00:1]/x',
  'http://[::127.0.0.1]/x',
  'http://169.254.169.254/latest/meta-data/', // cloud metadata
  'http://[fe80::1]/x',
  'http://10.0.0.1/x',
  'http://172.16.5.4/x',
  'http://192.168.1.1/x',
  'http://[fc00::1]/x',
  'http://[fd12:3456::1]/x',
  'http://0.0.0.0/x',
  'http://0/x',
  'http://[::]/x',
  'http://100.64.0.1/x', // CGNAT
  'http://224.0.0.1/x', // multicast
  'http://240.0.0.1/x', // reserved
  'http://255.255.255.255/x',
  'http://192.0.2.1/x', // documentation
  'http://[2001:db8::1]/x',
  'http://[64:ff9b::7f00:1]/x', // NAT64 of loopback
  'https://[2002:7f00:1::]/x', // 6to4 of loopback
];

describe('registration', () => {
  it('refuses URLs that name a non-public address, in every spelling, naming the field', async () => {
    t = await makeTestApp();
    for (const url of PRIVATE_URLS) {
      const res = await register(url);
      expect(res.status, url).toBe(400);
      expect((await json(res)).error.fields[0].field).toBe('url');
    }
    for (const url of ['https://hooks.example.com/x', 'http://93.184.215.14/x', 'https://[2606:4700::1111]/x']) expect((await register(url)).status, url).toBe(201);
  });

  it('WEBHOOK_ALLOW_PRIVATE=true accepts them', async () => {
    t = await makeTestApp({ config: { webhookAllowPrivate: true, webhookEndpoints: { perKey: 1000, total: 1000 } } }); // one key registers every form
    for (const url of PRIVATE_URLS) expect((await register(url)).status, url).toBe(201);
  });
});

describe('delivery, on the address actually connected to', () => {
  it('a name that resolves to loopback is refused before connecting; the log says so and no more', async () => {
    t = await makeTestApp();
    receiver = await startReceiver();
    const port = new URL(receiver.url).port;
    const { id } = await json(register(`http://receiver.example:${port}/hooks`));
    await suppressSomeone();
    const dns = fakeDns(['127.0.0.1']);
    const worker = createWebhookWorker(t.core, { timeoutMs: 2000, maxAttempts: 3, pollMs: 1000, lookup: dns });
    expect(await worker.tick()).toBe(1);
    expect(dns.calls).toEqual(['receiver.example']);
    expect(receiver.received).toHaveLength(0);
    const log = await json(t.api(`/api/v1/webhooks/${id}/deliveries`));
    expect(log.data[0]).toMatchObject({ state: 'pending', lastStatus: null, lastError: 'refused: private address' });
  });

  it('a name that rebinds from a public address to a private one is refused at delivery', async () => {
    t = await makeTestApp();
    receiver = await startReceiver();
    const { id } = await json(register(`http://rebind.example:${new URL(receiver.url).port}/hooks`));
    await suppressSomeone();
    const dns = fakeDns(['::ffff:10.0.0.8', '93.184.215.14'], ['127.0.0.1']);
    const worker = createWebhookWorker(t.core, { timeoutMs: 2000, maxAttempts: 3, pollMs: 1000, lookup: dns });
    await worker.tick();
    expect(receiver.received).toHaveLength(0);
    expect((await json(t.api(`/api/v1/webhooks/${id}/deliveries`))).data[0].lastError).toBe('refused: private address');
  });

  it('a stored endpoint that names a private IP (registered before, or with the setting on) is refused', async () => {
    t = await makeTestApp({ config: { webhookAllowPrivate: true } });
    receiver = await startReceiver();
    const { id } = await json(register(receiver.url));
    await suppressSomeone();
    const worker = createWebhookWorker(t.core, { timeoutMs: 2000, maxAttempts: 3, pollMs: 1000 }); // private not allowed
    await worker.tick();
    expect(receiver.received).toHaveLength(0);
    expect((await json(t.api(`/api/v1/webhooks/${id}/deliveries`))).data[0].lastError).toBe('refused: private address');
  });

  it('real DNS: localhost is refused', async () => {
    t = await makeTestApp();
    receiver = await startReceiver();
    const { id } = await json(register(`http://localhost:${new URL(receiver.url).port}/hooks`));
    await suppressSomeone();
    await t.deps.webhooks.tick();
    expect(receiver.received).toHaveLength(0);
    expect((await json(t.api(`/api/v1/webhooks/${id}/deliveries`))).data[0].lastError).toBe('refused: private address');
  });

  it('WEBHOOK_ALLOW_PRIVATE=true delivers to a loopback receiver, by name and by address', async () => {
    t = await makeTestApp({ config: { webhookAllowPrivate: true } });
    receiver = await startReceiver();
    await json(register(`http://receiver.example:${new URL(receiver.url).port}/hooks`));
    await json(register(receiver.url));
    await suppressSomeone();
    const worker = createWebhookWorker(t.core, { timeoutMs: 2000, maxAttempts: 3, pollMs: 1000, allowPrivate: true, lookup: fakeDns(['127.0.0.1']) });
    expect(await worker.tick()).toBe(2);
    expect(receiver.received).toHaveLength(2);
  });

  it('the delivery log is no scanner: a closed port and a refusing host read the same', async () => {
    t = await makeTestApp({ config: { webhookAllowPrivate: true } });
    const closed = await json(register('http://127.0.0.1:9/x'));
    const unknown = await json(register('http://no-such-host.invalid/x'));
    await suppressSomeone();
    await t.deps.webhooks.tick();
    for (const { id } of [closed, unknown]) {
      const entry = (await json(t.api(`/api/v1/webhooks/${id}/deliveries`))).data[0];
      expect(entry).toMatchObject({ lastStatus: null, lastError: 'connection failed' });
      expect(JSON.stringify(entry)).not.toMatch(/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|getaddrinfo/);
    }
  });
});
