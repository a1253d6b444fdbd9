import { Hono } from 'hono';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AppDeps, AppEnv } from '../context.ts';
import { openApiDocument } from './document.ts';

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
