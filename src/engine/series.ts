/** Price series: alignment on shared timestamps, returns, frequency inference, resampling.
 *  Times are epoch milliseconds UTC. Nothing is ever filled in: every point that is dropped is
 *  listed (`dropped`) and summarised as a warning Problem, so the user sees what happened. */
import { getOwn, setOwn } from './own';
import { fail, failWith, ok, type Problem, type Result } from './result';

export interface PriceSeries {
  asset: string;
  times: readonly number[];
  /** A plain array or a typed array (the file reader gives Float64Arrays); read only. */
  prices: ArrayLike<number>;
}

/** Why a point was left out of the aligned prices. */
export type DropReason =
  'non_finite_time' | 'non_finite_price' | 'non_positive_price' | 'duplicate_time' | 'not_shared';

export interface DroppedPoint {
  asset: string;
  /** Index in the series as given (before any sorting). */
  index: number;
  time: number;
  reason: DropReason;
}

export interface AlignedPrices {
  /** Shared timestamps, strictly increasing. */
  times: number[];
  assets: string[];
  /** One array per asset, same length as `times`, every price finite and > 0. Read only: it
   *  may be the input's own array (a typed array from a file) when nothing had to change. */
  prices: Record<string, ArrayLike<number>>;
  dropped: DroppedPoint[];
}

export interface Frequency {
  /** '1h', '4h', '1d', '1w', '15m', ... (largest whole unit) */
  label: string;
  /** The median interval between consecutive timestamps, snapped to a whole unit. */
  ms: number;
  /** Periods in a 365-day year (crypto trades every day): 1h -> 8760, 1d -> 365, 1w -> 52.14. */
  periodsPerYear: number;
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** A crypto year: 365 days of 24 hours (markets never close). */
export const YEAR_MS = 365 * DAY;
/** Gaps: an interval longer than this multiple of the inferred interval is reported. */
export const GAP_FACTOR = 1.5;
/** At most this many gaps are reported one by one; the rest are counted in `gaps_more`. */
const MAX_GAP_WARNINGS = 20;

const UNITS: readonly { ms: number; suffix: string }[] = [
  { ms: WEEK, suffix: 'w' },
  { ms: DAY, suffix: 'd' },
  { ms: HOUR, suffix: 'h' },
  { ms: MINUTE, suffix: 'm' },
  { ms: SECOND, suffix: 's' },
];

/** Label and snapped length of an interval: the largest unit (w, d, h, m, s) of which the
 *  interval is a whole multiple within 0.1 %; otherwise the exact milliseconds ('250ms').
 *  @example frequencyLabel(4 * 3600000) // => { label: '4h', ms: 14400000 } */
export function frequencyLabel(ms: number): { label: string; ms: number } {
  for (const unit of UNITS) {
    const k = Math.round(ms / unit.ms);
    if (k >= 1 && Math.abs(ms - k * unit.ms) <= 0.001 * ms) {
      return { label: `${k}${unit.suffix}`, ms: k * unit.ms };
    }
  }
  return { label: `${ms}ms`, ms };
}

/** Sampling frequency of a series of timestamps: the median of the positive intervals between
 *  consecutive times (robust to a few gaps), snapped to a whole unit (see `frequencyLabel`).
 *  Annualization on a 365-day year: periodsPerYear = 365 d / interval (1h -> 8760, 1d -> 365,
 *  1w -> 365/7 ≈ 52.14). Zero and negative intervals (duplicates, unsorted input) are ignored;
 *  `alignSeries` reports those. Fails with too_few_points (< 2 times) or no_interval (no
 *  positive interval). Cost O(n log n) (sort of the intervals).
 *  @example inferFrequency([0, 3600000, 7200000]) // => ok { label: '1h', ms: 3600000, periodsPerYear: 8760 } */
export function inferFrequency(times: readonly number[]): Result<Frequency> {
  if (times.length < 2) return fail('too_few_points', ['times'], { n: times.length, min: 2 });
  const diffs: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const d = times[i]! - times[i - 1]!;
    if (d > 0 && Number.isFinite(d)) diffs.push(d);
  }
  if (diffs.length === 0) return fail('no_interval', ['times'], { n: times.length });
  const sorted = Float64Array.from(diffs).sort();
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  const { label, ms } = frequencyLabel(median);
  return ok({ label, ms, periodsPerYear: YEAR_MS / ms });
}

