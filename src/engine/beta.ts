/** Beta statistics of an asset's returns against a benchmark's returns.
 *
 *  Conventions (docs/math.md, "Beta and its statistics"): x = benchmark returns, y = asset
 *  returns, aligned, n pairs. Sample (ddof = 1) estimators throughout, so the (n-1) factors
 *  cancel in ratios: beta = cov(x, y) / var(x) = Sxy / Sxx with centred sums
 *  Sxx = Σ(x-x̄)², Syy = Σ(y-ȳ)², Sxy = Σ(x-x̄)(y-ȳ): the benchmark's in two passes (mean
 *  first), each asset's in one pass about a shift near its mean (`assetStats`), so never the
 *  Σx² - n·x̄² cancellation. This equals OLS of y on x with an intercept (statsmodels OLS).
 *  Data-dependent failures are Problems (never NaN, never a throw). */
import { failWith, ok, type Problem, type Result } from './result';
import { studentTQuantile } from './student-t';

export interface BetaStats {
  /** cov(x, y) / var(x), sample estimators. */
  beta: number;
  /** Per period: ȳ - β·x̄ (the OLS intercept). */
  alpha: number;
  /** The per-period alpha compounded over a 365-day year (`annualAlpha`): (1 + α)^P − 1 for
   *  simple returns, e^(α·P) − 1 for log returns; a fraction (0.12 = +12 % a year). null when
   *  it overflows (a per-period alpha far beyond any market's). */
  alphaAnnual: number | null;
  /** OLS R² = correlation² (with an intercept). */
  r2: number;
  /** Pearson correlation Sxy / √(Sxx·Syy); 0 when the asset's returns are flat. */
  correlation: number;
  /** Standard error of beta: √(SSR/(n-2) / Sxx), SSR = Σ residual². */
  stdErr: number;
  /** beta / stdErr; null when stdErr is 0 (a perfect fit: nothing was estimated). */
  tStat: number | null;
  /** 95 % interval beta ± t(0.975, n-2)·stdErr (statsmodels OLS conf_int); null, like the
   *  t-stat, when stdErr is 0. */
  ciLow: number | null;
  ciHigh: number | null;
  /** Number of return pairs used. */
  n: number;
  /** Asset return volatility: sample std × √periodsPerYear. */
  volAnnual: number;
  /** OLS beta on the periods where the benchmark return < 0; null with fewer than 3 such
   *  periods or a flat benchmark among them. */
  downsideBeta: number | null;
  /** Blume (1971/1975): 0.67·β + 0.33. */
  blumeBeta: number;
  /** Vasicek (1973) shrinkage toward the prior (default mean 1, std 0.5). */
  vasicekBeta: number;
  /** Exponentially weighted beta (half-life in periods); null when no half-life was asked or
   *  the weighted benchmark variance is 0. */
  ewmaBeta: number | null;
}

export interface VasicekPrior {
  mean: number;
  std: number;
}

/** Prior of the Vasicek adjustment when no cross-section is given: mean 1 (the market), std 0.5. */
export const DEFAULT_VASICEK_PRIOR: VasicekPrior = { mean: 1, std: 0.5 };

export interface BetaOptions {
  /** Periods in a (365-day) year: 8760 hourly, 365 daily. */
  periodsPerYear: number;
  /** What kind of returns the inputs are, for compounding the alpha (`annualAlpha`); default
   *  simple. */
  returns?: 'simple' | 'log';
  /** Half-life in periods of the EWMA beta; omitted -> ewmaBeta null. */
  ewmaHalfLife?: number;
  /** Vasicek prior (e.g. `crossSectionPrior(betas)`); default DEFAULT_VASICEK_PRIOR. */
  prior?: VasicekPrior;
}

/** Fewest return pairs for beta statistics: n - 2 residual degrees of freedom must be > 0. */
export const MIN_BETA_POINTS = 3;

/** Relative size below which a spread is rounding noise: a series whose centred standard
 *  deviation is below FLAT_TOLERANCE × its largest |value| is treated as flat (constant). */
