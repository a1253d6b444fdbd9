import { isIPv4, isIPv6 } from 'node:net';
import type { CoreDeps, RequestEvidence } from './deps.ts';

/**
 * Evidence of a change for the ledger without keeping personal data: the IP truncated to its
 * network (IPv4 /24, IPv6 /48) and then hashed, the user agent hashed. Enough to tell two
 * sources apart when proving consent; not enough to identify a person.
 */
export function evidenceOf(deps: CoreDeps, request: RequestEvidence | undefined): { ipHash: string | null; userAgentHash: string | null } {
  const ip = request?.ip ? truncateIp(request.ip) : null;
  return {
    ipHash: ip ? deps.evidenceHash(ip) : null,
    userAgentHash: request?.userAgent ? deps.evidenceHash(request.userAgent.slice(0, 512)) : null,
  };
}

export function truncateIp(ip: string): string | null {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  if (isIPv4(v4)) return v4.split('.').slice(0, 3).join('.') + '.0/24';
  if (isIPv6(ip)) {
    const head = ip.split('::')[0]!.split(':');
    return [...head, '0', '0', '0'].slice(0, 3).join(':') + '::/48';
  }
  return null;
}
