import type { Adapter } from 'lucia';
import { and, desc, eq, inArray, isNotNull, isNull, lte, max, ne, sql } from 'drizzle-orm';
import type { Orm } from '../client.ts';
import type { RunInTransaction } from '../write-queue.ts';
import { QueuedSessionAdapter } from './lucia-adapter.ts';
import { auditEvents, operatorSessions, operatorSetupTokens, operators, type AuditEventRow, type OperatorRow, type OperatorSessionRow } from '../schema/index.ts';

export type OperatorRole = OperatorRow['role'];

/** An operator's role, or enabling/disabling them (one at a time: each is its own audit line). */
export type OperatorChange = { role: OperatorRole } | { disabled: boolean };
export type OperatorChangeResult = 'changed' | 'unchanged' | 'missing' | 'last-admin';

/** What a change does to one operator row, and the audit line it writes (the same on both engines). */
export function planOperatorChange(op: OperatorRow, change: OperatorChange, at: number) {
  const role = 'role' in change ? change.role : op.role;
  const disabledAt = 'disabled' in change ? (change.disabled ? (op.disabledAt ?? at) : null) : op.disabledAt;
  const action = 'role' in change ? 'operator.role' : change.disabled ? 'operator.disable' : 'operator.enable';
  return {
    role,
    disabledAt,
    unchanged: role === op.role && disabledAt === op.disabledAt,
    /** An enabled admin stops being one: allowed only while another enabled admin who can sign in remains. */
    losesAdmin: op.role === 'admin' && op.disabledAt === null && (role !== 'admin' || disabledAt !== null),
    endsSessions: disabledAt !== null && op.disabledAt === null,
    audit: { action, detail: 'role' in change ? { from: op.role, to: role } : null },
  };
}

/** One line of the operators' audit log (consent changes go to the ledger instead). */
export interface AuditInput {
  at: number;
  operatorId: string | null;
  action: string;
  target?: string | null;
  detail?: Record<string, unknown> | null;
}

/**
 * Storage for console operators: accounts, lucia's adapter over their own session table (never
 * the subscribers'), single-use setup links and the audit log. Every change is one unit of the
 * write queue and writes its audit line in the same unit.
 */