export const FLAT_TOLERANCE = 64 * Number.EPSILON;

function describeValue(v: number): string {
  return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
}

/** Checks two paired inputs: same length, every value finite. Problems are located at
 *  [name, index] of the first bad value, with the count of bad values. O(n). */
export function checkPair(
  asset: ArrayLike<number>,
  market: ArrayLike<number>,
  names: readonly [string, string] = ['asset', 'market'],
): Problem[] {
  if (asset.length !== market.length) {
    return [
      {
        code: 'mismatched_lengths',
        path: [],
        params: {
          leftName: names[0],
          leftLength: asset.length,
          rightName: names[1],
          rightLength: market.length,
        },
      },
    ];
  }
  const problems: Problem[] = [];
  for (const [name, xs] of [
    [names[0], asset],
    [names[1], market],
  ] as const) {
    let first = -1;
    let count = 0;
    for (let i = 0; i < xs.length; i++) {
      const v = xs[i]!;
      if (v - v !== 0) {
        // true for NaN and ±Infinity only
        if (first < 0) first = i;
        count++;
      }
    }
    if (first >= 0) {
      problems.push({
        code: 'non_finite_value',
        path: [name, first],
        params: { series: name, index: first, value: describeValue(xs[first]!), count },
      });
    }
  }
  return problems;
}

interface Moments {
  n: number;
  mx: number;
  my: number;
  sxx: number;
  syy: number;
  sxy: number;
  /** largest |x|, |y| (for the flatness test) */
  ax: number;
  ay: number;
}

/** Two-pass centred moments over the indices where `use(i)` holds (all when omitted). */
function moments(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  use?: (i: number) => boolean,
): Moments {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let ax = 0;
  let ay = 0;
  for (let i = 0; i < x.length; i++) {
    if (use && !use(i)) continue;
    n++;
    sx += x[i]!;
    sy += y[i]!;
    ax = Math.max(ax, Math.abs(x[i]!));
    ay = Math.max(ay, Math.abs(y[i]!));
  }
  const mx = n > 0 ? sx / n : 0;
  const my = n > 0 ? sy / n : 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < x.length; i++) {
    if (use && !use(i)) continue;
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  return { n, mx, my, sxx, syy, sxy, ax, ay };
}

/** True when a centred sum of squares over n points is rounding noise for values up to `amax`. */
export function isFlat(ss: number, n: number, amax: number): boolean {
  if (!(ss > 0)) return true;
  return Math.sqrt(ss / n) <= FLAT_TOLERANCE * amax;
}

/** The per-period alpha α compounded over a year of P periods, as a fraction: (1 + α)^P − 1
 *  for simple returns, e^(α·P) − 1 for log returns (α is then a log excess return; both are the
 *  annual simple return the alpha alone would earn, as empyrical's `alpha` annualises). A simple
 *  α ≤ −1 loses everything in one period: −1. null when the result overflows. O(1).
 *  @example annualAlpha(0.001, 365, 'simple') // => 0.44025 (not 0.365)
 *  @example annualAlpha(0.001, 365, 'log') // => 0.44051 (e^0.365 − 1) */
export function annualAlpha(
  alpha: number,
  periodsPerYear: number,
  returns: 'simple' | 'log',
): number | null {
  if (returns === 'simple' && alpha <= -1) return -1;
  const growth = returns === 'log' ? alpha * periodsPerYear : periodsPerYear * Math.log1p(alpha);
  const a = Math.expm1(growth);
  return Number.isFinite(a) ? a : null;
}

/** Vasicek (1973) Bayesian shrinkage of a beta toward a prior:
 *  β_V = w·β + (1 - w)·μ, w = σ_p² / (σ_p² + se²), with prior mean μ and std σ_p (e.g. the
 *  cross-section of betas, `crossSectionPrior`) and the beta's standard error se.
 *  se = 0 gives β; a prior std of 0 gives μ. O(1).
 *  @example vasicekBeta(1.5, 0.5, { mean: 1, std: 0.5 }) // => 1.25 */
