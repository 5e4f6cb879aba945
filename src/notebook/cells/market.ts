/** The market every analysis cell works on: a dataset's aligned prices resampled to the settings'
 *  frequency, their returns, the benchmark's returns and the estimation window.
 *
 *  Conventions (docs/language.md):
 *  - Betas are estimated over the estimation window: the last `window` returns (all by default);
 *    the rolling beta (shown when a window is set) moves that window over the whole sample.
 *  - A basket benchmark's return is Σ w_i r_i of simple returns (rebalanced every period), taken
 *    to log(1 + r) for log returns. */
import { benchmarkSelfStats, betaTable, type BetaOptions, type BetaStats } from '../../engine/beta';
import type { Problem, Result } from '../../engine/result';
import {
  inferFrequency,
  resample,
  toReturns,
  type AlignedPrices,
  type Frequency,
} from '../../engine/series';
import type { LocatedProblem } from '../location';
import { listed, type ParsedCell } from '../parse';
import {
  checkpoint,
  type CellEvaluation,
  type EvalContext,
  type PricesValue,
  type SettingsValue,
} from './context';
import { failed, relocate } from './common';
import { getOwn } from '../../engine/own';
import { portfolioBeta } from '../../engine/portfolio';

function benchmarkLabel(b: readonly { asset: string; weight: number }[]): string {
  if (b.length === 1) return b[0]?.asset ?? '';
  return b.map((x) => `${Math.round(x.weight * 1000) / 10}% ${x.asset}`).join(' + ');
}

/** Prices, returns and benchmark of a dataset under the settings: what every analysis uses. */
export interface Market {
  readonly source: string;
  readonly aligned: AlignedPrices;
  readonly frequency: Frequency;
  readonly kind: 'simple' | 'log';
  /** Per asset, the n-1 returns of the aligned prices. */
  returns(asset: string): Float64Array;
  /** The benchmark's n-1 returns. */
  readonly benchmark: Float64Array;
  readonly benchmarkAsset: string | null;
  readonly benchmarkLabel: string;
  /** Returns in the estimation window: indices [from, n-1) of the return arrays. */
  readonly from: number;
  /** The window in periods when one is set (for the rolling beta), else null. */
  readonly window: number | null;
  readonly warnings: Problem[];
}

export function market(prices: PricesValue, settings: SettingsValue): Result<Market> {
  const s = settings.spec;
  let aligned = prices.aligned;
  let frequency = prices.frequency;
  const warnings: Problem[] = [];
  if (s.frequency.ms !== null && s.frequency.ms !== frequency.ms) {
    if (s.frequency.ms < frequency.ms)
      return {
        ok: false,
        problems: [
          {
            code: 'frequency_finer_than_data',
            path: ['frequency'],
            params: { frequency: s.frequency.label, data: frequency.label },
          },
        ],
      };
    aligned = resample(aligned, s.frequency.ms);
    const f = inferFrequency(aligned.times);
    frequency = f.ok
      ? { ...f.value, label: s.frequency.label }
      : { label: s.frequency.label, ms: s.frequency.ms, periodsPerYear: 0 };
    if (!f.ok || aligned.times.length < 4)
      return {
        ok: false,
        problems: [
          {
            code: 'too_few_points',
            path: ['frequency'],
            params: { n: aligned.times.length, min: 4 },
          },
        ],
      };
    frequency = { ...frequency, periodsPerYear: (365 * 86_400_000) / s.frequency.ms };
  }
  const missing = s.benchmark.filter((b) => !aligned.assets.includes(b.asset));
  if (missing.length > 0)
    return {
      ok: false,
      problems: missing.map((b) => ({
        code: 'cell_unknown_asset',
        path: ['benchmark', b.asset],
        params: { asset: b.asset, where: 'the benchmark', known: listed(aligned.assets) },
      })),
    };
  const cache = new Map<string, Float64Array>();
  const returns = (asset: string) => {
    let r = cache.get(asset);
    if (!r) {
      const col = getOwn(aligned.prices, asset);
      if (!col) throw new Error(`no aligned prices for ${asset}`);
      r = toReturns(col, s.returns);
      cache.set(asset, r);
    }
    return r;
  };
  let benchmark: Float64Array;
  if (s.benchmark.length === 1) benchmark = returns(s.benchmark[0]?.asset ?? '');
  else {
    const n = aligned.times.length - 1;
    benchmark = new Float64Array(Math.max(0, n));
    for (const { asset, weight } of s.benchmark) {
      const simple = toReturns(getOwn(aligned.prices, asset) ?? [], 'simple');
      for (let i = 0; i < n; i++) benchmark[i] = (benchmark[i] ?? 0) + weight * (simple[i] ?? 0);
    }
    if (s.returns === 'log')
      for (let i = 0; i < n; i++) benchmark[i] = Math.log1p(benchmark[i] ?? 0);
  }
  const nReturns = benchmark.length;
  const { window, windowWarnings } = estimationWindow(s.window, aligned.times, frequency);
  warnings.push(...windowWarnings);
  return {
    ok: true,
    warnings: [],
    value: {
      source: prices.source,
      aligned,
      frequency,
      kind: s.returns,
      returns,
      benchmark,
      benchmarkAsset: s.benchmark.length === 1 ? (s.benchmark[0]?.asset ?? null) : null,
      benchmarkLabel: benchmarkLabel(s.benchmark),
      from: window === null ? 0 : nReturns - window,
      window,
      warnings,
    },
  };
}