interface Cleaned {
  times: number[];
  prices: number[];
  /** original index of each kept point */
  index: number[];
}

const REASONS: readonly DropReason[] = [
  'non_finite_time',
  'non_finite_price',
  'non_positive_price',
  'duplicate_time',
  'not_shared',
];

/** One warning per asset and reason, located at the first dropped point, with the count.
 *  One pass over `dropped` (O(N)), in asset order then REASONS order. */
function summarise(assets: readonly string[], dropped: readonly DroppedPoint[]): Problem[] {
  const groups = new Map<string, { first: DroppedPoint; count: number }>();
  for (const d of dropped) {
    const key = `${d.asset}\u0000${d.reason}`;
    const g = groups.get(key);
    if (g) g.count++;
    else groups.set(key, { first: d, count: 1 });
  }
  const out: Problem[] = [];
  for (const asset of assets) {
    for (const reason of REASONS) {
      const g = groups.get(`${asset}\u0000${reason}`);
      if (!g) continue;
      out.push({
        code: reason,
        path: ['prices', asset, g.first.index],
        params: { asset, count: g.count, index: g.first.index, time: g.first.time },
      });
    }
  }
  return out;
}

/** Why timestamps were left out of the shared grid, named after the series that cause it. A time
 *  that some series lack is blamed on the fewer side: when at most half of the series lack it,
 *  each of them gets a `missing_times` warning ("SOL has no price at 2025-12-31, which the
 *  other series have"); when most lack it, each series that has it gets `not_shared` ("1
 *  timestamp of BTC is in no other series"). One warning per asset and code, with the count and
 *  the first and last time. O(D log D) for D dropped points. */
function unshared(assets: readonly string[], dropped: readonly DroppedPoint[]): Problem[] {
  const byTime = new Map<number, DroppedPoint[]>();
  for (const d of dropped) {
    if (d.reason !== 'not_shared') continue;
    const at = byTime.get(d.time);
    if (at) at.push(d);
    else byTime.set(d.time, [d]);
  }
  const missing = new Map<string, number[]>();
  const extra = new Map<string, DroppedPoint[]>();
  for (const t of [...byTime.keys()].sort((a, b) => a - b)) {
    const have = byTime.get(t)!;
    const holders = new Set(have.map((d) => d.asset));
    const lacking = assets.filter((a) => !holders.has(a));
    if (lacking.length <= holders.size) {
      for (const a of lacking) {
        const ts = missing.get(a);
        if (ts) ts.push(t);
        else missing.set(a, [t]);
      }
    } else {
      for (const d of have) {
        const ds = extra.get(d.asset);
        if (ds) ds.push(d);
        else extra.set(d.asset, [d]);
      }
    }
  }
  const out: Problem[] = [];
  for (const asset of assets) {
    const ts = missing.get(asset);
    if (ts)
      out.push({
        code: 'missing_times',
        path: ['prices', asset],
        params: {
          asset,
          count: ts.length,
          time: ts[0]!,
          last: ts[ts.length - 1]!,
          others: assets.length - 1,
        },
      });
    const ds = extra.get(asset);
    if (ds)
      out.push({
        code: 'not_shared',
        path: ['prices', asset, ds[0]!.index],
        params: {
          asset,
          count: ds.length,
          index: ds[0]!.index,
          time: ds[0]!.time,
          last: ds[ds.length - 1]!.time,
        },
      });
  }
  return out;
}

