import type { ConsentSource, CoreDeps, RequestEvidence } from './deps.ts';
import { contactById } from './contact.ts';
import { evidenceOf } from './evidence.ts';
import { recordSelfServiceRequest } from './privacy-register.ts';

export interface EraseInput {
  contactId: string;
  source: ConsentSource;
  actor?: string | undefined;
  request?: RequestEvidence | undefined;
}

/**
 * GDPR art. 17 ("right to be forgotten"), promise 5 in docs/ARCHITECTURE.md: delete the person's data but keep a
 * global suppression on the keyed hash of every address they had (the current one and those
 * before an address change), so a later import of any of them is never mailed. Erased data does
 * not stay readable in the database files (secure_delete, and a WAL checkpoint afterwards). One unit of work (see db/stores/erasure.ts). Used by the marketing API
 * (DELETE /api/v1/contacts/:id) and the preference center. Idempotent: erasing an erased
 * contact changes nothing and succeeds.
 */
export async function eraseContact(deps: CoreDeps, input: EraseInput): Promise<{ erased: boolean }> {
  const contact = await contactById(deps, input.contactId);
  if (contact.status === 'erased') return { erased: false };
  const erased = await deps.store.erasure.erase({
    contactId: contact.id,
    addressKey: contact.email ? deps.addressKey(contact.email) : null,
    at: deps.clock.now(),
    event: { source: input.source, actor: input.actor ?? null, policyVersion: deps.policyVersion, ...evidenceOf(deps, input.request) },
  });
  // The erasure committed; the WAL still holds the old pages with the address in them.
  if (erased) await deps.store.checkpoint();
  // The person erased themselves in the preference center: a line (without the address) in the privacy-request register.
  if (erased && input.source === 'preference-center') await recordSelfServiceRequest(deps, { contactId: contact.id, kind: 'erasure', fulfilment: 'erase', email: null, locale: contact.locale });
  return { erased };
}
