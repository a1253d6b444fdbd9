import type { Context, MiddlewareHandler } from 'hono';
import type { Clock } from '../../core/clock.ts';
import { OptboxError } from '../../core/errors.ts';
import type { AppEnv } from '../context.ts';

/** The request variable through which an endpoint charges the rest of its cost (chargeAddresses). */
const CHARGE = 'rateCharge';
type Charge = (c: Context<AppEnv>, addresses: number) => void;

/**
 * Per API key token bucket: `burst` requests at once, refilled at `perSecond`. In memory, per
 * process: enough for one optbox instance; a shared store would join with a second one.
 * A request costs one; the check and prepare cost one per address (chargeAddresses).
 * Over the limit: 429 with Retry-After (RFC 9110 §10.2.3) in whole seconds.
 */
export function rateLimit(options: { perSecond: number; burst: number; clock: Clock }): MiddlewareHandler<AppEnv> {
  const buckets = new Map<string, { tokens: number; at: number }>();
  /** Take `cost` from the key's bucket, or answer 429 and take nothing. */
  const take = (c: Context<AppEnv>, cost: number) => {
    const id = c.get('apiKey').id;
    const now = options.clock.now();
    const bucket = buckets.get(id) ?? { tokens: options.burst, at: now };
    bucket.tokens = Math.min(options.burst, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * options.perSecond);
    bucket.at = now;
    buckets.set(id, bucket);
    if (bucket.tokens < cost) {
      c.header('Retry-After', String(Math.max(1, Math.ceil((cost - bucket.tokens) / options.perSecond))));
      throw new OptboxError('rate_limited', `too many requests for this API key (${options.perSecond}/s, bursts of ${options.burst}; a check or prepare counts each address)`);
    }
    bucket.tokens -= cost;
  };
  // The rest of a batch: never more than a full bucket holds, so no batch the API takes is refused for ever.
  const charge: Charge = (c, addresses) => take(c, Math.min(addresses - 1, options.burst - 1));
  return async (c, next) => {
    if (options.perSecond > 0) {
      take(c, 1);
      c.set(CHARGE as never, charge as never);
    }
    await next();
  };
}

/**
 * The check and prepare cost one per address they carry, so a sending pipeline has the same
 * budget whether it asks once per mail or in batches: the request paid one on the way in, this
 * takes the rest (429 if the key has not got it). Call it once the body is validated, before the
 * work. A batch costs at most API_RATE_BURST.
 */
export function chargeAddresses(c: Context<AppEnv>, addresses: number): void {
  const charge = c.get(CHARGE as never) as Charge | undefined;
  if (charge && addresses > 1) charge(c, addresses);
}
