import { Hono } from 'hono';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { storeHealthy } from '../core/health.ts';
import { projectPath } from '../paths.ts';
import { readiness } from '../core/stats.ts';
import { requireBearer } from './hooks/auth.ts';
import type { AppDeps, AppEnv } from './context.ts';

/**
 * Health for load balancers (/healthz: alive; /readyz: migrated and taking writes), Prometheus
 * metrics, and the stylesheets of the public pages and the console.
 */
export function createOpsRoutes(deps: AppDeps) {
  const stylesheet = (file: string) => {
    const body = readFileSync(projectPath(`views/assets/${file}`));
    return { body, tag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
  };
  const sheets = { 'optbox.css': stylesheet('optbox.css'), 'console.css': stylesheet('console.css') };
  return new Hono<AppEnv>()
    .get('/healthz', async (c) => {
      const ok = await storeHealthy(deps.core);
      return c.json({ status: ok ? 'ok' : 'unavailable' }, ok ? 200 : 503);
    })
    .get('/readyz', async (c) => {
      const result = await readiness(deps.core);
      c.header('Cache-Control', 'no-store');
      return c.json({ status: result.ready ? 'ready' : 'unavailable', checks: result.checks }, result.ready ? 200 : 503);
    })
    // Prometheus text format; open as Prometheus expects, or behind a bearer token when
    // METRICS_TOKEN is set. 404 when the runtime keeps no metrics.
    .get('/metrics', async (c) => {
      if (!deps.metrics) return c.json({ error: { code: 'not_found', message: 'no such route' } }, 404);
      if (deps.config.metricsToken) requireBearer(c.req.header('authorization'), deps.config.metricsToken);
      c.header('Cache-Control', 'no-store');
      return c.body(await deps.metrics.render(), 200, { 'Content-Type': deps.metrics.contentType });
    })
    .get('/assets/:file{(optbox|console)\\.css}', (c) => {
      const sheet = sheets[c.req.param('file') as keyof typeof sheets];
      c.header('ETag', sheet.tag);
      c.header('Cache-Control', 'public, max-age=3600');
      if (c.req.header('if-none-match') === sheet.tag) return c.body(null, 304);
      return c.body(sheet.body, 200, { 'Content-Type': 'text/css; charset=utf-8' });
    });
}
