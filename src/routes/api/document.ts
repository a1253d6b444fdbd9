import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { contactDocs } from './contacts.ts';
import type { RouteDoc } from './doc.ts';
import { ERROR_RESPONSES, json, responsesOf } from './doc-responses.ts';
import { messageDocs } from './messages.ts';
import { ErrorBody } from './schemas.ts';
import { suppressionDocs } from './suppressions.ts';
import { ContactErasedEvent, SubscriptionUpdatedEvent, SuppressionCreatedEvent, SuppressionDeletedEvent } from './webhook-payloads.ts';
import { webhookDocs } from './webhooks.ts';

/** Every documented /api/v1 route, in the order the document (and its examples) lists them. */
export const apiRouteDocs: RouteDoc[] = [...contactDocs, ...suppressionDocs, ...messageDocs, ...webhookDocs];

/** `/contacts/:id` as the document writes it: `/api/v1/contacts/{id}`. */
const documentPath = (route: RouteDoc) => '/api/v1' + route.path.replace(/:(\w+)/g, '{$1}');

/**
 * What a receiver gets: every delivery is a POST of the event as JSON, signed per Standard
 * Webhooks. Listed under `webhooks` (OpenAPI 3.1 §4.8.1) so generated code has the payloads.
 */
const WEBHOOK_EVENTS: Array<{ type: string; operationId: string; summary: string; schema: z.ZodType }> = [
  { type: 'subscription.updated', operationId: 'onSubscriptionUpdated', summary: 'Topics of a contact were subscribed, unsubscribed or left pending (double opt-in)', schema: SubscriptionUpdatedEvent },
  { type: 'suppression.created', operationId: 'onSuppressionCreated', summary: 'An address was suppressed (for a topic or everything)', schema: SuppressionCreatedEvent },
  { type: 'suppression.deleted', operationId: 'onSuppressionDeleted', summary: 'A suppression was removed', schema: SuppressionDeletedEvent },
  { type: 'contact.erased', operationId: 'onContactErased', summary: 'A contact was erased (GDPR art. 17)', schema: ContactErasedEvent },
];

const WEBHOOK_HEADERS = z.object({
  'webhook-id': z.string().describe('Message id: the same on every retry; de-duplicate on it.'),
  'webhook-timestamp': z.string().regex(/^\d+$/).describe('Unix seconds of this attempt.'),
  'webhook-signature': z.string().describe('`v1,<base64 HMAC-SHA256 of "id.timestamp.body">` with the endpoint secret (Standard Webhooks).'),
});

/** OpenAPI 3.1, generated from the zod schemas the handlers validate with. */
export function openApiDocument(options: { publicUrl: string; version: string }) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key from `optbox apikey create --name N [--scopes a,b]`, sent as `Authorization: Bearer obx_…`.',
  });
  for (const [name, response] of Object.entries(ERROR_RESPONSES)) registry.registerComponent('responses', name, response);
  for (const route of apiRouteDocs) {
    registry.registerPath({
      method: route.method,
      path: documentPath(route),
      operationId: route.operationId,
      summary: route.summary,
      description: [route.description, `Scope: \`${route.scope}\`.`].filter(Boolean).join('\n\n'),
      tags: [route.tag],
      security: [{ apiKey: [] }],
      request: {
        ...(route.params ? { params: route.params } : {}),
        ...(route.query ? { query: route.query } : {}),
        ...(route.body ? { body: { required: true, content: json(route.body, route.example?.body) } } : {}),
      },
      responses: responsesOf(route) as never,
    });
  }
  for (const event of WEBHOOK_EVENTS) {
    registry.registerWebhook({
      method: 'post',
      path: event.type,
      operationId: event.operationId,
      summary: event.summary,
      tags: ['Webhooks'],
      request: { headers: WEBHOOK_HEADERS, body: { required: true, content: json(event.schema) } },
      responses: { 200: { description: 'Any 2xx acknowledges the delivery; anything else, or no answer within WEBHOOK_TIMEOUT_MS, is retried with backoff.' } },
    });
  }
  const document = new OpenApiGeneratorV31([...registry.definitions, ErrorBody]).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'optbox marketing API',
      version: options.version,
      description:
        'Keep your CRM, campaign tool or warehouse in step with optbox: contacts with proof of consent, the suppression list (check, sync, add, remove, export) and signed webhooks (their payloads are under `webhooks`). Errors always have the shape `{"error": {"code", "message", "fields"?}}`. A path of the API asked with a method it does not have answers 405 with `Allow` (`#/components/responses/MethodNotAllowed`); an unknown path 404.',
    },
    servers: [{ url: options.publicUrl }],
    security: [{ apiKey: [] }],
  });
  addParameterExamples(document);
  return document;
}

/** Parameter examples from each route's `example`, on the parameters the generator made. */
function addParameterExamples(document: { paths?: object }) {
  const paths = document.paths as Record<string, Record<string, { parameters?: Array<{ name: string; example?: unknown }> }>> | undefined;
  for (const route of apiRouteDocs) {
    const values: Record<string, unknown> = { ...route.example?.params, ...route.example?.query };
    const operation = paths?.[documentPath(route)]?.[route.method];
    for (const parameter of operation?.parameters ?? []) if (parameter.name in values) parameter.example = values[parameter.name];
  }
}

