import type { ConsentEventRow, ContactRow, SuppressionRow, TopicRow } from '../db/store.ts';
import { activeContactById, contactById, isActive, type ActiveContact } from './contact.ts';
import { topicStatuses, updateContact } from './contacts.ts';
import type { ConsentSource, CoreDeps, RequestEvidence } from './deps.ts';
import { normalizeEmail } from './email.ts';
import { invalidInput, invalidLink, OptboxError } from './errors.ts';
import { evidenceOf } from './evidence.ts';
import { assertLinkCurrent, peekOnceToken, signOnceToken, useOnceToken } from './once-links.ts';
import { undoGrant, useUndoGrant } from './consent-proof.ts';
import { resubscribe, unsubscribe } from './subscriptions.ts';
import { isoOrNull } from '../format/time.ts';
import { isRetired } from './topics.ts';
import { recordSelfServiceRequest } from './privacy-register.ts';

/**
 * The preference center's verbs. Every change is written with source `preference-center`.
 * Reading personal data and changing the address are for sessions that proved control of the
 * address by a link mailed to it (step-up, src/auth/preference-auth.ts): a footer link may have
 * been forwarded, so routes check the session before calling these.
 */
const SOURCE = 'preference-center' as const;

/** A contact that may sign in: known and not erased. Undefined otherwise (the caller answers the same). */
export async function contactForSignIn(deps: CoreDeps, email: string): Promise<ActiveContact | undefined> {
  const contact = await deps.store.contacts.byEmail(normalizeEmail(email));
  return isActive(contact) ? contact : undefined;
}

/** The person's own request, done here: recorded in the privacy-request register as fulfilled (source preference center). */
const selfService = (deps: CoreDeps, contact: Pick<ContactRow, 'id' | 'email' | 'locale'>, kind: 'access' | 'rectification' | 'restriction' | 'objection', fulfilment: string) =>
  recordSelfServiceRequest(deps, { contactId: contact.id, kind, fulfilment, email: contact.email, locale: contact.locale });

/** A preference-center footer link (`prefs` token): the contact it opens, while it can be reached. */
export async function contactOfPreferencesLink(deps: CoreDeps, token: string): Promise<ActiveContact> {
  const link = deps.tokens.verify(token, 'prefs');
  const contact = await activeContactById(deps, link.contactId);
  assertLinkCurrent(contact, link.issuedAt);
  return contact;
}

/** The contact a single-use link names (for the page in front of its button), without using it. */
export function contactOfOnceLink(deps: CoreDeps, token: string, scope: 'signin' | 'email'): Promise<ContactRow> {
  return contactById(deps, peekOnceToken(deps, token, scope).contactId);
}

/** A sign-in (or step-up) link for the contact's own address. */
export function signInLink(deps: CoreDeps, contactId: string, minutes: number): string {
  return signOnceToken(deps, contactId, 'signin', minutes).token;
}

/** Use a sign-in link: the contact it proves control of; a second use is refused. */
export async function useSignInLink(deps: CoreDeps, token: string): Promise<ActiveContact> {
  return (await useOnceToken(deps, token, 'signin')).contact;
}

/** A double opt-in link, before it is used: the contact and the topic it confirms. */
export async function pendingTopicOfLink(deps: CoreDeps, token: string): Promise<{ contact: ContactRow; topic: TopicRow }> {
  const claims = peekOnceToken(deps, token, 'topic');
  const contact = await contactById(deps, claims.contactId);
  return { contact, topic: await topicOfClaim(deps, claims.scope) };
}

/** "Every topic", as a confirmation link for mail on again names it (topic:*). */
const ALL_MAIL: TopicRow = { id: '*', nameNl: 'alle e-mail', nameEn: 'all email', descriptionNl: '', descriptionEn: '', defaultStatus: 'opt-out', doubleOptIn: false, position: 0, createdAt: 0, retiredAt: null };

async function topicOfClaim(deps: CoreDeps, scope: string | undefined): Promise<TopicRow> {
  const id = (scope ?? '').slice('topic:'.length);
  const topic = id === '*' ? ALL_MAIL : await deps.store.topics.byId(id);
  if (!topic) throw invalidLink('topic no longer exists');
  // A confirmation mailed before the topic was retired would start a subscription to it.
  if (isRetired(topic)) throw invalidLink('topic retired');
  return topic;
}

