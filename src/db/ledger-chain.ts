import { createHash } from 'node:crypto';
import type { ConsentEventRow } from './schema/index.ts';

export const GENESIS_HASH = '0'.repeat(64);

/** What a change of consent writes to the ledger; the chain adds the id and the hashes. */
export interface LedgerEventInput {
  at: number;
  contactId: string | null;
  addressKey?: Buffer | null;
  action: string;
  topic?: string | null;
  source: string;
  actor?: string | null;
  policyVersion: string;
  consentTextId?: string | null;
  campaign?: string | null;
  ipHash?: string | null;
  userAgentHash?: string | null;
  detail?: Record<string, unknown> | null;
}

/** Row `id` of the chain, following the row whose hash is `prevHash`: the one shape both engines write. */
export function chainRow(input: LedgerEventInput, id: number, prevHash: string): ConsentEventRow {
  const base = {
    id,
    at: input.at,
    contactId: input.contactId,
    addressKey: input.addressKey ?? null,
    action: input.action,
    topic: input.topic ?? null,
    source: input.source,
    actor: input.actor ?? null,
    policyVersion: input.policyVersion,
    consentTextId: input.consentTextId ?? null,
    campaign: input.campaign ?? null,
    ipHash: input.ipHash ?? null,
    userAgentHash: input.userAgentHash ?? null,
    detail: input.detail ? JSON.stringify(input.detail) : null,
    prevHash,
  };
  return { ...base, hash: ledgerHash(base) };
}

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

export type LedgerVerification =
  | { ok: true; rows: number; head: string; /** The hash of row `pin`, when asked and present. */ pinned?: string | undefined }
  | { ok: false; rows: number; brokenAt: number; problem: string };

/**
 * Walk the whole chain in id order, a page at a time, recomputing every hash. With `pin`, also
 * report the hash of that row (to compare with a head kept from an earlier run). The same walk
 * for either engine: `page` reads up to `limit` rows with ids above `after`.
 */
export async function verifyChain(page: (after: number, limit: number) => ConsentEventRow[] | Promise<ConsentEventRow[]>, options: { pin?: number } = {}): Promise<LedgerVerification> {
  let pinned: string | undefined;
  let prevHash = GENESIS_HASH;
  let expectedId = 1;
  let rows = 0;
  const limit = 5000;
  for (let after = 0; ; ) {
    const batch = await page(after, limit);
    for (const row of batch) {
      rows++;
      if (row.id !== expectedId) return { ok: false, rows, brokenAt: row.id, problem: `row ${expectedId} is missing` };
      if (row.prevHash !== prevHash) return { ok: false, rows, brokenAt: row.id, problem: 'previous hash does not match' };
      const { hash, ...rest } = row;
      if (ledgerHash(rest) !== hash) return { ok: false, rows, brokenAt: row.id, problem: 'row content does not match its hash' };
      if (row.id === options.pin) pinned = hash;
      prevHash = hash;
      expectedId++;
    }
    if (batch.length < limit) break;
    after = batch[batch.length - 1]!.id;
    await new Promise((r) => setImmediate(r)); // let requests through on a long chain
  }
  return { ok: true, rows, head: prevHash, pinned };
}