export function vasicekBeta(
  beta: number,
  stdErr: number,
  prior: VasicekPrior = DEFAULT_VASICEK_PRIOR,
): number {
  const vp = prior.std * prior.std;
  const ve = stdErr * stdErr;
  if (vp + ve === 0) return beta;
  const w = vp / (vp + ve);
  return w * beta + (1 - w) * prior.mean;
}

/** Prior for the Vasicek adjustment from a cross-section of betas: their mean and sample
 *  (ddof = 1) standard deviation. Fails with too_few_points (< 2 betas), non_finite_value, or
 *  flat_cross_section (all equal). O(n). */
export function crossSectionPrior(betas: readonly number[]): Result<VasicekPrior> {
  if (betas.length < 2)
    return failWith([
      { code: 'too_few_points', path: ['betas'], params: { n: betas.length, min: 2 } },
    ]);
  const bad = betas.findIndex((b) => !Number.isFinite(b));
  if (bad >= 0) {
    return failWith([
      {
        code: 'non_finite_value',
        path: ['betas', bad],
        params: {
          series: 'betas',
          index: bad,
          value: describeValue(betas[bad]!),
          count: betas.filter((b) => !Number.isFinite(b)).length,
        },
      },
    ]);
  }
  const mean = betas.reduce((a, b) => a + b, 0) / betas.length;
  const ss = betas.reduce((a, b) => a + (b - mean) * (b - mean), 0);
  if (isFlat(ss, betas.length, Math.max(...betas.map(Math.abs)))) {
    return failWith([
      { code: 'flat_cross_section', path: ['betas'], params: { n: betas.length, value: mean } },
    ]);
  }
  return ok({ mean, std: Math.sqrt(ss / (betas.length - 1)) });
}

/** Downside beta: the OLS beta (sample cov / sample var, with intercept) over the periods where
 *  the benchmark return is negative (x < 0). null when fewer than 3 such periods, or when the
 *  benchmark is flat over them. Inputs finite, same length. O(n). */
export function downsideBeta(asset: ArrayLike<number>, market: ArrayLike<number>): number | null {
  const m = moments(market, asset, (i) => market[i]! < 0);
  if (m.n < MIN_BETA_POINTS || isFlat(m.sxx, m.n, m.ax)) return null;
  return m.sxy / m.sxx;
}

/** EWMA beta: exponentially weighted cov(x, y) / var(x) at the last observation, with weights
 *  w_i = d^(n-1-i), decay d = 2^(-1/halfLife) (pandas `ewm(halflife=h, adjust=True)`; its
 *  bias correction is the same factor in cov and var, so it cancels). Centred two-pass sums.
 *  null when the weighted benchmark variance is rounding noise. halfLife > 0. Inputs finite,
 *  same length, n >= 1. O(n). */
export function ewmaBeta(
  asset: ArrayLike<number>,
  market: ArrayLike<number>,
  halfLife: number,
): number | null {
  const n = market.length;
  if (n === 0) return null;
  const decay = Math.pow(2, -1 / halfLife);
  let w = 1;
  let sw = 0;
  let sx = 0;
  let sy = 0;
  let ax = 0;
  for (let i = n - 1; i >= 0; i--) {
    sw += w;
    sx += w * market[i]!;
    sy += w * asset[i]!;
    ax = Math.max(ax, Math.abs(market[i]!));
    w *= decay;
  }
  const mx = sx / sw;
  const my = sy / sw;
  let sxx = 0;
  let sxy = 0;
  w = 1;
  for (let i = n - 1; i >= 0; i--) {
    const dx = market[i]! - mx;
    sxx += w * dx * dx;
    sxy += w * dx * (asset[i]! - my);
    w *= decay;
  }
  if (isFlat(sxx / sw, 1, ax)) return null;
  return sxy / sxx;
}

