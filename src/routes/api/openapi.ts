import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { Hono } from 'hono';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AppDeps, AppEnv } from '../context.ts';
import { contactDocs } from './contacts.ts';
import type { RouteDoc } from './doc.ts';
import { ErrorBody } from './schemas.ts';
import { suppressionDocs } from './suppressions.ts';
import { webhookDocs } from './webhooks.ts';
import { messageDocs } from './messages.ts';

/** Every documented /api/v1 route. A route module adds its own list here. */
export const apiRouteDocs: RouteDoc[] = [...contactDocs, ...suppressionDocs, ...messageDocs, ...webhookDocs];

const COMMON_ERRORS: Record<number, string> = {
  400: 'Bad input; `error.fields` names each bad field (e.g. `suppressions[3].email`). Nothing was changed.',
  401: 'No API key, or an invalid or revoked one.',
  403: 'The key lacks the scope this route needs.',
  413: 'The body is larger than API_BODY_LIMIT.',
  429: 'Too many requests for this key; retry after `Retry-After` seconds.',
};

/** OpenAPI 3.1, generated from the zod schemas the handlers validate with. */
export function openApiDocument(options: { publicUrl: string; version: string }) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API key from `optbox apikey create --name N [--scopes a,b]`, sent as `Authorization: Bearer obx_…`.',
  });
  const errorRef = ErrorBody; // a component by its meta id
  for (const route of apiRouteDocs) {
    const responses: Record<string, { description: string; content?: Record<string, { schema: typeof errorRef }> }> = {};
    for (const [status, r] of Object.entries(route.responses)) {
      responses[status] = r.schema ? { description: r.description, content: { [r.contentType ?? 'application/json']: { schema: r.schema as typeof errorRef } } } : { description: r.description, ...(Number(status) >= 400 ? { content: { 'application/json': { schema: errorRef } } } : r.contentType ? { content: { [r.contentType]: { schema: { type: 'string' } as never } } } : {}) };
    }
    for (const [status, description] of Object.entries(COMMON_ERRORS)) {
      if (status === '413' && !route.body) continue;
      responses[status] ??= { description, content: { 'application/json': { schema: errorRef } } };
    }
    registry.registerPath({
      method: route.method,
      path: '/api/v1' + route.path.replace(/:(\w+)/g, '{$1}'),
      summary: route.summary,
      description: [route.description, `Scope: \`${route.scope}\`.`].filter(Boolean).join('\n\n'),
      tags: [route.tag],
      security: [{ apiKey: [] }],
      request: {
        ...(route.params ? { params: route.params } : {}),
        ...(route.query ? { query: route.query } : {}),
        ...(route.body ? { body: { required: true, content: { 'application/json': { schema: route.body } } } } : {}),
      },
      responses,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'optbox marketing API',
      version: options.version,
      description:
        'Keep your CRM, campaign tool or warehouse in step with optbox: contacts with proof of consent, the suppression list (check, sync, add, remove, export) and signed webhooks. Errors always have the shape `{"error": {"code", "message", "fields"?}}`.',
    },
    servers: [{ url: options.publicUrl }],
    security: [{ apiKey: [] }],
  });
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