/** How many of the latest returns the estimation window holds, or null for all of them.
 *  - `window: 500` (periods): the last 500 returns.
 *  - `window: 365d` (time): the returns that start in the last 365 days, [t_end − 365d, t_end):
 *    return i runs from times[i] to times[i + 1]. On data without gaps that is 365 daily returns;
 *    where rows were dropped (gaps, missing prices) it is fewer, and a `window_has_gaps` warning
 *    says how many and which dates they cover, so a time window always means time.
 *  A window longer than the data (fewer than 3 returns left out) is the whole sample, with a
 *  `window_longer_than_data` warning. At least 3 returns (a beta needs n − 2 > 0). O(log n). */
export function estimationWindow(
  w: SettingsValue['spec']['window'],
  times: readonly number[],
  frequency: Frequency,
): { window: number | null; windowWarnings: Problem[] } {
  const nReturns = Math.max(0, times.length - 1);
  if (w.kind === 'all') return { window: null, windowWarnings: [] };
  const end = times[times.length - 1] ?? 0;
  let window: number;
  if (w.kind === 'periods') window = w.periods;
  else {
    const startAt = end - w.ms;
    if ((times[0] ?? end) > startAt)
      window = nReturns + 1; // longer than the data
    else {
      // first index with times[i] >= startAt (binary search)
      let lo = 0;
      let hi = times.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((times[mid] as number) >= startAt) hi = mid;
        else lo = mid + 1;
      }
      window = Math.max(3, nReturns - lo);
    }
  }
  if (window > nReturns)
    return {
      window: null,
      windowWarnings: [
        {
          code: 'window_longer_than_data',
          path: ['window'],
          params: { window: w.kind === 'time' ? w.text : window, n: nReturns },
        },
      ],
    };
  const windowWarnings: Problem[] = [];
  const nominal = w.kind === 'time' ? Math.round(w.ms / frequency.ms) : window;
  if (w.kind === 'time' && window < nominal)
    windowWarnings.push({
      code: 'window_has_gaps',
      path: ['window'],
      params: {
        window: w.text,
        n: window,
        nominal,
        interval: frequency.label,
        from: times[nReturns - window] ?? 0,
        to: end,
      },
    });
  return { window, windowWarnings };
}

/** The market, or the cell's failure located at its first line (the settings cell owns it). */
export function marketFor(
  ctx: EvalContext,
  parsed: ParsedCell,
  data: string | null,
): { ok: true; m: Market } | { ok: false; e: CellEvaluation } {
  const r = market(ctx.prices(data), ctx.settings());
  if (r.ok) return { ok: true, m: r.value };
  return { ok: false, e: failed(relocate(r.problems, () => [], parsed)) };
}

