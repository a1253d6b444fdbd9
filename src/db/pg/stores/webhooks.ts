import { randomBytes } from 'node:crypto';
import { and, asc, count, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { iso } from '../../../format/time.ts';
import type { Store } from '../../store.ts';
import type { WebhookAttemptRow, WebhookDeliveryRow, WebhookEndpointRow } from '../../schema/index.ts';
import { isRetryableDelivery, type AttemptOutcome, type DueDelivery, type EmitInput, type EndpointLimits, type RetryOutcome } from '../../stores/webhooks.ts';
import type { PgStoreDeps, PgWebhookSync } from '../sync.ts';
import type { PgUnit } from '../unit.ts';
import { webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents } from '../schema/index.ts';

/**
 * How long a delivery taken by an instance is left to it. Longer than any attempt can take
 * (WEBHOOK_TIMEOUT_MS is at most 60 s in src/config.ts, and recording it is one write), so no
 * other instance sends it meanwhile (were one ever that late, the receiver gets it twice under
 * one `webhook-id`, as delivery at least once allows); short enough that the deliveries of an
 * instance that died go out from another one soon after.
 */
export const WEBHOOK_LEASE_MS = 2 * 60_000;

// Counting endpoints and then adding one: instances take turns on this lock (two-int key space,
// keyed by the table's oid), so two of them cannot pass a bound together.
const ENDPOINT_BOUND_LOCK = `SELECT pg_advisory_xact_lock('webhook_endpoints'::regclass::oid::int, 0)`;

// Who listens is read in the unit itself (another instance may have added an endpoint a moment
// ago), by a plain statement: most changes have no listener, and a one-statement CTE costs its
// planning on every call. Then the event and its deliveries in one statement.
const LISTENERS = 'SELECT id, events FROM webhook_endpoints ORDER BY created_at, id';
const EMIT = `
  WITH event AS (
    INSERT INTO webhook_events (id, type, payload, address_key, contact_id, created_at)
    VALUES ($1, $2, $3, $4, $5, $6) RETURNING id)
  INSERT INTO webhook_deliveries (endpoint_id, event_id, state, attempts, next_attempt_at, created_at)
  SELECT t.id, event.id, 'pending', 0, $6, $6 FROM unnest($7::text[]) WITH ORDINALITY AS t(id, n) CROSS JOIN event ORDER BY t.n`;

// Endpoints that may be sent to now. A failing one (it gets one probe at a time) is locked, SKIP
// LOCKED: while one instance takes its probe, the others pass it by. NO KEY UPDATE, the lock an
// UPDATE of it takes, so emits (whose deliveries reference it) need not wait for the claim.
const AWAKE = `
  WITH failing AS (
    SELECT id, failing_since FROM webhook_endpoints
    WHERE failing_since IS NOT NULL AND (paused_until IS NULL OR paused_until <= $1)
    FOR NO KEY UPDATE SKIP LOCKED)
  SELECT id, failing_since AS "failingSince" FROM webhook_endpoints WHERE failing_since IS NULL AND (paused_until IS NULL OR paused_until <= $1)
  UNION ALL SELECT id, failing_since FROM failing`;

// Each endpoint's due deliveries, oldest first, up to its own limit (index
// webhook_deliveries_endpoint_due), locked SKIP LOCKED: rows another instance is taking right
// now are passed by, not waited for.
const CLAIM = `
  SELECT d.id, d.endpoint_id AS "endpointId", d.attempts, d.next_attempt_at AS "nextAttemptAt", e.id AS "eventId", e.payload, p.url, p.secret
  FROM unnest($1::text[], $2::int[]) AS a(endpoint_id, n)
  CROSS JOIN LATERAL (
    SELECT id, endpoint_id, event_id, attempts, next_attempt_at FROM webhook_deliveries
    WHERE endpoint_id = a.endpoint_id AND state = 'pending' AND next_attempt_at <= $3
    ORDER BY next_attempt_at, id LIMIT a.n
    FOR NO KEY UPDATE SKIP LOCKED) AS d
  JOIN webhook_events e ON e.id = d.event_id
  JOIN webhook_endpoints p ON p.id = d.endpoint_id
  ORDER BY d.next_attempt_at, d.id LIMIT $4`;

/** The webhook outbox on PostgreSQL: the same behaviour as src/db/stores/webhooks.ts, delivered by any number of instances. */
export function createPgWebhookStore(deps: PgStoreDeps): { sync: PgWebhookSync; store: Store['webhooks'] } {
  const { orm, transact } = deps;

  // Who listens, read once per transaction (all endpoints with their events, in delivery order):
  // a bulk add emits thousands of events in one batch, and a one-click two of different types;
  // a round trip each to learn that nobody listens cost more than the changes themselves. An
  // endpoint added or removed in the same transaction forgets what was read.
  const listening = new WeakMap<PgUnit, Promise<Array<{ id: string; events: string[] }>>>();
  async function listeners(unit: PgUnit, type: string): Promise<Array<{ id: string }>> {
    let all = listening.get(unit);
    if (!all) listening.set(unit, (all = unit.query<{ id: string; events: string[] }>(LISTENERS)));
    return (await all).filter((e) => e.events.includes(type));
  }

  /** As on SQLite: call it inside the unit of work that makes the change; nothing is written when none listens. */
  async function emit(unit: PgUnit, input: EmitInput): Promise<void> {
    const targets = await listeners(unit, input.type);
    if (targets.length === 0) return;
    const id = 'msg_' + randomBytes(15).toString('base64url');
    const payload = JSON.stringify({ type: input.type, timestamp: iso(input.at), data: input.data });
    await unit.query(EMIT, [id, input.type, payload, input.addressKey ?? null, input.contactId ?? null, input.at, targets.map((t) => t.id)]);
  }

  /**
   * Erasure: the address and external id out of every payload kept about this person. Done in
   * JavaScript, so a payload keeps its exact text apart from those two fields, as SQLite's
   * json_replace leaves it (jsonb would reorder its keys).
   */
  async function scrub(unit: PgUnit, addressKey: Buffer, contactId: string): Promise<void> {
    const rows = await unit.query<{ id: string; payload: string }>('SELECT id, payload FROM webhook_events WHERE address_key = $1 OR contact_id = $2 FOR NO KEY UPDATE', [addressKey, contactId]);
    if (rows.length === 0) return;
    const payloads = rows.map((r) => scrubbed(r.payload));
    await unit.query('UPDATE webhook_events AS w SET payload = u.payload, address_key = NULL FROM unnest($1::text[], $2::text[]) AS u(id, payload) WHERE w.id = u.id', [rows.map((r) => r.id), payloads]);
  }

  return {
    sync: { emit, scrub },
    store: {
      /** Register an endpoint unless a bound is reached: counted and inserted under one lock (see ENDPOINT_BOUND_LOCK). */
      createEndpoint(row: WebhookEndpointRow, limits: EndpointLimits): Promise<'created' | 'per-key limit' | 'total limit'> {
        return transact(async (unit) => {
          await unit.query(ENDPOINT_BOUND_LOCK);
          const n = async (where?: ReturnType<typeof eq>) => (await unit.orm.select({ n: count() }).from(webhookEndpoints).where(where))[0]!.n;
          if (row.apiKeyId !== null && (await n(eq(webhookEndpoints.apiKeyId, row.apiKeyId))) >= limits.perKey) return 'per-key limit' as const;
          if ((await n()) >= limits.total) return 'total limit' as const;
          await unit.orm.insert(webhookEndpoints).values(row);
          listening.delete(unit);
          return 'created' as const;
        });
      },
      async endpoints(): Promise<WebhookEndpointRow[]> {
        return orm.select().from(webhookEndpoints).orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id));
      },
      async endpoint(id: string): Promise<WebhookEndpointRow | undefined> {
        const [row] = await orm.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id));
        return row;
      },
      /** Remove an endpoint with its pending deliveries and its log. */
      async deleteEndpoint(id: string): Promise<boolean> {
        return transact(async (unit) => {
          listening.delete(unit);
          return (await unit.orm.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).returning({ id: webhookEndpoints.id })).length > 0;
        });
      },

      /**
       * As on SQLite (per endpoint; a paused one gives nothing, a failing one one probe), and
       * taken: in the same unit each delivery returned is leased, its next attempt moved
       * WEBHOOK_LEASE_MS ahead, and a failing endpoint that gave its probe is paused as long.
       * Other instances pass them by until the attempt is recorded (which sets the real next
       * time and pause) or, if this instance died, the lease ends and any instance sends them.
       */
      due(now: number, limit: number): Promise<DueDelivery[]> {
        return transact(async (unit) => {
          const awake = await unit.query<{ id: string; failingSince: number | null }>(AWAKE, [now]);
          if (awake.length === 0) return [];
          const failingSince = new Map(awake.map((e) => [e.id, e.failingSince]));
          const rows = await unit.query<Omit<DueDelivery, 'failingSince'> & { nextAttemptAt: number }>(CLAIM, [awake.map((e) => e.id), awake.map((e) => (e.failingSince === null ? limit : 1)), now, limit]);
          if (rows.length === 0) return [];
          const lease = now + WEBHOOK_LEASE_MS;
          const probed = [...new Set(rows.map((r) => r.endpointId).filter((id) => failingSince.get(id) !== null))];
          await unit.query('UPDATE webhook_deliveries SET next_attempt_at = $1 WHERE id = ANY($2::bigint[])', [lease, rows.map((r) => r.id)]);
          if (probed.length > 0) await unit.query('UPDATE webhook_endpoints SET paused_until = $1 WHERE id = ANY($2::text[])', [lease, probed]);
          return rows.map(({ nextAttemptAt: _, ...due }) => ({ ...due, failingSince: failingSince.get(due.endpointId) ?? null }));
        });
      },

      /** Record one attempt and the delivery's new state, as one unit. */
      recordAttempt(outcome: AttemptOutcome): Promise<void> {
        return transact(async (unit) => {
          const [delivery] = await unit.query<{ endpointId: string; leasedUntil: number }>(
            'SELECT endpoint_id AS "endpointId", next_attempt_at AS "leasedUntil" FROM webhook_deliveries WHERE id = $1 FOR NO KEY UPDATE',
            [outcome.deliveryId],
          );
          if (!delivery) return; // the endpoint was deleted while the request was in flight
          await unit.orm.insert(webhookAttempts).values({ deliveryId: outcome.deliveryId, at: outcome.at, statusCode: outcome.statusCode, error: outcome.error, durationMs: outcome.durationMs });
          await unit.orm
            .update(webhookDeliveries)
            .set({
              attempts: sql`${webhookDeliveries.attempts} + 1`,
              lastAttemptAt: outcome.at,
              lastStatus: outcome.statusCode,
              lastError: outcome.error,
              ...(outcome.delivered
                ? { state: 'delivered' as const, deliveredAt: outcome.at }
                : outcome.nextAttemptAt === null
                  ? { state: 'failed' as const }
                  : { nextAttemptAt: outcome.nextAttemptAt }),
            })
            .where(eq(webhookDeliveries.id, outcome.deliveryId));
          // The endpoint as a whole, as on SQLite; a probe's lease (the pause equal to this
          // delivery's lease, set by `due`) is replaced by the real pause, not kept as the longer one.
          const pause = outcome.endpointPausedUntil ?? 0;
          await unit.orm
            .update(webhookEndpoints)
            .set(
              outcome.delivered
                ? { failingSince: null, pausedUntil: null }
                : {
                    failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${outcome.at})`,
                    pausedUntil: sql`CASE WHEN ${webhookEndpoints.pausedUntil} = ${delivery.leasedUntil} THEN ${pause}::bigint ELSE greatest(coalesce(${webhookEndpoints.pausedUntil}, 0), ${pause}::bigint) END`,
                  },
            )
            .where(eq(webhookEndpoints.id, delivery.endpointId));
        });
      },

      /**
       * As on SQLite. The row is locked for the change; the worker's claim (`due`) then takes it
       * on exactly one instance. One race stays: pressed while this very delivery is being sent
       * (leased to an instance), it may go out once more under the same `webhook-id`, which
       * delivery at least once allows and receivers de-duplicate on.
       */
      retryDelivery(endpointId: string, deliveryId: number, now: number): Promise<RetryOutcome> {
        return transact(async (unit) => {
          const [row] = await unit.query<Pick<WebhookDeliveryRow, 'state' | 'attempts'>>('SELECT state, attempts FROM webhook_deliveries WHERE id = $1 AND endpoint_id = $2 FOR NO KEY UPDATE', [deliveryId, endpointId]);
          if (!row) return 'unknown';
          if (!isRetryableDelivery(row)) return 'nothing to retry';
          await unit.query("UPDATE webhook_deliveries SET state = 'pending', next_attempt_at = $2 WHERE id = $1", [deliveryId, now]);
          await unit.query('UPDATE webhook_endpoints SET paused_until = NULL WHERE id = $1', [endpointId]);
          return 'retried';
        });
      },

      /** As on SQLite, with the endpoint's row locked for the change (the claim skips it meanwhile). */
      retryEndpoint(endpointId: string, now: number): Promise<RetryOutcome> {
        return transact(async (unit) => {
          const [endpoint] = await unit.query<{ failingSince: number | null; pausedUntil: number | null }>(
            'SELECT failing_since AS "failingSince", paused_until AS "pausedUntil" FROM webhook_endpoints WHERE id = $1 FOR NO KEY UPDATE',
            [endpointId],
          );
          if (!endpoint) return 'unknown';
          if (endpoint.failingSince === null && (endpoint.pausedUntil ?? 0) <= now) return 'nothing to retry';
          await unit.query('UPDATE webhook_endpoints SET paused_until = NULL WHERE id = $1', [endpointId]);
          await unit.query("UPDATE webhook_deliveries SET next_attempt_at = $2 WHERE endpoint_id = $1 AND state = 'pending' AND next_attempt_at > $2", [endpointId, now]);
          return 'retried';
        });
      },

      /** The delivery log of one endpoint, newest first, with every attempt. */
      async deliveries(endpointId: string, options: { before?: number | undefined; limit: number }): Promise<Array<WebhookDeliveryRow & { type: string; attemptLog: WebhookAttemptRow[] }>> {
        const rows = await orm
          .select({ delivery: webhookDeliveries, type: webhookEvents.type })
          .from(webhookDeliveries)
          .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
          .where(and(eq(webhookDeliveries.endpointId, endpointId), options.before === undefined ? undefined : lt(webhookDeliveries.id, options.before)))
          .orderBy(desc(webhookDeliveries.id))
          .limit(options.limit);
        const ids = rows.map((r) => r.delivery.id);
        const attempts = ids.length ? await orm.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, ids)).orderBy(asc(webhookAttempts.id)) : [];
        return rows.map((r) => ({ ...r.delivery, type: r.type, attemptLog: attempts.filter((a) => a.deliveryId === r.delivery.id) }));
      },
    },
  };
}

/** json_replace(payload, '$.data.email', null, '$.data.externalId', null): only fields that are there. */
function scrubbed(payload: string): string {
  const doc = JSON.parse(payload) as { data?: unknown };
  const data = doc.data;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return payload;
  const fields = data as Record<string, unknown>;
  const present = ['email', 'externalId'].filter((k) => k in fields);
  if (present.length === 0) return payload;
  for (const k of present) fields[k] = null;
  return JSON.stringify(doc);
}
