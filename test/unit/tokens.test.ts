import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/testing/index.ts';
import { OptboxError } from '../../src/core/errors.ts';
import { createTokenService, type Purpose } from '../../src/core/tokens.ts';

const clock = fixedClock();
const k1 = { kid: 'k1', secret: randomBytes(32) };
const k2 = { kid: 'k2', secret: randomBytes(32) };
const tokens = createTokenService([k1], 'k1', clock);
const unsub = { contactId: 'c123', topic: 'newsletter', campaign: 'nov' };

function rejects(token: string, purpose: Purpose = 'unsub', service = tokens): string {
  try {
    service.verify(token, purpose);
  } catch (e) {
    expect(e).toBeInstanceOf(OptboxError);
    expect((e as OptboxError).code).toBe('invalid_link');
    return (e as OptboxError).message;
  }
  throw new Error('token was accepted');
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('link tokens', () => {
  it('round-trips unsub claims and carries a kid, HS256, and no address', () => {
    const token = tokens.sign('unsub', unsub);
    expect(tokens.verify(token, 'unsub')).toMatchObject(unsub);
    const { header, payload } = jwt.decode(token, { complete: true })!;
    expect(header).toMatchObject({ alg: 'HS256', kid: 'k1' });
    expect(JSON.stringify(payload)).not.toContain('@');
    expect(payload).not.toHaveProperty('exp'); // unsubscribe links keep working (RFC 8058, Gmail/Yahoo rules)
  });

  it('rejects a token of another purpose', () => {
    expect(rejects(tokens.sign('prefs', { contactId: 'c123' }), 'unsub')).toMatch(/another purpose/);
    expect(rejects(tokens.sign('unsub', unsub), 'prefs')).toMatch(/another purpose/);
    expect(rejects(tokens.sign('unsub', unsub), 'login')).toMatch(/another purpose/);
  });

  it('a privacy-request verification token names the request, expires, and passes as nothing else', () => {
    const token = tokens.sign('privacy', { requestId: 'pr_abc' }, { expiresInSeconds: 14 * 86_400 });
    expect(tokens.verify(token, 'privacy')).toMatchObject({ requestId: 'pr_abc' });
    for (const other of ['unsub', 'prefs', 'login'] as const) expect(rejects(token, other)).toMatch(/another purpose|no topic/);
    expect(rejects(tokens.sign('prefs', { contactId: 'c123' }), 'privacy')).toMatch(/another purpose/);
    expect(rejects(tokens.sign('login', { contactId: 'c1', jti: 'j1' }, { expiresInSeconds: 60 }), 'privacy')).toMatch(/another purpose/);
    expect(rejects(tokens.sign('privacy', { requestId: 'pr_abc' }), 'privacy')).toMatch(/expiry/);
    const later = fixedClock(clock.now() + 15 * 86_400_000);
    expect(rejects(token, 'privacy', createTokenService([k1], 'k1', later))).toMatch(/expired/);
  });

  it('rejects a tampered payload and a tampered signature', () => {
    const [h, , s] = tokens.sign('unsub', unsub).split('.');
    rejects(`${h}.${b64({ p: 'u', s: 'someone-else', t: 'newsletter' })}.${s}`);
    const token = tokens.sign('unsub', unsub);
    rejects(token.slice(0, -2) + (token.endsWith('AA') ? 'BB' : 'AA'));
  });

  it('rejects alg:none and an HS384 token even with the right key', () => {
    rejects(`${b64({ alg: 'none', kid: 'k1', typ: 'JWT' })}.${b64({ p: 'u', s: 'c123', t: 'newsletter' })}.`);
    rejects(jwt.sign({ p: 'u', s: 'c123', t: 'newsletter' }, k1.secret, { algorithm: 'HS384', keyid: 'k1' }));
  });

  it('rejects an expired token', () => {
    const token = tokens.sign('unsub', unsub, { expiresInSeconds: 60 });
    expect(tokens.verify(token, 'unsub').topic).toBe('newsletter');
    clock.advance(61_000);
    expect(rejects(token)).toMatch(/expired/);
  });

  it('rejects unknown keys, garbage and oversize input', () => {
    const other = createTokenService([k2], 'k2', clock);
    rejects(other.sign('unsub', unsub));
    for (const junk of ['', 'abc', 'a.b.c', '...', 'x'.repeat(5000)]) rejects(junk);
  });

  it('keeps verifying links signed with an old key after rotation', () => {
    const old = tokens.sign('unsub', unsub);
    const rotated = createTokenService([k2, k1], 'k2', clock);
    expect(rotated.verify(old, 'unsub').contactId).toBe('c123');
    expect(jwt.decode(rotated.sign('unsub', unsub), { complete: true })!.header.kid).toBe('k2');
  });

  it('a running service takes a new key ring whole: signs with its active key, verifies only its keys', () => {
    const service = createTokenService([k1], 'k1', clock);
    const old = service.sign('unsub', unsub);
    service.useKeys([k2, k1], 'k2');
    expect(service.activeKid()).toBe('k2');
    const fresh = service.sign('unsub', unsub);
    expect(jwt.decode(fresh, { complete: true })!.header.kid).toBe('k2');
    expect(service.verify(old, 'unsub').contactId).toBe('c123');
    // k1 retired: its links are refused, the new ones still pass.
    service.useKeys([k2], 'k2');
    expect(rejects(old, 'unsub', service)).toMatch(/invalid signature/);
    expect(service.verify(fresh, 'unsub').contactId).toBe('c123');
    // A ring without its active key is a programming error, refused before anything changes.
    expect(() => service.useKeys([k1], 'k2')).toThrow(/not in the key ring/);
    expect(service.activeKid()).toBe('k2');
  });

  it('login tokens need an expiry and an id', () => {
    const login = tokens.sign('login', { contactId: 'c1', jti: 'j1' }, { expiresInSeconds: 1800 });
    expect(tokens.verify(login, 'login')).toMatchObject({ contactId: 'c1', jti: 'j1' });
    expect(rejects(tokens.sign('login', { contactId: 'c1', jti: 'j1' }), 'login')).toMatch(/expiry/);
  });
});