/** Beta statistics of `asset` returns against `market` (benchmark) returns, aligned and of the
 *  same length. See the module comment and `BetaStats` for each formula; references:
 *  statsmodels OLS (beta, alpha, R², stdErr, t, conf_int), Blume (1975) J. Finance 30(3),
 *  Vasicek (1973) J. Finance 28(5), pandas ewm for the EWMA beta. The 95 % interval uses the
 *  Student t quantile with n-2 degrees of freedom (`studentTQuantile`).
 *  Fails (located Problems) with mismatched_lengths, non_finite_value ([series, index]),
 *  too_few_points (n < 3), flat_benchmark, invalid_parameter (periodsPerYear, ewmaHalfLife),
 *  numeric_range (values so extreme that a statistic overflows).
 *  Warns flat_asset (asset returns constant: beta 0, correlation 0, R² 0) and
 *  downside_beta_unavailable. Cost O(n): `betaTable` of one asset.
 *  @example betaStats([0.02, -0.02, 0.04], [0.01, -0.01, 0.02], { periodsPerYear: 365 }) // beta 2 */
export function betaStats(
  asset: ArrayLike<number>,
  market: ArrayLike<number>,
  opts: BetaOptions,
): Result<BetaStats> {
  return betaTable([asset], market, opts)[0]!;
}

/** The benchmark's statistics against itself, exact by construction rather than by a
 *  regression's rounding (which gives β = 0.9999999999999998, se ≈ 1e-17 and t ≈ 1e16): β = 1,
 *  α = 0 (and its annual figure 0), ρ = R² = 1, se = 0, the t-stat and the interval null (nothing
 *  is estimated), the downside, Blume, Vasicek and EWMA betas 1 (the downside and EWMA betas
 *  null when unavailable, as in `betaStats`); n and the volatility are the benchmark's own.
 *  Fails as `betaStats` does (too_few_points, flat_benchmark, non_finite_value, ...). O(n).
 *  @example benchmarkSelfStats(btc, { periodsPerYear: 365 }) // => { ok: true, value: { beta: 1, stdErr: 0, tStat: null, ... } } */
export function benchmarkSelfStats(
  market: ArrayLike<number>,
  opts: BetaOptions,
): Result<BetaStats> {
  const r = betaStats(market, market, opts);
  if (!r.ok) return r;
  const s = r.value;
  return ok(
    {
      ...s,
      beta: 1,
      alpha: 0,
      alphaAnnual: 0,
      r2: 1,
      correlation: 1,
      stdErr: 0,
      tStat: null,
      ciLow: null,
      ciHigh: null,
      downsideBeta: s.downsideBeta === null ? null : 1,
      blumeBeta: 1,
      vasicekBeta: 1,
      ewmaBeta: s.ewmaBeta === null ? null : 1,
    },
    r.warnings,
  );
}

/** `betaStats` of every asset against one benchmark: the same result, problem for problem, as
 *  calling `betaStats` per asset, but the benchmark's side (its mean, centred returns, the
 *  downside subset and the t quantile) is computed once, and each asset costs two tight passes:
 *  its mean, then the fused centred sums Syy, Sxy and the downside co-moment. Cost O(n) for the
 *  benchmark + O(n) per asset.
 *  @example betaTable([eth, sol], btc, { periodsPerYear: 8760 }).map((r) => r.ok && r.value.beta) */
export function betaTable(
  assets: readonly ArrayLike<number>[],
  market: ArrayLike<number>,
  opts: BetaOptions,
): Result<BetaStats>[] {
  const optionProblems = checkOptions(opts);
  const n = market.length;
  const side = optionProblems.length === 0 ? marketSide(market) : null;
  const tq = n >= MIN_BETA_POINTS ? studentTQuantile(0.975, n - 2) : NaN;
  return assets.map((asset) => {
    if (side === null || asset.length !== n || !side.finite) {
      // Bad options, lengths or benchmark values: the full check, which also reports the
      // asset's own non-finite values (error path only). Finite values whose sum overflows
      // (beyond ~1e308) are out of range.
      const problems = [...optionProblems, ...checkPair(asset, market)];
      return failWith(
        problems.length > 0
          ? problems
          : [{ code: 'numeric_range', path: ['market'], params: { statistic: 'benchmark mean' } }],
      );
    }
    if (n < MIN_BETA_POINTS) {
      return failWith([
        { code: 'too_few_points', path: ['market'], params: { n, min: MIN_BETA_POINTS } },
      ]);
    }
    if (side.flat) {
      return failWith([
        { code: 'flat_benchmark', path: ['market'], params: { n, value: side.mx } },
      ]);
    }
    return assetStats(asset, market, side, opts, tq);
  });
}

