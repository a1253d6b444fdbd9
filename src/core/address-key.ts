import { createHmac } from 'node:crypto';

export type AddressKeyer = (normalizedEmail: string) => Buffer;

/**
 * The suppression key of an address: HMAC-SHA256 with a server-held pepper. A plain hash of an
 * address is reversed by hashing a list of addresses; without the pepper this one is not.
 * Takes an already normalized address (email.ts) so that one address has one key.
 */
export function createAddressKeyer(pepper: Buffer): AddressKeyer {
  return (email) => createHmac('sha256', pepper).update(email).digest();
}
