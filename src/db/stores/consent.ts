import { and, eq, inArray } from 'drizzle-orm';
import type { Orm } from '../client.ts';
import type { RunInTransaction } from '../write-queue.ts';
import { contacts, subscriptions, topics } from '../schema/index.ts';
import type { WebhookStore } from './webhooks.ts';
import type { LedgerStore, LedgerEventInput } from './ledger.ts';
import type { SuppressionInput, SuppressionReason, SuppressionStore } from './suppressions.ts';

export interface TopicChange {
  contactId: string;
  at: number;
  topicIds: string[];
  status: 'subscribed' | 'unsubscribed';
  /** Added with the change (an unsubscribe suppresses the topic, or '*' for all). */
  suppress?: SuppressionInput;
  /** Lifted with the change (a resubscribe lifts the unsubscribe suppressions it names). */
  lift?: { addressKey: Buffer; scopes: string[]; reasons: SuppressionReason[] };
  event: Omit<LedgerEventInput, 'at' | 'contactId'>;
}

export interface TopicChangeResult {
  /** Topics whose effective status changed. */
  changedTopics: string[];
  /** False when the change was already in place: nothing was written (idempotent). */
  changed: boolean;
}

export function createConsentStore(orm: Orm, transact: RunInTransaction, ledger: LedgerStore, suppressionStore: SuppressionStore, webhooks: WebhookStore) {
  return {
    /**
     * Set a contact's topics to one status, with the suppression that goes with it, and one
     * ledger event if anything changed. One unit: all of it commits together or none of it.
     * A topic without a subscription row has its default status (opt-out topics are subscribed).
     */
    setTopics(change: TopicChange): Promise<TopicChangeResult> {
      return transact(() => {
        const current = orm
          .select({ id: topics.id, defaultStatus: topics.defaultStatus, status: subscriptions.status })
          .from(topics)
          .leftJoin(subscriptions, and(eq(subscriptions.topicId, topics.id), eq(subscriptions.contactId, change.contactId)))
          .where(inArray(topics.id, change.topicIds))
          .all();
        const changedTopics: string[] = [];
        for (const topic of current) {
          const effective = topic.status ?? (topic.defaultStatus === 'opt-out' ? 'subscribed' : 'unsubscribed');
          if (effective === change.status) continue;
          orm
            .insert(subscriptions)
            .values({ contactId: change.contactId, topicId: topic.id, status: change.status, source: change.event.source, updatedAt: change.at })
            .onConflictDoUpdate({
              target: [subscriptions.contactId, subscriptions.topicId],
              set: { status: change.status, source: change.event.source, updatedAt: change.at },
            })
            .run();
          changedTopics.push(topic.id);
        }
        const suppressed = change.suppress ? suppressionStore.addSync(change.suppress, change.at) : false;
        const lifted = change.lift ? suppressionStore.liftSync(change.lift.addressKey, change.lift.scopes, change.lift.reasons, change.at) : 0;
        const changed = changedTopics.length > 0 || suppressed || lifted > 0;
        if (changed) {
          ledger.appendSync({
            ...change.event,
            at: change.at,
            contactId: change.contactId,
            detail: { ...change.event.detail, topics: changedTopics },
          });
        }
        if (changedTopics.length > 0) {
          const contact = orm.select({ externalId: contacts.externalId }).from(contacts).where(eq(contacts.id, change.contactId)).get();
          webhooks.emitSync({
            type: 'subscription.updated',
            at: change.at,
            contactId: change.contactId,
            data: { contactId: change.contactId, externalId: contact?.externalId ?? null, topics: changedTopics, status: change.status, source: change.event.source },
          });
        }
        return { changedTopics, changed };
      });
    },
  };
}

export type ConsentStore = ReturnType<typeof createConsentStore>;
