import { eq, sql } from 'drizzle-orm';
import { iso } from '../../format/time.ts';
import type { Orm } from '../client.ts';
import type { RunInTransaction } from '../write-queue.ts';
import { contactAddresses, contacts, pendingEmailChanges, privacyRequests, subscriberSessions, subscriptions } from '../schema/index.ts';
import type { LedgerEventInput, LedgerSync } from './ledger.ts';
import type { SuppressionSync } from './suppressions.ts';
import type { WebhookSync } from './webhooks.ts';

export interface ErasureInput {
  contactId: string;
  /** The suppression key of the contact's address, when it still has one. */
  addressKey: Buffer | null;
  at: number;
  event: Omit<LedgerEventInput, 'at' | 'contactId' | 'action' | 'addressKey'>;
}

export function createErasureStore(orm: Orm, transact: RunInTransaction, ledger: LedgerSync, suppressions: SuppressionSync, webhooks: WebhookSync) {
  return {
    /**
     * GDPR art. 17 erasure as one unit: the contact's address, external id, flags and
     * subscriptions go; the address beside its suppressions and in webhook payloads goes; a
     * global `erasure` suppression on the keyed hash stays, so a later import is never mailed; the ledger gets an
     * `erase` row (its earlier rows name only the random contact id and hashes) and listeners a
     * `contact.erased` event. False when the contact was already erased (idempotent).
     */
    erase(input: ErasureInput): Promise<boolean> {
      return transact(() => {
        const contact = orm.select({ status: contacts.status }).from(contacts).where(eq(contacts.id, input.contactId)).get();
        if (!contact || contact.status === 'erased') return false;
        orm.delete(subscriptions).where(eq(subscriptions.contactId, input.contactId)).run();
        // Signed-in browsers and a pending address change hold the person too: they go with it.
        orm.delete(subscriberSessions).where(eq(subscriberSessions.userId, input.contactId)).run();
        orm.delete(pendingEmailChanges).where(eq(pendingEmailChanges.contactId, input.contactId)).run();
        // Their privacy requests stay as the record of having answered (GDPR art. 5(2)), without the address.
        orm.update(privacyRequests).set({ email: null }).where(eq(privacyRequests.contactId, input.contactId)).run();
        // Every address the person had, not only the current one: each key gets the erasure
        // suppression (an old address re-imported is never mailed) and is scrubbed from kept
        // webhook payloads; the history itself goes.
        const previous = orm.select({ addressKey: contactAddresses.addressKey }).from(contactAddresses).where(eq(contactAddresses.contactId, input.contactId)).all();
        const keys = [...(input.addressKey ? [input.addressKey] : []), ...previous.map((p) => p.addressKey)];
        const seen = new Set<string>();
        for (const key of keys) {
          if (seen.has(key.toString('hex'))) continue;
          seen.add(key.toString('hex'));
          suppressions.eraseAddressSync(key, input.at, input.event.source);
          webhooks.scrubSync(key, input.contactId);
        }
        orm.delete(contactAddresses).where(eq(contactAddresses.contactId, input.contactId)).run();
        orm
          .update(contacts)
          .set({ email: null, externalId: null, status: 'erased', pausedUntil: null, noProfiling: sql`0`, updatedAt: input.at })
          .where(eq(contacts.id, input.contactId))
          .run();
        ledger.appendSync({ ...input.event, at: input.at, contactId: input.contactId, addressKey: input.addressKey, action: 'erase' });
        webhooks.emitSync({ type: 'contact.erased', at: input.at, contactId: input.contactId, data: { contactId: input.contactId, erasedAt: iso(input.at) } });
        return true;
      });
    },
  };
}

export type ErasureStore = ReturnType<typeof createErasureStore>;
