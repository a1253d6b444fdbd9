import type { Context, MiddlewareHandler } from 'hono';
import type { Clock } from '../../core/clock.ts';
import { OptboxError } from '../../core/errors.ts';
import type { AppEnv } from '../context.ts';

/** The request variable through which an endpoint charges the rest of its cost (chargeAddresses). */
const LIMITER = 'rateLimiter';

interface Limiter {
  /** Take `cost` from the key's bucket; with `admit`, refuse (429) unless a whole token is there. */
  take(id: string, cost: number, admit: boolean, c: Context): void;
}

/**
 * Per API key token bucket: `burst` at once, refilled at `perSecond`. In memory, per process:
 * enough for one optbox instance; a shared store would join with a second one. A request is let
 * in while its key has a token and costs one; an endpoint whose work grows with the addresses it
 * carries (the check, prepare) charges the rest once it has read them (chargeAddresses), so a
 * key's budget is addresses per second there. A batch bigger than what is left is still served
 * and leaves the bucket in debt: the key's next requests wait until it has paid it back.
 * Over the limit: 429 with Retry-After (RFC 9110 §10.2.3) in whole seconds.
 */
export function rateLimit(options: { perSecond: number; burst: number; clock: Clock }): MiddlewareHandler<AppEnv> {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const limiter: Limiter = {
    take(id, cost, admit, c) {
      const now = options.clock.now();
      const bucket = buckets.get(id) ?? { tokens: options.burst, at: now };
      bucket.tokens = Math.min(options.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * options.perSecond);
      bucket.at = now;
      buckets.set(id, bucket);
      if (admit && bucket.tokens < 1) {
        c.header('Retry-After', String(Math.max(1, Math.ceil((1 - bucket.tokens) / options.perSecond))));
        throw new OptboxError('rate_limited', `too many requests for this API key (${options.perSecond}/s, bursts of ${options.burst}; a check or prepare counts each address)`);
      }
      bucket.tokens -= cost;
    },
  };
  return async (c, next) => {
    if (options.perSecond > 0) {
      limiter.take(c.get('apiKey').id, 1, true, c);
      c.set(LIMITER as never, limiter as never);
    }
    await next();
  };
}

/**
 * Charge a request that carries `addresses` addresses its full cost: the first was paid on the
 * way in. Call it once the body is validated, before the work (nothing, when no limit is set).
 */
export function chargeAddresses(c: Context<AppEnv>, addresses: number): void {
  const limiter = c.get(LIMITER as never) as Limiter | undefined;
  if (limiter && addresses > 1) limiter.take(c.get('apiKey').id, addresses - 1, false, c);
}
