import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Store } from '../../store.ts';
import type { AuditEventRow, PrivacyRequestRow } from '../../schema/index.ts';
import { OPEN_REQUEST_STATUSES, type PrivacyRequestStatus } from '../../stores/privacy-requests.ts';
import type { AuditInput } from '../../stores/operators.ts';
import type { PgStoreDeps } from '../sync.ts';
import type { PgUnit } from '../unit.ts';
import { auditEvents, operators, privacyRequests } from '../schema/index.ts';

/**
 * The privacy-request store on PostgreSQL: as src/db/stores/privacy-requests.ts. A step is a
 * conditional UPDATE … WHERE status IN (…) RETURNING, so of two instances moving one request
 * at once only one does.
 */
export function createPgPrivacyRequestStore(deps: PgStoreDeps): Store['privacyRequests'] {
  const { orm, transact } = deps;
  const audit = async (unit: PgUnit, input: AuditInput) =>
    void (await unit.orm.insert(auditEvents).values({ at: input.at, operatorId: input.operatorId, action: input.action, target: input.target ?? null, detail: input.detail ? JSON.stringify(input.detail) : null }));
  const open = inArray(privacyRequests.status, [...OPEN_REQUEST_STATUSES]);

  return {
    create(row, input) {
      return transact(async (unit) => {
        const [created] = await unit.orm.insert(privacyRequests).values(row).returning();
        if (input) await audit(unit, input);
        return created! as PrivacyRequestRow;
      });
    },
    async byId(id) {
      const [row] = await orm.select().from(privacyRequests).where(eq(privacyRequests.id, id));
      return row;
    },
    async list(filter: { status?: PrivacyRequestStatus | undefined; overdueAt?: number | undefined; limit: number; offset?: number | undefined }) {
      const where = filter.overdueAt !== undefined ? and(open, lt(privacyRequests.dueAt, filter.overdueAt)) : filter.status ? eq(privacyRequests.status, filter.status) : undefined;
      return orm
        .select()
        .from(privacyRequests)
        .where(where)
        .orderBy(sql`CASE WHEN ${open} THEN 0 ELSE 1 END`, sql`CASE WHEN ${open} THEN ${privacyRequests.dueAt} END`, desc(privacyRequests.receivedAt), asc(privacyRequests.id))
        .limit(filter.limit)
        .offset(filter.offset ?? 0);
    },
    async countOverdue(now) {
      const [row] = await orm.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(privacyRequests).where(and(open, lt(privacyRequests.dueAt, now)));
      return row!.n;
    },
    step(input) {
      return transact(async (unit) => {
        const [row] = await unit.orm
          .update(privacyRequests)
          .set(input.set)
          .where(and(eq(privacyRequests.id, input.id), inArray(privacyRequests.status, [...input.from])))
          .returning();
        if (row) await audit(unit, input.audit);
        return row;
      });
    },
    async history(id): Promise<Array<AuditEventRow & { email: string | null }>> {
      return orm
        .select({ id: auditEvents.id, at: auditEvents.at, operatorId: auditEvents.operatorId, action: auditEvents.action, target: auditEvents.target, detail: auditEvents.detail, email: operators.email })
        .from(auditEvents)
        .leftJoin(operators, eq(operators.id, auditEvents.operatorId))
        .where(eq(auditEvents.target, id))
        .orderBy(asc(auditEvents.id));
    },
  };
}
