/**
 * A fixed-window counter per key, in memory (one process serves the database). Enough to stop a
 * sign-in form from being used to flood an inbox or to probe addresses quickly.
 */
export function createRateLimiter(options: { limit: number; windowMs: number; now: () => number; maxKeys?: number }) {
  const windows = new Map<string, { start: number; count: number }>();
  const maxKeys = options.maxKeys ?? 100_000;
  return {
    /** Count one attempt; false when the key is over its limit in the current window. */
    take(key: string): boolean {
      const now = options.now();
      let w = windows.get(key);
      if (!w || now - w.start >= options.windowMs) {
        if (windows.size >= maxKeys) {
          for (const [k, v] of windows) if (now - v.start >= options.windowMs) windows.delete(k);
          if (windows.size >= maxKeys) windows.clear();
        }
        w = { start: now, count: 0 };
        windows.set(key, w);
      }
      w.count++;
      return w.count <= options.limit;
    },
  };
}
