import jwt from 'jsonwebtoken';
import { createSecretKey, type KeyObject } from 'node:crypto';
import type { Clock } from './clock.ts';
import { invalidLink } from './errors.ts';

/**
 * Signed link credentials. HS256 JWTs with a `kid` header so a new key can be
 * added while links signed with an old one keep working; `algorithms` is pinned on every verify
 * so `alg: none` or an RS/HS confusion never passes. Claims are compact and carry no address:
 * a JWT payload is only base64, and links end up in scanners' logs.
 *
 *   p  purpose: u = unsub, p = prefs, l = login, r = privacy (a token of one purpose never
 *      passes as another)
 *   s  contact id; for privacy, the privacy request's id
 *   t  topic ('*' for every topic)          unsub only
 *   c  campaign                             unsub only, optional
 *   exp, jti                                login (minutes, single use); unsub/prefs never expire
 *                                           unless asked (RFC 8058 links must keep working)
 *                                           privacy: days (the verification link of a request
 *                                           made to the privacy mailbox, GDPR art. 12(6))
 *   i  issued at (s)                        prefs and login: an address change voids the ones
 *                                           issued before it (contacts.links_issued_after)
 */
export type Purpose = 'unsub' | 'prefs' | 'login' | 'privacy';

export interface UnsubClaims {
  contactId: string;
  topic: string;
  campaign?: string | undefined;
}
export interface PrefsClaims {
  contactId: string;
  /** When it was signed (s); absent in links made before this claim existed. */
  issuedAt?: number | undefined;
}
export interface LoginClaims {
  contactId: string;
  jti: string;
  /** What the sign-in is for, e.g. 'prefs' or a step-up action. */
  scope?: string | undefined;
  issuedAt?: number | undefined;
}
/** A privacy request's verification link: following it proves the person controls the address. */
export interface PrivacyClaims {
  requestId: string;
}
interface ClaimsOf {
  unsub: UnsubClaims;
  prefs: PrefsClaims;
  login: LoginClaims;
  privacy: PrivacyClaims;
}
type AnyClaims = UnsubClaims | PrefsClaims | LoginClaims | PrivacyClaims;

const PURPOSE_CODE: Record<Purpose, string> = { unsub: 'u', prefs: 'p', login: 'l', privacy: 'r' };
const MAX_TOKEN_LENGTH = 1024;
const ALGORITHMS: jwt.Algorithm[] = ['HS256'];

export interface SigningKey {
  kid: string;
  secret: Buffer;
}

/** The key ring of a running instance (built in secrets.ts): which kid OPTBOX_SECRET signs under, and reading the stored keys again. */
export interface SigningKeyRing {
  /** The kid of OPTBOX_SECRET when it is set (it then signs every new link), else null. */
  environmentKid: string | null;
  /** Read the stored keys and hand them to the token service (after a rotation, here or elsewhere). */
  reload(): Promise<void>;
}

export interface TokenService {
  sign<P extends Purpose>(purpose: P, claims: ClaimsOf[P], options?: { expiresInSeconds?: number }): string;
  /** Verify a token for one purpose or throw invalid_link. */
  verify<P extends Purpose>(token: string, purpose: P): ClaimsOf[P] & { exp?: number };
  /** The kid new links are signed with. */
  activeKid(): string;
  /**
   * Replace the key ring (a rotation or a retired key, here or on another instance): new links
   * are signed with `activeKid` from now on; a link verifies while its key is in `keys`.
   */
  useKeys(keys: SigningKey[], activeKid: string): void;
}

interface Payload {
  p: string;
  s: string;
  t?: string;
  c?: string;
  j?: string;
  o?: string;
  i?: number;
  exp?: number;
}

/** The keys as KeyObjects, by kid, and the one that signs. */
interface KeyRing {
  byKid: Map<string, KeyObject>;
  active: KeyObject;
  header: { alg: 'HS256'; kid: string };
}

