/** Rolling beta, correlation and standard error of beta in one pass, O(n) whatever the window.
 *
 *  Entry i covers the returns [i-window+1 .. i] (a trailing window: no look-ahead). Within a
 *  window of W pairs (x = benchmark, y = asset) the statistics are those of `betaStats`:
 *  beta = Cxy / Cxx, correlation = Cxy / √(Cxx·Cyy), stdErr = √((Cyy - Cxy²/Cxx) / (W-2) / Cxx),
 *  with the centred co-moments Cxx = Σ(x-x̄)², Cyy = Σ(y-ȳ)², Cxy = Σ(x-x̄)(y-ȳ) (sample
 *  convention; the (W-1) factors cancel).
 *
 *  Numerical method: the first window is summed in two passes (means, then centred sums); each
 *  later step replaces the oldest pair (xo, yo) by the newest (xn, yn) with a Welford-style
 *  update of the means and the CENTRED co-moments (never raw Σx², Σxy):
 *    x̄' = x̄ + (xn - xo)/W,  ȳ' = ȳ + (yn - yo)/W
 *    Cxy' = Cxy + (xn - x̄)(yn - ȳ') - (xo - x̄)(yo - ȳ')     (likewise Cxx, Cyy)
 *  (derivation in docs/math.md; Welford 1962, Technometrics 4(3); Chan, Golub & LeVeque 1983).
 *  Every term is a deviation from a mean, so prices near 1e5 or returns near 1e-5 keep their
 *  precision (no catastrophic cancellation). When a window is exactly constant (detected by the
 *  length of the run of equal values, O(1)) its co-moments are reset to exact zeros, which also
 *  clears accumulated rounding drift.
 *
 *  Undefined entries are NaN, and documented: the notebook maps NaN to null.
 *  - i < window - 1: not enough data yet: beta, correlation, stdErr are NaN.
 *  - benchmark flat over the window (all W benchmark returns equal): beta, correlation and
 *    stdErr are NaN and `flat[i]` has bit FLAT_BENCHMARK set; the result carries a
 *    `flat_window` warning with the count and the first such index.
 *  - asset flat over the window: beta 0, correlation 0, stdErr 0, `flat[i]` has FLAT_ASSET set.
 *  Failures: invalid_window (not an integer >= 3), mismatched_lengths, non_finite_value
 *  ([series, index]), window_too_long (fewer returns than the window), numeric_range (values so
 *  extreme, beyond ~1e150, that the co-moments overflow).
 *  Cost O(n) time, 3 Float64Arrays + 1 Uint8Array of n. */
import { checkPair, MIN_BETA_POINTS } from './beta';
import { fail, failWith, ok, type Problem, type Result } from './result';

export interface RollingBeta {
  beta: Float64Array;
  correlation: Float64Array;
  stdErr: Float64Array;
  /** Per entry: 0, or FLAT_BENCHMARK | FLAT_ASSET bits for a constant window. */
  flat: Uint8Array;
}

/** `flat[i]` bit: the benchmark's returns are all equal over the window (beta undefined, NaN). */
export const FLAT_BENCHMARK = 1;
/** `flat[i]` bit: the asset's returns are all equal over the window (beta 0, correlation 0). */
export const FLAT_ASSET = 2;

function toFloat64(xs: ArrayLike<number>): Float64Array {
  return xs instanceof Float64Array ? xs : Float64Array.from(xs);
}

/** Rolling beta, correlation and stdErr of `asset` against `market` returns over a trailing
 *  window of `window` periods. See the module comment for formulas, the method and what NaN
 *  means. @example rollingBeta([0.02, -0.02, 0.04, 0.0], [0.01, -0.01, 0.02, 0.01], 3)
 *  // => beta [NaN, NaN, 2, ≈1.0714] */
