import type { SuppressionReason, TopicRow } from '../db/store.ts';
import type { CoreDeps } from './deps.ts';
import { normalizeEmail } from './email.ts';
import { invalidInput } from './errors.ts';
import { MAX_CHECK_BATCH } from './suppressions.ts';
import { isRetired, knownTopic } from './topics.ts';

/** Why a mail may not go out. */
export const REFUSAL_REASONS = [
  /** The person unsubscribed (from this topic, or from everything). */
  'unsubscribed',
  /** A hard bounce (or an unlapsed soft bounce) suppresses the address. */
  'bounced',
  /** The person marked a mail as spam (feedback loop). */
  'complained',
  /** An operator suppressed the address by hand. */
  'suppressed',
  /** GDPR erasure: only the hashed suppression is left. */
  'erased',
  /** GDPR art. 18 restriction: the person paused all mail until a date. */
  'paused',
  /** Opt-in topic without a subscription. */
  'not-subscribed',
  /** Double opt-in pending: the confirmation link has not been followed yet. */
  'unconfirmed',
  /** An operator retired the topic: it is mailed to nobody (its unsubscribe links keep working). */
  'topic-retired',
  /** No contact has this address: optbox holds no consent for it and cannot sign its links. */
  'unknown-contact',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

/** The recipient as a mail needs it: who the links name and which language to write in. */
export interface MailRecipient {
  contactId: string;
  locale: 'nl' | 'en';
}

export type MailDecision =
  | { email: string; send: true; recipient: MailRecipient | null }
  | { email: string; send: false; reason: RefusalReason; scope: string };

export interface MayMailInput {
  emails: string[];
  /** The topic of a marketing mail. Omit for transactional mail. */
  topic?: string | undefined;
  /** Password resets, invoices, sign-in links: no topic checks (they are not a topic). */
  transactional?: boolean | undefined;
  /** How a bad address is named in the error, e.g. `recipients[3].to`; default `emails[i]`. */
  field?: ((index: number) => string) | undefined;
}

const SUPPRESSION_REFUSAL: Record<SuppressionReason, RefusalReason> = {
  unsubscribe: 'unsubscribed',
  bounce: 'bounced',
  complaint: 'complained',
  manual: 'suppressed',
  erasure: 'erased',
};

/**
 * THE answer to "may this address be mailed?": a suppressed address is never mailed for that topic, or at all for a global suppression. Every sender asks it: the
 * Node mail hook, the Nodemailer plugin and `POST /api/v1/messages/prepare`. In order:
 *
 * 0. A retired topic (src/core/topics.ts) is mailed to nobody: reason `topic-retired`.
 * 1. Suppressions (the hashed list, which outlives erasure): a global one refuses everything,
 *    a topic one refuses that topic. Transactional mail only looks at global ones and is
 *    refused by all but `unsubscribe`: "no more marketing" is not "no password reset", while a
 *    bounce, a spam complaint, an erasure or an operator's block stop every mail.
 * 2. The contact: an address optbox does not know is refused for topic mail (`unknown-contact`)
 *    rather than created here. Consent is recorded where it is given (contacts API, import,
 *    preference center), asking stays a pure read that a dry run may repeat, and without a
 *    contact there is nobody for the unsubscribe link to name. Transactional mail to an unknown
 *    address may go (a receipt to a guest checkout), without personal links.
 * 3. The restriction flag (`pausedUntil`, GDPR art. 18) stops topic mail until it passes;
 *    transactional mail the person needs (their sign-in link) still goes.
 * 4. The subscription: `subscribed` goes; `unsubscribed` and `pending` (double opt-in) do not;
 *    no row means the topic default (opt-out topics go, opt-in topics do not).
 *
 * Results come back in the order asked, with each address as it was given. Read-only.
 */
export async function mayMail(deps: CoreDeps, input: MayMailInput): Promise<MailDecision[]> {
  if (input.emails.length > MAX_CHECK_BATCH) throw invalidInput('emails', `at most ${MAX_CHECK_BATCH} addresses per call`);
  const transactional = input.transactional === true;
  let topic: TopicRow | undefined;
  if (transactional) {
    if (input.topic !== undefined) throw invalidInput('topic', 'transactional mail has no topic (leave it out, or set transactional: false)');
  } else {
    if (input.topic === undefined) throw invalidInput('topic', 'is required unless the mail is transactional');
    topic = await knownTopic(deps, input.topic, 'topic');
  }

  const fieldOf = input.field ?? ((i: number) => `emails[${i}]`);
  const normalized = input.emails.map((raw, i) => normalizeEmail(raw, fieldOf(i)));
  // Checked after the addresses, so a bad address is still named; nobody is asked about a retired topic.
  if (topic && isRetired(topic)) return input.emails.map((email) => ({ email, send: false, reason: 'topic-retired', scope: topic.id }));
  const now = deps.clock.now();
  const [hits, contacts] = await Promise.all([
    deps.store.suppressions.checkMany(normalized.map(deps.addressKey), topic?.id ?? '*', now),
    deps.store.audience.byEmails(normalized, topic?.id ?? ''),
  ]);

  return input.emails.map((email, i): MailDecision => {
    const hit = hits[i];
    if (hit && !(transactional && hit.reason === 'unsubscribe')) return { email, send: false, reason: SUPPRESSION_REFUSAL[hit.reason], scope: hit.scope };
    const contact = contacts[i];
    if (!contact || contact.status === 'erased') {
      if (transactional && !contact) return { email, send: true, recipient: null };
      return { email, send: false, reason: contact ? 'erased' : 'unknown-contact', scope: contact ? '*' : (topic?.id ?? '*') };
    }
    const recipient = { contactId: contact.contactId, locale: contact.locale };
    if (transactional || !topic) return { email, send: true, recipient };
    if (contact.pausedUntil !== null && contact.pausedUntil > now) return { email, send: false, reason: 'paused', scope: '*' };
    const status = contact.subscription ?? (topic.defaultStatus === 'opt-out' ? 'subscribed' : null);
    if (status === 'subscribed') return { email, send: true, recipient };
    return { email, send: false, reason: status === 'unsubscribed' ? 'unsubscribed' : status === 'pending' ? 'unconfirmed' : 'not-subscribed', scope: topic.id };
  });
}
