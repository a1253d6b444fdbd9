import type { PgOrm } from '../client.ts';
import type { RateRule } from '../../stores/rate-limits.ts';

/**
 * Rate-limit buckets shared by every instance on the database (one UNLOGGED row per key, taken
 * from by the function `optbox_take_tokens` in one round trip), so a limit is not multiplied by
 * the number of instances. Same contract as the SQLite store.
 */
export function createPgRateLimitStore(orm: PgOrm) {
  return {
    async take(key: string, rule: RateRule, cost: number, now: number): Promise<number> {
      const { rows } = await orm.$client.query<{ wait: number }>('SELECT optbox_take_tokens($1, $2, $3, $4, $5) AS wait', [key, rule.capacity, rule.perSecond / 1000, cost, now]);
      return rows[0]!.wait;
    },
  };
}