export interface TopicState {
  topic: TopicRow;
  status: 'subscribed' | 'unsubscribed' | 'pending';
}

export interface PreferencesView {
  contact: ActiveContact;
  topics: TopicState[];
  /** The person unsubscribed from everything ('*' suppression of reason unsubscribe). */
  unsubscribedAll: boolean;
  /** Another suppression blocks all mail (bounce, complaint, manual). */
  blocked: boolean;
  /** Paused until (ms), when in the future. */
  pausedUntil: number | null;
}

/** What the preference center shows for a contact: retired topics are left out (they take no subscriptions). */
export async function preferencesOf(deps: CoreDeps, contactId: string): Promise<PreferencesView> {
  const contact = await activeContactById(deps, contactId);
  const now = deps.clock.now();
  const [statuses, suppressions] = await Promise.all([topicStatuses(deps, contact.id), deps.store.suppressions.forKey(deps.addressKey(contact.email), now)]);
  const global = suppressions.filter((s: SuppressionRow) => s.scope === '*');
  return {
    contact,
    topics: statuses.filter((s) => !isRetired(s.topic)) as TopicState[],
    unsubscribedAll: global.some((s) => s.reason === 'unsubscribe'),
    blocked: global.some((s) => s.reason !== 'unsubscribe'),
    pausedUntil: contact.pausedUntil !== null && contact.pausedUntil > now ? contact.pausedUntil : null,
  };
}

export interface SavePreferencesInput {
  contactId: string;
  /** topic id → wanted (true) or not (false); topics left out are unchanged. */
  topics: Record<string, boolean>;
  locale?: 'nl' | 'en' | undefined;
  noProfiling?: boolean | undefined;
  request?: RequestEvidence | undefined;
  /**
   * The session proved control of the address minutes ago (signed in by a mailed link). Without
   * it, every topic turned on waits for a confirmation link mailed to the address (see
   * core/consent-proof.ts): a session opened by a footer link may only reduce mail.
   */
  proven?: boolean | undefined;
}

/**
 * Save the topic switches, language and profiling objection. Turning a topic off is an
 * unsubscribe (suppresses it); turning it on lifts the person's own unsubscribe for it (never a
 * bounce or complaint). A double opt-in topic turned on becomes `pending`: the caller mails the
 * confirmation link (`token`) for each topic in `needConfirmation`.
 */
export async function savePreferences(deps: CoreDeps, input: SavePreferencesInput & { linkMinutes: number }): Promise<{ needConfirmation: Array<{ topic: TopicRow; token: string }> }> {
  const view = await preferencesOf(deps, input.contactId);
  // A topic retired while the page was open: turning it off is still honoured (it only reduces
  // mail); turning it on is refused, unless it was on already (a stale page that changes nothing).
  const retiredOff: string[] = [];
  for (const [id, wanted] of Object.entries(input.topics)) {
    if (view.topics.some((t) => t.topic.id === id)) continue;
    const topic = await deps.store.topics.byId(id);
    if (!topic || !isRetired(topic)) throw invalidInput(`topic.${id}`, 'unknown topic');
    const status = (await topicStatuses(deps, view.contact.id)).find((t) => t.topic.id === id)?.status;
    if (!wanted) retiredOff.push(id);
    else if (status !== 'subscribed') throw invalidInput(`topic.${id}`, 'this topic is retired and takes no new subscriptions');
  }
  // Flags first (checked, one unit), then topics: one unit per topic change, each with its ledger row.
  if ((input.locale && input.locale !== view.contact.locale) || (input.noProfiling !== undefined && input.noProfiling !== view.contact.noProfiling)) {
    await updateContact(deps, { id: view.contact.id, locale: input.locale, noProfiling: input.noProfiling, source: SOURCE, request: input.request });
    // Art. 21 objection made by the person: a line in the privacy-request register.
    if (input.noProfiling === true && !view.contact.noProfiling) await selfService(deps, view.contact, 'objection', 'no-profiling');
  }
  const needConfirmation: Array<{ topic: TopicRow; token: string }> = [];
  const base = { contactId: view.contact.id, source: SOURCE, request: input.request };
  for (const topic of retiredOff) await unsubscribe(deps, { ...base, topic });
  for (const { topic, status } of view.topics) {
    const wanted = input.topics[topic.id];
    if (wanted === undefined) continue;
    if (!wanted && status !== 'unsubscribed') await unsubscribe(deps, { ...base, topic: topic.id });
    else if (wanted && status === 'unsubscribed') {
      if (topic.doubleOptIn || !input.proven) {
        await deps.store.consent.setTopics({
          contactId: view.contact.id,
          at: deps.clock.now(),
          topicIds: [topic.id],
          status: 'pending',
          event: { action: 'subscribe-pending', topic: topic.id, source: SOURCE, actor: null, policyVersion: deps.policyVersion, ...evidenceOf(deps, input.request) },
        });
        needConfirmation.push({ topic, token: signOnceToken(deps, view.contact.id, `topic:${topic.id}`, input.linkMinutes).token });
      } else await resubscribe(deps, { ...base, topic: topic.id });
    }
  }
  return { needConfirmation };
}

