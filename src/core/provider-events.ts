import type { FeedbackAction } from '../db/store.ts';
import type { CoreDeps } from './deps.ts';
import { normalizeEmail } from './email.ts';

/**
 * What a mail service reported about one or more recipients, in optbox's words:
 * - `bounce`: a hard bounce (the address does not exist): suppressed for good;
 * - `soft-bounce`: a temporary failure; counted, and suppressed for a while after a few;
 * - `complaint`: the person marked the mail as spam (feedback loop): suppressed for good;
 * - `unsubscribe`: the person unsubscribed at the provider (its link or list header).
 */
export type FeedbackKind = 'bounce' | 'soft-bounce' | 'complaint' | 'unsubscribe';

export interface ProviderEvent {
  provider: 'ses' | 'sendgrid' | 'postmark' | 'mailgun';
  /** The provider's id of the event; the same event delivered twice changes nothing. */
  id: string;
  /** Null: an event optbox does not act on (a delivery, an open); only its id and nonce are kept. */
  kind: FeedbackKind | null;
  /** The provider's own name of the event (for the ledger), e.g. `Bounce/Permanent`. */
  type: string;
  recipients: string[];
  /** Mailgun's one-time request token: reused → the request is a replay. */
  nonce?: string | undefined;
}

export interface FeedbackPolicy {
  softBounce: { limit: number; windowMs: number; suppressMs: number };
}

const SOURCE: Record<FeedbackKind, 'bounce-webhook' | 'complaint-webhook' | 'unsubscribe-webhook'> = {
  bounce: 'bounce-webhook',
  'soft-bounce': 'bounce-webhook',
  complaint: 'complaint-webhook',
  unsubscribe: 'unsubscribe-webhook',
};

export type ProviderEventResult = 'applied' | 'duplicate' | 'replayed';

/**
 * Turn one verified provider event into suppressions and consent events. One
 * unit of work per event: its id, its suppressions and their ledger rows (source
 * `bounce-webhook`, `complaint-webhook` or `unsubscribe-webhook`) commit together, so a retry
 * of the same event finds its id and changes nothing. An address optbox does not know is still
 * suppressed, by its keyed hash only; a recipient that is not an address is skipped.
 */
export async function recordProviderEvent(deps: CoreDeps, policy: FeedbackPolicy, event: ProviderEvent): Promise<{ result: ProviderEventResult; suppressed: number }> {
  const kind = event.kind;
  const emails = kind ? [...new Set(event.recipients.flatMap((raw) => validEmail(raw) ?? []))] : [];
  const contactIds = emails.length ? await deps.store.contacts.idsByEmail(emails) : new Map<string, string>();
  const actions: FeedbackAction[] = emails.map((email) => {
    const id = contactIds.get(email);
    return { kind: kind!, addressKey: deps.addressKey(email), contact: id ? { id, email } : null, source: SOURCE[kind!] };
  });
  const topicIds = kind === 'unsubscribe' ? (await deps.store.topics.all()).map((t) => t.id) : [];
  const outcome = await deps.store.feedback.apply({
    provider: event.provider,
    eventId: event.id,
    nonce: event.nonce,
    at: deps.clock.now(),
    actions,
    topicIds,
    softBounce: policy.softBounce,
    policyVersion: deps.policyVersion,
    detail: { provider: event.provider, event: event.type },
  });
  return { result: outcome.status, suppressed: outcome.status === 'applied' ? outcome.suppressed : 0 };
}

function validEmail(raw: string): string | undefined {
  try {
    return normalizeEmail(raw);
  } catch {
    return undefined;
  }
}