/** Valid, sorted, de-duplicated points of one series; drops are appended to `dropped`. */
function clean(s: PriceSeries, dropped: DroppedPoint[], warnings: Problem[]): Cleaned {
  const keep: number[] = [];
  for (let i = 0; i < s.times.length; i++) {
    const t = s.times[i]!;
    const p = s.prices[i]!;
    if (!Number.isFinite(t))
      dropped.push({ asset: s.asset, index: i, time: t, reason: 'non_finite_time' });
    else if (!Number.isFinite(p))
      dropped.push({ asset: s.asset, index: i, time: t, reason: 'non_finite_price' });
    else if (p <= 0)
      dropped.push({ asset: s.asset, index: i, time: t, reason: 'non_positive_price' });
    else keep.push(i);
  }
  // Unsorted input is sorted (stable), and said so.
  let firstUnsorted = -1;
  let inversions = 0;
  for (let k = 1; k < keep.length; k++) {
    if (s.times[keep[k]!]! < s.times[keep[k - 1]!]!) {
      if (firstUnsorted < 0) firstUnsorted = keep[k]!;
      inversions++;
    }
  }
  if (firstUnsorted >= 0) {
    keep.sort((a, b) => s.times[a]! - s.times[b]! || a - b);
    warnings.push({
      code: 'unsorted_times',
      path: ['prices', s.asset, firstUnsorted],
      params: {
        asset: s.asset,
        index: firstUnsorted,
        time: s.times[firstUnsorted]!,
        count: inversions,
      },
    });
  }
  const out: Cleaned = { times: [], prices: [], index: [] };
  for (const i of keep) {
    const t = s.times[i]!;
    if (out.times.length > 0 && out.times[out.times.length - 1] === t) {
      // Duplicate timestamp: the first occurrence wins (pandas drop_duplicates(keep='first')).
      dropped.push({ asset: s.asset, index: i, time: t, reason: 'duplicate_time' });
      continue;
    }
    out.times.push(t);
    out.prices.push(s.prices[i]!);
    out.index.push(i);
  }
  return out;
}

/** Align several price series on the timestamps they all share (an inner join; nothing is
 *  filled). Per series, in order: points with a non-finite time or price, or a price <= 0, are
 *  dropped; unsorted input is sorted (warning `unsorted_times`); duplicate timestamps keep the
 *  first occurrence (`duplicate_time`). Then only timestamps present in every series are kept
 *  (`not_shared` for the others). Each kind of drop gives one warning per asset, located at the
 *  first dropped point (path ['prices', asset, index]) with the count; `dropped` lists every point.
 *  Gaps: an interval between shared timestamps longer than 1.5× the inferred (median) interval
 *  is reported as `gap` (path ['times', i]) with the number of missing periods (first 20; the
 *  rest counted in `gaps_more`).
 *  Fails with no_series, duplicate_asset, mismatched_lengths (times vs prices), empty_series, or
 *  too_little_overlap when fewer than `minPoints` (default 3) shared timestamps remain; a
 *  failure also carries the drop warnings that explain it.
 *  Cost O(N log N) for N points in all (sorting only when a series is unsorted).
 *  @example alignSeries([{ asset: 'BTC', times: [1, 2, 3], prices: [10, 11, 12] },
 *                        { asset: 'ETH', times: [2, 3, 4], prices: [5, 6, 7] }], { minPoints: 2 })
 *  // => ok { times: [2, 3], prices: { BTC: [11, 12], ETH: [5, 6] }, dropped: BTC@1, ETH@4 not_shared } */