/** Follow a double opt-in link: the pending topic becomes subscribed. */
export async function confirmTopic(deps: CoreDeps, input: { token: string; request?: RequestEvidence | undefined }): Promise<{ contact: ActiveContact; topic: TopicRow }> {
  const claims = await useOnceToken(deps, input.token, 'topic');
  const topic = await topicOfClaim(deps, claims.scope);
  await resubscribe(deps, { contactId: claims.contactId, topic: topic.id, source: SOURCE, request: input.request });
  return { contact: claims.contact, topic };
}

/** Unsubscribe from everything, or undo that. */
export async function setAllMail(deps: CoreDeps, input: { contactId: string; on: boolean; request?: RequestEvidence | undefined; proven?: boolean | undefined; undo?: string | undefined; linkMinutes: number }): Promise<{ confirm?: { topic: TopicRow; token: string }; undo?: string }> {
  const args = { contactId: input.contactId, topic: '*', source: SOURCE, request: input.request };
  if (!input.on) {
    await unsubscribe(deps, args);
    return { undo: undoGrant(deps, input.contactId, '*') };
  }
  if (!input.proven) {
    if (!input.undo) return { confirm: { topic: ALL_MAIL, token: signOnceToken(deps, input.contactId, 'topic:*', input.linkMinutes).token } };
    await useUndoGrant(deps, { token: input.undo, contactId: input.contactId, scope: '*' });
  }
  await resubscribe(deps, args);
  return {};
}

/**
 * GDPR art. 18 restriction: pause all mail for some days, or lift the pause (days 0). Lifting it
 * brings mail back, so it needs a proven session (core/consent-proof.ts).
 */
export async function pauseMail(deps: CoreDeps, input: { contactId: string; days: 0 | 30 | 90; request?: RequestEvidence | undefined; proven?: boolean | undefined }): Promise<number | null> {
  if (input.days === 0 && input.proven === false) {
    const current = await contactById(deps, input.contactId);
    if (current.pausedUntil !== null && current.pausedUntil > deps.clock.now()) throw new OptboxError('forbidden', 'to end the pause, sign in with a link mailed to your address first');
  }
  const until = input.days === 0 ? null : deps.clock.now() + input.days * 86_400_000;
  const contact = await updateContact(deps, { id: input.contactId, pausedUntil: until, source: SOURCE, request: input.request });
  if (until !== null) await selfService(deps, contact, 'restriction', 'pause');
  return contact.pausedUntil;
}

/** The person's own consent events, oldest first (read only; routes require a verified session). */
export async function consentHistory(deps: CoreDeps, contactId: string): Promise<ConsentEventRow[]> {
  return deps.store.ledger.forContact(contactId);
}

/**
 * GDPR art. 15 and 20: everything held about the contact, machine-readable, the consent ledger
 * included. The export itself is recorded (`export` event) before the data is handed over.
 */
