/** Rebalancing schedules: which bar closes are decision times. Pure; see docs/math.md
 *  ("Dynamic hedging"). Times are bar close times, epoch ms UTC. */

const DAY = 86_400_000;
/** Weekly periods start on Monday 00:00 UTC (ISO weeks; 1970-01-05 was a Monday), as resample. */
const MONDAY = 4 * DAY;

/** Decision flags for bars [from, to] with a period of `periodMs` (null = never): bar `from`
 *  (the start, where the hedge is opened) and every bar whose close falls in a new period
 *  [origin + k·period, origin + (k+1)·period), periods aligned to 00:00 UTC (weeks: Monday
 *  00:00 UTC). On hourly bars `1d` decides at the first close of each UTC day; on daily bars
 *  `8h` decides at every bar (a schedule cannot be finer than the data). Returns one byte per bar
 *  of `times` (0 outside [from, to]). O(bars).
 *  @example rebalanceFlags([0, 3600e3, 86400e3, 90000e3], 0, 3, 86400e3) // => [1, 0, 1, 0] */
export function rebalanceFlags(
  times: ArrayLike<number>,
  from: number,
  to: number,
  periodMs: number | null,
): Uint8Array {
  const out = new Uint8Array(times.length);
  if (from > to) return out;
  out[from] = 1;
  if (periodMs === null) return out;
  const origin = periodMs % (7 * DAY) === 0 ? MONDAY : 0;
  // The current period is [start, end): a bar closing outside it opens a new one (times increase,
  // so only `end` is compared on most bars; the division runs once per period).
  let bucket = Math.floor(((times[from] as number) - origin) / periodMs);
  let start = origin + bucket * periodMs;
  let end = start + periodMs;
  for (let i = from + 1; i <= to; i++) {
    const t = times[i] as number;
    if (t < end && t >= start) continue;
    const b = Math.floor((t - origin) / periodMs);
    if (b !== bucket) {
      out[i] = 1;
      bucket = b;
    }
    start = origin + bucket * periodMs;
    end = start + periodMs;
  }
  return out;
}
