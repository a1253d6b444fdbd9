import { randomBytes } from 'node:crypto';
import { and, asc, desc, eq, inArray, lt, lte, or, sql } from 'drizzle-orm';
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

/** A delivery that is due, with what the worker needs to send it. */
export interface DueDelivery {
  id: number;
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
      async createEndpoint(row: WebhookEndpointRow): Promise<void> {
        await transact(() => orm.insert(webhookEndpoints).values(row).run());
        listeners = undefined;
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

      /** Pending deliveries whose time has come, oldest first. */
      async due(now: number, limit: number): Promise<DueDelivery[]> {
        return orm
          .select({ id: webhookDeliveries.id, attempts: webhookDeliveries.attempts, eventId: webhookEvents.id, payload: webhookEvents.payload, url: webhookEndpoints.url, secret: webhookEndpoints.secret })
          .from(webhookDeliveries)
          .innerJoin(webhookEvents, eq(webhookEvents.id, webhookDeliveries.eventId))
          .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
          .where(and(eq(webhookDeliveries.state, 'pending'), lte(webhookDeliveries.nextAttemptAt, now)))
          .orderBy(asc(webhookDeliveries.nextAttemptAt), asc(webhookDeliveries.id))
          .limit(limit)
          .all();
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
