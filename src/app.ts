import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { OptboxError } from './core/errors.ts';
import { redactPath } from './logger.ts';
import type { AppDeps, AppEnv } from './routes/context.ts';
import { securityHeaders } from './routes/security-headers.ts';
import { clientAddress } from './routes/client-ip.ts';
import { limitBody } from './routes/body-limit.ts';
import { apiError, handleError } from './routes/errors.tsx';
import { createApiRoutes } from './routes/api/index.ts';
import { createApiDocsRoutes } from './routes/api/openapi.ts';
import { createOpsRoutes } from './routes/ops.ts';
import { createUnsubscribeRoutes } from './routes/public/unsubscribe.tsx';
import { createPreferencesRoutes } from './routes/public/preferences.tsx';

export type { AppDeps } from './routes/context.ts';

/** The whole HTTP app over its dependencies; tests build it over a fresh database. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    deps.logger.info({ method: c.req.method, path: redactPath(c.req.path), status: c.res.status, ms: Math.round((performance.now() - started) * 10) / 10 }, 'request');
  });
  app.use('*', securityHeaders());
  app.use('*', clientAddress(deps.config.trustProxy));
  // Every cookie-authenticated form (the preference center) must come from this site: the
  // Origin (or Sec-Fetch-Site) is checked, on top of SameSite=Lax cookies and per-session form
  // tokens. NOT on /u/: RFC 8058 one-click POSTs come from mail providers, carry no cookie, and
  // the token in the URI is their whole credential.
  const publicOrigin = new URL(deps.config.publicUrl).origin;
  const sameSite = csrf({ origin: (origin, c) => origin === publicOrigin || origin === new URL(c.req.url).origin });
  app.use('/preferences', sameSite);
  app.use('/preferences/*', sameSite);
  // Public forms are tiny; a large body is someone else's mistake.
  for (const path of ['/u/*', '/preferences', '/preferences/*']) app.use(path, limitBody(16 * 1024));

  app.route('/', createOpsRoutes(deps));
  app.route('/', createUnsubscribeRoutes(deps));
  app.route('/', createPreferencesRoutes(deps));
  app.route('/api', createApiDocsRoutes(deps));
  app.route('/api/v1', createApiRoutes(deps));

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/')) return apiError(c, 'not_found', 'no such route');
    return handleError(deps)(new OptboxError('not_found', 'no such page'), c);
  });
  app.onError(handleError(deps));
  return app;
}