export function rollingBeta(
  asset: ArrayLike<number>,
  market: ArrayLike<number>,
  window: number,
): Result<RollingBeta> {
  if (!Number.isInteger(window) || window < MIN_BETA_POINTS) {
    return fail('invalid_window', ['window'], { window: String(window), min: MIN_BETA_POINTS });
  }
  if (asset.length !== market.length) return failWith(checkPair(asset, market));
  const n = market.length;
  if (n < window) return fail('window_too_long', ['window'], { window, n });

  const x = toFloat64(market);
  const y = toFloat64(asset);
  const beta = new Float64Array(n);
  const correlation = new Float64Array(n);
  const stdErr = new Float64Array(n);
  const flat = new Uint8Array(n);
  const W = window;
  const invDof = 1 / (W - 2);
  for (let i = 0; i < W - 1; i++) {
    beta[i] = NaN;
    correlation[i] = NaN;
    stdErr[i] = NaN;
  }

  // First window: two passes.
  let mx = 0;
  let my = 0;
  // chk stays 0 while every value is finite (v * 0 is NaN for NaN and ±Infinity): the
  // finiteness check rides along in the main loop instead of costing a pass of its own.
  let chk = 0;
  for (let i = 0; i < W; i++) {
    mx += x[i]!;
    my += y[i]!;
    chk += x[i]! * 0 + y[i]! * 0;
  }
  mx /= W;
  my /= W;
  let cxx = 0;
  let cyy = 0;
  let cxy = 0;
  // Runs of equal consecutive values ending at i (a window is flat when its run >= W).
  let runX = 1;
  let runY = 1;
  for (let i = 0; i < W; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    cxx += dx * dx;
    cyy += dy * dy;
    cxy += dx * dy;
    if (i > 0) {
      runX = x[i] === x[i - 1] ? runX + 1 : 1;
      runY = y[i] === y[i - 1] ? runY + 1 : 1;
    }
  }

  const invW = 1 / W;
  let flatCount = 0;
  let firstFlat = -1;
  for (let i = W - 1; i < n; i++) {
    if (i >= W) {
      const xn = x[i]!;
      const yn = y[i]!;
      const xo = x[i - W]!;
      const yo = y[i - W]!;
      chk += xn * 0 + yn * 0;
      const mx1 = mx + (xn - xo) * invW;
      const my1 = my + (yn - yo) * invW;
      const axn = xn - mx;
      const axo = xo - mx;
      const bn = yn - my1;
      const bo = yo - my1;
      cxx += axn * (xn - mx1) - axo * (xo - mx1);
      cyy += (yn - my) * bn - (yo - my) * bo;
      cxy += axn * bn - axo * bo;
      mx = mx1;
      my = my1;
      runX = xn === x[i - 1] ? runX + 1 : 1;
      runY = yn === y[i - 1] ? runY + 1 : 1;
    }
    let f = 0;
    if (runX >= W) {
      // Exactly constant benchmark window: exact zeros (also clears rounding drift).
      mx = x[i]!;
      cxx = 0;
      cxy = 0;
      f = FLAT_BENCHMARK;
    }
    if (runY >= W) {
      my = y[i]!;
      cyy = 0;
      cxy = 0;
      f |= FLAT_ASSET;
    }
    if (f & FLAT_BENCHMARK || !(cxx > 0)) {
      flat[i] = f | FLAT_BENCHMARK;
      beta[i] = NaN;
      correlation[i] = NaN;
      stdErr[i] = NaN;
      if (firstFlat < 0) firstFlat = i;
      flatCount++;
      continue;
    }
    flat[i] = f;
    const b = cxy / cxx;
    beta[i] = b;
    let se = 0;
    if (cyy > 0) {
      let r = cxy / Math.sqrt(cxx * cyy);
      r = r > 1 ? 1 : r < -1 ? -1 : r;
      correlation[i] = r;
      const ssr = cyy - b * cxy;
      if (ssr > 0) se = Math.sqrt((ssr * invDof) / cxx);
    } else {
      correlation[i] = 0;
    }
    stdErr[i] = se;
    // Overflow guard (values beyond ~1e150): any non-finite output poisons chk.
    chk += (b + se) * 0;
  }
  if (chk !== 0) {
    const bad = checkPair(asset, market);
    return failWith(
      bad.length > 0
        ? bad
        : [{ code: 'numeric_range', path: ['asset'], params: { statistic: 'rolling beta' } }],
    );
  }
  const warnings: Problem[] =
    flatCount > 0
      ? [
          {
            code: 'flat_window',
            path: ['market', firstFlat],
            params: { count: flatCount, index: firstFlat, window: W },
          },
        ]
      : [];
  return ok({ beta, correlation, stdErr, flat }, warnings);
}
