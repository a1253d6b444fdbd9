import { DrizzleSQLiteAdapter, type SQLiteSessionTable, type SQLiteUserTable } from '@lucia-auth/adapter-drizzle';
import type { DatabaseSession, DatabaseUser } from 'lucia';
import { eq, lte, sql } from 'drizzle-orm';
import type { Orm } from '../client.ts';
import type { RunInTransaction } from '../write-queue.ts';

/**
 * lucia's drizzle adapter over one session table and its users (subscribers' sessions over
 * contacts, operators' over operators), with two changes. The one read every page makes
 * (session and user by id) is a prepared join: the stock adapter builds and prepares two
 * queries per request, which cost more than rendering the page. Its writes (create, extend,
 * delete) are units of the write queue like every other write of the store.
 */
export class QueuedSessionAdapter extends DrizzleSQLiteAdapter {
  private readonly sessionAndUser;

  constructor(
    private readonly orm: Orm,
    private readonly transact: RunInTransaction,
    private readonly sessions: SQLiteSessionTable,
    users: SQLiteUserTable,
  ) {
    super(orm, sessions, users);
    this.sessionAndUser = orm
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(sessions.userId, users.id))
      .where(eq(sessions.id, sql.placeholder('id')))
      .prepare();
  }

  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const row = this.sessionAndUser.get({ id: sessionId }) as { session: Record<string, unknown>; user: Record<string, unknown> } | undefined;
    if (!row) return [null, null];
    const { id, userId, expiresAt, ...sessionAttributes } = row.session as { id: string; userId: string; expiresAt: number };
    const { id: uid, ...userAttributes } = row.user as { id: string };
    return [
      { id, userId, expiresAt: new Date(expiresAt * 1000), attributes: sessionAttributes },
      { id: uid, attributes: userAttributes },
    ];
  }

  override async setSession(session: DatabaseSession): Promise<void> {
    const row = { id: session.id, userId: session.userId, expiresAt: Math.floor(session.expiresAt.getTime() / 1000), ...session.attributes };
    await this.transact(() => this.orm.insert(this.sessions).values(row as never).run());
  }

  override async updateSessionExpiration(sessionId: string, expiresAt: Date): Promise<void> {
    await this.transact(() => this.orm.update(this.sessions).set({ expiresAt: Math.floor(expiresAt.getTime() / 1000) } as never).where(eq(this.sessions.id, sessionId)).run());
  }

  override async deleteSession(sessionId: string): Promise<void> {
    await this.transact(() => this.orm.delete(this.sessions).where(eq(this.sessions.id, sessionId)).run());
  }

  override async deleteUserSessions(userId: string): Promise<void> {
    await this.transact(() => this.orm.delete(this.sessions).where(eq(this.sessions.userId, userId)).run());
  }

  override async deleteExpiredSessions(): Promise<void> {
    const now = Math.floor(Date.now() / 1000);
    await this.transact(() => this.orm.delete(this.sessions).where(lte(this.sessions.expiresAt, now)).run());
  }
}