/** What every asset of a table shares about the benchmark x. */
interface MarketSide {
  finite: boolean;
  flat: boolean;
  mx: number;
  sxx: number;
  /** x - x̄ */
  dx: Float64Array;
  /** Σ dx (0 up to rounding) */
  sumDx: number;
  /** x - x̄_D on the downside periods (x̄_D their mean), else 0 */
  downDx: Float64Array;
  nDown: number;
  /** Σ downDx (0 up to rounding) */
  sumDownDx: number;
  /** Σ_D (x - x̄_D)², or 0 when the downside beta is unavailable (fewer than 3 periods, flat) */
  sxxDown: number;
}

/** The benchmark's side of every statistic, in two passes over x. */
function marketSide(market: ArrayLike<number>): MarketSide {
  const n = market.length;
  const dx = new Float64Array(n);
  const downDx = new Float64Array(n);
  let sx = 0;
  let sxDown = 0;
  let nDown = 0;
  let ax = 0;
  let axDown = 0;
  for (let i = 0; i < n; i++) {
    const v = market[i]!;
    sx += v;
    const a = Math.abs(v);
    if (a > ax) ax = a;
    if (v < 0) {
      sxDown += v;
      nDown++;
      if (a > axDown) axDown = a;
    }
  }
  const finite = Number.isFinite(sx);
  const mx = n > 0 ? sx / n : 0;
  const mxDown = nDown > 0 ? sxDown / nDown : 0;
  let sxx = 0;
  let sumDx = 0;
  let sxxDown = 0;
  let sumDownDx = 0;
  for (let i = 0; i < n; i++) {
    const v = market[i]!;
    const d = v - mx;
    dx[i] = d;
    sumDx += d;
    sxx += d * d;
    if (v < 0) {
      const e = v - mxDown;
      downDx[i] = e;
      sumDownDx += e;
      sxxDown += e * e;
    }
  }
  const downUsable = nDown >= MIN_BETA_POINTS && !isFlat(sxxDown, nDown, axDown);
  return {
    finite,
    flat: isFlat(sxx, n, ax),
    mx,
    sxx,
    dx,
    sumDx,
    downDx,
    nDown,
    sumDownDx,
    sxxDown: downUsable ? sxxDown : 0,
  };
}

