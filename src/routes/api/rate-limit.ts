import type { MiddlewareHandler } from 'hono';
import type { Clock } from '../../core/clock.ts';
import { OptboxError } from '../../core/errors.ts';
import type { AppEnv } from '../context.ts';

/**
 * Per API key token bucket: `burst` requests at once, refilled at `perSecond`. In memory, per
 * process: enough for one optbox instance; a shared store would join with a second one.
 * Over the limit: 429 with Retry-After (RFC 9110 §10.2.3) in whole seconds.
 */
export function rateLimit(options: { perSecond: number; burst: number; clock: Clock }): MiddlewareHandler<AppEnv> {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return async (c, next) => {
    if (options.perSecond > 0) {
      const id = c.get('apiKey').id;
      const now = options.clock.now();
      const bucket = buckets.get(id) ?? { tokens: options.burst, at: now };
      bucket.tokens = Math.min(options.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * options.perSecond);
      bucket.at = now;
      buckets.set(id, bucket);
      if (bucket.tokens < 1) {
        c.header('Retry-After', String(Math.max(1, Math.ceil((1 - bucket.tokens) / options.perSecond))));
        throw new OptboxError('rate_limited', `too many requests for this API key (${options.perSecond}/s, bursts of ${options.burst})`);
      }
      bucket.tokens -= 1;
    }
    await next();
  };
}
