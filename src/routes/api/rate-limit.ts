import type { MiddlewareHandler } from 'hono';
import { takeRateLimit } from '../../core/rate-limits.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { OptboxError } from '../../core/errors.ts';
import type { AppEnv } from '../context.ts';

/**
 * Per API key token bucket: `burst` requests at once, refilled at `perSecond`. The bucket is the
 * store's, so several instances on one PostgreSQL share it. Over the limit: 429 with
 * Retry-After (RFC 9110 §10.2.3) in whole seconds.
 */
export function rateLimit(core: CoreDeps, options: { perSecond: number; burst: number }): MiddlewareHandler<AppEnv> {
  const rule = { capacity: options.burst, perSecond: options.perSecond };
  return async (c, next) => {
    if (options.perSecond > 0) {
      const wait = await takeRateLimit(core, `api:${c.get('apiKey').id}`, rule);
      if (wait > 0) {
        c.header('Retry-After', String(Math.max(1, Math.ceil(wait / 1000))));
        throw new OptboxError('rate_limited', `too many requests for this API key (${options.perSecond}/s, bursts of ${options.burst})`);
      }
    }
    await next();
  };
}
