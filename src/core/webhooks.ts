import { createHmac, randomBytes } from 'node:crypto';
import { isRetryableDelivery, WEBHOOK_EVENT_TYPES, type EndpointLimits, type WebhookEndpointRow, type WebhookEventType } from '../db/store.ts';
import type { CoreDeps } from './deps.ts';
import { invalidInput, notFound, OptboxError } from './errors.ts';
import { ipLiteralOf, isPublicAddress } from './webhook-target.ts';

export { WEBHOOK_EVENT_TYPES, type WebhookEventType };

const SECRET_PREFIX = 'whsec_';

/**
 * The Standard Webhooks signature (standardwebhooks.com, "Verifying Webhooks"): HMAC-SHA256 with
 * the base64-decoded secret over `${id}.${timestamp}.${body}`, sent as `v1,<base64>`.
 */
export function signWebhook(secret: string, id: string, timestamp: number, body: string): string {
  const key = Buffer.from(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret, 'base64');
  return 'v1,' + createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
}

export const newWebhookSecret = () => SECRET_PREFIX + randomBytes(32).toString('base64');

/**
 * A receiver URL: http(s) only, no credentials in it (they would be logged by proxies), and
 * unless private targets are allowed, not an IP address outside public unicast (in any
 * spelling: the URL parser turns decimal, hex and octal IPv4 into dotted form). A name is
 * judged at each delivery, on the address it resolves to then (core/webhook-post.ts).
 */
export function checkWebhookUrl(raw: string, options: { allowPrivate?: boolean | undefined } = {}): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidInput('url', 'is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw invalidInput('url', 'must be an http:// or https:// URL');
  if (url.username || url.password) throw invalidInput('url', 'must not carry a user name or password');
  const literal = ipLiteralOf(url);
  if (literal && !options.allowPrivate && !isPublicAddress(literal)) throw invalidInput('url', 'points at a loopback, private, link-local or reserved address (allowed only with WEBHOOK_ALLOW_PRIVATE=true)');
  return url.toString();
}

export interface CreateEndpointInput {
  url: string;
  events: WebhookEventType[];
  description?: string | undefined;
  /** `whsec_` + base64 of 24 to 64 random bytes; generated when absent. */
  secret?: string | undefined;
  actor: string;
  /** The key that registers it: endpoints are counted per key. */
  apiKeyId: string | null;
  /** WEBHOOK_ENDPOINTS_PER_KEY and WEBHOOK_ENDPOINTS_TOTAL. */
  limits: EndpointLimits;
}

/**
 * Register a receiver. The secret is returned here and never again. Bounded per key and in all:
 * every endpoint is a stream of outgoing requests the worker owes, and one runaway client must
 * not make it owe millions.
 */
export async function createWebhookEndpoint(deps: CoreDeps, input: CreateEndpointInput): Promise<WebhookEndpointRow> {
  const url = checkWebhookUrl(input.url, { allowPrivate: deps.allowPrivateWebhooks });
  const events = [...new Set(input.events)];
  if (events.length === 0) throw invalidInput('events', 'name at least one event');
  for (const [i, e] of events.entries()) if (!WEBHOOK_EVENT_TYPES.includes(e)) throw invalidInput(`events[${i}]`, `unknown event "${e}"`);
  if (input.secret !== undefined) {
    const bytes = input.secret.startsWith(SECRET_PREFIX) ? Buffer.from(input.secret.slice(SECRET_PREFIX.length), 'base64') : Buffer.alloc(0);
    if (bytes.length < 24 || bytes.length > 64) throw invalidInput('secret', 'must be whsec_ followed by base64 of 24 to 64 bytes');
  }
  const row: WebhookEndpointRow = {
    id: 'wh_' + randomBytes(9).toString('base64url'),
    url,
    description: input.description ?? '',
    events,
    secret: input.secret ?? newWebhookSecret(),
    createdBy: input.actor,
    apiKeyId: input.apiKeyId,
    createdAt: deps.clock.now(),
    failingSince: null,
    pausedUntil: null,
  };
  const outcome = await deps.store.webhooks.createEndpoint(row, input.limits);
  if (outcome === 'per-key limit') throw new OptboxError('limit_reached', `this API key has ${input.limits.perKey} webhook endpoints, the most allowed (WEBHOOK_ENDPOINTS_PER_KEY); remove one first`);
  if (outcome === 'total limit') throw new OptboxError('limit_reached', `there are ${input.limits.total} webhook endpoints, the most allowed (WEBHOOK_ENDPOINTS_TOTAL); remove one first`);
  return row;
}

/** Every registered receiver, oldest first. */
export function listWebhookEndpoints(deps: CoreDeps): Promise<WebhookEndpointRow[]> {
  return deps.store.webhooks.endpoints();
}

export async function webhookEndpoint(deps: CoreDeps, id: string): Promise<WebhookEndpointRow> {
  const row = await deps.store.webhooks.endpoint(id);
  if (!row) throw notFound('webhook endpoint');
  return row;
}

export async function deleteWebhookEndpoint(deps: CoreDeps, id: string): Promise<void> {
  if (!(await deps.store.webhooks.deleteEndpoint(id))) throw notFound('webhook endpoint');
}

/** The delivery log of an endpoint, newest first; `before` is a delivery id from the last page. */
export async function webhookDeliveries(deps: CoreDeps, input: { endpointId: string; before?: number | undefined; limit: number }) {
  await webhookEndpoint(deps, input.endpointId);
  const rows = await deps.store.webhooks.deliveries(input.endpointId, { before: input.before, limit: input.limit + 1 });
  return { deliveries: rows.slice(0, input.limit).map((d) => ({ ...d, retryable: isRetryableDelivery(d) })), more: rows.length > input.limit };
}

/**
 * "Retry now" for one delivery that failed or was given up: its next attempt is due now, and the
 * worker sends it at its next turn (on PostgreSQL the claim gives it to exactly one instance).
 * not_found for a delivery that is not this endpoint's; conflict when there is nothing to retry.
 */
export async function retryWebhookDelivery(deps: CoreDeps, input: { endpointId: string; deliveryId: number }): Promise<void> {
  const outcome = await deps.store.webhooks.retryDelivery(input.endpointId, input.deliveryId, deps.clock.now());
  if (outcome === 'unknown') throw notFound('webhook delivery');
  if (outcome === 'nothing to retry') throw new OptboxError('conflict', 'this delivery has not failed: it was delivered, or its first attempt is still to come');
}

/** "Retry now" for a failing or paused endpoint: the pause ends and what waits for a later try is due now. */
export async function retryWebhookEndpoint(deps: CoreDeps, endpointId: string): Promise<void> {
  const outcome = await deps.store.webhooks.retryEndpoint(endpointId, deps.clock.now());
  if (outcome === 'unknown') throw notFound('webhook endpoint');
  if (outcome === 'nothing to retry') throw new OptboxError('conflict', 'this endpoint is neither failing nor paused');
}
