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
 *  means. `opts.out`: arrays of a previous result of the same length to overwrite instead of
 *  allocating new ones (saves the page faults of fresh memory when many series are rolled). @example rollingBeta([0.02, -0.02, 0.04, 0.0], [0.01, -0.01, 0.02, 0.01], 3)
 *  // => beta [NaN, NaN, 2, ≈1.0714] */
export function rollingBeta(
  asset: ArrayLike<number>,
  market: ArrayLike<number>,
  window: number,
  opts: { out?: RollingBeta } = {},
): Result<RollingBeta> {
  if (!Number.isInteger(window) || window < MIN_BETA_POINTS) {
    return fail('invalid_window', ['window'], { window: String(window), min: MIN_BETA_POINTS });
  }
  if (asset.length !== market.length) return failWith(checkPair(asset, market));
  const n = market.length;
  if (n < window) return fail('window_too_long', ['window'], { window, n });

  const x = toFloat64(market);
  const y = toFloat64(asset);
  // Fresh output arrays cost page faults (~25 MB for 1e6 points, comparable to the loop
  // itself); callers that run many series can pass the previous result's arrays as `out`.
  const reuse = opts.out;
  const fits =
    reuse !== undefined &&
    reuse.beta.length === n &&
    reuse.correlation.length === n &&
    reuse.stdErr.length === n &&
    reuse.flat.length === n;
  const beta = fits ? reuse.beta : new Float64Array(n);
  const correlation = fits ? reuse.correlation : new Float64Array(n);
  const stdErr = fits ? reuse.stdErr : new Float64Array(n);
  const flat = fits ? reuse.flat.fill(0) : new Uint8Array(n);
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
  // chk stays 0 while every output is finite; a non-finite input makes the outputs of every
  // window holding it non-finite, so the finiteness check rides along in the main loop
  // instead of costing a pass of its own.
  let chk = 0;
  for (let i = 0; i < W; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= W;
  my /= W;
  let cxx = 0;
  let cyy = 0;
  let cxy = 0;
  for (let i = 0; i < W; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    cxx += dx * dx;
    cyy += dy * dy;
    cxy += dx * dy;
  }

  const invW = 1 / W;
  let flatCount = 0;
  let firstFlat = -1;
  // lastX / lastY: the latest index whose value differs from the one before it. The window
  // [i-W+1 .. i] is exactly constant when that index is <= i-W+1 (O(1), no rescan).
  let lastX = 0;
  let lastY = 0;
  for (let i = 1; i < W; i++) {
    if (x[i] !== x[i - 1]) lastX = i;
    if (y[i] !== y[i - 1]) lastY = i;
  }
  for (let i = W - 1; i < n; i++) {
    if (i >= W) {
      const xn = x[i]!;
      const yn = y[i]!;
      const xo = x[i - W]!;
      const yo = y[i - W]!;
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
      lastX = xn !== x[i - 1] ? i : lastX;
      lastY = yn !== y[i - 1] ? i : lastY;
    }
    const first = i - W + 1;
    if (lastX > first && lastY > first && cxx > 0 && cyy > 0) {
      // The common case: nothing flat. Branch-free clamps (rounding can push |r| past 1).
      const b = cxy / cxx;
      beta[i] = b;
      correlation[i] = Math.min(1, Math.max(-1, cxy / Math.sqrt(cxx * cyy)));
      const se = Math.sqrt((Math.max(0, cyy - b * cxy) * invDof) / cxx);
      stdErr[i] = se;
      // Non-finite inputs or overflow (values beyond ~1e150) make b or se non-finite: chk
      // then stops being 0 (v * 0 is NaN for NaN and ±Infinity), checked after the loop.
      chk += (b + se) * 0;
      continue;
    }
    // Rare cases: a constant window, or a non-finite value (NaN fails every comparison above).
    chk += (mx + my + cxx + cyy + cxy) * 0;
    let f = 0;
    if (lastX <= first) {
      // Exactly constant benchmark window: exact zeros (also clears rounding drift).
      mx = x[i]!;
      cxx = 0;
      cxy = 0;
      chk += mx * 0; // a run of W equal Infinity values is not "flat", it is bad input
      f = FLAT_BENCHMARK;
    }
    if (lastY <= first) {
      my = y[i]!;
      cyy = 0;
      cxy = 0;
      chk += my * 0;
      f |= FLAT_ASSET;
    }
    if (f & FLAT_BENCHMARK || !(cxx > 0)) {
      // Undefined beta: flat benchmark (or its co-moment rounded to <= 0).
      flat[i] = f | FLAT_BENCHMARK;
      beta[i] = NaN;
      correlation[i] = NaN;
      stdErr[i] = NaN;
      if (firstFlat < 0) firstFlat = i;
      flatCount++;
      continue;
    }
    // Flat asset (or its co-moment rounded to <= 0): it does not move with the benchmark.
    flat[i] = f;
    const b = cyy > 0 ? cxy / cxx : 0;
    beta[i] = b;
    correlation[i] = 0;
    stdErr[i] = 0;
    chk += b * 0;
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