export async function exportContactData(deps: CoreDeps, input: { contactId: string; request?: RequestEvidence | undefined; source?: ConsentSource | undefined; actor?: string | undefined }) {
  const view = await preferencesOf(deps, input.contactId);
  const { contact } = view;
  const now = deps.clock.now();
  // Art. 15: everything held, retired topics' subscriptions too (the page leaves those out).
  const statuses = await topicStatuses(deps, contact.id);
  await deps.store.contacts.recordEvent({ at: now, contactId: contact.id, action: 'export', source: input.source ?? SOURCE, actor: input.actor ?? null, policyVersion: deps.policyVersion, ...evidenceOf(deps, input.request) });
  if ((input.source ?? SOURCE) === SOURCE) await selfService(deps, contact, 'access', 'export');
  const [events, suppressions] = await Promise.all([deps.store.ledger.forContact(contact.id), deps.store.suppressions.forKey(deps.addressKey(contact.email), now)]);
  const iso = isoOrNull;
  return {
    format: 'optbox-contact-export/1',
    exportedAt: iso(now),
    contact: {
      id: contact.id,
      email: contact.email,
      locale: contact.locale,
      externalId: contact.externalId,
      status: contact.status,
      pausedUntil: iso(contact.pausedUntil),
      noProfiling: contact.noProfiling,
      createdAt: iso(contact.createdAt),
      updatedAt: iso(contact.updatedAt),
    },
    subscriptions: statuses.map(({ topic, status }) => ({ topic: topic.id, name: { nl: topic.nameNl, en: topic.nameEn }, status })),
    suppressions: suppressions.map((s) => ({ scope: s.scope, reason: s.reason, source: s.source, createdAt: iso(s.createdAt), expiresAt: iso(s.expiresAt) })),
    consentEvents: events.map((e) => ({
      id: e.id,
      at: iso(e.at),
      action: e.action,
      topic: e.topic,
      source: e.source,
      policyVersion: e.policyVersion,
      campaign: e.campaign,
      detail: e.detail ? (JSON.parse(e.detail) as unknown) : null,
      ipHash: e.ipHash,
      userAgentHash: e.userAgentHash,
      hash: e.hash,
    })),
  };
}

/**
 * GDPR art. 16: ask to change the address. The new address gets a single-use confirmation link;
 * nothing changes until it is followed. An address that belongs to another contact is refused
 * when the link is followed, not here (the answer must not tell whose address it is).
 */
export async function requestEmailChange(deps: CoreDeps, input: { contactId: string; email: string; minutes: number }): Promise<{ token: string; email: string }> {
  const contact = await activeContactById(deps, input.contactId);
  const email = normalizeEmail(input.email);
  if (email === contact.email) throw invalidInput('email', 'is already your address');
  const { token, jti, expiresAt } = signOnceToken(deps, contact.id, 'email', input.minutes);
  await deps.store.sessions.addPendingEmail({ jti, contactId: contact.id, email, expiresAt, now: deps.clock.now() });
  return { token, email };
}

/** Follow the confirmation link sent to the new address. */
export async function confirmEmailChange(deps: CoreDeps, input: { token: string; request?: RequestEvidence | undefined; keepSessionId?: string | undefined }): Promise<{ contactId: string; email: string; locale: ActiveContact['locale'] }> {
  const claims = peekOnceToken(deps, input.token, 'email');
  const contact = await activeContactById(deps, claims.contactId);
  assertLinkCurrent(contact, claims.issuedAt);
  const result = await deps.store.sessions.confirmEmail({
    jti: claims.jti,
    contactId: contact.id,
    keepSessionId: input.keepSessionId,
    oldEmail: contact.email,
    at: deps.clock.now(),
    oldKey: deps.addressKey(contact.email),
    newKey: (email) => deps.addressKey(email),
    event: { source: SOURCE, actor: null, policyVersion: deps.policyVersion, ...evidenceOf(deps, input.request) },
  });
  if (!result.ok) {
    if (result.why === 'taken') throw new OptboxError('conflict', 'that address belongs to another subscription');
    throw invalidLink(result.why === 'erased' ? 'contact erased' : 'link already used or expired');
  }
  await selfService(deps, { ...contact, email: result.email }, 'rectification', 'address-change');
  return { contactId: contact.id, email: result.email, locale: contact.locale };
}
