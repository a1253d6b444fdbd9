import type { ConsentEventRow, ContactRow } from '../db/store.ts';
import { contactById } from './contact.ts';
import { topicStatuses } from './contacts.ts';
import type { CoreDeps } from './deps.ts';
import { normalizeEmail } from './email.ts';
import { OptboxError } from './errors.ts';

/**
 * Find contacts for the console's search box: an address (normalized as everywhere, so
 * `Ann@Example.COM ` finds ann@example.com), an external id, or a contact id.
 */
export async function searchContacts(deps: CoreDeps, rawQuery: string): Promise<ContactRow[]> {
  const q = rawQuery.trim();
  if (!q) return [];
  if (q.length > 254) throw new OptboxError('invalid_input', 'q: is too long', [{ field: 'q', message: 'is too long' }]);
  if (q.includes('@')) {
    const contact = await deps.store.contacts.byEmail(normalizeEmail(q, 'q'));
    return contact ? [contact] : [];
  }
  const found = [await deps.store.contacts.byId(q), await deps.store.contacts.byExternalId(q)].filter((c): c is ContactRow => !!c);
  return found.filter((c, i) => found.findIndex((x) => x.id === c.id) === i);
}

export interface TimelineEntry {
  event: ConsentEventRow;
  /** The operator's address when an operator made the change (the ledger keeps only their id). */
  actorLabel: string | null;
  consentText: { locale: string; policyVersion: string; text: string } | null;
}

/** Everything the console shows about one contact: topics, flags, suppressions, the ledger as a timeline (newest first). */
export async function contactDossier(deps: CoreDeps, id: string) {
  const contact = await contactById(deps, id);
  const [topics, events, suppressions] = await Promise.all([
    topicStatuses(deps, contact.id),
    deps.store.ledger.forContact(contact.id),
    contact.email ? deps.store.suppressions.forKey(deps.addressKey(contact.email), deps.clock.now()) : Promise.resolve([]),
  ]);
  const texts = await deps.store.ledger.consentTexts([...new Set(events.map((e) => e.consentTextId).filter((t): t is string => !!t))]);
  const operatorIds = [...new Set(events.map((e) => e.actor).filter((a): a is string => !!a && a.startsWith('operator:')))];
  const operators = new Map<string, string>();
  for (const actor of operatorIds) {
    const operator = await deps.store.operators.byId(actor.slice('operator:'.length));
    if (operator) operators.set(actor, operator.email);
  }
  const timeline: TimelineEntry[] = events
    .map((event) => ({
      event,
      actorLabel: event.actor ? (operators.get(event.actor) ?? event.actor) : null,
      consentText: event.consentTextId ? (texts.get(event.consentTextId) ?? null) : null,
    }))
    .reverse();
  return { contact, topics, suppressions, timeline, paused: contact.pausedUntil !== null && contact.pausedUntil > deps.clock.now() };
}
