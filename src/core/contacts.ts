import { randomBytes } from 'node:crypto';
import type { ContactRow } from '../db/store.ts';
import type { ConsentSource, CoreDeps, RequestEvidence } from './deps.ts';
import { normalizeEmail } from './email.ts';
import { invalidInput, notFound } from './errors.ts';
import { evidenceOf } from './evidence.ts';

export interface UpsertContactInput {
  email: string;
  locale?: 'nl' | 'en' | undefined;
  externalId?: string | undefined;
  topics?: string[] | undefined;
  source: ConsentSource;
  actor?: string | undefined;
  request?: RequestEvidence | undefined;
}

export const newContactId = () => randomBytes(12).toString('base64url');

/**
 * Find or create the contact for an address and subscribe it to the given topics.
 * Subscribing an address that carries a suppression does not lift it: an erased or complaining
 * person stays suppressed whatever a later import says (DESIGN promise 5).
 */
export async function upsertContact(deps: CoreDeps, input: UpsertContactInput): Promise<{ contact: ContactRow; created: boolean; subscribed: string[] }> {
  const email = normalizeEmail(input.email);
  const topics = [...new Set(input.topics ?? [])];
  for (const [i, id] of topics.entries()) {
    if (!(await deps.store.topics.byId(id))) throw invalidInput(`topics[${i}]`, `unknown topic "${id}"`);
  }
  return deps.store.contacts.upsert({
    contact: { id: newContactId(), email, locale: input.locale ?? 'nl', externalId: input.externalId ?? null },
    at: deps.clock.now(),
    subscribe: topics,
    subscribeStatus: 'subscribed',
    event: { source: input.source, actor: input.actor ?? null, policyVersion: deps.policyVersion, ...evidenceOf(deps, input.request) },
  });
}

/** The contact a link names, or not_found when it is gone. */
export async function contactById(deps: CoreDeps, id: string): Promise<ContactRow> {
  const contact = await deps.store.contacts.byId(id);
  if (!contact) throw notFound('contact');
  return contact;
}

/** Every topic with this contact's effective status (a topic without a row has its default). */
export async function topicStatuses(deps: CoreDeps, contactId: string) {
  const [topics, subs] = await Promise.all([deps.store.topics.all(), deps.store.contacts.subscriptions(contactId)]);
  const byTopic = new Map(subs.map((s) => [s.topicId, s.status]));
  return topics.map((topic) => ({
    topic,
    status: byTopic.get(topic.id) ?? (topic.defaultStatus === 'opt-out' ? 'subscribed' : 'unsubscribed'),
  }));
}
