import { Hono, type Handler } from 'hono';
import { limitBody } from '../body-limit.ts';
import { apiKeyAuth } from '../../auth/api-key.ts';
import { OptboxError } from '../../core/errors.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { createContactRoutes } from './contacts.ts';
import { rateLimit } from './rate-limit.ts';
import { createSuppressionRoutes } from './suppressions.ts';
import { createMessageRoutes } from './messages.ts';
import { createWebhookRoutes } from './webhooks.ts';

/** /api/v1: size limit, bearer key, rate limit per key, JSON in and out. */
export function createApiRoutes(deps: AppDeps) {
  const api = new Hono<AppEnv>()
    .use('*', limitBody(deps.config.apiBodyLimit))
    .use('*', apiKeyAuth(deps.core))
    .use('*', rateLimit(deps.core, { perSecond: deps.config.apiRateLimit, burst: deps.config.apiRateBurst }))
    .route('/', createContactRoutes(deps))
    .route('/', createSuppressionRoutes(deps))
    .route('/', createWebhookRoutes(deps))
    .route('/', createMessageRoutes(deps));
  return api.all('*', methodNotAllowed(api.routes));
}

/**
 * Reached when no route answered: a path the API serves, asked with another method, is 405 with
 * `Allow` (RFC 9110 §15.5.6; GET implies HEAD, §9.3.2); any other path is 404.
 */
function methodNotAllowed(routes: Array<{ method: string; path: string }>): Handler<AppEnv> {
  const known = routes
    .filter((r) => r.method !== 'ALL')
    .map((r) => ({ method: r.method, path: new RegExp('^' + r.path.replace(/[.]/g, '\\.').replace(/:\w+/g, '[^/]+') + '/?$') }));
  return (c) => {
    // The path below the mount point, as the routes were written.
    const base = c.req.routePath.replace(/\/?\*$/, '');
    const path = c.req.path.slice(base.length) || '/';
    const methods = new Set(known.filter((r) => r.path.test(path)).map((r) => r.method));
    if (methods.size === 0) throw new OptboxError('not_found', 'no such route');
    if (methods.has('GET')) methods.add('HEAD');
    const allow = [...methods].sort().join(', ');
    c.header('Allow', allow);
    throw new OptboxError('method_not_allowed', `${c.req.method} is not allowed here (allowed: ${allow})`);
  };
}
