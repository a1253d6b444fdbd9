import type { Adapter, DatabaseSession, DatabaseUser } from 'lucia';
import { eq, getTableName, lte, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { PgOrm } from '../client.ts';
import type { PgTransact } from '../unit.ts';

/** A session table lucia's way: id, the user's id, expiry in seconds, then attributes. */
export type PgSessionTable = PgTable & { id: PgColumn; userId: PgColumn; expiresAt: PgColumn };
export type PgUserTable = PgTable & { id: PgColumn };

/**
 * lucia v3's adapter over one session table and its users, as on SQLite (src/db/stores/lucia-adapter.ts):
 * the read every page makes (session and user by id) is one prepared join, and the writes are
 * units of the write queue like every other write of the store.
 */
export class PgSessionAdapter implements Adapter {
  private readonly sessionAndUser;

  constructor(
    private readonly orm: PgOrm,
    private readonly transact: PgTransact,
    private readonly sessions: PgSessionTable,
    users: PgUserTable,
  ) {
    // Prepared per connection under a name of its own per table, so the two adapters never share one.
    this.sessionAndUser = orm
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(sessions.userId, users.id))
      .where(eq(sessions.id, sql.placeholder('id')))
      .prepare(`optbox_session_and_user_${getTableName(sessions)}`);
  }

  async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = (await this.sessionAndUser.execute({ id: sessionId })) as Array<{ session: Record<string, unknown>; user: Record<string, unknown> }>;
    if (!row) return [null, null];
    const { id: uid, ...userAttributes } = row.user as { id: string };
    return [toSession(row.session), { id: uid, attributes: userAttributes }];
  }

  async getUserSessions(userId: string): Promise<DatabaseSession[]> {
    const rows = (await this.orm.select().from(this.sessions).where(eq(this.sessions.userId, userId))) as Array<Record<string, unknown>>;
    return rows.map(toSession);
  }

  async setSession(session: DatabaseSession): Promise<void> {
    const row = { id: session.id, userId: session.userId, expiresAt: Math.floor(session.expiresAt.getTime() / 1000), ...session.attributes };
    await this.transact(async (unit) => void (await unit.orm.insert(this.sessions).values(row as never)));
  }

  async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await this.transact(async (unit) => void (await unit.orm.update(this.sessions).set({ expiresAt: Math.floor(expiresAt.getTime() / 1000) } as never).where(eq(this.sessions.id, sessionId))));
  }

  async deleteSession(sessionId: string): Promise<void> {
    await this.transact(async (unit) => void (await unit.orm.delete(this.sessions).where(eq(this.sessions.id, sessionId))));
  }

  async deleteUserSessions(userId: string): Promise<void> {
    await this.transact(async (unit) => void (await unit.orm.delete(this.sessions).where(eq(this.sessions.userId, userId))));
  }

  async deleteExpiredSessions(): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    await this.transact(async (unit) => void (await unit.orm.delete(this.sessions).where(lte(this.sessions.expiresAt, now))));
  }
}

function toSession(row: Record<string, unknown>): DatabaseSession {
  const { id, userId, expiresAt, ...attributes } = row as { id: string; userId: string; expiresAt: number };
  return { id, userId, expiresAt: new Date(expiresAt * 1000), attributes };
}