export function alignSeries(
  series: readonly PriceSeries[],
  opts: { minPoints?: number } = {},
): Result<AlignedPrices> {
  const minPoints = Math.max(2, Math.floor(opts.minPoints ?? 3));
  if (series.length === 0) return fail('no_series', ['prices']);
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const s of series) {
    if (seen.has(s.asset)) {
      problems.push({
        code: 'duplicate_asset',
        path: ['prices', s.asset],
        params: { asset: s.asset },
      });
    }
    seen.add(s.asset);
    if (s.times.length !== s.prices.length) {
      problems.push({
        code: 'mismatched_lengths',
        path: ['prices', s.asset],
        params: {
          leftName: `${s.asset} times`,
          leftLength: s.times.length,
          rightName: `${s.asset} prices`,
          rightLength: s.prices.length,
        },
      });
    } else if (s.times.length === 0) {
      problems.push({
        code: 'empty_series',
        path: ['prices', s.asset],
        params: { asset: s.asset },
      });
    }
  }
  if (problems.length > 0) return failWith(problems);
  const lined = alignedAlready(series, minPoints);
  if (lined) return ok(lined, findGaps(lined.times));

  const dropped: DroppedPoint[] = [];
  const warnings: Problem[] = [];
  const cleaned = series.map((s) => clean(s, dropped, warnings));

  // Intersection of the (sorted, unique) timestamps: two-pointer merge, series by series.
  let shared = cleaned[0]!.times;
  for (let k = 1; k < cleaned.length; k++) {
    const other = cleaned[k]!.times;
    const next: number[] = [];
    let i = 0;
    let j = 0;
    while (i < shared.length && j < other.length) {
      if (shared[i]! < other[j]!) i++;
      else if (shared[i]! > other[j]!) j++;
      else {
        next.push(shared[i]!);
        i++;
        j++;
      }
    }
    shared = next;
  }
  const prices: Record<string, ArrayLike<number>> = {};
  series.forEach((s, k) => {
    const c = cleaned[k]!;
    const out: number[] = [];
    let j = 0;
    for (let i = 0; i < c.times.length; i++) {
      if (j < shared.length && c.times[i] === shared[j]) {
        out.push(c.prices[i]!);
        j++;
      } else {
        dropped.push({
          asset: s.asset,
          index: c.index[i]!,
          time: c.times[i]!,
          reason: 'not_shared',
        });
      }
    }
    setOwn(prices, s.asset, out);
  });
  const names = series.map((s) => s.asset);
  warnings.push(
    ...summarise(
      names,
      dropped.filter((d) => d.reason !== 'not_shared'),
    ),
    ...unshared(names, dropped),
  );
  if (shared.length < minPoints) {
    return failWith([
      {
        code: 'too_little_overlap',
        path: ['prices'],
        params: { n: shared.length, min: minPoints },
      },
      ...warnings,
    ]);
  }
  warnings.push(...findGaps(shared));
  return ok({ times: shared, assets: series.map((s) => s.asset), prices, dropped }, warnings);
}

/** The aligned prices without any copying when there is nothing to align: every series has the
 *  same times (one shared array, as the wide-file reader gives them), strictly increasing and
 *  finite, and every price is finite and > 0. Then the general path would drop nothing and keep
 *  every time, so this gives the same result (times copied, prices shared). O(N), no
 *  allocation but the times. Null when any condition fails (the general path then runs). */
function alignedAlready(series: readonly PriceSeries[], minPoints: number): AlignedPrices | null {
  const times = series[0]!.times;
  if (times.length < minPoints) return null;
  for (const s of series) if (s.times !== times) return null;
  let prev = -Infinity;
  for (let i = 0; i < times.length; i++) {
    const t = times[i]!;
    if (!(t > prev) || !Number.isFinite(t)) return null;
    prev = t;
  }
  for (const s of series) {
    const p = s.prices;
    for (let i = 0; i < p.length; i++) {
      const v = p[i]!;
      // v > 0 and finite (NaN fails the first test)
      if (!(v > 0) || v === Infinity) return null;
    }
  }
  const prices: Record<string, ArrayLike<number>> = {};
  for (const s of series) prices[s.asset] = s.prices;
  return { times: times.slice(), assets: series.map((s) => s.asset), prices, dropped: [] };
}

