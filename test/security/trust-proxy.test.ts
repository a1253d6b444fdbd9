import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.ts';
import { loadConfig } from '../../src/config.ts';
import { truncateIp } from '../../src/core/evidence.ts';
import { makeTestApp, type TestApp } from '../helpers/app.ts';

/**
 * X-Forwarded-For decides the client address only behind TRUST_PROXY; otherwise it is the
 * connection's peer, whatever the header says. Over a real server, so there is a peer.
 */
let t: TestApp;
afterEach(() => t.close());

async function serve(trustProxy: string | undefined) {
  const parsed = loadConfig(trustProxy === undefined ? {} : { TRUST_PROXY: trustProxy });
  t = await makeTestApp({ config: { trustProxy: parsed.trustProxy, preferences: { ...loadConfig({}).preferences, loginLimitPerIp: 2, loginLimitPerAddress: 100 } } as Partial<Config> });
  return (await t.listen()).origin;
}

async function login(origin: string, n: number, forwardedFor?: string) {
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', origin };
  if (forwardedFor) headers['x-forwarded-for'] = forwardedFor;
  return (await fetch(`${origin}/preferences/login`, { method: 'POST', headers, body: `email=nobody${n}@example.com` })).status;
}

async function oneClickEvidence(origin: string, forwardedFor: string): Promise<string | null> {
  const link = await t.linkFor(`one${Math.random().toString(36).slice(2)}@example.com`, 'newsletter');
  const res = await fetch(origin + link.path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': forwardedFor }, body: 'List-Unsubscribe=One-Click' });
  expect(res.status).toBe(200);
  return (await t.core.store.ledger.forContact(link.contact.id)).at(-1)!.ipHash;
}
const hashOf = (ip: string) => t.core.evidenceHash(truncateIp(ip)!);

describe('without TRUST_PROXY', () => {
  it('X-Forwarded-For is ignored: one limit for the peer, evidence of the peer', async () => {
    const origin = await serve(undefined);
    const statuses = [await login(origin, 1, '198.51.100.1'), await login(origin, 2, '198.51.100.2'), await login(origin, 3, '198.51.100.3')];
    expect(statuses).toEqual([200, 200, 429]);
    expect(await oneClickEvidence(origin, '203.0.113.7')).toBe(hashOf('127.0.0.1'));
  });
});

describe('TRUST_PROXY as a hop count', () => {
  it('the address the proxy appended counts; one the client wrote itself does not', async () => {
    const origin = await serve('1');
    expect([await login(origin, 1, '198.51.100.1'), await login(origin, 2, '198.51.100.1'), await login(origin, 3, '198.51.100.1')]).toEqual([200, 200, 429]);
    expect(await login(origin, 4, '198.51.100.2')).toBe(200); // another visitor behind the same proxy
    // A client that sends its own X-Forwarded-For: the proxy appends the real address after it.
    expect(await login(origin, 5, '198.51.100.99, 198.51.100.1')).toBe(429);
    expect(await oneClickEvidence(origin, '203.0.113.7')).toBe(hashOf('203.0.113.7'));
  });
});

describe('TRUST_PROXY as proxy addresses', () => {
  it('walks past the trusted proxies to the client', async () => {
    const origin = await serve('127.0.0.1/8, 10.0.0.0/8');
    expect(await oneClickEvidence(origin, '203.0.113.7, 10.1.2.3')).toBe(hashOf('203.0.113.7'));
    expect([await login(origin, 1, '198.51.100.1, 10.0.0.5'), await login(origin, 2, '198.51.100.1'), await login(origin, 3, '198.51.100.1, 10.9.9.9')]).toEqual([200, 200, 429]);
  });

  it('a bad setting stops the start, naming it', () => {
    expect(() => loadConfig({ TRUST_PROXY: 'not-an-address' })).toThrow(/TRUST_PROXY/);
    expect(loadConfig({}).trustProxy).toBeNull();
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toEqual({ hops: 2 });
  });
});
