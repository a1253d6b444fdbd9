import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { apiKeyAuth } from '../../auth/api-key.ts';
import { OptboxError } from '../../core/errors.ts';
import type { AppDeps, AppEnv } from '../context.ts';
import { createSuppressionRoutes } from './suppressions.ts';
import { createMessageRoutes } from './messages.ts';

/** /api/v1: bearer key, size limit, JSON in and out. */
export function createApiRoutes(deps: AppDeps) {
  return new Hono<AppEnv>()
    .use(
      '*',
      bodyLimit({
        maxSize: deps.config.apiBodyLimit,
        onError: () => {
          throw new OptboxError('payload_too_large', `request body is larger than ${deps.config.apiBodyLimit} bytes`);
        },
      }),
    )
    .use('*', apiKeyAuth(deps.core))
    .route('/', createSuppressionRoutes(deps))
    .route('/', createMessageRoutes(deps));
}