/** A hedge or a pair is sized from betas by adding them up (Σ wᵢβᵢ, V_A β_A − V_B β_B), which is
 *  exact for simple returns (they add across a portfolio) and approximate for log returns: the
 *  warning that says so when the settings use log returns, else nothing. */
export function logReturnsWarning(m: Market, what: 'hedge' | 'pair'): Problem[] {
  return m.kind === 'log'
    ? [{ code: 'sized_on_log_returns', path: ['settings'], params: { what } }]
    : [];
}

export function windowed(m: Market, xs: Float64Array): Float64Array {
  return xs.subarray(m.from);
}

/** The options of every beta estimate of this market: its periods per year and returns. */
export function betaOptions(m: Market, ewmaHalfLife?: number): BetaOptions {
  return {
    periodsPerYear: m.frequency.periodsPerYear,
    returns: m.kind,
    ...(ewmaHalfLife ? { ewmaHalfLife } : {}),
  };
}

/** Beta statistics of each asset over the estimation window (one `betaTable`: the benchmark's
 *  side is computed once); the benchmark's own row is exact by construction (β 1, se 0, no
 *  t-stat or interval: `benchmarkSelfStats`), not a regression of the benchmark on itself. */
export async function assetBetas(
  m: Market,
  assets: readonly string[],
  opts: { ewmaHalfLife?: number },
  signal: AbortSignal,
): Promise<{ stats: Map<string, BetaStats>; problems: Map<string, readonly Problem[]> }> {
  const stats = new Map<string, BetaStats>();
  const problems = new Map<string, readonly Problem[]>();
  await checkpoint(signal);
  const o = betaOptions(m, opts.ewmaHalfLife);
  const bench = windowed(m, m.benchmark);
  const others = assets.filter((a) => a !== m.benchmarkAsset);
  const rows = betaTable(
    others.map((asset) => windowed(m, m.returns(asset))),
    bench,
    o,
  );
  const byAsset = new Map(others.map((a, k) => [a, rows[k]!]));
  for (const asset of assets) {
    const r = byAsset.get(asset) ?? benchmarkSelfStats(bench, o);
    if (r.ok) stats.set(asset, r.value);
    else problems.set(asset, r.problems);
  }
  return { stats, problems };
}

export function betaMap(stats: Map<string, BetaStats>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [a, s] of stats) out[a] = s.beta;
  return out;
}

/** A book's betas in this market: each position's beta over the estimation window and the book's
 *  beta Σ wᵢβᵢ (a holding of the benchmark itself at β 1), or the cell's failure with each problem
 *  located at its head key `key`. Hedge, position, basis and stress cells start from it. */
export async function bookBetas(
  m: Market,
  positions: readonly { asset: string; weight: number }[],
  key: string,
  parsed: ParsedCell,
  signal: AbortSignal,
): Promise<
  | { ok: true; stats: Map<string, BetaStats>; betas: Record<string, number>; beta: number }
  | { ok: false; e: CellEvaluation }
> {
  const { stats, problems } = await assetBetas(
    m,
    positions.map((p) => p.asset),
    {},
    signal,
  );
  if (problems.size > 0) return { ok: false, e: failed(assetProblems(problems, key, parsed)) };
  const betas = betaMap(stats);
  const benchmark = m.benchmarkAsset ?? undefined;
  const beta = portfolioBeta(positions, betas, benchmark ? { benchmark } : {});
  if (!beta.ok) return { ok: false, e: failed(relocate(beta.problems, () => [key], parsed)) };
  return { ok: true, stats, betas, beta: beta.value };
}

/** Per-asset estimation problems, each naming its asset, located at the cell's head key. */
export function assetProblems(
  problems: ReadonlyMap<string, readonly Problem[]>,
  key: string,
  parsed: ParsedCell,
): LocatedProblem[] {
  const named = [...problems.entries()].flatMap(([asset, ps]) =>
    ps.map((p) => ({ ...p, params: { ...p.params, asset } })),
  );
  return relocate(named, () => [key], parsed);
}
