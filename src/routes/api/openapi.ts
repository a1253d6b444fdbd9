import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { Hono } from 'hono';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AppDeps, AppEnv } from '../context.ts';
import { contactDocs } from './contacts.ts';
import type { RouteDoc } from './doc.ts';
import { z } from 'zod';
import { ContactErasedEvent, ErrorBody, SubscriptionUpdatedEvent, SuppressionCreatedEvent, SuppressionDeletedEvent } from './schemas.ts';
import { suppressionDocs } from './suppressions.ts';
import { webhookDocs } from './webhooks.ts';
import { messageDocs } from './messages.ts';

/** Every documented /api/v1 route, in the order the document (and its examples) lists them. */
export const apiRouteDocs: RouteDoc[] = [...contactDocs, ...suppressionDocs, ...messageDocs, ...webhookDocs];

const json = (schema: unknown, example?: unknown) => ({ 'application/json': { schema: schema as typeof ErrorBody, ...(example === undefined ? {} : { example }) } });
/** Components are raw OpenAPI (no zod conversion there): they point at the Error schema. */
const errorJson = (example: unknown) => ({ 'application/json': { schema: { $ref: '#/components/schemas/Error' }, example } });
const stringHeader = (description: string) => ({ description, schema: { type: 'string' as const } });
const errorExample = (code: string, message: string) => ({ error: { code, message } });

/**
 * The errors any route can answer, as components the operations point at. 405 belongs to no
 * operation (it answers a method the path does not have), so it is only a component, named in
 * the document's description.
 */
const ERROR_RESPONSES = {
  Unauthorized: {
    description: 'No API key, or an invalid or revoked one. Always with a `WWW-Authenticate: Bearer` challenge (RFC 9110 §11.6.1); a key that was sent but is not valid adds `error="invalid_token"` (RFC 6750 §3.1).',
    headers: { 'WWW-Authenticate': stringHeader('`Bearer realm="optbox"`, plus `error="invalid_token"` for a key that is not valid.') },
    content: errorJson(errorExample('unauthorized', 'invalid or revoked API key')),
  },
  Forbidden: { description: 'The key lacks the scope this route needs.', content: errorJson(errorExample('forbidden', 'this API key lacks the contacts:write scope')) },
  NotFound: { description: 'No such route (or, on a route with an id, no such resource).', content: errorJson(errorExample('not_found', 'no such route')) },
  MethodNotAllowed: {
    description: 'The path exists but not with this method; `Allow` lists the methods it has (RFC 9110 §15.5.6).',
    headers: { Allow: stringHeader('e.g. `GET, HEAD, POST`.') },
    content: errorJson(errorExample('method_not_allowed', 'PUT is not allowed here (allowed: GET, HEAD, POST)')),
  },
  PayloadTooLarge: { description: 'The body is larger than API_BODY_LIMIT (judged by `Content-Length` before anything reads the body). Nothing was changed.', content: errorJson(errorExample('payload_too_large', 'request body is larger than 1048576 bytes')) },
  UnsupportedMediaType: { description: 'The body is not sent as `application/json`. Nothing was changed.', content: errorJson(errorExample('unsupported_media_type', 'send the body as application/json')) },
  RateLimited: {
    description: 'Too many requests for this key; retry after `Retry-After` seconds.',
    headers: { 'Retry-After': { description: 'Seconds to wait (RFC 9110 §10.2.3).', schema: { type: 'integer' as const, minimum: 1 } } },
    content: errorJson(errorExample('rate_limited', 'too many requests for this API key (50/s, bursts of 100)')),
  },
};
const ref = (name: keyof typeof ERROR_RESPONSES) => ({ $ref: `#/components/responses/${name}` });

const BAD_INPUT = {
  description: 'Bad input; `error.fields` names each bad input as the client wrote it (`suppressions[3].email`, `topics.newsletter`, an unknown parameter or key by its own name). Nothing was changed.',
  content: json(ErrorBody, { error: { code: 'invalid_input', message: 'email: is not an email address (expected name@domain)', fields: [{ field: 'email', message: 'is not an email address (expected name@domain)' }] } }),
};

/** The responses of one route: its own, then the errors it can answer. */
function responsesOf(route: RouteDoc) {
  const responses: Record<string, object> = {};
  for (const [status, r] of Object.entries(route.responses)) {
    const content = r.schema ? json(r.schema) : r.content ? r.content : Number(status) >= 400 ? json(ErrorBody) : undefined;
    responses[status] = { description: r.description, ...(content ? { content } : {}) };
  }
  const hasInput = !!(route.params || route.query || route.body);
  if (hasInput) responses['400'] ??= BAD_INPUT;
  responses['401'] ??= ref('Unauthorized');
  responses['403'] ??= ref('Forbidden');
  responses['413'] ??= ref('PayloadTooLarge');
  if (route.body) responses['415'] ??= ref('UnsupportedMediaType');
  responses['429'] ??= ref('RateLimited');
  return Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b)));
}

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
      path: '/api/v1' + route.path.replace(/:(\w+)/g, '{$1}'),
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
    const operation = paths?.['/api/v1' + route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method];
    for (const parameter of operation?.parameters ?? []) if (parameter.name in values) parameter.example = values[parameter.name];
  }
}

const require = createRequire(import.meta.url);

/**
 * /api/openapi.json and the readable docs at /api/docs (Scalar). The docs page loads Scalar's
 * bundle from this server (node_modules), not from a CDN, so it works where the reader's browser
 * reaches only optbox; it gets its own CSP because the bundle injects styles.
 */
export function createApiDocsRoutes(deps: AppDeps) {
  let document: string | undefined;
  let scalar: { body: Buffer; etag: string } | undefined;
  const docsCsp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  return new Hono<AppEnv>()
    .get('/openapi.json', (c) => {
      document ??= JSON.stringify(openApiDocument({ publicUrl: deps.config.publicUrl, version: '1' }));
      c.header('Cache-Control', 'no-cache');
      return c.body(document, 200, { 'Content-Type': 'application/json; charset=utf-8' });
    })
    .get('/docs', (c) => {
      c.header('Content-Security-Policy', docsCsp);
      return c.html(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>optbox API</title></head><body>` +
          `<script id="api-reference" type="application/json" data-url="/api/openapi.json" data-configuration='{"withDefaultFonts":false,"hideClientButton":true,"showDeveloperTools":"never","agent":{"disabled":true},"telemetry":false}'></script>` +
          `<script src="/api/docs/scalar.js"></script></body></html>`,
      );
    })
    .get('/docs/scalar.js', (c) => {
      if (!scalar) {
        const body = readFileSync(require.resolve('@scalar/api-reference').replace(/dist[\\/]index\.js$/, 'dist/browser/standalone.js'));
        scalar = { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
      }
      c.header('ETag', scalar.etag);
      c.header('Cache-Control', 'public, max-age=86400');
      if (c.req.header('if-none-match') === scalar.etag) return c.body(null, 304);
      return c.body(new Uint8Array(scalar.body), 200, { 'Content-Type': 'text/javascript; charset=utf-8' });
    });
}
