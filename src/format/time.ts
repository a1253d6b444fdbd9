/** An instant (ms since the epoch) as ISO 8601 in UTC, the one way times leave optbox. */
export const iso = (ms: number): string => new Date(ms).toISOString();

/** The same for an optional instant: null stays null. */
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

/**
 * `new Date(ms).toISOString()` for many instants, with the date part (YYYY-MM-DDT) made once per
 * day instead of once per row: the export spends a good part of its time formatting times.
 */
export function isoFormatter(): (ms: number) => string {
  let day = NaN;
  let prefix = '';
  const two = (n: number) => (n < 10 ? '0' : '') + n;
  return (ms) => {
    const d = Math.floor(ms / 86_400_000);
    if (d !== day) {
      if (ms < 0 || ms >= 253402300800000) return new Date(ms).toISOString(); // outside years 1970–9999
      day = d;
      prefix = new Date(d * 86_400_000).toISOString().slice(0, 11);
    }
    const t = ms - d * 86_400_000;
    const msPart = t % 1000;
    const s = Math.floor(t / 1000);
    return `${prefix}${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.${msPart < 10 ? '00' : msPart < 100 ? '0' : ''}${msPart}Z`;
  };
}
