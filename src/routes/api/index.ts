import { Hono } from 'hono';
import { limitBody } from '../body-limit.ts';
import { apiKeyAuth } from '../../auth/api-key.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { createContactRoutes } from './contacts.ts';
import { rateLimit } from './rate-limit.ts';
import { createSuppressionRoutes } from './suppressions.ts';
import { createMessageRoutes } from './messages.ts';
import { createWebhookRoutes } from './webhooks.ts';

/** /api/v1: size limit, bearer key, rate limit per key, JSON in and out. */
export function createApiRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .use(
      '*',
      limitBody(deps.config.apiBodyLimit),
    )
    .use('*', apiKeyAuth(deps.core))
    .use('*', rateLimit({ perSecond: deps.config.apiRateLimit, burst: deps.config.apiRateBurst, clock: deps.core.clock }))
    .route('/', createContactRoutes(deps))
    .route('/', createSuppressionRoutes(deps))
    .route('/', createWebhookRoutes(deps))
    .route('/', createMessageRoutes(deps));
}
