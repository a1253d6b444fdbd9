import { subscriptionUpdated } from '../../stores/webhooks.ts';
import { asc, eq, sql } from 'drizzle-orm';
import type { Store } from '../../store.ts';
import type { ContactRow } from '../../schema/index.ts';
import type { ContactUpdate, UpsertContactInput, UpsertContactResult } from '../../stores/contacts.ts';
import type { PgStoreDeps, PgWebhookSync } from '../sync.ts';
import type { PgUnit } from '../unit.ts';
import { consentTexts, contacts, subscriptions } from '../schema/index.ts';
import { lost, unlessUnique } from './unique-guard.ts';

// A race lost to another instance is retried by reading again; a third loss would need the winner's
// row to vanish in between twice (erasure clears the address), so it is an error, not a loop.
const MAX_RACES = 3;

/** The contact store on PostgreSQL: the same behaviour as src/db/stores/contacts.ts. */
export function createPgContactStore(deps: PgStoreDeps, webhooks: PgWebhookSync): Store['contacts'] {
  const { orm, transact } = deps;

  /**
   * The contact of the address (locked, so a concurrent erasure or update of it waits for this
   * unit, and this unit for it), after any changes `set` asks for; or a new one. Two instances
   * creating the same address: the unique email makes one INSERT win and the other read the
   * winner's row and go on as for an existing contact.
   */
  async function findOrCreate(unit: PgUnit, input: UpsertContactInput): Promise<{ contact: ContactRow; created: boolean } | { conflict: 'externalId' }> {
    for (let race = 0; race < MAX_RACES; race++) {
      const [contact] = await unit.orm.select().from(contacts).where(eq(contacts.email, input.contact.email)).for('update');
      const externalId = contact ? input.set?.externalId : (input.contact.externalId ?? undefined);
      if (externalId !== undefined) {
        const [owner] = await unit.orm.select({ id: contacts.id }).from(contacts).where(eq(contacts.externalId, externalId));
        if (owner && owner.id !== contact?.id) return { conflict: 'externalId' };
      }
      if (contact) {
        const set = input.set;
        if (!set || (set.locale === undefined && set.externalId === undefined)) return { contact, created: false };
        const write = async () => {
          const [row] = await unit.orm
            .update(contacts)
            .set({ ...(set.locale ? { locale: set.locale } : {}), ...(set.externalId !== undefined ? { externalId: set.externalId } : {}), updatedAt: input.at })
            .where(eq(contacts.id, contact.id))
            .returning();
          return row!;
        };
        const updated = set.externalId !== undefined ? await unlessUnique(unit, write) : await write();
        // Only the external id can collide here (the row is ours and locked): another contact took it meanwhile.
        if (updated === lost) return { conflict: 'externalId' };
        return { contact: updated, created: false };
      }
      const [inserted] = await unit.orm
        .insert(contacts)
        .values({ ...input.contact, createdAt: input.at, updatedAt: input.at })
        .onConflictDoNothing()
        .returning();
      if (inserted) return { contact: inserted, created: true };
      // Another unit took the address or the external id first: the next pass reads its row.
    }
    throw new Error('contacts.upsert: the address kept changing hands');
  }

  return {
    async byId(id: string): Promise<ContactRow | undefined> {
      const [row] = await orm.select().from(contacts).where(eq(contacts.id, id));
      return row;
    },
    async byEmail(email: string): Promise<ContactRow | undefined> {
      const [row] = await orm.select().from(contacts).where(eq(contacts.email, email));
      return row;
    },
    async byExternalId(externalId: string): Promise<ContactRow | undefined> {
      const [row] = await orm.select().from(contacts).where(eq(contacts.externalId, externalId));
      return row;
    },
    /** Contact ids by address, for many addresses in one statement (bulk adds). */
    async idsByEmail(emails: string[]): Promise<Map<string, string>> {
      const { rows } = await orm.$client.query<{ id: string; email: string }>('SELECT id, email FROM contacts WHERE email = ANY($1::text[])', [emails]);
      return new Map(rows.map((r) => [r.email, r.id]));
    },
    async subscriptions(contactId: string) {
      return orm.select().from(subscriptions).where(eq(subscriptions.contactId, contactId));
    },

    /** As on SQLite: contact, subscriptions and ledger rows commit together. */
    upsert(input: UpsertContactInput): Promise<UpsertContactResult> {
      return transact(async (unit): Promise<UpsertContactResult> => {
        const found = await findOrCreate(unit, input);
        if ('conflict' in found) return found;
        const { contact, created } = found;
        if (input.consentText) await unit.orm.insert(consentTexts).values({ ...input.consentText, createdAt: input.at }).onConflictDoNothing();
        const consentTextId = input.consentText?.id ?? null;
        const wanted = [...new Set(input.subscribe)]; // one row may be upserted once per statement
        // One conditional upsert: known topics only, and only where the contact is not already
        // subscribed or in the wanted status (the conflicting row is locked and re-read first).
        const rows =
          wanted.length === 0
            ? []
            : await unit.query<{ topic_id: string }>(
                `INSERT INTO subscriptions (contact_id, topic_id, status, source, updated_at)
                 SELECT $1, t.id, $3, $4, $5 FROM topics t WHERE t.id = ANY($2::text[])
                 ON CONFLICT (contact_id, topic_id) DO UPDATE SET status = EXCLUDED.status, source = EXCLUDED.source, updated_at = EXCLUDED.updated_at
                 WHERE subscriptions.status <> 'subscribed' AND subscriptions.status <> EXCLUDED.status
                 RETURNING topic_id`,
                [contact.id, wanted, input.subscribeStatus, input.event.source, input.at],
              );
        const changed = new Set(rows.map((r) => r.topic_id));
        const subscribed = wanted.filter((t) => changed.has(t));
        const action = input.subscribeStatus === 'pending' ? 'subscribe-pending' : 'subscribe';
        for (const topic of subscribed) unit.appendLedger({ ...input.event, consentTextId, at: input.at, contactId: contact.id, action, topic });
        if (subscribed.length > 0) {
          await webhooks.emit(unit, subscriptionUpdated({ at: input.at, contactId: contact.id, externalId: contact.externalId, topics: subscribed, status: input.subscribeStatus, source: input.event.source }));
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
        // A row comparison, which the (created_at, id) index answers directly.
        .where(after ? sql`(${contacts.createdAt}, ${contacts.id}) > (${after.createdAt}, ${after.id})` : undefined)
        .orderBy(asc(contacts.createdAt), asc(contacts.id))
        .limit(options.limit);
    },

    /** A ledger row about a contact that changes nothing else (an `export` of their data). */
    recordEvent(event) {
      return transact(async (unit) => unit.appendLedger(event));
    },

    /** Change a contact's own fields and flags, with the ledger rows that go with them. One unit. */
    update(change: ContactUpdate) {
      return transact(async (unit): Promise<{ contact: ContactRow } | { conflict: 'externalId' } | undefined> => {
        // Locked: an erasure on another instance either finished (and is seen) or waits for this.
        const [contact] = await unit.orm.select().from(contacts).where(eq(contacts.id, change.id)).for('update');
        if (!contact || contact.status === 'erased') return undefined;
        const { externalId } = change.set;
        if (externalId) {
          const [owner] = await unit.orm.select({ id: contacts.id }).from(contacts).where(eq(contacts.externalId, externalId));
          if (owner && owner.id !== contact.id) return { conflict: 'externalId' };
        }
        const set = Object.fromEntries(Object.entries(change.set).filter(([, v]) => v !== undefined));
        const write = async () => {
          const [row] = await unit.orm
            .update(contacts)
            .set({ ...set, updatedAt: change.at })
            .where(eq(contacts.id, contact.id))
            .returning();
          return row!;
        };
        // Only a new external id can collide (the row is ours and locked): another contact took it meanwhile.
        const updated = externalId ? await unlessUnique(unit, write) : await write();
        if (updated === lost) return { conflict: 'externalId' };
        for (const event of change.events) unit.appendLedger({ ...event, at: change.at, contactId: contact.id });
        return { contact: updated };
      });
    },
  };
}
