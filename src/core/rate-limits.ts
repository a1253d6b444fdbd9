import type { RateRule } from '../db/store.ts';
import type { CoreDeps } from './deps.ts';
import { OptboxError } from './errors.ts';

export type { RateRule };

/** `limit` per `windowMs`, as a token bucket that refills continuously (a full window idle refills it all). */
export const perWindow = (limit: number, windowMs: number): RateRule => ({ capacity: limit, perSecond: limit / (windowMs / 1000) });

/**
 * Take `cost` from the bucket named `key`. The buckets live in the store: in the one process on
 * SQLite, in the database on PostgreSQL, so several instances share one limit instead of each
 * granting it. Returns 0, or the milliseconds until the request would have been allowed.
 */
export function takeRateLimit(deps: CoreDeps, key: string, rule: RateRule, cost = 1): Promise<number> {
  return deps.store.limits.take(key, rule, cost, deps.clock.now());
}

/** takeRateLimit for each bucket in turn, throwing `rate_limited` at the first that is over. */
export async function requireRateLimits(deps: CoreDeps, buckets: Array<[key: string, rule: RateRule]>, message: string): Promise<void> {
  for (const [key, rule] of buckets) if ((await takeRateLimit(deps, key, rule)) > 0) throw new OptboxError('rate_limited', message);
}
