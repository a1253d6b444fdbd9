import { Hono } from 'hono';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { storeHealthy } from '../core/health.ts';
import { projectPath } from '../paths.ts';
import type { AppDeps, AppEnv } from './context.ts';

/** Health for load balancers and the stylesheet of the public pages. */
export function createOpsRoutes(deps: AppDeps) {
  const css = readFileSync(projectPath('views/assets/optbox.css'));
  const cssTag = `"${createHash('sha256').update(css).digest('base64url').slice(0, 16)}"`;
  return new Hono<AppEnv>()
    .get('/healthz', (c) => {
      const ok = storeHealthy(deps.core);
      return c.json({ status: ok ? 'ok' : 'unavailable' }, ok ? 200 : 503);
    })
    .get('/assets/optbox.css', (c) => {
      c.header('ETag', cssTag);
      c.header('Cache-Control', 'public, max-age=3600');
      if (c.req.header('if-none-match') === cssTag) return c.body(null, 304);
      return c.body(css, 200, { 'Content-Type': 'text/css; charset=utf-8' });
    });
}
