import type { Context, MiddlewareHandler } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';
import proxyaddr from 'proxy-addr';
import type { TrustProxy } from '../config.ts';
import type { RequestEvidence } from '../core/deps.ts';

/** Request variables: how far to trust X-Forwarded-For (set by clientAddress), and the address once worked out. */
const TRUST = 'clientIpTrust';
const CLIENT_IP = 'clientIp';

/** Which X-Forwarded-For hops to believe: none, or a hop count or a list of proxy addresses/CIDRs. */
type Trusted = ((addr: string, i: number) => boolean) | null;

/** The peer address of the connection, when served by Node (tests with app.request have none). */
function peerAddress(c: Context): string | undefined {
  try {
    return getConnInfo(c).remote.address;
  } catch {
    return undefined;
  }
}

/**
 * Who the client is, decided once per request and only when a route asks (clientIp): most
 * requests (the suppression check, health probes) never do. Without TRUST_PROXY it is the socket
 * peer and X-Forwarded-For is ignored (anyone can send it). With TRUST_PROXY, the addresses in
 * X-Forwarded-For are walked from the right (nearest hop first), past the trusted proxies
 * (a hop count, or addresses/CIDRs), and the first untrusted one is the client (RFC 7239 §5.2
 * explains why only the proxies' own entries can be believed).
 */
export function clientAddress(trust: TrustProxy): MiddlewareHandler {
  const trusted: Trusted = trust === null ? null : 'hops' in trust ? (_addr: string, i: number) => i < trust.hops : proxyaddr.compile(trust.addresses);
  return async (c, next) => {
    c.set(TRUST as never, trusted as never);
    await next();
  };
}

/** The client's address (see clientAddress); the socket peer when the middleware did not run. */
export function clientIp(c: Context): string | undefined {
  const known = c.get(CLIENT_IP as never) as string | null | undefined;
  if (known !== undefined) return known ?? undefined;
  const peer = peerAddress(c);
  const trusted = c.get(TRUST as never) as Trusted | undefined;
  let ip = peer;
  if (trusted && peer) {
    const forwarded = c.req.header('x-forwarded-for');
    ip = proxyaddr({ connection: { remoteAddress: peer }, socket: { remoteAddress: peer }, headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded } } as never, trusted);
  }
  c.set(CLIENT_IP as never, (ip ?? null) as never);
  return ip;
}

/** Who made a change, as the ledger keeps it (core truncates and hashes both). */
export function requestEvidence(c: Context): RequestEvidence {
  return { ip: clientIp(c), userAgent: c.req.header('user-agent') };
}