/** One asset's statistics against a usable benchmark side (finite, >= 3 points, not flat). */
function assetStats(
  asset: ArrayLike<number>,
  market: ArrayLike<number>,
  side: MarketSide,
  opts: BetaOptions,
  tq: number,
): Result<BetaStats> {
  const n = asset.length;
  // One pass about a shift k near the mean (`shiftOf`): with u = y - k and ū = Σu/n,
  //   Syy = Σu² - ū·Σu,  Sxy = Σ dx·u - ū·Σ dx,  Σ_D (x - x̄_D)(y - ȳ) = Σ downDx·u - ū·Σ downDx.
  // The subtraction in Syy loses digits only in proportion to n·ū²/Syy: for ordinary data k is
  // within a fraction of the spread of ȳ at any level (returns near 1e-5, prices near 1e5) and
  // nothing is lost; at worst (k is an average of the data, so ū² <= max (y - ȳ)² <= Syy) the
  // relative error of Syy is about n·ε, 2e-12 for a year of hours (the shifted-data algorithm:
  // Chan, Golub & LeVeque 1983, "Algorithms for computing the sample variance", Am. Stat. 37(3)).
  // Four entries per step, added in pairs: a running sum that waited on each addition would be
  // twice as slow.
  const k = shiftOf(asset);
  const { dx, downDx } = side;
  let su = 0;
  let suu = 0;
  let sxu = 0;
  let sdu = 0;
  let i = 0;
  // (up to n rounded down to a multiple of 4: measured ~15% faster under V8 than `i + 4 <= n`)
  for (const end = n & ~3; i < end; i += 4) {
    const u0 = asset[i]! - k;
    const u1 = asset[i + 1]! - k;
    const u2 = asset[i + 2]! - k;
    const u3 = asset[i + 3]! - k;
    su += u0 + u1 + (u2 + u3);
    suu += u0 * u0 + u1 * u1 + (u2 * u2 + u3 * u3);
    sxu += dx[i]! * u0 + dx[i + 1]! * u1 + (dx[i + 2]! * u2 + dx[i + 3]! * u3);
    sdu += downDx[i]! * u0 + downDx[i + 1]! * u1 + (downDx[i + 2]! * u2 + downDx[i + 3]! * u3);
  }
  for (; i < n; i++) {
    const u = asset[i]! - k;
    su += u;
    suu += u * u;
    sxu += dx[i]! * u;
    sdu += downDx[i]! * u;
  }
  // NaN and ±Infinity survive a sum: a non-finite sum means a bad value (or an overflow).
  if (!Number.isFinite(su + suu)) {
    const bad = checkPair(asset, market);
    if (bad.length > 0) return failWith(bad);
  }
  const ub = su / n;
  const my = k + ub;
  const syy = Math.max(0, suu - ub * su);
  const sxy = sxu - ub * side.sumDx;
  const sDownXy = sdu - ub * side.sumDownDx;
  const warnings: Problem[] = [];
  const flatAsset = assetIsFlat(asset, syy, my);
  if (flatAsset) warnings.push({ code: 'flat_asset', path: ['asset'], params: { n, value: my } });

  const beta = flatAsset ? 0 : sxy / side.sxx;
  const alpha = my - beta * side.mx;
  const correlation = flatAsset ? 0 : clamp(sxy / Math.sqrt(side.sxx * syy), -1, 1);
  // Residual sum of squares SSR = Syy - β·Sxy = Syy·(1 - r²). Near a perfect fit that
  // difference cancels, so there the residuals are summed themselves (a third pass).
  let ssr = 0;
  if (!flatAsset) {
    ssr = syy - beta * sxy;
    if (!(ssr > 1e-4 * syy)) {
      ssr = 0;
      for (i = 0; i < n; i++) {
        const e = asset[i]! - my - beta * dx[i]!;
        ssr += e * e;
      }
    }
  }
  const stdErr = Math.sqrt(ssr / (n - 2) / side.sxx);
  const ppy = opts.periodsPerYear;
  // Downside: Σ_D (x - x̄_D)(y - ȳ_D) = Σ_D (x - x̄_D)(y - ȳ) - (ȳ_D - ȳ)·Σ_D (x - x̄_D). The
  // sum is 0 up to rounding (about √n_D·ε·σx), so that term moves the downside beta by about
  // ε·(σy/σx)/√n_D at most and is left out: no pass over the downside mask per asset.
  let downsideBeta: number | null = null;
  if (side.sxxDown > 0) {
    downsideBeta = flatAsset ? 0 : sDownXy / side.sxxDown;
  } else {
    warnings.push({
      code: 'downside_beta_unavailable',
      path: ['market'],
      params: { down: side.nDown, min: MIN_BETA_POINTS },
    });
  }
  const exact = stdErr === 0; // a perfect fit: nothing to test or to put an interval on
  const stats: BetaStats = {
    beta,
    alpha,
    alphaAnnual: annualAlpha(alpha, ppy, opts.returns ?? 'simple'),
    r2: correlation * correlation,
    correlation,
    stdErr,
    tStat: exact ? null : beta / stdErr,
    ciLow: exact ? null : beta - tq * stdErr,
    ciHigh: exact ? null : beta + tq * stdErr,
    n,
    volAnnual: Math.sqrt(syy / (n - 1)) * Math.sqrt(ppy),
    downsideBeta,
    blumeBeta: 0.67 * beta + 0.33,
    vasicekBeta: vasicekBeta(beta, stdErr, opts.prior ?? DEFAULT_VASICEK_PRIOR),
    ewmaBeta:
      opts.ewmaHalfLife === undefined
        ? null
        : flatAsset
          ? 0
          : ewmaBeta(asset, market, opts.ewmaHalfLife),
  };
  // Values near the limits of double precision (|r| > ~1e150 or < ~1e-150) can overflow or
  // underflow the sums: say so instead of returning Infinity or NaN.
  // One sum is finite exactly when every term is (barring an overflow of the sum itself, which
  // the search below then clears).
  const sum =
    beta +
    alpha +
    stats.r2 +
    correlation +
    stdErr +
    (stats.tStat ?? 0) +
    (stats.ciLow ?? 0) +
    (stats.ciHigh ?? 0) +
    stats.volAnnual +
    (downsideBeta ?? 0) +
    stats.blumeBeta +
    stats.vasicekBeta +
    (stats.ewmaBeta ?? 0);
  if (!Number.isFinite(sum)) {
    const bad = Object.entries(stats).find(([, v]) => typeof v === 'number' && !Number.isFinite(v));
    if (bad)
      return failWith([{ code: 'numeric_range', path: ['asset'], params: { statistic: bad[0] } }]);
  }
  return ok(stats, warnings);
}

