import { eq } from 'drizzle-orm';
import { iso } from '../../../format/time.ts';
import type { Store } from '../../store.ts';
import type { ErasureInput } from '../../stores/erasure.ts';
import type { PgStoreDeps, PgSuppressionSync, PgWebhookSync } from '../sync.ts';
import { contactAddresses, contacts, pendingEmailChanges, privacyRequests, subscriberSessions, subscriptions } from '../schema/index.ts';

/** The erasure store on PostgreSQL: the same behaviour as src/db/stores/erasure.ts. */
export function createPgErasureStore(deps: PgStoreDeps, suppressions: PgSuppressionSync, webhooks: PgWebhookSync): Store['erasure'] {
  return {
    /**
     * GDPR art. 17 erasure as one unit, as on SQLite. The contact's row is locked first, so two
     * instances erasing the same contact take turns (the second finds it erased: false) and an
     * upsert or address change of it on another instance waits for this one or finished before.
     */
    erase(input: ErasureInput): Promise<boolean> {
      return deps.transact(async (unit) => {
        const { orm } = unit;
        const [contact] = await orm.select({ status: contacts.status }).from(contacts).where(eq(contacts.id, input.contactId)).for('update');
        if (!contact || contact.status === 'erased') return false;
        await orm.delete(subscriptions).where(eq(subscriptions.contactId, input.contactId));
        // Signed-in browsers and a pending address change hold the person too: they go with it.
        await orm.delete(subscriberSessions).where(eq(subscriberSessions.userId, input.contactId));
        await orm.delete(pendingEmailChanges).where(eq(pendingEmailChanges.contactId, input.contactId));
        // Their privacy requests stay as the record of having answered (art. 5(2)), without the address.
        await orm.update(privacyRequests).set({ email: null }).where(eq(privacyRequests.contactId, input.contactId));
        // Every address the person had, not only the current one (see the SQLite store).
        const previous = await orm.select({ addressKey: contactAddresses.addressKey }).from(contactAddresses).where(eq(contactAddresses.contactId, input.contactId));
        const keys = [...(input.addressKey ? [input.addressKey] : []), ...previous.map((p) => p.addressKey)];
        const seen = new Set<string>();
        for (const key of keys) {
          if (seen.has(key.toString('hex'))) continue;
          seen.add(key.toString('hex'));
          await suppressions.eraseAddress(unit, key, input.at, input.event.source);
          await webhooks.scrub(unit, key, input.contactId);
        }
        await orm.delete(contactAddresses).where(eq(contactAddresses.contactId, input.contactId));
        await orm
          .update(contacts)
          .set({ email: null, externalId: null, status: 'erased', pausedUntil: null, noProfiling: false, updatedAt: input.at })
          .where(eq(contacts.id, input.contactId));
        unit.appendLedger({ ...input.event, at: input.at, contactId: input.contactId, addressKey: input.addressKey, action: 'erase' });
        await webhooks.emit(unit, { type: 'contact.erased', at: input.at, contactId: input.contactId, data: { contactId: input.contactId, erasedAt: iso(input.at) } });
        return true;
      });
    },
  };
}
