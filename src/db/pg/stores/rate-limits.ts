import type { PgOrm } from '../client.ts';
import type { RateRule } from '../../stores/rate-limits.ts';

// A fast bucket (an API key's) is drawn on in chunks of this many seconds' worth of its rate,
// held by the instance that drew them for at most HOLD_MS.
const CHUNK_SECONDS = 0.1;
const HOLD_MS = 1000;

/**
 * Rate-limit buckets shared by every instance on the database (one UNLOGGED row per key, taken
 * from by the function `optbox_take_tokens` in one round trip), so a limit is not multiplied by
 * the number of instances. Same contract as the SQLite store.
 *
 * A bucket that refills fast (an API key at thousands a second) would cost a round trip on every
 * request; instead an instance draws a tenth of a second's worth at once and spends it locally.
 * The service as a whole still never exceeds the bucket: what an instance holds was taken from
 * it (what it does not spend within a second is dropped, a small loss to the client, never a gain).
 * Slow buckets (sign-in limits, a few per quarter hour) are taken from one token at a time.
 */
export function createPgRateLimitStore(orm: PgOrm) {
  const held = new Map<string, { tokens: number; until: number }>();
  const takeShared = async (key: string, rule: RateRule, cost: number, now: number) => {
    const { rows } = await orm.$client.query<{ wait: number }>({ name: 'optbox_take_tokens', text: 'SELECT optbox_take_tokens($1, $2, $3, $4, $5) AS wait', values: [key, rule.capacity, rule.perSecond / 1000, cost, now] });
    return rows[0]!.wait;
  };
  return {
    async take(key: string, rule: RateRule, cost: number, now: number): Promise<number> {
      const mine = held.get(key);
      if (mine && mine.until > now && mine.tokens >= cost) {
        mine.tokens -= cost;
        return 0;
      }
      const chunk = Math.floor(Math.min(rule.capacity / 10, rule.perSecond * CHUNK_SECONDS));
      if (chunk > cost && (await takeShared(key, rule, chunk, now)) === 0) {
        held.set(key, { tokens: chunk - cost, until: now + HOLD_MS });
        return 0;
      }
      return takeShared(key, rule, cost, now);
    },
  };
}