/** Intervals longer than GAP_FACTOR × the median interval, as `gap` warnings. */
function findGaps(times: readonly number[]): Problem[] {
  const freq = inferFrequency(times);
  if (!freq.ok) return [];
  const { ms, label } = freq.value;
  const out: Problem[] = [];
  let more = 0;
  for (let i = 1; i < times.length; i++) {
    const d = times[i]! - times[i - 1]!;
    if (d > GAP_FACTOR * ms) {
      if (out.length < MAX_GAP_WARNINGS) {
        out.push({
          code: 'gap',
          path: ['times', i],
          params: {
            from: times[i - 1]!,
            to: times[i]!,
            missing: Math.max(1, Math.round(d / ms) - 1),
            interval: label,
          },
        });
      } else more++;
    }
  }
  if (more > 0) out.push({ code: 'gaps_more', path: ['times'], params: { count: more } });
  return out;
}

/** Period returns of a price series, length n - 1 (n < 2 gives an empty array).
 *  simple: r_t = (p_t - p_{t-1}) / p_{t-1};  log: r_t = ln(p_t / p_{t-1}) = log1p(simple).
 *  Written as a difference over the previous price (and log1p) so returns near 1e-5 of prices
 *  near 1e5 keep full relative precision. Prices are expected finite and > 0 (as `alignSeries`
 *  guarantees); otherwise the corresponding returns are not finite, and `betaStats` /
 *  `rollingBeta` report them as non_finite_value. Cost O(n).
 *  @example toReturns([100, 110, 99], 'simple') // => Float64Array [0.1, -0.1] */
export function toReturns(prices: ArrayLike<number>, kind: 'simple' | 'log'): Float64Array {
  const n = prices.length;
  const out = new Float64Array(Math.max(0, n - 1));
  for (let i = 1; i < n; i++) {
    const prev = prices[i - 1]!;
    const simple = (prices[i]! - prev) / prev;
    out[i - 1] = kind === 'log' ? Math.log1p(simple) : simple;
  }
  return out;
}

/** Resample aligned prices to a coarser interval `ms`: time is cut into buckets
 *  [origin + k·ms, origin + (k+1)·ms) and each bucket keeps the LAST price of each asset,
 *  labelled with the bucket's start (pandas `resample(ms, label='left', closed='left').last()`).
 *  Buckets start at the epoch (00:00 UTC for days and hours), except whole weeks, which start on
 *  Monday 00:00 UTC (ISO weeks) unless `opts.origin` is given. Empty buckets are not created
 *  (gaps stay gaps). `dropped` is carried over. Cost O(n · assets).
 *  `ms` must be a positive finite number (validated by the caller; a bad value is a bug and throws).
 *  @example resample(hourly, 86400000) // one point per UTC day, the day's last hourly price */
export function resample(
  aligned: AlignedPrices,
  ms: number,
  opts: { origin?: number } = {},
): AlignedPrices {
  if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`resample: bad interval ${ms}`);
  const MONDAY = 4 * DAY; // 1970-01-05 was a Monday
  const origin = opts.origin ?? (ms % WEEK === 0 ? MONDAY : 0);
  const times: number[] = [];
  const keepIndex: number[] = [];
  for (let i = 0; i < aligned.times.length; i++) {
    const bucket = Math.floor((aligned.times[i]! - origin) / ms) * ms + origin;
    if (times.length > 0 && times[times.length - 1] === bucket) keepIndex[keepIndex.length - 1] = i;
    else {
      times.push(bucket);
      keepIndex.push(i);
    }
  }
  const prices: Record<string, ArrayLike<number>> = {};
  for (const asset of aligned.assets) {
    const src = getOwn(aligned.prices, asset) ?? [];
    setOwn(
      prices,
      asset,
      keepIndex.map((i) => src[i]!),
    );
  }
  return { times, assets: [...aligned.assets], prices, dropped: [...aligned.dropped] };
}
