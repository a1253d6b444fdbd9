import { createHash, randomBytes } from 'node:crypto';
import type { ContactRow } from '../db/store.ts';
import type { ConsentSource, CoreDeps, RequestEvidence } from './deps.ts';
import { normalizeEmail } from './email.ts';
import { invalidInput, notFound, OptboxError } from './errors.ts';
import { contactById, isActive } from './contact.ts';
import { evidenceOf } from './evidence.ts';
import { knownTopic, subscribableTopic } from './topics.ts';
import { iso, isoOrNull } from '../format/time.ts';
import { unsubscribe } from './subscriptions.ts';
import { fieldPath } from './validation.ts';

export interface UpsertContactInput {
  email: string;
  locale?: 'nl' | 'en' | undefined;
  externalId?: string | undefined;
  topics?: string[] | undefined;
  source: ConsentSource;
  actor?: string | undefined;
  request?: RequestEvidence | undefined;
  /** Proof of the consent given elsewhere (a sign-up form of the sender), kept in the ledger. */
  consent?: ConsentProof | undefined;
}

/**
 * What a sender knows about how consent was given (GDPR art. 7(1): the controller must be able to
 * demonstrate it). The IP and user agent are kept only truncated and hashed, like our own.
 */
export interface ConsentProof {
  /** Where it was given, in the sender's words (e.g. "signup-form", "checkout"). */
  via?: string | undefined;
  policyVersion?: string | undefined;
  /** When it was given (ms). */
  at?: number | undefined;
  ip?: string | undefined;
  userAgent?: string | undefined;
  /** The exact wording shown; kept once per version. */
  text?: string | undefined;
}

export const newContactId = () => randomBytes(12).toString('base64url');

/**
 * Find or create the contact for an address and subscribe it to the given topics.
 * Subscribing an address that carries a suppression does not lift it: an erased or complaining
 * person stays suppressed whatever a later import says.
 */
export async function upsertContact(deps: CoreDeps, input: UpsertContactInput): Promise<{ contact: ContactRow; created: boolean; subscribed: string[] }> {
  const email = normalizeEmail(input.email);
  const topics = [...new Set(input.topics ?? [])];
  for (const [i, id] of topics.entries()) await subscribableTopic(deps, id, `topics[${i}]`);
  const now = deps.clock.now();
  const proof = input.consent;
  if (proof?.at !== undefined && proof.at > now + 5 * 60_000) throw invalidInput('consent.at', 'lies in the future');
  const policyVersion = proof?.policyVersion ?? deps.policyVersion;
  const locale = input.locale ?? 'nl';
  // Evidence of the original consent when the sender has it, else of this request.
  const evidence = evidenceOf(deps, proof?.ip || proof?.userAgent ? { ip: proof.ip, userAgent: proof.userAgent } : input.request);
  const detail = proof && (proof.via || proof.at !== undefined) ? { ...(proof.via ? { via: proof.via } : {}), ...(proof.at !== undefined ? { consentedAt: iso(proof.at) } : {}) } : null;
  const result = await deps.store.contacts.upsert({
    contact: { id: newContactId(), email, locale, externalId: input.externalId ?? null },
    at: now,
    subscribe: topics,
    subscribeStatus: 'subscribed',
    set: { locale: input.locale, externalId: input.externalId },
    consentText: proof?.text ? { id: consentTextId(locale, policyVersion, proof.text), locale, policyVersion, text: proof.text } : undefined,
    event: { source: input.source, actor: input.actor ?? null, policyVersion, detail, ...evidence },
  });
  if (result.conflict) throw externalIdTaken();
  return result;
}

const externalIdTaken = () => new OptboxError('conflict', 'externalId: belongs to another contact', [{ field: 'externalId', message: 'belongs to another contact' }]);

/** Consent texts are kept once per wording: the id is a hash of locale, version and text. */
const consentTextId = (locale: string, version: string, text: string) => 'ct_' + createHash('sha256').update(`${locale}\n${version}\n${text}`).digest('base64url').slice(0, 22);

/** Every topic with this contact's effective status (a topic without a row has its default). */
export async function topicStatuses(deps: CoreDeps, contactId: string) {
  const [topics, subs] = await Promise.all([deps.store.topics.all(), deps.store.contacts.subscriptions(contactId)]);
  const byTopic = new Map(subs.map((s) => [s.topicId, s.status]));
  return topics.map((topic) => ({
    topic,
    status: byTopic.get(topic.id) ?? (topic.defaultStatus === 'opt-out' ? 'subscribed' : 'unsubscribed'),
  }));
}

