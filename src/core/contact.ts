import type { ContactRow } from '../db/store.ts';
import type { CoreDeps } from './deps.ts';
import { notFound, OptboxError } from './errors.ts';

/** A contact that can still be written to: not erased, so it has an address. */
export type ActiveContact = ContactRow & { status: 'active'; email: string };

/**
 * The one test of "can this contact still be reached?". Erasure (GDPR art. 17) leaves the row
 * with its random id but without an address; only the keyed-hash suppression remains.
 */
export function isActive(contact: ContactRow | undefined): contact is ActiveContact {
  return contact !== undefined && contact.status === 'active' && contact.email !== null;
}

/** The contact a link names, or not_found when it is gone. */
export async function contactById(deps: CoreDeps, id: string): Promise<ContactRow> {
  const contact = await deps.store.contacts.byId(id);
  if (!contact) throw notFound('contact');
  return contact;
}

/** The contact a link names when it can still be reached; not_found once it is erased. */
export async function activeContactById(deps: CoreDeps, id: string): Promise<ActiveContact> {
  const contact = await contactById(deps, id);
  if (!isActive(contact)) throw new OptboxError('not_found', 'contact erased');
  return contact;
}
