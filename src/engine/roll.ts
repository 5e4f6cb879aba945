/** Dated futures over time: when a roll happens and which contract comes next. Pure; see
 *  docs/math.md ("Rolls and expiry"). Times are epoch ms UTC. */

const DAY = 86_400_000;

/** The time a position in a contract expiring at `expiry` is rolled: `rollDays` days before
 *  expiry (the simulation rolls at the first bar close at or after it). O(1). */
export function rollTime(expiry: number, rollDays: number): number {
  return expiry - rollDays * DAY;
}

/** True when `time` (epoch ms) is the last Friday of its UTC month. */
function isLastFriday(d: Date): boolean {
  return (
    d.getUTCDay() === 5 && d.getUTCDate() + 7 > daysInMonth(d.getUTCFullYear(), d.getUTCMonth())
  );
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
}

/** Expiry of the next quarterly contract after one expiring at `expiry`: three calendar months
 *  later at the same time of day. Quarterly futures on Binance, Bybit and OKX expire on the last
 *  Friday of March, June, September and December (08:00 UTC); when `expiry` is such a last
 *  Friday, so is the next one (the last Friday of the month three months on), else the same day
 *  of the month (clamped to the month's length). O(1).
 *  @example nextQuarterlyExpiry(Date.UTC(2026, 2, 27, 8)) // => Date.UTC(2026, 5, 26, 8) */
export function nextQuarterlyExpiry(expiry: number): number {
  const d = new Date(expiry);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 3;
  const timeOfDay = expiry - Date.UTC(y, d.getUTCMonth(), d.getUTCDate());
  const ny = y + Math.floor(m / 12);
  const nm = m % 12;
  const last = daysInMonth(ny, nm);
  let day: number;
  if (isLastFriday(d)) {
    const lastDow = new Date(Date.UTC(ny, nm, last)).getUTCDay();
    day = last - ((lastDow - 5 + 7) % 7);
  } else day = Math.min(d.getUTCDate(), last);
  return Date.UTC(ny, nm, day) + timeOfDay;
}
