import { loadConfig, type Config } from '../config.ts';
import type { Clock } from '../core/clock.ts';

/**
 * Helpers for tests of code that uses optbox (this repository's own tests and benchmarks use
 * them too), importable as `optbox/testing`. Nothing in the server uses them.
 */

/** A config with the defaults, an in-memory database and silent logs, and any overrides. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({}), databasePath: ':memory:', logLevel: 'silent', ...overrides };
}

/** A clock that stands still until told: `advance(ms)` and `set(ms)`. Starts at 28 Nov 2026 09:00 UTC. */
export function fixedClock(start = Date.UTC(2026, 10, 28, 9, 0, 0)): Clock & { advance(ms: number): void; set(ms: number): void } {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => void (t += ms),
    set: (ms) => void (t = ms),
  };
}
