import ipaddr from 'ipaddr.js';
import { isIP } from 'node:net';

/**
 * Where a webhook may go. Anyone with `webhooks:manage` chooses the URL, and optbox sends POSTs
 * to it from inside the operator's network: without a check that is a request forger into that
 * network (cloud metadata at 169.254.169.254, admin ports on loopback, private services).
 * By default only public unicast addresses are allowed; WEBHOOK_ALLOW_PRIVATE=true lifts it for
 * receivers on the operator's own network.
 *
 * Judged on the parsed address (ipaddr.js), so every spelling of one address is one address:
 * `2130706433`, `0x7f.1` and `0177.0.0.1` are 127.0.0.1 (the WHATWG URL parser turns them into
 * dotted form first), and `::ffff:127.0.0.1` is judged as the IPv4 address inside it.
 */
export function isPublicAddress(address: string): boolean {
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address.replace(/^\[|\]$/g, '').replace(/%.*$/, ''));
  } catch {
    return false;
  }
  if (ip.kind() === 'ipv6') {
    const v6 = ip as ipaddr.IPv6;
    if (v6.isIPv4MappedAddress()) return isPublicAddress(v6.toIPv4Address().toString());
    // Global unicast (2000::/3) only; ipaddr.js calls anything it has no name for 'unicast',
    // which would let ::7f00:1 (IPv4-compatible loopback) through.
    if (!v6.match(ipaddr.IPv6.parse('2000::'), 3)) return false;
  }
  // Everything with a special-purpose name is refused: loopback, private (RFC 1918),
  // uniqueLocal (fc00::/7), linkLocal, unspecified, carrierGradeNat (100.64/10), multicast,
  // broadcast, reserved and documentation ranges, 6to4, Teredo, NAT64 …
  return ip.range() === 'unicast';
}

/** An address is refused as a webhook target: the message the delivery log keeps. */
export class PrivateAddressError extends Error {
  readonly code = 'EPRIVATEADDRESS';
  constructor() {
    super('refused: private address');
    this.name = 'PrivateAddressError';
  }
}

/** The host of a URL when it is an IP address literal (brackets removed), else undefined. */
export function ipLiteralOf(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return isIP(host) ? host : undefined;
}
