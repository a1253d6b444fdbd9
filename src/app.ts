import { Hono } from 'hono';
import { csrf } from 'hono/csrf';
import { OptboxError } from './core/errors.ts';
import type { AppDeps, AppEnv } from './routes/context.ts';
import { securityHeaders } from './routes/security-headers.ts';
import { requestLog } from './routes/request-log.ts';
import { clientAddress } from './routes/client-ip.ts';
import { limitBody } from './routes/body-limit.ts';
import { apiError, handleError } from './routes/errors.tsx';
import { createApiRoutes } from './routes/api/index.ts';
import { createApiDocsRoutes } from './routes/api/openapi.ts';
import { createOpsRoutes } from './routes/ops.ts';
import { createHookRoutes } from './routes/hooks/index.ts';
import { createUnsubscribeRoutes } from './routes/public/unsubscribe.tsx';
import { createPreferencesRoutes } from './routes/public/preferences.tsx';
import { createPrivacyRoutes } from './routes/public/privacy.tsx';
import { createConsoleRoutes } from './routes/admin/index.ts';

export type { AppDeps } from './routes/context.ts';

/** The whole HTTP app over its dependencies; tests build it over a fresh database. */
export function createApp(deps: AppDeps) {
  const app = new Hono<AppEnv>();

  app.use('*', requestLog(deps));
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
  // The privacy-request verification button is a form on our own page (no cookie: the token is the credential).
  app.use('/privacy/*', sameSite);
  // Public forms are tiny; a large body is someone else's mistake.
  for (const path of ['/u/*', '/preferences', '/preferences/*', '/privacy/*']) app.use(path, limitBody(16 * 1024));
  // Console forms are small too (the CSV import streams its own body and is mounted before this).
  const consoleForms = limitBody(64 * 1024);
  app.use('/admin/*', (c, next) => (c.req.method === 'POST' && c.req.path === '/admin/suppressions/import' ? next() : consoleForms(c, next)));

  app.route('/', createOpsRoutes(deps));
  app.route('/', createUnsubscribeRoutes(deps));
  app.route('/', createPreferencesRoutes(deps));
  app.route('/', createPrivacyRoutes(deps));
  app.route('/api', createApiDocsRoutes(deps));
  app.route('/api/v1', createApiRoutes(deps));
  app.route('/', createConsoleRoutes(deps).app);
  app.route('/hooks', createHookRoutes(deps));

  app.notFound((c) => {
    if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/hooks/')) return apiError(c, 'not_found', 'no such route');
    return handleError(deps)(new OptboxError('not_found', 'no such page'), c);
  });
  app.onError(handleError(deps));
  return app;
}
