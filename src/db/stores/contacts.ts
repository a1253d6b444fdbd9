import { and, eq, sql } from 'drizzle-orm';
import type { Orm } from '../client.ts';
import type { RunInTransaction } from '../write-queue.ts';
import { contacts, subscriptions, topics, type ContactRow, type SubscriptionRow } from '../schema/index.ts';
import type { LedgerStore, LedgerEventInput } from './ledger.ts';

export interface NewContact {
  id: string;
  email: string;
  locale: 'nl' | 'en';
  externalId: string | null;
}

export interface UpsertContactInput {
  contact: NewContact;
  at: number;
  /** Topics to subscribe; each one changed gets its own `subscribe` event. */
  subscribe: string[];
  /** Subscribe as pending (double opt-in) instead of subscribed. */
  subscribeStatus: 'subscribed' | 'pending';
  event: Omit<LedgerEventInput, 'at' | 'contactId' | 'action' | 'topic'>;
}

export function createContactStore(orm: Orm, transact: RunInTransaction, ledger: LedgerStore) {
  const byId = orm.select().from(contacts).where(eq(contacts.id, sql.placeholder('id'))).prepare();
  const byEmail = orm.select().from(contacts).where(eq(contacts.email, sql.placeholder('email'))).prepare();
  const byExternalId = orm.select().from(contacts).where(eq(contacts.externalId, sql.placeholder('externalId'))).prepare();
  const subscriptionsOf = orm.select().from(subscriptions).where(eq(subscriptions.contactId, sql.placeholder('id'))).prepare();

  return {
    async byId(id: string): Promise<ContactRow | undefined> {
      return byId.get({ id });
    },
    async byEmail(email: string): Promise<ContactRow | undefined> {
      return byEmail.get({ email });
    },
    async byExternalId(externalId: string): Promise<ContactRow | undefined> {
      return byExternalId.get({ externalId });
    },
    async subscriptions(contactId: string): Promise<SubscriptionRow[]> {
      return subscriptionsOf.all({ id: contactId });
    },

    /**
     * Create the contact for an address, or find the existing one, and subscribe it to topics it
     * is not yet subscribed to. One unit: contact, subscriptions and ledger rows commit together.
     */
    upsert(input: UpsertContactInput): Promise<{ contact: ContactRow; created: boolean; subscribed: string[] }> {
      return transact(() => {
        let contact = byEmail.get({ email: input.contact.email });
        const created = !contact;
        if (!contact) {
          contact = orm
            .insert(contacts)
            .values({ ...input.contact, createdAt: input.at, updatedAt: input.at })
            .returning()
            .get();
        }
        const subscribed: string[] = [];
        for (const topicId of input.subscribe) {
          const existing = orm
            .select({ status: subscriptions.status })
            .from(subscriptions)
            .where(and(eq(subscriptions.contactId, contact.id), eq(subscriptions.topicId, topicId)))
            .get();
          if (existing?.status === 'subscribed' || existing?.status === input.subscribeStatus) continue;
          const known = orm.select({ id: topics.id }).from(topics).where(eq(topics.id, topicId)).get();
          if (!known) continue;
          orm
            .insert(subscriptions)
            .values({ contactId: contact.id, topicId, status: input.subscribeStatus, source: input.event.source, updatedAt: input.at })
            .onConflictDoUpdate({
              target: [subscriptions.contactId, subscriptions.topicId],
              set: { status: input.subscribeStatus, source: input.event.source, updatedAt: input.at },
            })
            .run();
          ledger.appendSync({ ...input.event, at: input.at, contactId: contact.id, action: input.subscribeStatus === 'pending' ? 'subscribe-pending' : 'subscribe', topic: topicId });
          subscribed.push(topicId);
        }
        return { contact, created, subscribed };
      });
    },
  };
}

export type ContactStore = ReturnType<typeof createContactStore>;
