import { and, desc, eq, inArray, isNotNull, isNull, lte, max, ne, sql } from 'drizzle-orm';
import type { Store } from '../../store.ts';
import type { AuditEventRow, OperatorRow, OperatorSessionRow } from '../../schema/index.ts';
import { planOperatorChange, type AuditInput, type OperatorChange, type OperatorChangeResult, type OperatorRole } from '../../stores/operators.ts';
import type { PgStoreDeps } from '../sync.ts';
import type { PgUnit } from '../unit.ts';
import { auditEvents, operatorSessions, operatorSetupTokens, operators } from '../schema/index.ts';
import { PgSessionAdapter } from './lucia-adapter.ts';

/*
 * "No operator yet" decides who may become the first admin: the first-run link, its use, and
 * `operator create` take this advisory lock (two-int key space, keyed by the table's oid), so two
 * instances cannot both see no operator and both create one.
 */
const FIRST_RUN_LOCK = `SELECT pg_advisory_xact_lock('operators'::regclass::oid::int, 0)`;

/** The operator store on PostgreSQL: the same behaviour as src/db/stores/operators.ts. */
export function createPgOperatorStore(deps: PgStoreDeps): Store['operators'] {
  const { orm, transact } = deps;
  const adapter = new PgSessionAdapter(orm, transact, operatorSessions, operators);
  const audit = async (unit: PgUnit, input: AuditInput) =>
    void (await unit.orm.insert(auditEvents).values({ at: input.at, operatorId: input.operatorId, action: input.action, target: input.target ?? null, detail: input.detail ? JSON.stringify(input.detail) : null }));
  const anyOperator = async (unit: PgUnit) => (await unit.orm.select({ id: operators.id }).from(operators).limit(1)).length > 0;

  return {
    // The Store's type names the SQLite adapter class; core uses it only as lucia's Adapter, which this implements.
    luciaAdapter: adapter,

    async count(): Promise<number> {
      const [row] = await orm.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(operators);
      return row!.n;
    },
    async byId(id: string): Promise<OperatorRow | undefined> {
      const [row] = await orm.select().from(operators).where(eq(operators.id, id));
      return row;
    },
    async byEmail(email: string): Promise<OperatorRow | undefined> {
      const [row] = await orm.select().from(operators).where(eq(operators.email, email));
      return row;
    },
    async list(): Promise<OperatorRow[]> {
      return orm.select().from(operators).orderBy(operators.email);
    },

    /** As on SQLite; the unique email decides between two instances (ON CONFLICT DO NOTHING). */
    create(input: { operator: { id: string; email: string; role: OperatorRole }; at: number; setup: { tokenHash: string; expiresAt: number }; actor: string | null }): Promise<'created' | 'exists'> {
      return transact(async (unit) => {
        await unit.query(FIRST_RUN_LOCK);
        const [created] = await unit.orm.insert(operators).values({ ...input.operator, createdAt: input.at }).onConflictDoNothing().returning({ id: operators.id });
        if (!created) return 'exists' as const;
        await unit.orm.insert(operatorSetupTokens).values({ tokenHash: input.setup.tokenHash, operatorId: input.operator.id, expiresAt: input.setup.expiresAt });
        await audit(unit, { at: input.at, operatorId: input.actor, action: 'operator.create', target: input.operator.id, detail: { role: input.operator.role } });
        return 'created' as const;
      });
    },

    /** As on SQLite: only while there is no operator, and only the newest first-run link is valid. */
    newFirstRunLink(input: { tokenHash: string; expiresAt: number; at: number }): Promise<boolean> {
      return transact(async (unit) => {
        await unit.query(FIRST_RUN_LOCK);
        if (await anyOperator(unit)) return false;
        await unit.orm.delete(operatorSetupTokens).where(isNull(operatorSetupTokens.operatorId));
        await unit.orm.insert(operatorSetupTokens).values({ tokenHash: input.tokenHash, operatorId: null, expiresAt: input.expiresAt });
        return true;
      });
    },

    async setupLink(tokenHash: string, now: number): Promise<{ operator: OperatorRow | null } | undefined> {
      const [row] = await orm.select().from(operatorSetupTokens).where(eq(operatorSetupTokens.tokenHash, tokenHash));
      if (!row || row.expiresAt <= now) return undefined;
      if (row.operatorId === null) return { operator: null };
      const [operator] = await orm.select().from(operators).where(eq(operators.id, row.operatorId));
      return operator ? { operator } : undefined;
    },

    /**
     * As on SQLite. The link is taken by DELETE … RETURNING, so of two instances using it at once
     * only one gets it (the other waits for the row and finds it gone): single use everywhere.
     */
    completeSetup(input: { tokenHash: string; at: number; passwordHash: string; firstRun: { id: string; email: string } }): Promise<OperatorRow | undefined> {
      return transact(async (unit) => {
        // The lock first, as everywhere it is taken (a first-run link's row locked before it would invite deadlocks).
        await unit.query(FIRST_RUN_LOCK);
        const [row] = await unit.orm.delete(operatorSetupTokens).where(eq(operatorSetupTokens.tokenHash, input.tokenHash)).returning();
        // An expired link goes as well: the sweep below would remove it anyway.
        if (!row || row.expiresAt <= input.at) return undefined;
        await unit.orm.delete(operatorSetupTokens).where(lte(operatorSetupTokens.expiresAt, input.at));
        let operator: OperatorRow | undefined;
        if (row.operatorId === null) {
          if (await anyOperator(unit)) return undefined;
          [operator] = await unit.orm.insert(operators).values({ id: input.firstRun.id, email: input.firstRun.email, role: 'admin', passwordHash: input.passwordHash, createdAt: input.at }).returning();
        } else {
          [operator] = await unit.orm.update(operators).set({ passwordHash: input.passwordHash }).where(eq(operators.id, row.operatorId)).returning();
          if (!operator) return undefined;
          // A new password ends the sessions opened with the old one.
          await unit.orm.delete(operatorSessions).where(eq(operatorSessions.userId, operator.id));
        }
        await audit(unit, { at: input.at, operatorId: operator!.id, action: 'operator.setup', target: operator!.id });
        return operator;
      });
    },

    /**
     * As on SQLite. Under the operators lock: two instances demoting or disabling the last two
     * admins at once take turns, so the second sees the first's change and is refused.
     */
    change(input: { id: string; change: OperatorChange; at: number; actor: string }): Promise<OperatorChangeResult> {
      return transact(async (unit) => {
        await unit.query(FIRST_RUN_LOCK);
        const [op] = await unit.orm.select().from(operators).where(eq(operators.id, input.id));
        if (!op) return 'missing' as const;
        const plan = planOperatorChange(op, input.change, input.at);
        if (plan.unchanged) return 'unchanged' as const;
        if (plan.losesAdmin) {
          const other = await unit.orm.select({ id: operators.id }).from(operators).where(and(eq(operators.role, 'admin'), isNull(operators.disabledAt), isNotNull(operators.passwordHash), ne(operators.id, op.id))).limit(1);
          if (other.length === 0) return 'last-admin' as const;
        }
        await unit.orm.update(operators).set({ role: plan.role, disabledAt: plan.disabledAt }).where(eq(operators.id, op.id));
        if (plan.endsSessions) await unit.orm.delete(operatorSessions).where(eq(operatorSessions.userId, op.id));
        await audit(unit, { at: input.at, operatorId: input.actor, action: plan.audit.action, target: op.id, detail: plan.audit.detail });
        return 'changed' as const;
      });
    },

    async lastSignIns(): Promise<Array<{ operatorId: string | null; at: number | null }>> {
      return orm.select({ operatorId: auditEvents.operatorId, at: max(auditEvents.at) }).from(auditEvents).where(inArray(auditEvents.action, ['signin', 'operator.setup'])).groupBy(auditEvents.operatorId);
    },

    async sessionsOf(operatorId: string): Promise<OperatorSessionRow[]> {
      return orm.select().from(operatorSessions).where(eq(operatorSessions.userId, operatorId)).orderBy(desc(operatorSessions.createdAt));
    },
    async allSessions(): Promise<Array<OperatorSessionRow & { email: string }>> {
      return orm
        .select({ id: operatorSessions.id, userId: operatorSessions.userId, expiresAt: operatorSessions.expiresAt, createdAt: operatorSessions.createdAt, ipHash: operatorSessions.ipHash, userAgent: operatorSessions.userAgent, email: operators.email })
        .from(operatorSessions)
        .innerJoin(operators, eq(operators.id, operatorSessions.userId))
        .orderBy(desc(operatorSessions.createdAt));
    },
    /** End one session; `ownerId` limits it to that operator's own sessions. */
    revokeSession(input: { sessionId: string; ownerId: string | null; at: number; actor: string }): Promise<boolean> {
      return transact(async (unit) => {
        const where = input.ownerId ? and(eq(operatorSessions.id, input.sessionId), eq(operatorSessions.userId, input.ownerId)) : eq(operatorSessions.id, input.sessionId);
        const gone = (await unit.orm.delete(operatorSessions).where(where).returning({ id: operatorSessions.id })).length > 0;
        if (gone) await audit(unit, { at: input.at, operatorId: input.actor, action: 'session.revoke' });
        return gone;
      });
    },

    audit(input: AuditInput): Promise<void> {
      return transact((unit) => audit(unit, input));
    },
    async recentAudit(limit: number): Promise<Array<AuditEventRow & { email: string | null }>> {
      return orm
        .select({ id: auditEvents.id, at: auditEvents.at, operatorId: auditEvents.operatorId, action: auditEvents.action, target: auditEvents.target, detail: auditEvents.detail, email: operators.email })
        .from(auditEvents)
        .leftJoin(operators, eq(operators.id, auditEvents.operatorId))
        .orderBy(desc(auditEvents.id))
        .limit(limit);
    },
  };
}
