import type { ConsentSource, CoreDeps, RequestEvidence } from './deps.ts';
import { contactById, isActive } from './contact.ts';
import { evidenceOf } from './evidence.ts';
import { isRetired, subscribableTopic } from './topics.ts';

export interface UnsubscribeInput {
  contactId: string;
  /** A topic id, or '*' for every topic. */
  topic: string;
  source: ConsentSource;
  campaign?: string | undefined;
  actor?: string | undefined;
  request?: RequestEvidence | undefined;
}

export interface ConsentResult {
  /** False when it was already so: nothing was written (idempotent). */
  changed: boolean;
  topics: string[];
}

/**
 * Honour an unsubscribe for one topic or for all ('*'): RFC 8058 one-click, the confirm page,
 * mailto, the preference center. The subscription, the suppression the pipeline checks and the
 * ledger row commit in one durable unit before this resolves, so a 2xx survives a crash. Every
 * unsubscribe is also an objection to direct marketing (GDPR art. 21(2)-(3)), so it is never
 * conditional. Idempotent: a second call changes nothing and succeeds.
 */
export async function unsubscribe(deps: CoreDeps, input: UnsubscribeInput): Promise<ConsentResult> {
  const contact = await contactById(deps, input.contactId);
  // An erased contact already carries a global erasure suppression and no address to key.
  if (!isActive(contact)) return { changed: false, topics: [] };
  const topicIds = input.topic === '*' ? (await deps.store.topics.all()).map((t) => t.id) : [input.topic];
  const result = await deps.store.consent.setTopics({
    contactId: contact.id,
    at: deps.clock.now(),
    topicIds,
    status: 'unsubscribed',
    suppress: { addressKey: deps.addressKey(contact.email), scope: input.topic, reason: 'unsubscribe', source: input.source, email: contact.email, expiresAt: null },
    event: eventOf(deps, 'unsubscribe', input),
  });
  return { changed: result.changed, topics: result.changedTopics };
}

/**
 * Subscribe again: the "undo" of an unsubscribe, or a change in the preference center. For '*'
 * it lifts the global unsubscribe and turns back on exactly the topics the last unsubscribe-all
 * turned off. Lifts only suppressions of reason `unsubscribe`: a bounce or complaint stays.
 */
export async function resubscribe(deps: CoreDeps, input: UnsubscribeInput): Promise<ConsentResult> {
  const contact = await contactById(deps, input.contactId);
  if (!isActive(contact)) return { changed: false, topics: [] };
  // A retired topic takes no subscriptions: refused by name, and left out of "mail on again".
  if (input.topic !== '*') await subscribableTopic(deps, input.topic, 'topic');
  const live = new Set((await deps.store.topics.all()).filter((t) => !isRetired(t)).map((t) => t.id));
  const topicIds = input.topic === '*' ? (await topicsTurnedOffByLastUnsubscribeAll(deps, contact.id)).filter((id) => live.has(id)) : [input.topic];
  const result = await deps.store.consent.setTopics({
    contactId: contact.id,
    at: deps.clock.now(),
    topicIds,
    status: 'subscribed',
    lift: { addressKey: deps.addressKey(contact.email), scopes: [input.topic], reasons: ['unsubscribe'] },
    event: eventOf(deps, 'subscribe', input),
  });
  return { changed: result.changed, topics: result.changedTopics };
}

async function topicsTurnedOffByLastUnsubscribeAll(deps: CoreDeps, contactId: string): Promise<string[]> {
  const events = await deps.store.ledger.forContact(contactId);
  const last = events.findLast((e) => e.action === 'unsubscribe' && e.topic === '*');
  const topics = last?.detail ? (JSON.parse(last.detail) as { topics?: unknown }).topics : undefined;
  return Array.isArray(topics) ? topics.filter((t): t is string => typeof t === 'string') : [];
}

function eventOf(deps: CoreDeps, action: 'subscribe' | 'unsubscribe', input: UnsubscribeInput) {
  return {
    action,
    topic: input.topic,
    source: input.source,
    actor: input.actor ?? null,
    campaign: input.campaign ?? null,
    policyVersion: deps.policyVersion,
    ...evidenceOf(deps, input.request),
  };
}
