import { randomBytes } from 'node:crypto';
import type { CoreDeps } from './deps.ts';

/**
 * The register of privacy requests, the part every verb that fulfils a request may use (the
 * preference center's included): kinds, the deadline, and the line for a request the person
 * fulfilled themselves. The console's steps are in privacy-requests.ts.
 */
export const REQUEST_KINDS = ['access', 'rectification', 'erasure', 'restriction', 'portability', 'objection'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

export const newRequestId = () => 'pr_' + randomBytes(9).toString('base64url');

/**
 * The art. 12(3) deadline: the end (UTC) of the same day `months` later. A day that month does not
 * have (31 January + 1 month) becomes its last day, as the EU reckons periods in months
 * (Regulation 1182/71, art. 3(2)(c)).
 */
export function deadlineOf(receivedAt: number, months: number): number {
  const d = new Date(receivedAt);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return Date.UTC(y, m, Math.min(d.getUTCDate(), last) + 1) - 1;
}

/**
 * What the person did themselves in the preference center (download, erasure, pause, no
 * profiling, address change) goes into the register as a request received, fulfilled and closed
 * at once. Written after the change it records (the ledger row of that change is the proof;
 * this is the register's line). An erased person's line keeps no address.
 */
export async function recordSelfServiceRequest(deps: CoreDeps, input: { contactId: string; kind: RequestKind; fulfilment: string; email: string | null; locale: 'nl' | 'en' }): Promise<void> {
  const at = deps.clock.now();
  const id = newRequestId();
  await deps.store.privacyRequests.create(
    {
      id,
      kind: input.kind,
      channel: 'preference-center',
      email: input.kind === 'erasure' ? null : input.email,
      contactId: input.contactId,
      locale: input.locale,
      status: 'closed',
      receivedAt: at,
      dueAt: deadlineOf(at, 1),
      verifiedAt: at,
      fulfilledAt: at,
      fulfilment: input.fulfilment,
      closedAt: at,
      outcome: 'fulfilled',
      createdBy: null,
    },
    null,
  );
}
