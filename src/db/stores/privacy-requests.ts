import { and, asc, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Orm } from '../client.ts';
import type { RunInTransaction } from '../write-queue.ts';
import { auditEvents, operators, privacyRequests, type AuditEventRow, type PrivacyRequestRow } from '../schema/index.ts';
import type { AuditInput } from './operators.ts';

export type PrivacyRequestStatus = PrivacyRequestRow['status'];
export type PrivacyRequestInsert = typeof privacyRequests.$inferInsert;
/** Columns a step may set (never the id, kind or receipt). */
export type PrivacyRequestChange = Partial<Omit<PrivacyRequestInsert, 'id' | 'kind' | 'receivedAt' | 'channel'>>;

/** Not yet answered: the art. 12(3) deadline runs for these. */
export const OPEN_REQUEST_STATUSES: readonly PrivacyRequestStatus[] = ['awaiting-verification', 'verified'];

/**
 * Privacy requests and their steps. Every step is one unit that writes its audit line with it,
 * and moves the request only from the statuses it names (a conditional UPDATE), so two
 * operators acting at once cannot both fulfil or close one request.
 */
export function createPrivacyRequestStore(orm: Orm, transact: RunInTransaction) {
  const auditSync = (input: AuditInput) =>
    orm.insert(auditEvents).values({ at: input.at, operatorId: input.operatorId, action: input.action, target: input.target ?? null, detail: input.detail ? JSON.stringify(input.detail) : null }).run();
  const open = inArray(privacyRequests.status, [...OPEN_REQUEST_STATUSES]);

  return {
    create(row: PrivacyRequestInsert, audit: AuditInput | null): Promise<PrivacyRequestRow> {
      return transact(() => {
        const created = orm.insert(privacyRequests).values(row).returning().get();
        if (audit) auditSync(audit);
        return created;
      });
    },
    async byId(id: string): Promise<PrivacyRequestRow | undefined> {
      return orm.select().from(privacyRequests).where(eq(privacyRequests.id, id)).get();
    },
    /** Open ones first, soonest due (so overdue) first; then the answered ones, newest first. */
    async list(filter: { status?: PrivacyRequestStatus | undefined; overdueAt?: number | undefined; limit: number; offset?: number | undefined }): Promise<PrivacyRequestRow[]> {
      const where = filter.overdueAt !== undefined ? and(open, lt(privacyRequests.dueAt, filter.overdueAt)) : filter.status ? eq(privacyRequests.status, filter.status) : undefined;
      return orm
        .select()
        .from(privacyRequests)
        .where(where)
        .orderBy(sql`CASE WHEN ${open} THEN 0 ELSE 1 END`, sql`CASE WHEN ${open} THEN ${privacyRequests.dueAt} END`, desc(privacyRequests.receivedAt), asc(privacyRequests.id))
        .limit(filter.limit)
        .offset(filter.offset ?? 0)
        .all();
    },
    async countOverdue(now: number): Promise<number> {
      return orm.select({ n: sql<number>`count(*)` }).from(privacyRequests).where(and(open, lt(privacyRequests.dueAt, now))).get()!.n;
    },
    /** One step: the new columns, only when the request is in one of `from`; undefined otherwise. */
    step(input: { id: string; from: readonly PrivacyRequestStatus[]; set: PrivacyRequestChange; audit: AuditInput }): Promise<PrivacyRequestRow | undefined> {
      return transact(() => {
        const row = orm
          .update(privacyRequests)
          .set(input.set)
          .where(and(eq(privacyRequests.id, input.id), inArray(privacyRequests.status, [...input.from])))
          .returning()
          .get();
        if (row) auditSync(input.audit);
        return row;
      });
    },
    /** The audit lines about one request, oldest first, with the operator's address. */
    async history(id: string): Promise<Array<AuditEventRow & { email: string | null }>> {
      return orm
        .select({ id: auditEvents.id, at: auditEvents.at, operatorId: auditEvents.operatorId, action: auditEvents.action, target: auditEvents.target, detail: auditEvents.detail, email: operators.email })
        .from(auditEvents)
        .leftJoin(operators, eq(operators.id, auditEvents.operatorId))
        .where(eq(auditEvents.target, id))
        .orderBy(asc(auditEvents.id))
        .all();
    },
  };
}

export type PrivacyRequestStore = ReturnType<typeof createPrivacyRequestStore>;
