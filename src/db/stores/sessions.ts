import type { Adapter } from 'lucia';
import { and, eq, lte, ne, sql } from 'drizzle-orm';
import type { Orm } from '../client.ts';
import type { RunInTransaction } from '../write-queue.ts';
import { contactAddresses, contacts, pendingEmailChanges, subscriberSessions, usedLinkTokens } from '../schema/index.ts';
import { QueuedSessionAdapter } from './lucia-adapter.ts';
import type { LedgerEventInput, LedgerSync } from './ledger.ts';
import type { SuppressionSync } from './suppressions.ts';

/**
 * Storage for the preference center's sign-in: lucia's session adapter over the subscriber
 * session table (SQL stays in src/db/; src/auth/ only gets the adapter), single-use link ids,
 * and pending address changes.
 */
export function createSessionStore(orm: Orm, transact: RunInTransaction, ledger: LedgerSync, suppressions: SuppressionSync) {
  const adapter = new QueuedSessionAdapter(orm, transact, subscriberSessions, contacts);
  const used = orm.select({ jti: usedLinkTokens.jti }).from(usedLinkTokens).where(eq(usedLinkTokens.jti, sql.placeholder('jti'))).prepare();

  return {
    /** lucia's adapter for subscriber sessions (users are contacts). */
    luciaAdapter: adapter as Adapter,

    /**
     * Mark a single-use link id as used. False when it already was: the caller refuses the link.
     * Expired ids are swept in the same unit (their tokens are refused by their own expiry).
     */
    useOnce(jti: string, expiresAt: number, now: number): Promise<boolean> {
      return transact(() => {
        if (used.get({ jti })) return false;
        orm.delete(usedLinkTokens).where(lte(usedLinkTokens.expiresAt, now)).run();
        orm.insert(usedLinkTokens).values({ jti, expiresAt }).run();
        return true;
      });
    },

    /** Keep a requested address change until its confirmation link is followed. */
    addPendingEmail(input: { jti: string; contactId: string; email: string; expiresAt: number; now: number }): Promise<void> {
      return transact(() => {
        orm.delete(pendingEmailChanges).where(lte(pendingEmailChanges.expiresAt, input.now)).run();
        orm.insert(pendingEmailChanges).values({ jti: input.jti, contactId: input.contactId, email: input.email, expiresAt: input.expiresAt }).run();
      });
    },

    /**
     * Follow an address-change link as one unit: the link is used once, the contact gets the
     * new address, the suppressions held beside the old address move to the new one's key
     * (an unsubscribe stays an unsubscribe), and the ledger gets a `rectify` row. The old address
     * and its key go into the contact's address history (erasure reaches them); the contact's
     * other sessions end and links issued before now stop opening anything.
     */
    confirmEmail(input: {
      jti: string;
      contactId: string;
      /** The session of the browser that follows the link, if signed in: it stays. */
      keepSessionId?: string | undefined;
      oldEmail: string;
      at: number;
      newKey: (email: string) => Buffer;
      oldKey: Buffer;
      event: Omit<LedgerEventInput, 'at' | 'contactId' | 'action'>;
    }): Promise<{ ok: true; email: string } | { ok: false; why: 'used' | 'unknown' | 'taken' | 'erased' }> {
      return transact(() => {
        const pending = orm.select().from(pendingEmailChanges).where(and(eq(pendingEmailChanges.jti, input.jti), eq(pendingEmailChanges.contactId, input.contactId))).get();
        if (!pending || pending.expiresAt <= input.at) return { ok: false as const, why: 'unknown' as const };
        const contact = orm.select().from(contacts).where(eq(contacts.id, input.contactId)).get();
        if (!contact || contact.status === 'erased') return { ok: false as const, why: 'erased' as const };
        const owner = orm.select({ id: contacts.id }).from(contacts).where(eq(contacts.email, pending.email)).get();
        if (owner && owner.id !== contact.id) return { ok: false as const, why: 'taken' as const };
        orm.delete(pendingEmailChanges).where(eq(pendingEmailChanges.jti, input.jti)).run();
        orm.insert(usedLinkTokens).values({ jti: input.jti, expiresAt: pending.expiresAt }).onConflictDoNothing().run();
        orm.update(contacts).set({ email: pending.email, linksIssuedAfter: input.at, updatedAt: input.at }).where(eq(contacts.id, contact.id)).run();
        orm.insert(contactAddresses).values({ contactId: contact.id, addressKey: input.oldKey, email: input.oldEmail, replacedAt: input.at }).run();
        orm
          .delete(subscriberSessions)
          .where(and(eq(subscriberSessions.userId, contact.id), input.keepSessionId ? ne(subscriberSessions.id, input.keepSessionId) : undefined))
          .run();
        suppressions.moveAddressSync(input.oldKey, input.newKey(pending.email), pending.email, input.at);
        ledger.appendSync({ ...input.event, at: input.at, contactId: contact.id, action: 'rectify', detail: { field: 'email' } });
        return { ok: true as const, email: pending.email };
      });
    },
  };
}

export type SessionStore = ReturnType<typeof createSessionStore>;
