import { and, eq, sql } from 'drizzle-orm';
import type { Orm } from '../client.ts';
import type { RunInTransaction } from '../write-queue.ts';
import { contacts, subscriptions, topics } from '../schema/index.ts';
import { subscriptionUpdated, type WebhookSync } from './webhooks.ts';
import type { LedgerSync, LedgerEventInput } from './ledger.ts';
import type { SuppressionInput, SuppressionReason, SuppressionSync } from './suppressions.ts';

export interface TopicChange {
  contactId: string;
  at: number;
  topicIds: string[];
  /** `pending`: a double opt-in topic waiting for its confirmation link. */
  status: 'subscribed' | 'unsubscribed' | 'pending';
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

export function createConsentStore(orm: Orm, transact: RunInTransaction, ledger: LedgerSync, suppressionStore: SuppressionSync, webhooks: WebhookSync) {
  // Prepared once: this is the one-click path, and building SQL per call costs more than running it.
  const current = orm
    .select({ id: topics.id, defaultStatus: topics.defaultStatus, status: subscriptions.status })
    .from(topics)
    .leftJoin(subscriptions, and(eq(subscriptions.topicId, topics.id), eq(subscriptions.contactId, sql.placeholder('contactId'))))
    .where(sql`${topics.id} IN (SELECT value FROM json_each(${sql.placeholder('topicIds')}))`)
    .prepare();
  const setStatus = orm
    .insert(subscriptions)
    .values({ contactId: sql.placeholder('contactId'), topicId: sql.placeholder('topicId'), status: sql.placeholder('status'), source: sql.placeholder('source'), updatedAt: sql.placeholder('at') })
    .onConflictDoUpdate({
      target: [subscriptions.contactId, subscriptions.topicId],
      set: { status: sql`excluded.status`, source: sql`excluded.source`, updatedAt: sql`excluded.updated_at` },
    })
    .prepare();
  const externalIdOf = orm.select({ externalId: contacts.externalId }).from(contacts).where(eq(contacts.id, sql.placeholder('id'))).prepare();

  /**
   * Set a contact's topics to one status, with the suppression that goes with it, and one
   * ledger event if anything changed. Synchronous: call inside a unit of the write queue.
   * A topic without a subscription row has its default status (opt-out topics are subscribed).
   */
  function setTopicsSync(change: TopicChange): TopicChangeResult {
    const changedTopics: string[] = [];
    for (const topic of current.all({ contactId: change.contactId, topicIds: JSON.stringify(change.topicIds) })) {
      const effective = topic.status ?? (topic.defaultStatus === 'opt-out' ? 'subscribed' : 'unsubscribed');
      if (effective === change.status) continue;
      setStatus.run({ contactId: change.contactId, topicId: topic.id, status: change.status, source: change.event.source, at: change.at });
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
      const contact = externalIdOf.get({ id: change.contactId });
      webhooks.emitSync(subscriptionUpdated({ at: change.at, contactId: change.contactId, externalId: contact?.externalId ?? null, topics: changedTopics, status: change.status, source: change.event.source }));
    }
    return { changedTopics, changed };
  }

  return {
    /** For other stores' units (provider feedback): not on the Store. */
    sync: { setTopicsSync },
    store: {
      /** setTopics as one unit: all of it commits together or none of it. */
      setTopics(change: TopicChange): Promise<TopicChangeResult> {
        return transact(() => setTopicsSync(change));
      },
    },
  };
}

export type ConsentStore = ReturnType<typeof createConsentStore>['store'];
export type ConsentSync = ReturnType<typeof createConsentStore>['sync'];
