import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, gt, inArray, lt, or, sql } from 'drizzle-orm';
import { iso } from '../../format/time.ts';
import type { Orm } from '../client.ts';
import type { RunInTransaction } from '../write-queue.ts';
import { webhookAttempts, webhookDeliveries, webhookEndpoints, webhookEvents, type WebhookAttemptRow, type WebhookDeliveryRow, type WebhookEndpointRow } from '../schema/index.ts';

export const WEBHOOK_EVENT_TYPES = ['subscription.updated', 'suppression.created', 'suppression.deleted', 'contact.erased'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

export interface EmitInput {
  type: WebhookEventType;
  at: number;
  data: Record<string, unknown>;
  /** Whose event this is, so erasure can find and scrub it. */
  addressKey?: Buffer | null;
  contactId?: string | null;
}

/** The `subscription.updated` event: topics of one contact changed status (one shape for both engines). */
export function subscriptionUpdated(input: { at: number; contactId: string; externalId: string | null; topics: string[]; status: string; source: string }): EmitInput {
  const { at, contactId, externalId, topics, status, source } = input;
  return { type: 'subscription.updated', at, contactId, data: { contactId, externalId, topics, status, source } };
}

/** A delivery that is due, with what the worker needs to send it. */
export interface DueDelivery {
  id: number;
  endpointId: string;
  /** When the endpoint's current run of failures began; null while it answers. */
  failingSince: number | null;
  attempts: number;
  eventId: string;
  payload: string;
  url: string;
  secret: string;
}

export interface AttemptOutcome {
  deliveryId: number;
  at: number;
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** Delivered, or the next attempt's time, or null when retries are exhausted. */
  delivered: boolean;
  nextAttemptAt: number | null;
  /** After a failure: leave the whole endpoint alone until then. */
  endpointPausedUntil: number | null;
}

/** What "retry now" did: made attempts due now, or found nothing to retry (delivered, not tried yet, endpoint healthy). */
export type RetryOutcome = 'retried' | 'nothing to retry' | 'unknown';

/** What "retry now" applies to, on either engine: a delivery given up, or waiting for its next try after a failure. */
export const isRetryableDelivery = (d: Pick<WebhookDeliveryRow, 'state' | 'attempts'>) => d.state === 'failed' || (d.state === 'pending' && d.attempts > 0);

/** How many webhook endpoints may exist, per API key and in all. */
export interface EndpointLimits {
  perKey: number;
  total: number;
}

export function createWebhookStore(orm: Orm, transact: RunInTransaction) {
  // Endpoints change rarely and every consent change asks who listens: keep them in memory,
  // reloaded after each change of the table (only this store writes it).
  let listeners: Array<Pick<WebhookEndpointRow, 'id' | 'events'>> | undefined;
  const endpointsFor = (type: string) => {
    listeners ??= orm.select({ id: webhookEndpoints.id, events: webhookEndpoints.events }).from(webhookEndpoints).all();
    return listeners.filter((e) => e.events.includes(type));
  };

  const insertEvent = orm.$client.prepare('INSERT INTO webhook_events (id, type, payload, address_key, contact_id, created_at) VALUES (@id, @type, @payload, @addressKey, @contactId, @createdAt)');
  const insertDelivery = orm.$client.prepare("INSERT INTO webhook_deliveries (endpoint_id, event_id, state, attempts, next_attempt_at, created_at) VALUES (@endpointId, @eventId, 'pending', 0, @at, @at)");
  // Endpoints that may be sent to now: not paused after failures.
  const awake = orm.$client.prepare<{ now: number }, { id: string; failingSince: number | null }>(
    'SELECT id, failing_since AS failingSince FROM webhook_endpoints WHERE paused_until IS NULL OR paused_until <= @now',
  );
  // One endpoint's due deliveries, oldest first (index webhook_deliveries_endpoint_due).
  const dueFor = orm.$client.prepare<{ endpointId: string; now: number; limit: number }, Omit<DueDelivery, 'failingSince'> & { nextAttemptAt: number }>(`
    SELECT d.id, d.endpoint_id AS endpointId, d.attempts, d.next_attempt_at AS nextAttemptAt, e.id AS eventId, e.payload, p.url, p.secret
    FROM webhook_deliveries AS d
    JOIN webhook_events AS e ON e.id = d.event_id
    JOIN webhook_endpoints AS p ON p.id = d.endpoint_id
    WHERE d.endpoint_id = @endpointId AND d.state = 'pending' AND d.next_attempt_at <= @now
    ORDER BY d.next_attempt_at, d.id LIMIT @limit`);

  /**
   * Write an event to the outbox with one delivery per endpoint that listens for it. Synchronous:
   * call it inside the unit of work that makes the change, so both commit or neither does.
   * Without a listener nothing is written.
   */
  function emitSync(input: EmitInput): void {
    const targets = endpointsFor(input.type);
    if (targets.length === 0) return;
    const id = 'msg_' + randomBytes(15).toString('base64url');
    const payload = JSON.stringify({ type: input.type, timestamp: iso(input.at), data: input.data });
    insertEvent.run({ id, type: input.type, payload, addressKey: input.addressKey ?? null, contactId: input.contactId ?? null, createdAt: input.at });
    for (const target of targets) insertDelivery.run({ endpointId: target.id, eventId: id, at: input.at });
  }

  /** Erasure: take the address and external id out of every payload kept about this person (delivered or not). */
  function scrubSync(addressKey: Buffer, contactId: string): void {
    orm
      .update(webhookEvents)
      // json_replace: only payloads that carry the field get it nulled.
      .set({ payload: sql`json_replace(${webhookEvents.payload}, '$.data.email', json('null'), '$.data.externalId', json('null'))`, addressKey: null })
      .where(or(eq(webhookEvents.addressKey, addressKey), eq(webhookEvents.contactId, contactId)))
      .run();
  }

  return {
    /** For other stores, inside their units of work. */
    sync: { emitSync, scrubSync },
    store: {
      /**
       * Register an endpoint unless a bound is reached: counting and inserting in one unit, so
       * concurrent requests cannot pass the bound together.
       */
      async createEndpoint(row: WebhookEndpointRow, limits: EndpointLimits): Promise<'created' | 'per-key limit' | 'total limit'> {
        const outcome = await transact(() => {
          const count = (where?: ReturnType<typeof eq>) => orm.select({ n: sql<number>`count(*)` }).from(webhookEndpoints).where(where).get()!.n;
          if (row.apiKeyId !== null && count(eq(webhookEndpoints.apiKeyId, row.apiKeyId)) >= limits.perKey) return 'per-key limit' as const;
          if (count() >= limits.total) return 'total limit' as const;
          orm.insert(webhookEndpoints).values(row).run();
          return 'created' as const;
        });
        listeners = undefined;
        return outcome;
      },
      async endpoints(): Promise<WebhookEndpointRow[]> {
        return orm.select().from(webhookEndpoints).orderBy(asc(webhookEndpoints.createdAt), asc(webhookEndpoints.id)).all();
      },
      async endpoint(id: string): Promise<WebhookEndpointRow | undefined> {
        return orm.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, id)).get();
      },
      /** Remove an endpoint with its pending deliveries and its log. */
      async deleteEndpoint(id: string): Promise<boolean> {
        const changes = await transact(() => orm.delete(webhookEndpoints).where(eq(webhookEndpoints.id, id)).run().changes);
        listeners = undefined;
        return changes > 0;
      },

      /**
       * Pending deliveries whose time has come, oldest first, taken per endpoint: a paused endpoint
       * contributes nothing, and one that is failing only one delivery (a probe), however many it
       * has waiting. Endpoints are few (bounded), each lookup one index range.
       */
      async due(now: number, limit: number): Promise<DueDelivery[]> {
        const rows = awake.all({ now }).flatMap((endpoint) => dueFor.all({ endpointId: endpoint.id, now, limit: endpoint.failingSince === null ? limit : 1 }).map((row) => ({ ...row, failingSince: endpoint.failingSince })));
        return rows
          .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id)
          .slice(0, limit)
          .map(({ nextAttemptAt: _, ...due }) => due);
      },

      /** Record one attempt and the delivery's new state, as one unit. */
      recordAttempt(outcome: AttemptOutcome): Promise<void> {
        return transact(() => {
          const exists = orm.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(eq(webhookDeliveries.id, outcome.deliveryId)).get();
          if (!exists) return; // the endpoint was deleted while the request was in flight
          orm.insert(webhookAttempts).values({ deliveryId: outcome.deliveryId, at: outcome.at, statusCode: outcome.statusCode, error: outcome.error, durationMs: outcome.durationMs }).run();
          orm
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
            .where(eq(webhookDeliveries.id, outcome.deliveryId))
            .run();
          // The endpoint as a whole: an answer ends its run of failures; a failure pauses it.
          orm
            .update(webhookEndpoints)
            .set(
              outcome.delivered
                ? { failingSince: null, pausedUntil: null }
                : { failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${outcome.at})`, pausedUntil: sql`max(coalesce(${webhookEndpoints.pausedUntil}, 0), ${outcome.endpointPausedUntil ?? 0})` },
            )
            .where(eq(webhookEndpoints.id, sql`(SELECT endpoint_id FROM webhook_deliveries WHERE id = ${outcome.deliveryId})`))
            .run();
        });
      },

      /**
       * "Retry now" for one delivery that failed: one given up (`failed`) or one waiting for its
       * next try after a failed attempt. It becomes due now and its endpoint's pause ends, so
       * the worker's next turn sends it (a failing endpoint sends one delivery per turn, the
       * oldest due, as ever). A given-up delivery gets one more attempt.
       */
      retryDelivery(endpointId: string, deliveryId: number, now: number): Promise<RetryOutcome> {
        return transact(() => {
          const row = orm.select({ state: webhookDeliveries.state, attempts: webhookDeliveries.attempts }).from(webhookDeliveries).where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpointId))).get();
          if (!row) return 'unknown';
          if (!isRetryableDelivery(row)) return 'nothing to retry';
          orm.update(webhookDeliveries).set({ state: 'pending', nextAttemptAt: now }).where(eq(webhookDeliveries.id, deliveryId)).run();
          orm.update(webhookEndpoints).set({ pausedUntil: null }).where(eq(webhookEndpoints.id, endpointId)).run();
          return 'retried';
        });
      },

      /**
       * "Retry now" for a failing or paused endpoint: its pause ends and every delivery waiting
       * for a later try becomes due now (given-up ones stay given up: retry those one by one).
       */
      retryEndpoint(endpointId: string, now: number): Promise<RetryOutcome> {
        return transact(() => {
          const endpoint = orm.select({ failingSince: webhookEndpoints.failingSince, pausedUntil: webhookEndpoints.pausedUntil }).from(webhookEndpoints).where(eq(webhookEndpoints.id, endpointId)).get();
          if (!endpoint) return 'unknown';
          if (endpoint.failingSince === null && (endpoint.pausedUntil ?? 0) <= now) return 'nothing to retry';
          orm.update(webhookEndpoints).set({ pausedUntil: null }).where(eq(webhookEndpoints.id, endpointId)).run();
          orm
            .update(webhookDeliveries)
            .set({ nextAttemptAt: now })
            .where(and(eq(webhookDeliveries.endpointId, endpointId), eq(webhookDeliveries.state, 'pending'), gt(webhookDeliveries.nextAttemptAt, now)))
            .run();
          return 'retried';
        });
      },

      /** The delivery log of one endpoint, newest first, with every attempt. */
      async deliveries(endpointId: string, options: { before?: number | undefined; limit: number }): Promise<Array<WebhookDeliveryRow & { type: string; attemptLog: WebhookAttemptRow[] }>> {
        const rows = orm
          .select({ delivery: webhookDeliveries, type: webhookEvents.type })
          .from(webhookDeliveries)
          .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
          .where(and(eq(webhookDeliveries.endpointId, endpointId), options.before === undefined ? undefined : lt(webhookDeliveries.id, options.before)))
          .orderBy(desc(webhookDeliveries.id))
          .limit(options.limit)
          .all();
        const ids = rows.map((r) => r.delivery.id);
        const attempts = ids.length ? orm.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, ids)).orderBy(asc(webhookAttempts.id)).all() : [];
        return rows.map((r) => ({ ...r.delivery, type: r.type, attemptLog: attempts.filter((a) => a.deliveryId === r.delivery.id) }));
      },
    },
  };
}

export type WebhookStore = ReturnType<typeof createWebhookStore>['store'];
export type WebhookSync = ReturnType<typeof createWebhookStore>['sync'];