/** A contact by exactly one of id, address or external id; not_found otherwise. */
export async function findContact(deps: CoreDeps, by: { id?: string | undefined; email?: string | undefined; externalId?: string | undefined }): Promise<ContactRow> {
  let contact: ContactRow | undefined;
  if (by.id !== undefined) contact = await deps.store.contacts.byId(by.id);
  else if (by.email !== undefined) contact = await deps.store.contacts.byEmail(normalizeEmail(by.email));
  else if (by.externalId !== undefined) contact = await deps.store.contacts.byExternalId(by.externalId);
  if (!contact) throw notFound('contact');
  return contact;
}

/** Contacts in creation order, a page at a time; `after` is the last one of the previous page. */
export async function listContacts(deps: CoreDeps, input: { after?: { createdAt: number; id: string } | undefined; limit: number }): Promise<{ contacts: ContactRow[]; more: boolean }> {
  const rows = await deps.store.contacts.list({ after: input.after, limit: input.limit + 1 });
  return { contacts: rows.slice(0, input.limit), more: rows.length > input.limit };
}

export interface UpdateContactInput {
  id: string;
  /** topic id → subscribed (true) or unsubscribed (false). */
  topics?: Record<string, boolean> | undefined;
  locale?: 'nl' | 'en' | undefined;
  externalId?: string | null | undefined;
  /** GDPR art. 21 objection to profiling ("do not use me to find similar profiles"). */
  noProfiling?: boolean | undefined;
  /** GDPR art. 18 restriction: no mail until then (ms); null lifts it. */
  pausedUntil?: number | null | undefined;
  source: ConsentSource;
  actor?: string | undefined;
  request?: RequestEvidence | undefined;
}

/**
 * Change a contact: its own fields, the restriction and objection flags (each change a ledger
 * row: `restrict`, `object`), and topics. Unsubscribing a topic is the same unsubscribe as a
 * one-click (it suppresses the topic). Subscribing sets the subscription but lifts no
 * suppression: a person's own unsubscribe, a bounce or a complaint stays until removed through
 * the suppression API, explicitly and on the record. Everything is checked before anything is
 * written.
 */
export async function updateContact(deps: CoreDeps, input: UpdateContactInput): Promise<ContactRow> {
  const contact = await contactById(deps, input.id);
  if (!isActive(contact)) throw new OptboxError('conflict', 'the contact is erased');
  const now = deps.clock.now();
  const topicChanges = Object.entries(input.topics ?? {});
  // Turning a topic off is allowed for a retired one (it reduces mail); turning it on is not.
  for (const [id, on] of topicChanges) await (on ? subscribableTopic : knownTopic)(deps, id, fieldPath(['topics', id]));
  if (input.pausedUntil != null && input.pausedUntil <= now) throw invalidInput('pausedUntil', 'lies in the past');
  const base = { source: input.source, actor: input.actor ?? null, policyVersion: deps.policyVersion, ...evidenceOf(deps, input.request) };
  const events = [];
  if (input.pausedUntil !== undefined && input.pausedUntil !== contact.pausedUntil) {
    events.push({ ...base, action: 'restrict', detail: { pausedUntil: isoOrNull(input.pausedUntil) } });
  }
  if (input.noProfiling !== undefined && input.noProfiling !== contact.noProfiling) {
    events.push({ ...base, action: 'object', detail: { profiling: input.noProfiling ? 'objected' : 'withdrawn' } });
  }
  const result = await deps.store.contacts.update({
    id: contact.id,
    at: now,
    set: { locale: input.locale, externalId: input.externalId, noProfiling: input.noProfiling, pausedUntil: input.pausedUntil },
    events,
  });
  if (!result) throw new OptboxError('conflict', 'the contact is erased');
  if ('conflict' in result) throw externalIdTaken();
  const on = topicChanges.filter(([, v]) => v).map(([id]) => id);
  const off = topicChanges.filter(([, v]) => !v).map(([id]) => id);
  if (on.length) {
    await deps.store.consent.setTopics({ contactId: contact.id, at: now, topicIds: on, status: 'subscribed', event: { ...base, action: 'subscribe', topic: on.length === 1 ? on[0]! : null } });
  }
  for (const topic of off) await unsubscribe(deps, { contactId: contact.id, topic, source: input.source, actor: input.actor, request: input.request });
  return (await deps.store.contacts.byId(contact.id))!;
}
