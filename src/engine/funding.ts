/** Perpetual funding: settlement times, which bar each settlement falls in and at what mark, and
 *  the sign of a payment. Pure; see docs/math.md ("Funding").
 *
 *  Convention (the exchanges' rule): a POSITIVE rate means LONGS PAY SHORTS. At a settlement τ
 *  the position held at τ pays or receives rate × its notional at the mark, the last bar close at
 *  or before τ. A settlement exactly on a bar close is applied to the position held before that
 *  close's trade. */
import { type Problem, type Result, fail, ok } from './result';

const HOUR = 3_600_000;
/** A constant funding rate settles every 8 h at 00:00, 08:00 and 16:00 UTC (Binance, Bybit). */
export const FUNDING_INTERVAL_MS = 8 * HOUR;
/** An interval between two funding times longer than this multiple of the usual one is a gap. */
export const FUNDING_GAP_FACTOR = 1.5;

/** A funding rate series: times (epoch ms, strictly increasing) and rates (fraction per interval). */
export interface FundingSeries {
  times: ArrayLike<number>;
  rates: ArrayLike<number>;
}

/** The settlements of one simulation, each placed on a bar. */
export interface Settlements {
  /** τ, epoch ms, increasing. */
  time: Float64Array;
  /** Rate per interval, a fraction; positive = longs pay shorts. */
  rate: Float64Array;
  /** Index of the bar whose close comes at or after τ (t_{bar−1} < τ ≤ t_bar). */
  bar: Int32Array;
  /** 1 when τ is exactly the bar's close (mark = that close, before its trade), else 0 (mark =
   *  the previous close). */
  atClose: Uint8Array;
}

/** Funding received by a position at one settlement, in its margin currency: −rate · size ·
 *  (linear: mark, USD; inverse: 1 / mark, coin), with size signed (negative = short). A short
 *  receives a positive rate, a long pays it. O(1).
 *  @example fundingPayment('linear', -2, 50000, 0.0001) // => +10 USD received by a 2-BTC short */
export function fundingPayment(
  settlement: 'linear' | 'inverse',
  size: number,
  mark: number,
  rate: number,
): number {
  const r = settlement === 'linear' ? -rate * size * mark : (-rate * size) / mark;
  return r === 0 ? 0 : r; // no −0
}

/** Settlement times of a constant rate: every 8 h at 00:00, 08:00 and 16:00 UTC, in (from, to].
 *  O(count). */
export function constantFundingTimes(from: number, to: number): number[] {
  const out: number[] = [];
  for (let t = (Math.floor(from / FUNDING_INTERVAL_MS) + 1) * FUNDING_INTERVAL_MS; t <= to;) {
    out.push(t);
    t += FUNDING_INTERVAL_MS;
  }
  return out;
}

/** Places settlements (times increasing, rates aligned) on bars: keeps those in
 *  (times[from], times[to]] and gives each its bar and whether it is the bar's close
 *  (the mark rule above). Bar times strictly increasing. O(bars + settlements). */
export function placeSettlements(
  barTimes: ArrayLike<number>,
  from: number,
  to: number,
  funding: FundingSeries,
): Settlements {
  const lo = barTimes[from] as number;
  const hi = barTimes[to] as number;
  const n = funding.times.length;
  let k = 0;
  while (k < n && (funding.times[k] as number) <= lo) k++;
  let end = k;
  while (end < n && (funding.times[end] as number) <= hi) end++;
  const count = end - k;
  const out: Settlements = {
    time: new Float64Array(count),
    rate: new Float64Array(count),
    bar: new Int32Array(count),
    atClose: new Uint8Array(count),
  };
  let bar = from + 1;
  for (let j = 0; j < count; j++) {
    const tau = funding.times[k + j] as number;
    while ((barTimes[bar] as number) < tau) bar++;
    out.time[j] = tau;
    out.rate[j] = funding.rates[k + j] as number;
    out.bar[j] = bar;
    out.atClose[j] = barTimes[bar] === tau ? 1 : 0;
  }
  return out;
}

/** Checks a funding series for a simulation over [start, end] (epoch ms): times strictly
 *  increasing and rates finite (problems not_increasing / non_finite at [series, index]); the
 *  series must cover the span, its first time at most one interval after `start` and its last at
 *  most one interval before `end` (funding_not_covering, with both ranges: a backtest that
 *  silently charges no funding where the data stops is wrong). Gaps longer than 1.5× the median
 *  interval are warnings (funding_gap: count, the first, and the settlements missing); a missing
 *  settlement is not charged, never filled in. O(n log n) (the median). */
export function checkFunding(
  funding: FundingSeries,
  start: number,
  end: number,
): Result<{ intervalMs: number }> {
  const { times, rates } = funding;
  const n = times.length;
  if (n !== rates.length)
    return fail('length_mismatch', ['rates'], { times: n, rates: rates.length });
  if (n < 2) return fail('too_few_points', ['times'], { n, min: 2 });
  const diffs = new Float64Array(n - 1);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(times[i]) || !Number.isFinite(rates[i]))
      return fail('non_finite', [Number.isFinite(times[i]) ? 'rates' : 'times', i], {
        value: String(Number.isFinite(times[i]) ? rates[i] : times[i]),
      });
    if (i > 0) {
      const d = (times[i] as number) - (times[i - 1] as number);
      if (!(d > 0)) return fail('not_increasing', ['times', i], { time: times[i] as number });
      diffs[i - 1] = d;
    }
  }
  const sorted = diffs.slice().sort();
  const mid = sorted.length >> 1;
  const interval = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const first = times[0] as number;
  const last = times[n - 1] as number;
  if (first > start + interval || last < end - interval)
    return fail('funding_not_covering', ['times'], { first, last, start, end });
  const warnings: Problem[] = [];
  let gaps = 0;
  let missing = 0;
  let at = -1;
  for (let i = 1; i < n; i++) {
    const d = diffs[i - 1]!;
    const t = times[i] as number;
    if (d > FUNDING_GAP_FACTOR * interval && t > start && times[i - 1]! < end) {
      gaps++;
      missing += Math.round(d / interval) - 1;
      if (at < 0) at = i;
    }
  }
  if (gaps > 0)
    warnings.push({
      code: 'funding_gap',
      path: ['times', at],
      params: { count: gaps, missing, after: times[at - 1] as number, before: times[at] as number },
    });
  return ok({ intervalMs: interval }, warnings);
}
