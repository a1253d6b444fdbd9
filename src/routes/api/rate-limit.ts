import type { Context, MiddlewareHandler } from 'hono';
import { takeRateLimit } from '../../core/rate-limits.ts';
import type { CoreDeps } from '../../core/deps.ts';
import { OptboxError } from '../../core/errors.ts';
import type { AppEnv } from '../context.ts';

/** The request variable through which an endpoint charges the rest of its cost (chargeAddresses). */
const CHARGE = 'rateCharge';
type Charge = (c: Context<AppEnv>, addresses: number) => Promise<void>;

/**
 * Per API key token bucket: `burst` requests at once, refilled at `perSecond`. The bucket is the
 * store's, so several instances on one PostgreSQL share it. A request costs one; the check and
 * prepare cost one per address (chargeAddresses). Over the limit: 429 with Retry-After
 * (RFC 9110 §10.2.3) in whole seconds, and nothing taken.
 */
export function rateLimit(core: CoreDeps, options: { perSecond: number; burst: number }): MiddlewareHandler<AppEnv> {
  const rule = { capacity: options.burst, perSecond: options.perSecond };
  const take = async (c: Context<AppEnv>, cost: number) => {
    const wait = await takeRateLimit(core, `api:${c.get('apiKey').id}`, rule, cost);
    if (wait > 0) {
      c.header('Retry-After', String(Math.max(1, Math.ceil(wait / 1000))));
      throw new OptboxError('rate_limited', `too many requests for this API key (${options.perSecond}/s, bursts of ${options.burst}; a check or prepare counts each address)`);
    }
  };
  // The rest of a batch: never more than a full bucket holds, so no batch the API takes is refused for ever.
  const charge: Charge = (c, addresses) => take(c, Math.min(addresses - 1, options.burst - 1));
  return async (c, next) => {
    if (options.perSecond > 0) {
      await take(c, 1);
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
export async function chargeAddresses(c: Context<AppEnv>, addresses: number): Promise<void> {
  const charge = c.get(CHARGE as never) as Charge | undefined;
  if (charge && addresses > 1) await charge(c, addresses);
}
