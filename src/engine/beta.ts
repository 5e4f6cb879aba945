/** Beta statistics of an asset's returns against a benchmark's returns.
 *
 *  Conventions (docs/math.md, "Beta and its statistics"): x = benchmark returns, y = asset
 *  returns, aligned, n pairs. Sample (ddof = 1) estimators throughout, so the (n-1) factors
 *  cancel in ratios: beta = cov(x, y) / var(x) = Sxy / Sxx with centred sums
 *  Sxx = Σ(x-x̄)², Syy = Σ(y-ȳ)², Sxy = Σ(x-x̄)(y-ȳ), computed in two passes (means first), so
 *  no Σx² - n·x̄² cancellation. This equals OLS of y on x with an intercept (statsmodels OLS).
 *  Data-dependent failures are Problems (never NaN, never a throw). */
import { failWith, ok, type Problem, type Result } from './result';
import { studentTQuantile } from './student-t';

export interface BetaStats {
  /** cov(x, y) / var(x), sample estimators. */
  beta: number;
  /** Per period: ȳ - β·x̄ (the OLS intercept). */
  alpha: number;
  /** alpha × periodsPerYear (arithmetic, not compounded). */
  alphaAnnual: number;
  /** OLS R² = correlation² (with an intercept). */
  r2: number;
  /** Pearson correlation Sxy / √(Sxx·Syy); 0 when the asset's returns are flat. */
  correlation: number;
  /** Standard error of beta: √(SSR/(n-2) / Sxx), SSR = Σ residual². */
  stdErr: number;
  /** beta / stdErr; null when stdErr is 0 (a perfect fit). */
  tStat: number | null;
  /** 95 % interval beta ± t(0.975, n-2)·stdErr (statsmodels OLS conf_int). */
  ciLow: number;
  ciHigh: number;
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
 *  downside_beta_unavailable. Cost O(n).
 *  @example betaStats([0.02, -0.02, 0.04], [0.01, -0.01, 0.02], { periodsPerYear: 365 }) // beta 2 */
export function betaStats(
  asset: ArrayLike<number>,
  market: ArrayLike<number>,
  opts: BetaOptions,
): Result<BetaStats> {
  const problems = checkOptions(opts);
  problems.push(...checkPair(asset, market));
  if (problems.length > 0) return failWith(problems);
  const n = asset.length;
  if (n < MIN_BETA_POINTS) {
    return failWith([
      { code: 'too_few_points', path: ['market'], params: { n, min: MIN_BETA_POINTS } },
    ]);
  }
  const m = moments(market, asset);
  if (isFlat(m.sxx, n, m.ax)) {
    return failWith([{ code: 'flat_benchmark', path: ['market'], params: { n, value: m.mx } }]);
  }
  const warnings: Problem[] = [];
  const flatAsset = isFlat(m.syy, n, m.ay);
  if (flatAsset) warnings.push({ code: 'flat_asset', path: ['asset'], params: { n, value: m.my } });

  const beta = flatAsset ? 0 : m.sxy / m.sxx;
  const alpha = m.my - beta * m.mx;
  // Residual sum of squares from the residuals themselves (a third pass), not Syy - β·Sxy.
  let ssr = 0;
  if (!flatAsset) {
    for (let i = 0; i < n; i++) {
      const e = asset[i]! - m.my - beta * (market[i]! - m.mx);
      ssr += e * e;
    }
  }
  const correlation = flatAsset ? 0 : clamp(m.sxy / Math.sqrt(m.sxx * m.syy), -1, 1);
  const stdErr = Math.sqrt(ssr / (n - 2) / m.sxx);
  const tq = studentTQuantile(0.975, n - 2);
  const ppy = opts.periodsPerYear;
  let down = downsideBeta(asset, market);
  if (flatAsset && down !== null) down = 0;
  if (down === null) {
    let count = 0;
    for (let i = 0; i < n; i++) if (market[i]! < 0) count++;
    warnings.push({
      code: 'downside_beta_unavailable',
      path: ['market'],
      params: { down: count, min: MIN_BETA_POINTS },
    });
  }
  const stats: BetaStats = {
    beta,
    alpha,
    alphaAnnual: alpha * ppy,
    r2: correlation * correlation,
    correlation,
    stdErr,
    tStat: stdErr > 0 ? beta / stdErr : null,
    ciLow: beta - tq * stdErr,
    ciHigh: beta + tq * stdErr,
    n,
    volAnnual: Math.sqrt(m.syy / (n - 1)) * Math.sqrt(ppy),
    downsideBeta: down,
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
  const bad = Object.entries(stats).find(([, v]) => typeof v === 'number' && !Number.isFinite(v));
  if (bad)
    return failWith([{ code: 'numeric_range', path: ['asset'], params: { statistic: bad[0] } }]);
  return ok(stats, warnings);
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