/** The shift of the one-pass sums of `assetStats`: the mean of the first (up to) 16 values,
 *  read from memory the loop reads next anyway. Being an average of the data, it is within the
 *  data's range, which is all the error bound of `assetStats` needs (a non-finite value makes it
 *  non-finite, and the sums then report it). */
function shiftOf(ys: ArrayLike<number>): number {
  const m = Math.min(ys.length, 16);
  let sum = 0;
  for (let j = 0; j < m; j++) sum += ys[j]!;
  return m > 0 ? sum / m : 0;
}

/** `isFlat` for the asset without a pass for its largest |y| in the common case: that value is
 *  at most |ȳ| + √Syy, so a spread above the tolerance of that bound is never flat. */
function assetIsFlat(asset: ArrayLike<number>, syy: number, my: number): boolean {
  const n = asset.length;
  if (syy > 0 && Math.sqrt(syy / n) > FLAT_TOLERANCE * (Math.abs(my) + Math.sqrt(syy))) {
    return false;
  }
  let ay = 0;
  for (let i = 0; i < n; i++) ay = Math.max(ay, Math.abs(asset[i]!));
  return isFlat(syy, n, ay);
}

function clamp(v: number, lo: number, hi: number): number {
  return v < lo ? lo : v > hi ? hi : v;
}

function checkOptions(opts: BetaOptions): Problem[] {
  const out: Problem[] = [];
  const positive = (name: string, v: number) => {
    if (!(v > 0) || !Number.isFinite(v)) {
      out.push({
        code: 'invalid_parameter',
        path: [name],
        params: { name, value: String(v), expected: 'a positive number' },
      });
    }
  };
  positive('periodsPerYear', opts.periodsPerYear);
  if (opts.ewmaHalfLife !== undefined) positive('ewmaHalfLife', opts.ewmaHalfLife);
  if (opts.prior !== undefined) {
    if (!Number.isFinite(opts.prior.mean)) {
      out.push({
        code: 'invalid_parameter',
        path: ['prior', 'mean'],
        params: { name: 'prior mean', value: String(opts.prior.mean), expected: 'a finite number' },
      });
    }
    if (!(opts.prior.std >= 0) || !Number.isFinite(opts.prior.std)) {
      out.push({
        code: 'invalid_parameter',
        path: ['prior', 'std'],
        params: { name: 'prior std', value: String(opts.prior.std), expected: 'a number >= 0' },
      });
    }
  }
  return out;
}
