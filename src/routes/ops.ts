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
 * metrics, and the stylesheet of the public pages.
 */
export function createOpsRoutes(deps: AppDeps) {
  const css = readFileSync(projectPath('views/assets/optbox.css'));
  const cssTag = `"${createHash('sha256').update(css).digest('base64url').slice(0, 16)}"`;
  return new Hono<AppEnv>()
    .get('/healthz', (c) => {
      const ok = storeHealthy(deps.core);
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
    .get('/assets/optbox.css', (c) => {
      c.header('ETag', cssTag);
      c.header('Cache-Control', 'public, max-age=3600');
      if (c.req.header('if-none-match') === cssTag) return c.body(null, 304);
      return c.body(css, 200, { 'Content-Type': 'text/css; charset=utf-8' });
    });
}
