import { Hono } from 'hono';
import type { z } from 'zod';
import { actorOf, scope } from '../../auth/api-key.ts';
import { createWebhookEndpoint, deleteWebhookEndpoint, listWebhookEndpoints, webhookDeliveries, webhookEndpoint } from '../../core/webhooks.ts';
import type { WebhookEndpointRow } from '../../db/store.ts';
import { iso, isoOrNull } from '../../format/time.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { readJson, readParams, readQuery } from '../validate.ts';
import { decodeCursor, encodeCursor, isSeq } from './cursor.ts';
import type { RouteDoc } from './doc.ts';
import { CreatedWebhookEndpoint, CreateWebhookRequest, DeliveriesQuery, DeliveryPage, WebhookEndpoint, WebhookIdParams, WebhookList } from './schemas.ts';


const endpointView = (row: WebhookEndpointRow): z.input<typeof WebhookEndpoint> => ({
  id: row.id,
  url: row.url,
  events: row.events as z.input<typeof WebhookEndpoint>['events'],
  description: row.description,
  createdAt: iso(row.createdAt),
});

/** /webhooks: register receivers, list and remove them, read their delivery log. */
export function createWebhookRoutes(deps: AppDeps) {
  const { core } = deps;
  return new Hono<AppEnv>()
    .use('/webhooks', scope('webhooks:manage'))
    .use('/webhooks/*', scope('webhooks:manage'))
    .post('/webhooks', async (c) => {
      const input = await readJson(c, CreateWebhookRequest);
      const row = await createWebhookEndpoint(core, { ...input, actor: actorOf(c) });
      return c.json({ ...endpointView(row), secret: row.secret } satisfies z.input<typeof CreatedWebhookEndpoint>, 201);
    })
    .get('/webhooks', async (c) => c.json({ data: (await listWebhookEndpoints(core)).map(endpointView) } satisfies z.input<typeof WebhookList>))
    .get('/webhooks/:id', async (c) => {
      const { id } = readParams(c, WebhookIdParams);
      return c.json(endpointView(await webhookEndpoint(core, id)));
    })
    .delete('/webhooks/:id', async (c) => {
      const { id } = readParams(c, WebhookIdParams);
      await deleteWebhookEndpoint(core, id);
      return c.body(null, 204);
    })
    .get('/webhooks/:id/deliveries', async (c) => {
      const { id } = readParams(c, WebhookIdParams);
      const q = readQuery(c, DeliveriesQuery);
      const before = q.cursor === undefined ? undefined : decodeCursor('d', q.cursor, isSeq);
      const page = await webhookDeliveries(core, { endpointId: id, before, limit: q.limit });
      const last = page.deliveries.at(-1);
      return c.json({
        data: page.deliveries.map((d) => ({
          id: d.id,
          eventId: d.eventId,
          type: d.type as z.input<typeof WebhookEndpoint>['events'][number],
          state: d.state,
          attempts: d.attempts,
          nextAttemptAt: d.state === 'pending' ? iso(d.nextAttemptAt) : null,
          lastStatus: d.lastStatus,
          lastError: d.lastError,
          deliveredAt: isoOrNull(d.deliveredAt),
          createdAt: iso(d.createdAt),
          attemptLog: d.attemptLog.map((a) => ({ at: iso(a.at), statusCode: a.statusCode, error: a.error, durationMs: a.durationMs })),
        })),
        nextCursor: page.more && last ? encodeCursor('d', last.id) : null,
        hasMore: page.more,
      } satisfies z.input<typeof DeliveryPage>);
    });
}

const tag = 'Webhooks';
const idOnly = { params: WebhookIdParams };
export const webhookDocs: RouteDoc[] = [
  {
    method: 'post',
    path: '/webhooks',
    tag,
    scope: 'webhooks:manage',
    summary: 'Register a webhook endpoint',
    description:
      'Events: `subscription.updated`, `suppression.created`, `suppression.deleted`, `contact.erased`. Each delivery is a POST of `{type, timestamp, data}` signed per Standard Webhooks (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`). Any 2xx counts as delivered; anything else or no answer within the timeout is retried with backoff (5 s, 5 min, 30 min, 2 h, 5 h, 10 h …). The same `webhook-id` is sent on every retry: de-duplicate on it.',
    body: CreateWebhookRequest,
    responses: { 201: { description: 'Registered; the secret is shown only now.', schema: CreatedWebhookEndpoint } },
  },
  { method: 'get', path: '/webhooks', tag, scope: 'webhooks:manage', summary: 'List webhook endpoints', responses: { 200: { description: 'Endpoints (without secrets).', schema: WebhookList } } },
  { method: 'get', path: '/webhooks/:id', tag, scope: 'webhooks:manage', summary: 'Get a webhook endpoint', ...idOnly, responses: { 200: { description: 'The endpoint.', schema: WebhookEndpoint }, 404: { description: 'No such endpoint.' } } },
  { method: 'delete', path: '/webhooks/:id', tag, scope: 'webhooks:manage', summary: 'Remove a webhook endpoint', description: 'Pending deliveries to it are dropped with its log.', ...idOnly, responses: { 204: { description: 'Removed.' }, 404: { description: 'No such endpoint.' } } },
  {
    method: 'get',
    path: '/webhooks/:id/deliveries',
    tag,
    scope: 'webhooks:manage',
    summary: 'Delivery log of an endpoint',
    description: 'Newest first, each delivery with every attempt (status code or error, duration).',
    ...idOnly,
    query: DeliveriesQuery,
    responses: { 200: { description: 'A page of deliveries.', schema: DeliveryPage }, 404: { description: 'No such endpoint.' } },
  },
];
