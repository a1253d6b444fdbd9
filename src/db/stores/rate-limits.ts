/** A token bucket: up to `capacity` at once, refilled continuously at `perSecond`. */
export interface RateRule {
  capacity: number;
  perSecond: number;
}

/**
 * Rate-limit buckets on SQLite: in the memory of the one process that serves the database file
 * (a second process, the CLI, serves no requests). At most `maxKeys` buckets are kept; full
 * ones (idle long enough to have refilled) go first.
 */
export function createRateLimitStore(options: { maxKeys?: number } = {}) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const maxKeys = options.maxKeys ?? 100_000;
  return {
    /** Take `cost` tokens from `key`'s bucket: 0 when taken, else how many ms until they would be there. */
    async take(key: string, rule: RateRule, cost: number, now: number): Promise<number> {
      let bucket = buckets.get(key);
      if (!bucket) {
        if (buckets.size >= maxKeys) sweep(now, rule);
        bucket = { tokens: rule.capacity, at: now };
        buckets.set(key, bucket);
      }
      const tokens = Math.min(rule.capacity, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * rule.perSecond);
      bucket.at = Math.max(bucket.at, now);
      if (tokens >= cost) {
        bucket.tokens = tokens - cost;
        return 0;
      }
      bucket.tokens = tokens;
      return Math.ceil(((cost - tokens) / rule.perSecond) * 1000);
    },
  };

  function sweep(now: number, rule: RateRule) {
    for (const [k, b] of buckets) if (b.tokens + ((now - b.at) / 1000) * rule.perSecond >= rule.capacity) buckets.delete(k);
    if (buckets.size >= maxKeys) buckets.clear();
  }
}

export type RateLimitStore = ReturnType<typeof createRateLimitStore>;
