import { createHash } from 'node:crypto';
import type { ConsentEventRow } from './schema/index.ts';

export const GENESIS_HASH = '0'.repeat(64);

/**
 * The hash of one ledger row: SHA-256 over the previous row's hash and every field of this one,
 * in a fixed order. Changing any field, or removing or reordering rows, breaks the chain.
 */
export function ledgerHash(row: Omit<ConsentEventRow, 'hash'>): string {
  const fields = [
    row.id,
    row.at,
    row.contactId,
    row.addressKey ? row.addressKey.toString('hex') : null,
    row.action,
    row.topic,
    row.source,
    row.actor,
    row.policyVersion,
    row.consentTextId,
    row.campaign,
    row.ipHash,
    row.userAgentHash,
    row.detail,
  ];
  return createHash('sha256').update(row.prevHash).update('\n').update(JSON.stringify(fields)).digest('hex');
}
