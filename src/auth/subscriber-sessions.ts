import { Lucia, TimeSpan, type Adapter } from 'lucia';
import type { ContactRow } from '../db/store.ts';

/**
 * Subscriber sessions of the preference center, on lucia v3. Kept behind this small interface
 * so lucia (unmaintained after v3) can be swapped without touching routes. The admin console
 * gets its own cookie and table: a subscriber session can never act as an admin.
 *
 * A session opened by a footer link (`/p/:token`) is weak (a mail may have been forwarded):
 * `verifiedAt` is null. A session opened by a sign-in link mailed to the address carries when
 * that happened; preference-auth.ts allows history, download, address change and erasure only
 * while it is recent.
 */
const SUBSCRIBER_COOKIE = 'optbox_prefs';

export interface SubscriberSession {
  id: string;
  contactId: string;
  verifiedAt: number | null;
  /** True when lucia extended the idle expiry: the cookie must be sent again. */
  fresh: boolean;
}

export interface SubscriberAuth {
  /** A new session for a contact; the Set-Cookie header value to send. */
  start(contactId: string, verifiedAt: number | null): Promise<{ session: SubscriberSession; cookie: string }>;
  /** The session named by a Cookie header, or null (and a blank cookie to clear a stale one). */
  validate(cookieHeader: string | undefined): Promise<{ session: SubscriberSession; contact: ContactRow; cookie?: string } | { session: null; cookie?: string }>;
  /** Sign out: the session row goes, and the cookie to send clears the browser's. */
  end(sessionId: string): Promise<string>;
}

interface DbSessionAttributes {
  verifiedAt: number | null;
}

export function createSubscriberAuth(adapter: Adapter, options: { secure: boolean; idleMinutes: number }): SubscriberAuth {
  const lucia = new Lucia(adapter, {
    // Idle expiry: lucia moves the expiry forward when half of it has passed.
    sessionExpiresIn: new TimeSpan(options.idleMinutes, 'm'),
    sessionCookie: {
      name: SUBSCRIBER_COOKIE,
      // The cookie expires with the session (lucia sends a new one when it extends the session);
      // `expires: false` would make it a 400-day cookie.
      expires: true,
      attributes: { secure: options.secure, sameSite: 'lax', path: '/' },
    },
    getSessionAttributes: (a: object) => ({ verifiedAt: (a as DbSessionAttributes).verifiedAt ?? null }),
    getUserAttributes: (a: unknown) => a as Omit<ContactRow, 'id'>,
  });
  // Scanners open /p/ links too: sweep expired rows now and then, not per request.
  let startsSinceSweep = 0;
  const sweep = () => lucia.deleteExpiredSessions();

  const view = (s: { id: string; userId: string; fresh: boolean } & Record<string, unknown>): SubscriberSession => ({
    id: s.id,
    contactId: s.userId,
    verifiedAt: (s.verifiedAt as number | null | undefined) ?? null,
    fresh: s.fresh,
  });

  return {
    async start(contactId, verifiedAt) {
      if (++startsSinceSweep >= 100) {
        startsSinceSweep = 0;
        void sweep().catch(() => {});
      }
      const session = await lucia.createSession(contactId, { verifiedAt } as never);
      return { session: view(session as never), cookie: lucia.createSessionCookie(session.id).serialize() };
    },
    async validate(cookieHeader) {
      const id = lucia.readSessionCookie(cookieHeader ?? '');
      if (!id) return { session: null };
      const { session, user } = await lucia.validateSession(id);
      if (!session || !user) return { session: null, cookie: lucia.createBlankSessionCookie().serialize() };
      const contact = { ...(user as unknown as Omit<ContactRow, 'id'>), id: user.id } as ContactRow;
      return { session: view(session as never), contact, ...(session.fresh ? { cookie: lucia.createSessionCookie(session.id).serialize() } : {}) };
    },
    async end(sessionId) {
      await lucia.invalidateSession(sessionId);
      return lucia.createBlankSessionCookie().serialize();
    },
  };
}
