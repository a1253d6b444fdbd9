import type Database from 'better-sqlite3';
import type { RunInTransaction } from '../write-queue.ts';
import type { ConsentSync } from './consent.ts';
import type { LedgerEventInput, LedgerSync } from './ledger.ts';
import type { SuppressionInput, SuppressionSync } from './suppressions.ts';

/** What one piece of provider feedback means for one address. */
export interface FeedbackAction {
  kind: 'bounce' | 'soft-bounce' | 'complaint' | 'unsubscribe';
  addressKey: Buffer;
  /** The contact of the address, when optbox knows it; its address is kept beside the suppression. */
  contact: { id: string; email: string } | null;
  /** The ledger source: bounce-webhook, complaint-webhook or unsubscribe-webhook. */
  source: string;
}

export interface FeedbackInput {
  provider: string;
  /** The provider's id of the event: a second delivery of it changes nothing. */
  eventId: string;
  /** A one-time token of the signed request (Mailgun): seen before → refused as a replay. */
  nonce?: string | undefined;
  at: number;
  actions: FeedbackAction[];
  /** Every topic id: a provider unsubscribe of a known contact turns them all off. */
  topicIds: string[];
  softBounce: { limit: number; windowMs: number; suppressMs: number };
  policyVersion: string;
  /** Kept in the ledger with each change: provider and its event type, never an address. */
  detail: Record<string, unknown>;
}

type FeedbackReason = 'bounce' | 'complaint' | 'unsubscribe';

/** The global suppression a piece of feedback asks for, and its ledger row: one shape for both engines. */
export function feedbackSuppression(input: FeedbackInput, action: FeedbackAction, reason: FeedbackReason, expiresAt: number | null): { suppression: SuppressionInput; event: LedgerEventInput } {
  return {
    suppression: { addressKey: action.addressKey, scope: '*', reason, source: action.source, email: action.contact?.email ?? null, expiresAt },
    event: {
      at: input.at,
      contactId: action.contact?.id ?? null,
      // An address optbox does not know is named in the ledger only by its keyed hash.
      addressKey: action.contact ? null : action.addressKey,
      action: 'suppress',
      topic: '*',
      source: action.source,
      policyVersion: input.policyVersion,
      detail: { ...input.detail, reason, ...(expiresAt !== null ? { expiresAt } : {}) },
    },
  };
}

export type FeedbackOutcome = { status: 'replayed' } | { status: 'duplicate' } | { status: 'applied'; suppressed: number };

export function createFeedbackStore(sqlite: Database.Database, transact: RunInTransaction, ledger: LedgerSync, suppressions: SuppressionSync, consent: ConsentSync) {
  const seen = sqlite.prepare<{ provider: string; id: string; at: number }>('INSERT OR IGNORE INTO provider_events (provider, event_id, received_at) VALUES (@provider, @id, @at)');
  const addSoft = sqlite.prepare<{ key: Buffer; at: number }>('INSERT INTO soft_bounces (address_key, at) VALUES (@key, @at)');
  const countSoft = sqlite.prepare<{ key: Buffer; since: number }, { n: number }>('SELECT count(*) AS n FROM soft_bounces WHERE address_key = @key AND at > @since');
  const clearSoft = sqlite.prepare<{ key: Buffer }>('DELETE FROM soft_bounces WHERE address_key = @key');

  function suppressSync(input: FeedbackInput, action: FeedbackAction, reason: FeedbackReason, expiresAt: number | null): boolean {
    const { suppression, event } = feedbackSuppression(input, action, reason, expiresAt);
    const added = suppressions.addSync(suppression, input.at);
    if (added) ledger.appendSync(event);
    return added;
  }

  return {
    /**
     * Take in one provider event as one unit: its id (and nonce) are recorded, and each address
     * gets its suppression and ledger row. A replayed nonce or an id already seen changes nothing.
     * - bounce, complaint: global suppression of that reason, standing until removed;
     * - soft bounce: counted; the `limit`-th within `windowMs` suppresses for `suppressMs`;
     * - unsubscribe: a known contact is unsubscribed from every topic (as by its own one-click),
     *   an unknown address gets a global `unsubscribe` suppression by its keyed hash.
     */
    apply(input: FeedbackInput): Promise<FeedbackOutcome> {
      return transact((): FeedbackOutcome => {
        if (input.nonce !== undefined && seen.run({ provider: `${input.provider}:nonce`, id: input.nonce, at: input.at }).changes === 0) return { status: 'replayed' };
        if (seen.run({ provider: input.provider, id: input.eventId, at: input.at }).changes === 0) return { status: 'duplicate' };
        let suppressed = 0;
        for (const action of input.actions) {
          if (action.kind === 'bounce' || action.kind === 'complaint') {
            if (suppressSync(input, action, action.kind, null)) suppressed++;
          } else if (action.kind === 'soft-bounce') {
            addSoft.run({ key: action.addressKey, at: input.at });
            const { n } = countSoft.get({ key: action.addressKey, since: input.at - input.softBounce.windowMs })!;
            if (n >= input.softBounce.limit) {
              clearSoft.run({ key: action.addressKey }); // counting starts again after the pause
              if (suppressSync(input, action, 'bounce', input.at + input.softBounce.suppressMs)) suppressed++;
            }
          } else if (action.contact) {
            const result = consent.setTopicsSync({
              contactId: action.contact.id,
              at: input.at,
              topicIds: input.topicIds,
              status: 'unsubscribed',
              suppress: { addressKey: action.addressKey, scope: '*', reason: 'unsubscribe', source: action.source, email: action.contact.email, expiresAt: null },
              event: { action: 'unsubscribe', topic: '*', source: action.source, policyVersion: input.policyVersion, detail: input.detail },
            });
            if (result.changed) suppressed++;
          } else if (suppressSync(input, action, 'unsubscribe', null)) suppressed++;
        }
        return { status: 'applied', suppressed };
      });
    },
  };
}

export type FeedbackStore = ReturnType<typeof createFeedbackStore>;