function keyRing(keys: SigningKey[], activeKid: string): KeyRing {
  // KeyObjects, made once: handing jsonwebtoken a Buffer makes it try to parse the bytes as an
  // asymmetric key on every call, which is ~40× slower than the HMAC itself.
  const byKid = new Map<string, KeyObject>(keys.map((k) => [k.kid, createSecretKey(k.secret)]));
  const active = byKid.get(activeKid);
  if (!active) throw new Error(`active signing key ${activeKid} is not in the key ring`);
  return { byKid, active, header: { alg: 'HS256', kid: activeKid } };
}

export function createTokenService(keys: SigningKey[], activeKid: string, clock: Clock): TokenService {
  // The ring is this service's own state, swapped whole (never edited in place) by useKeys.
  let ring = keyRing(keys, activeKid);

  function toPayload(purpose: Purpose, claims: AnyClaims): Payload {
    const payload: Payload = { p: PURPOSE_CODE[purpose], s: 'requestId' in claims ? claims.requestId : claims.contactId };
    if ('topic' in claims) payload.t = claims.topic;
    if ('campaign' in claims && claims.campaign) payload.c = claims.campaign;
    if ('jti' in claims) payload.j = claims.jti;
    if ('scope' in claims && claims.scope) payload.o = claims.scope;
    return payload;
  }

  return {
    sign(purpose, claims, options = {}) {
      const payload = toPayload(purpose, claims);
      if (purpose !== 'unsub') payload.i = Math.floor(clock.now() / 1000);
      if (options.expiresInSeconds !== undefined) payload.exp = Math.floor(clock.now() / 1000) + options.expiresInSeconds;
      return jwt.sign(payload, ring.active, { algorithm: 'HS256', header: ring.header, noTimestamp: true });
    },

    verify(token, purpose) {
      if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) throw invalidLink('malformed token');
      let payload: Payload | undefined;
      let failure: string | undefined;
      // With a key callback jsonwebtoken looks the key up by `kid`; the callback answers at once,
      // so the whole verification still runs synchronously.
      const { byKid } = ring;
      jwt.verify(
        token,
        (hdr, done) => {
          const key = hdr.kid ? byKid.get(hdr.kid) : undefined;
          if (key) done(null, key);
          else done(new Error('unknown signing key'));
        },
        { algorithms: ALGORITHMS, clockTimestamp: Math.floor(clock.now() / 1000) },
        (err, decoded) => {
          if (err) failure = err.name === 'TokenExpiredError' ? 'link expired' : 'invalid signature or format';
          else payload = decoded as Payload;
        },
      );
      if (failure) throw invalidLink(failure);
      if (!payload) throw invalidLink('invalid token'); // the callback did not run synchronously
      if (payload.p !== PURPOSE_CODE[purpose]) throw invalidLink('token is for another purpose');
      if (typeof payload.s !== 'string' || payload.s.length === 0) throw invalidLink('token names no contact');
      // claimsOf reads the claims of exactly this purpose.
      return { ...claimsOf(purpose, payload), exp: payload.exp } as never;
    },

    activeKid: () => ring.header.kid,

    useKeys(keys, activeKid) {
      ring = keyRing(keys, activeKid);
    },
  };
}

function claimsOf(purpose: Purpose, payload: Payload): AnyClaims {
  switch (purpose) {
    case 'unsub':
      if (typeof payload.t !== 'string' || payload.t.length === 0) throw invalidLink('token names no topic');
      return { contactId: payload.s, topic: payload.t, campaign: payload.c };
    case 'login':
      if (typeof payload.j !== 'string' || payload.exp === undefined) throw invalidLink('sign-in token without id or expiry');
      return { contactId: payload.s, jti: payload.j, scope: payload.o, issuedAt: typeof payload.i === 'number' ? payload.i : undefined };
    case 'prefs':
      return { contactId: payload.s, issuedAt: typeof payload.i === 'number' ? payload.i : undefined };
    case 'privacy':
      if (payload.exp === undefined) throw invalidLink('verification token without expiry');
      return { requestId: payload.s };
  }
}
