import { and, asc, eq, gt, or, sql } from 'drizzle-orm';
import type { Orm } from '../client.ts';
import type { RunInTransaction } from '../write-queue.ts';
import { consentTexts, contacts, subscriptions, topics, type ContactRow, type SubscriptionRow } from '../schema/index.ts';
import { subscriptionUpdated, type WebhookSync } from './webhooks.ts';
import type { LedgerSync, LedgerEventInput } from './ledger.ts';

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
  /** For an existing contact: fields to change (absent: kept). */
  set?: { locale?: 'nl' | 'en' | undefined; externalId?: string | undefined };
  /** The exact consent wording shown, kept once per version (its id goes into each event). */
  consentText?: { id: string; locale: string; policyVersion: string; text: string } | undefined;
}

export type UpsertContactResult =
  | { contact: ContactRow; created: boolean; subscribed: string[]; conflict?: undefined }
  /** The external id belongs to another contact: nothing was written. */
  | { conflict: 'externalId' };

export interface ContactUpdate {
  id: string;
  at: number;
  set: { locale?: 'nl' | 'en' | undefined; externalId?: string | null | undefined; noProfiling?: boolean | undefined; pausedUntil?: number | null | undefined };
  /** Ledger rows for the consent-relevant part of the change (restriction, objection). */
  events: Array<Omit<LedgerEventInput, 'at' | 'contactId'>>;
}

export function createContactStore(orm: Orm, transact: RunInTransaction, ledger: LedgerSync, webhooks: WebhookSync) {
  const byId = orm.select().from(contacts).where(eq(contacts.id, sql.placeholder('id'))).prepare();
  const byEmail = orm.select().from(contacts).where(eq(contacts.email, sql.placeholder('email'))).prepare();
  const byExternalId = orm.select().from(contacts).where(eq(contacts.externalId, sql.placeholder('externalId'))).prepare();
  const idsByEmail = orm.$client.prepare('SELECT c.id AS id, c.email AS email FROM json_each(?) AS j JOIN contacts AS c ON c.email = j.value');
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
    /** Contact ids by address, for many addresses in one statement (bulk adds). */
    async idsByEmail(emails: string[]): Promise<Map<string, string>> {
      const rows = idsByEmail.all(JSON.stringify(emails)) as Array<{ id: string; email: string }>;
      return new Map(rows.map((r) => [r.email, r.id]));
    },
    async subscriptions(contactId: string): Promise<SubscriptionRow[]> {
      return subscriptionsOf.all({ id: contactId });
    },

    /**
     * Create the contact for an address, or find the existing one, and subscribe it to topics it
     * is not yet subscribed to. One unit: contact, subscriptions and ledger rows commit together.
     */
    upsert(input: UpsertContactInput): Promise<UpsertContactResult> {
      return transact((): UpsertContactResult => {
        let contact = byEmail.get({ email: input.contact.email });
        const created = !contact;
        const externalId = contact ? input.set?.externalId : (input.contact.externalId ?? undefined);
        if (externalId !== undefined) {
          const owner = byExternalId.get({ externalId });
          if (owner && owner.id !== contact?.id) return { conflict: 'externalId' };
        }
        if (input.consentText) orm.insert(consentTexts).values({ ...input.consentText, createdAt: input.at }).onConflictDoNothing().run();
        const consentTextId = input.consentText?.id ?? null;
        if (contact && input.set && (input.set.locale !== undefined || input.set.externalId !== undefined)) {
          contact = orm
            .update(contacts)
            .set({ ...(input.set.locale ? { locale: input.set.locale } : {}), ...(input.set.externalId !== undefined ? { externalId: input.set.externalId } : {}), updatedAt: input.at })
            .where(eq(contacts.id, contact.id))
            .returning()
            .get();
        }
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
          ledger.appendSync({ ...input.event, consentTextId, at: input.at, contactId: contact.id, action: input.subscribeStatus === 'pending' ? 'subscribe-pending' : 'subscribe', topic: topicId });
          subscribed.push(topicId);
        }
        if (subscribed.length > 0) {
          webhooks.emitSync(subscriptionUpdated({ at: input.at, contactId: contact.id, externalId: contact.externalId, topics: subscribed, status: input.subscribeStatus, source: input.event.source }));
        }
        return { contact, created, subscribed };
      });
    },

    /** Contacts in creation order after a (createdAt, id) position: the API's keyset pagination. */
    async list(options: { after?: { createdAt: number; id: string } | undefined; limit: number }): Promise<ContactRow[]> {
      const after = options.after;
      return orm
        .select()
        .from(contacts)
        .where(after ? or(gt(contacts.createdAt, after.createdAt), and(eq(contacts.createdAt, after.createdAt), gt(contacts.id, after.id))) : undefined)
        .orderBy(asc(contacts.createdAt), asc(contacts.id))
        .limit(options.limit)
        .all();
    },

    /** A ledger row about a contact that changes nothing else (an `export` of their data). */
    recordEvent(event: LedgerEventInput): Promise<void> {
      return transact(() => void ledger.appendSync(event));
    },

    /** Change a contact's own fields and flags, with the ledger rows that go with them. One unit. */
    update(change: ContactUpdate): Promise<{ contact: ContactRow } | { conflict: 'externalId' } | undefined> {
      return transact(() => {
        const contact = byId.get({ id: change.id });
        if (!contact || contact.status === 'erased') return undefined;
        const { externalId } = change.set;
        if (externalId) {
          const owner = byExternalId.get({ externalId });
          if (owner && owner.id !== contact.id) return { conflict: 'externalId' as const };
        }
        const set = Object.fromEntries(Object.entries(change.set).filter(([, v]) => v !== undefined));
        const updated = orm
          .update(contacts)
          .set({ ...set, updatedAt: change.at })
          .where(eq(contacts.id, contact.id))
          .returning()
          .get();
        for (const event of change.events) ledger.appendSync({ ...event, at: change.at, contactId: contact.id });
        return { contact: updated };
      });
    },
  };
}

export type ContactStore = ReturnType<typeof createContactStore>;