export function createOperatorStore(orm: Orm, transact: RunInTransaction) {
  const adapter = new QueuedSessionAdapter(orm, transact, operatorSessions, operators);
  const auditSync = (input: AuditInput) =>
    orm.insert(auditEvents).values({ at: input.at, operatorId: input.operatorId, action: input.action, target: input.target ?? null, detail: input.detail ? JSON.stringify(input.detail) : null }).run();

  return {
    /** lucia's adapter for operator sessions (users are operators). */
    luciaAdapter: adapter as Adapter,

    async count(): Promise<number> {
      return orm.select({ n: sql<number>`count(*)` }).from(operators).get()!.n;
    },
    async byId(id: string): Promise<OperatorRow | undefined> {
      return orm.select().from(operators).where(eq(operators.id, id)).get();
    },
    async byEmail(email: string): Promise<OperatorRow | undefined> {
      return orm.select().from(operators).where(eq(operators.email, email)).get();
    },
    async list(): Promise<OperatorRow[]> {
      return orm.select().from(operators).orderBy(operators.email).all();
    },

    /** A new operator (without a password until the setup link is used) and its setup link. */
    create(input: { operator: { id: string; email: string; role: OperatorRole }; at: number; setup: { tokenHash: string; expiresAt: number }; actor: string | null }): Promise<'created' | 'exists'> {
      return transact(() => {
        if (orm.select({ id: operators.id }).from(operators).where(eq(operators.email, input.operator.email)).get()) return 'exists' as const;
        orm.insert(operators).values({ ...input.operator, createdAt: input.at }).run();
        orm.insert(operatorSetupTokens).values({ tokenHash: input.setup.tokenHash, operatorId: input.operator.id, expiresAt: input.setup.expiresAt }).run();
        auditSync({ at: input.at, operatorId: input.actor, action: 'operator.create', target: input.operator.id, detail: { role: input.operator.role } });
        return 'created' as const;
      });
    },

    /**
     * The first-run link, only while there is no operator: earlier first-run links stop working
     * (only the newest one, printed at this start, is valid). False when an operator exists.
     */
    newFirstRunLink(input: { tokenHash: string; expiresAt: number; at: number }): Promise<boolean> {
      return transact(() => {
        if (orm.select({ id: operators.id }).from(operators).limit(1).get()) return false;
        orm.delete(operatorSetupTokens).where(sql`${operatorSetupTokens.operatorId} IS NULL`).run();
        orm.insert(operatorSetupTokens).values({ tokenHash: input.tokenHash, operatorId: null, expiresAt: input.expiresAt }).run();
        return true;
      });
    },

    async setupLink(tokenHash: string, now: number): Promise<{ operator: OperatorRow | null } | undefined> {
      const row = orm.select().from(operatorSetupTokens).where(eq(operatorSetupTokens.tokenHash, tokenHash)).get();
      if (!row || row.expiresAt <= now) return undefined;
      if (row.operatorId === null) return { operator: null };
      const operator = orm.select().from(operators).where(eq(operators.id, row.operatorId)).get();
      return operator ? { operator } : undefined;
    },

    /**
     * Use a setup link once: set the password (creating the first admin for a first-run link).
     * Undefined when the link is unknown, used or expired, or (first run) an operator appeared.
     */
    completeSetup(input: { tokenHash: string; at: number; passwordHash: string; firstRun: { id: string; email: string } }): Promise<OperatorRow | undefined> {
      return transact(() => {
        const row = orm.select().from(operatorSetupTokens).where(eq(operatorSetupTokens.tokenHash, input.tokenHash)).get();
        if (!row || row.expiresAt <= input.at) return undefined;
        orm.delete(operatorSetupTokens).where(eq(operatorSetupTokens.tokenHash, input.tokenHash)).run();
        orm.delete(operatorSetupTokens).where(lte(operatorSetupTokens.expiresAt, input.at)).run();
        let operator: OperatorRow | undefined;
        if (row.operatorId === null) {
          if (orm.select({ id: operators.id }).from(operators).limit(1).get()) return undefined;
          operator = orm.insert(operators).values({ id: input.firstRun.id, email: input.firstRun.email, role: 'admin', passwordHash: input.passwordHash, createdAt: input.at }).returning().get();
        } else {
          operator = orm.update(operators).set({ passwordHash: input.passwordHash }).where(eq(operators.id, row.operatorId)).returning().get();
          if (!operator) return undefined;
          // A new password ends the sessions opened with the old one.
          orm.delete(operatorSessions).where(eq(operatorSessions.userId, operator.id)).run();
        }
        auditSync({ at: input.at, operatorId: operator.id, action: 'operator.setup', target: operator.id });
        return operator;
      });
    },

    /**
     * Change an operator's role, or disable / enable them. Disabling ends their sessions in the
     * same unit (lucia's validation also refuses a disabled operator's session). Never leaves the
     * installation without an enabled admin who can sign in ('last-admin'; nothing changes).
     */
    change(input: { id: string; change: OperatorChange; at: number; actor: string }): Promise<OperatorChangeResult> {
      return transact(() => {
        const op = orm.select().from(operators).where(eq(operators.id, input.id)).get();
        if (!op) return 'missing' as const;
        const plan = planOperatorChange(op, input.change, input.at);
        if (plan.unchanged) return 'unchanged' as const;
        if (plan.losesAdmin) {
          const other = orm.select({ id: operators.id }).from(operators).where(and(eq(operators.role, 'admin'), isNull(operators.disabledAt), isNotNull(operators.passwordHash), ne(operators.id, op.id))).limit(1).get();
          if (!other) return 'last-admin' as const;
        }
        orm.update(operators).set({ role: plan.role, disabledAt: plan.disabledAt }).where(eq(operators.id, op.id)).run();
        if (plan.endsSessions) orm.delete(operatorSessions).where(eq(operatorSessions.userId, op.id)).run();
        auditSync({ at: input.at, operatorId: input.actor, action: plan.audit.action, target: op.id, detail: plan.audit.detail });
        return 'changed' as const;
      });
    },

    /** When each operator last signed in (the audit log's sign-in lines; setting the password signs in too). */
    async lastSignIns(): Promise<Array<{ operatorId: string | null; at: number | null }>> {
      return orm.select({ operatorId: auditEvents.operatorId, at: max(auditEvents.at) }).from(auditEvents).where(inArray(auditEvents.action, ['signin', 'operator.setup'])).groupBy(auditEvents.operatorId).all();
    },

    async sessionsOf(operatorId: string): Promise<OperatorSessionRow[]> {
      return orm.select().from(operatorSessions).where(eq(operatorSessions.userId, operatorId)).orderBy(desc(operatorSessions.createdAt)).all();
    },
    async allSessions(): Promise<Array<OperatorSessionRow & { email: string }>> {
      return orm
        .select({ id: operatorSessions.id, userId: operatorSessions.userId, expiresAt: operatorSessions.expiresAt, createdAt: operatorSessions.createdAt, ipHash: operatorSessions.ipHash, userAgent: operatorSessions.userAgent, email: operators.email })
        .from(operatorSessions)
        .innerJoin(operators, eq(operators.id, operatorSessions.userId))
        .orderBy(desc(operatorSessions.createdAt))
        .all();
    },
    /** End one session; `ownerId` limits it to that operator's own sessions. */
    revokeSession(input: { sessionId: string; ownerId: string | null; at: number; actor: string }): Promise<boolean> {
      return transact(() => {
        const where = input.ownerId ? and(eq(operatorSessions.id, input.sessionId), eq(operatorSessions.userId, input.ownerId)) : eq(operatorSessions.id, input.sessionId);
        const gone = orm.delete(operatorSessions).where(where).run().changes > 0;
        if (gone) auditSync({ at: input.at, operatorId: input.actor, action: 'session.revoke' });
        return gone;
      });
    },

    audit(input: AuditInput): Promise<void> {
      return transact(() => void auditSync(input));
    },
    async recentAudit(limit: number): Promise<Array<AuditEventRow & { email: string | null }>> {
      return orm
        .select({ id: auditEvents.id, at: auditEvents.at, operatorId: auditEvents.operatorId, action: auditEvents.action, target: auditEvents.target, detail: auditEvents.detail, email: operators.email })
        .from(auditEvents)
        .leftJoin(operators, eq(operators.id, auditEvents.operatorId))
        .orderBy(desc(auditEvents.id))
        .limit(limit)
        .all();
    },
  };
}

export type OperatorStore = ReturnType<typeof createOperatorStore>;
