import { Lucia, TimeSpan, type Adapter } from 'lucia';
import type { OperatorRole } from '../db/store.ts';

/**
 * Console sessions, on lucia v3 like the preference center's, but their own table, their own
 * cookie (`optbox_admin`, path /admin, SameSite=Strict) and their own users: a subscriber's
 * `optbox_prefs` session is never read here, so it can never reach /admin.
 *
 * Two expiries: idle (lucia moves it forward while the operator works) and absolute (counted
 * from sign-in, checked here): a stolen cookie does not live forever by being used.
 */
export const OPERATOR_COOKIE = 'optbox_admin';

export interface OperatorSession {
  id: string;
  operatorId: string;
  email: string;
  role: OperatorRole;
  createdAt: number;
}

export interface OperatorAuth {
  start(operatorId: string, attributes: { createdAt: number; ipHash: string | null; userAgent: string | null }): Promise<{ cookie: string }>;
  /** The operator session named by a Cookie header, or null (with a blank cookie to clear a stale one). */
  validate(cookieHeader: string | undefined, now: number): Promise<{ session: OperatorSession | null; cookie?: string }>;
  end(sessionId: string): Promise<string>;
}

export function createOperatorAuth(adapter: Adapter, options: { secure: boolean; idleMinutes: number; absoluteHours: number }): OperatorAuth {
  const lucia = new Lucia(adapter, {
    sessionExpiresIn: new TimeSpan(options.idleMinutes, 'm'),
    sessionCookie: {
      name: OPERATOR_COOKIE,
      expires: true,
      attributes: { secure: options.secure, sameSite: 'strict', path: '/admin' },
    },
    getSessionAttributes: (a: object) => a as { createdAt: number },
    getUserAttributes: (a: unknown) => {
      const u = a as { email: string; role: OperatorRole; disabledAt: number | null };
      return { email: u.email, role: u.role, disabledAt: u.disabledAt };
    },
  });
  const absoluteMs = options.absoluteHours * 3_600_000;
  const blank = () => lucia.createBlankSessionCookie().serialize();

  return {
    async start(operatorId, attributes) {
      const session = await lucia.createSession(operatorId, attributes as never);
      return { cookie: lucia.createSessionCookie(session.id).serialize() };
    },
    async validate(cookieHeader, now) {
      const id = lucia.readSessionCookie(cookieHeader ?? '');
      if (!id) return { session: null };
      const { session, user } = await lucia.validateSession(id);
      if (!session || !user) return { session: null, cookie: blank() };
      const attrs = session as unknown as { createdAt: number };
      const u = user as unknown as { email: string; role: OperatorRole; disabledAt: number | null };
      if (u.disabledAt !== null || now - attrs.createdAt >= absoluteMs) {
        await lucia.invalidateSession(session.id);
        return { session: null, cookie: blank() };
      }
      return {
        session: { id: session.id, operatorId: user.id, email: u.email, role: u.role, createdAt: attrs.createdAt },
        ...(session.fresh ? { cookie: lucia.createSessionCookie(session.id).serialize() } : {}),
      };
    },
    async end(sessionId) {
      await lucia.invalidateSession(sessionId);
      return blank();
    },
  };
}
