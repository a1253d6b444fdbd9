import { Hono } from 'hono';
import { invalidInput, OptboxError } from '../../core/errors.ts';
import { operatorList, recordAudit } from '../../core/operators.ts';
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  listWebhookEndpoints,
  retryWebhookDelivery,
  retryWebhookEndpoint,
  webhookDeliveries,
  webhookEndpoint,
  WEBHOOK_EVENT_TYPES,
  type WebhookEventType,
} from '../../core/webhooks.ts';
import { WebhookEndpointPage, WebhooksPage, type MadeBy, type WebhookFormValues, type WebhooksPageProps } from '../../../views/admin/settings-webhooks.tsx';
import type { AppDeps } from '../context.ts';
import { list } from '../form.ts';
import { field, param, wholeQuery, type ConsoleContext, type ConsoleEnv, type ConsoleKit } from './kit.ts';

const BASE = '/admin/settings/webhooks';
const PAGE = 25;
const NOTICES: Record<string, string> = {
  removed: 'The endpoint is removed.',
  retried: 'Due now: the worker sends it at its next turn (within a few seconds).',
};

/**
 * Webhook endpoints: list, register (its signing secret is in the answer to that POST only),
 * the delivery log of each, "retry now", removing one.
 *
 * Endpoints registered here belong to no API key (api_key_id is null): the per-key bound
 * (WEBHOOK_ENDPOINTS_PER_KEY) exists to stop one runaway client, so an operator's endpoints count
 * only against WEBHOOK_ENDPOINTS_TOTAL, and revoking a key never touches them. The register
 * records the operator as `createdBy`.
 */
export function createWebhookSettingsRoutes(deps: AppDeps, k: ConsoleKit) {
  const { core } = deps;
  const r = new Hono<ConsoleEnv>();
  const path = (id: string, done?: string) => `${BASE}/${encodeURIComponent(id)}${done ? `?done=${done}` : ''}`;

  /** "API key “name”", or the operator's address (their id when they are gone). */
  async function madeBy(): Promise<MadeBy> {
    const operators = new Map((await operatorList(core)).map((o) => [`operator:${o.id}`, o.email]));
    return (createdBy) => (createdBy.startsWith('apikey:') ? `API key “${createdBy.slice(7)}”` : operators.has(createdBy) ? `${operators.get(createdBy)} (console)` : createdBy);
  }

  const listPage = async (c: ConsoleContext, extra: Partial<WebhooksPageProps> = {}, status: 200 | 400 | 409 = 200) =>
    c.html(<WebhooksPage viewer={k.viewer(c)} endpoints={await listWebhookEndpoints(core)} events={WEBHOOK_EVENT_TYPES} madeBy={await madeBy()} now={core.clock.now()} {...extra} />, status);

  async function endpointPage(c: ConsoleContext, id: string, extra: { notice?: string | undefined; error?: string | undefined } = {}, status: 200 | 400 | 409 = 200) {
    const before = wholeQuery(c, 'before');
    const endpoint = await webhookEndpoint(core, id);
    const page = await webhookDeliveries(core, { endpointId: id, before, limit: PAGE });
    const last = page.deliveries.at(-1);
    const next = page.more && last ? `${path(id)}?before=${last.id}` : null;
    return c.html(<WebhookEndpointPage viewer={k.viewer(c)} endpoint={endpoint} madeBy={await madeBy()} deliveries={page.deliveries} next={next} now={core.clock.now()} {...extra} />, status);
  }

  /** A known failure is shown on the page it came from (400/409); anything else goes to the error page. */
  const shown = (err: unknown): err is OptboxError => err instanceof OptboxError && (err.code === 'invalid_input' || err.code === 'conflict' || err.code === 'limit_reached');

  k.add(r, 'GET', BASE, 'read', (c) => listPage(c, { notice: NOTICES[c.req.query('done') ?? ''] }));

  k.add(r, 'POST', BASE, 'settings', async (c) => {
    const body = c.get('form');
    const text = (name: string) => (typeof body[name] === 'string' ? (body[name] as string).trim() : '');
    const values: WebhookFormValues = { url: text('url'), events: list(body.events), description: text('description') };
    let created;
    try {
      field(body, 'url', { max: 2000 });
      field(body, 'description', { max: 500, optional: true });
      if (values.events.length === 0) throw invalidInput('events', 'choose at least one');
      created = await createWebhookEndpoint(core, {
        url: values.url,
        events: values.events as WebhookEventType[],
        description: values.description,
        actor: k.actor(c),
        apiKeyId: null,
        limits: deps.config.webhookEndpoints,
      });
    } catch (err) {
      if (shown(err)) return listPage(c, { values, error: err.message }, err.code === 'invalid_input' ? 400 : 409);
      throw err;
    }
    // The URL may carry a token of the receiver's own: the audit keeps only its origin.
    await recordAudit(core, { operatorId: k.operator(c).operatorId, action: 'webhook.create', target: created.id, detail: { origin: new URL(created.url).origin, events: created.events } });
    return listPage(c, { created: { id: created.id, url: created.url, secret: created.secret } });
  });

  k.add(r, 'GET', `${BASE}/:id`, 'read', (c) => endpointPage(c, param(c, 'id'), { notice: NOTICES[c.req.query('done') ?? ''] }));

  k.add(r, 'POST', `${BASE}/:id/delete`, 'settings', async (c) => {
    const id = param(c, 'id');
    if (c.get('form').confirm !== 'yes') return endpointPage(c, id, { error: 'confirm: tick the box to remove the endpoint' }, 400);
    await deleteWebhookEndpoint(core, id);
    await recordAudit(core, { operatorId: k.operator(c).operatorId, action: 'webhook.delete', target: id });
    return k.seeOther(c, `${BASE}?done=removed`);
  });

  k.add(r, 'POST', `${BASE}/:id/retry`, 'settings', async (c) => {
    const id = param(c, 'id');
    try {
      await retryWebhookEndpoint(core, id);
    } catch (err) {
      if (shown(err)) return endpointPage(c, id, { error: err.message }, 409);
      throw err;
    }
    await recordAudit(core, { operatorId: k.operator(c).operatorId, action: 'webhook.retry', target: id });
    return k.seeOther(c, path(id, 'retried'));
  });

  k.add(r, 'POST', `${BASE}/:id/deliveries/:delivery/retry`, 'settings', async (c) => {
    const id = param(c, 'id');
    const delivery = param(c, 'delivery');
    if (!/^\d{1,15}$/.test(delivery)) throw new OptboxError('not_found', 'no such delivery');
    try {
      await retryWebhookDelivery(core, { endpointId: id, deliveryId: Number(delivery) });
    } catch (err) {
      if (shown(err)) return endpointPage(c, id, { error: err.message }, 409);
      throw err;
    }
    await recordAudit(core, { operatorId: k.operator(c).operatorId, action: 'webhook.retry-delivery', target: id, detail: { delivery: Number(delivery) } });
    return k.seeOther(c, path(id, 'retried'));
  });

  return r;
}
