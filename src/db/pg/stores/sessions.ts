import { and, eq, ne } from 'drizzle-orm';
import type { Store } from '../../store.ts';
import type { PgStoreDeps, PgSuppressionSync } from '../sync.ts';
import { contactAddresses, contacts, pendingEmailChanges, subscriberSessions, usedLinkTokens } from '../schema/index.ts';
import { PgSessionAdapter } from './lucia-adapter.ts';
import { lost, unlessUnique } from './unique-guard.ts';

type SessionStore = Store['sessions'];

// Sweeps of expired rows skip rows another unit holds (SKIP LOCKED): a sweep on one instance
// never waits for another's; what it skips goes at a later sweep, and is refused by its expiry meanwhile.
const SWEEP_USED = 'DELETE FROM used_link_tokens WHERE jti IN (SELECT jti FROM used_link_tokens WHERE expires_at <= $1 AND jti <> $2 FOR UPDATE SKIP LOCKED)';
const SWEEP_PENDING = 'DELETE FROM pending_email_changes WHERE jti IN (SELECT jti FROM pending_email_changes WHERE expires_at <= $1 FOR UPDATE SKIP LOCKED)';

/** The preference center's sign-in storage on PostgreSQL: the same behaviour as src/db/stores/sessions.ts. */
export function createPgSessionStore(deps: PgStoreDeps, suppressions: PgSuppressionSync): SessionStore {
  const { transact } = deps;
  const adapter = new PgSessionAdapter(deps.orm, transact, subscriberSessions, contacts);

  return {
    /**
     * lucia's adapter for subscriber sessions (users are contacts). The Store's type names the
     * SQLite adapter class; core uses it only as lucia's Adapter, which this implements.
     */
    luciaAdapter: adapter,

    /**
     * Mark a single-use link id as used; false when it already was. Single use on every instance:
     * the primary key decides (a second INSERT waits for the first's commit and inserts nothing).
     * Expired ids are swept in the same unit, but never the one just used (as on SQLite, where it
     * is inserted after the sweep).
     */
    useOnce(jti: string, expiresAt: number, now: number): Promise<boolean> {
      return transact(async (unit) => {
        const fresh = await unit.query('INSERT INTO used_link_tokens (jti, expires_at) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING jti', [jti, expiresAt]);
        if (fresh.length === 0) return false;
        await unit.query(SWEEP_USED, [now, jti]);
        return true;
      });
    },

    /** Keep a requested address change until its confirmation link is followed. */
    addPendingEmail(input) {
      return transact(async (unit) => {
        await unit.query(SWEEP_PENDING, [input.now]);
        await unit.orm.insert(pendingEmailChanges).values({ jti: input.jti, contactId: input.contactId, email: input.email, expiresAt: input.expiresAt });
      });
    },

    /**
     * Follow an address-change link as one unit, as on SQLite. The pending row and the contact are
     * locked first, so the same link followed on two instances at once succeeds once (the second
     * finds the pending row gone: unknown); an address another contact takes meanwhile is `taken`.
     */
    confirmEmail(input) {
      return transact(async (unit): ReturnType<SessionStore['confirmEmail']> => {
        const { orm } = unit;
        const [pending] = await orm
          .select()
          .from(pendingEmailChanges)
          .where(and(eq(pendingEmailChanges.jti, input.jti), eq(pendingEmailChanges.contactId, input.contactId)))
          .for('update');
        if (!pending || pending.expiresAt <= input.at) return { ok: false, why: 'unknown' };
        const [contact] = await orm.select().from(contacts).where(eq(contacts.id, input.contactId)).for('update');
        if (!contact || contact.status === 'erased') return { ok: false, why: 'erased' };
        const [owner] = await orm.select({ id: contacts.id }).from(contacts).where(eq(contacts.email, pending.email));
        if (owner && owner.id !== contact.id) return { ok: false, why: 'taken' };
        // First of the writes, so a lost race leaves nothing written.
        const moved = await unlessUnique(unit, () => orm.update(contacts).set({ email: pending.email, linksIssuedAfter: input.at, updatedAt: input.at }).where(eq(contacts.id, contact.id)));
        if (moved === lost) return { ok: false, why: 'taken' };
        await orm.delete(pendingEmailChanges).where(eq(pendingEmailChanges.jti, input.jti));
        await orm.insert(usedLinkTokens).values({ jti: input.jti, expiresAt: pending.expiresAt }).onConflictDoNothing();
        await orm.insert(contactAddresses).values({ contactId: contact.id, addressKey: input.oldKey, email: input.oldEmail, replacedAt: input.at });
        await orm
          .delete(subscriberSessions)
          .where(and(eq(subscriberSessions.userId, contact.id), input.keepSessionId ? ne(subscriberSessions.id, input.keepSessionId) : undefined));
        await suppressions.moveAddress(unit, input.oldKey, input.newKey(pending.email), pending.email, input.at);
        unit.appendLedger({ ...input.event, at: input.at, contactId: contact.id, action: 'rectify', detail: { field: 'email' } });
        return { ok: true, email: pending.email };
      });
    },
  };
}

