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
 *  precision (no catastrophic cancellation). Windows that are exactly constant are found before
 *  the loop (`constantWindows`); there the co-moments are reset to exact zeros, which also
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
 *  Cost O(n) time: 3 Float64Arrays + 1 Uint8Array of n (`rollingBetaOnly`: 1 + 1). */
import { checkPair, MIN_BETA_POINTS } from './beta';
import { fail, failWith, ok, type Problem, type Result } from './result';

/** Rolling beta alone (`rollingBetaOnly`). */
export interface RollingBetaOnly {
  beta: Float64Array;
  /** Per entry: 0, or FLAT_BENCHMARK | FLAT_ASSET bits for a constant window. */
  flat: Uint8Array;
}

/** Rolling beta with its correlation and standard error (`rollingBeta`). */
export interface RollingBeta extends RollingBetaOnly {
  correlation: Float64Array;
  stdErr: Float64Array;
}

/** `flat[i]` bit: the benchmark's returns are all equal over the window (beta undefined, NaN). */
export const FLAT_BENCHMARK = 1;
/** `flat[i]` bit: the asset's returns are all equal over the window (beta 0, correlation 0). */
export const FLAT_ASSET = 2;

/** Rolling beta, correlation and stdErr of `asset` against `market` returns over a trailing
 *  window of `window` periods. See the module comment for formulas, the method and what NaN
 *  means. `opts.out`: arrays of a previous result of the same length to overwrite instead of
 *  allocating new ones (fresh memory costs page faults comparable to the loop itself when many
 *  series are rolled).
 *  @example rollingBeta([0.02, -0.02, 0.04, 0.0], [0.01, -0.01, 0.02, 0.01], 3)
 *  // => beta [NaN, NaN, 2, ≈1.0714] */
export function rollingBeta(
  asset: ArrayLike<number>,
  market: ArrayLike<number>,
  window: number,
  opts: { out?: RollingBeta } = {},
): Result<RollingBeta> {
  const bad = checkArgs(asset, market, window);
  if (bad) return bad;
  const n = market.length;
  const reuse = opts.out;
  const fits =
    reuse !== undefined &&
    [reuse.beta, reuse.correlation, reuse.stdErr, reuse.flat].every((a) => a.length === n);
  const [beta, correlation, stdErr, flat] = fits
    ? [reuse.beta, reuse.correlation, reuse.stdErr, reuse.flat.fill(0)]
    : outputArrays(n, 3);
  const out: RollingBeta = { beta, correlation, stdErr, flat };
  return roll(toFloat64(asset), toFloat64(market), window, out, out, asset, market);
}

/** Rolling beta alone: the same windows, method, NaN rules and failures as `rollingBeta`, without
 *  the correlation and standard error (no square roots: about half the cost), for callers that
 *  only re-size a hedge. `opts.out` as in `rollingBeta`.
 *  @example rollingBetaOnly([0.02, -0.02, 0.04, 0.0], [0.01, -0.01, 0.02, 0.01], 3).value.beta
 *  // => [NaN, NaN, 2, ≈1.0714] */
export function rollingBetaOnly(
  asset: ArrayLike<number>,
  market: ArrayLike<number>,
  window: number,
  opts: { out?: RollingBetaOnly } = {},
): Result<RollingBetaOnly> {
  const bad = checkArgs(asset, market, window);
  if (bad) return bad;
  const n = market.length;
  const reuse = opts.out;
  const fits = reuse !== undefined && reuse.beta.length === n && reuse.flat.length === n;
  const [beta, flat] = fits ? [reuse.beta, reuse.flat.fill(0)] : outputArrays(n, 1);
  const out: RollingBetaOnly = { beta, flat };
  return roll(toFloat64(asset), toFloat64(market), window, out, null, asset, market);
}

function checkArgs(
  asset: ArrayLike<number>,
  market: ArrayLike<number>,
  window: number,
): Result<never> | null {
  if (!Number.isInteger(window) || window < MIN_BETA_POINTS) {
    return fail('invalid_window', ['window'], { window: String(window), min: MIN_BETA_POINTS });
  }
  if (asset.length !== market.length) return failWith(checkPair(asset, market));
  if (market.length < window)
    return fail('window_too_long', ['window'], { window, n: market.length });
  return null;
}

/** `count` Float64Arrays and one Uint8Array of n entries, all views of one fresh ArrayBuffer:
 *  one allocation instead of several (fresh memory is paid in page faults, and one large
 *  block costs about half as much as four here). */
function outputArrays(n: number, count: 1): [Float64Array, Uint8Array];
function outputArrays(n: number, count: 3): [Float64Array, Float64Array, Float64Array, Uint8Array];
function outputArrays(n: number, count: number): (Float64Array | Uint8Array)[] {
  const buffer = new ArrayBuffer((8 * count + 1) * n);
  const views: (Float64Array | Uint8Array)[] = [];
  for (let k = 0; k < count; k++) views.push(new Float64Array(buffer, 8 * k * n, n));
  views.push(new Uint8Array(buffer, 8 * count * n, n));
  return views;
}

function toFloat64(xs: ArrayLike<number>): Float64Array {
  return xs instanceof Float64Array ? xs : Float64Array.from(xs);
}

// Slots of the running state shared by the loop and the rare-case code.
const MX = 0;
const MY = 1;
const CXX = 2;
const CYY = 3;
const CXY = 4;
/** Non-zero once a non-finite value or an overflow was seen. */
const BAD = 5;

/** The driver: constant windows are found first, so the hot loop (`stepFull` / `stepBeta`) runs
 *  between them with no bookkeeping of its own; the rare entries (constant windows, and the
 *  rounding cases the loop hands back) go through `settle`. */
function roll<T extends RollingBetaOnly>(
  y: Float64Array,
  x: Float64Array,
  W: number,
  out: T,
  full: RollingBeta | null,
  asset: ArrayLike<number>,
  market: ArrayLike<number>,
): Result<T> {
  const n = x.length;
  const { beta, flat } = out;
  for (let i = 0; i < W - 1; i++) beta[i] = NaN;
  if (full) {
    full.correlation.fill(NaN, 0, W - 1);
    full.stdErr.fill(NaN, 0, W - 1);
  }
  const spans = mergeSpans(
    constantWindows(x, W, flat, FLAT_BENCHMARK),
    constantWindows(y, W, flat, FLAT_ASSET),
  );

  // First window: two passes.
  const s = new Float64Array(6);
  let mx = 0;
  let my = 0;
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
  s[MX] = mx;
  s[MY] = my;
  s[CXX] = cxx;
  s[CYY] = cyy;
  s[CXY] = cxy;
  const tally = { count: 0, first: -1 };
  settle(W - 1, x, y, W, s, out, full, tally);

  let i = W;
  spans: for (let k = 0; k <= spans.length; k += 2) {
    // Between constant windows: the hot loop, which hands back an index it cannot settle.
    const stop = k < spans.length ? Math.max(spans[k]!, i) : n;
    while (i < stop) {
      i = full
        ? stepFull(x, y, W, i, stop, s, full.beta, full.correlation, full.stdErr)
        : stepBeta(x, y, W, i, stop, s, beta);
      if (i < stop) settle(i++, x, y, W, s, out, full, tally);
      if (s[BAD] !== 0) break spans;
    }
    if (k === spans.length) break;
    for (const end = spans[k + 1]!; i < end; i++) {
      update(x, y, W, i, s);
      settle(i, x, y, W, s, out, full, tally);
      if (s[BAD] !== 0) break spans;
    }
  }

  if (s[BAD] !== 0 || !Number.isFinite(s[MX]! + s[MY]! + s[CXX]! + s[CYY]! + s[CXY]!)) {
    // A non-finite input makes the running sums non-finite from there on (NaN and ±Infinity
    // never cancel out), so checking the final state finds it without a pass of its own.
    const found = checkPair(asset, market);
    return failWith(
      found.length > 0
        ? found
        : [{ code: 'numeric_range', path: ['asset'], params: { statistic: 'rolling beta' } }],
    );
  }
  const warnings: Problem[] =
    tally.count > 0
      ? [
          {
            code: 'flat_window',
            path: ['market', tally.first],
            params: { count: tally.count, index: tally.first, window: W },
          },
        ]
      : [];
  return ok(out, warnings);
}

/** The hot loop for beta, correlation and stdErr over entries [from, to). One division and two
 *  square roots per entry: with p = 1/(Cxx·Cyy), 1/Cxx = Cyy·p and correlation = Cxy·√p.
 *  The update is `update`'s, written out. Returns `to`, or the first entry whose result needs
 *  `settle` (Cxx or Cyy not positive, |correlation| > 1 or a negative residual sum by rounding,
 *  or an overflow); the state `s` then already holds that entry's co-moments. */
function stepFull(
  x: Float64Array,
  y: Float64Array,
  W: number,
  from: number,
  to: number,
  s: Float64Array,
  beta: Float64Array,
  correlation: Float64Array,
  stdErr: Float64Array,
): number {
  let mx = s[MX]!;
  let my = s[MY]!;
  let cxx = s[CXX]!;
  let cyy = s[CYY]!;
  let cxy = s[CXY]!;
  const invW = 1 / W;
  const invDof = 1 / (W - 2);
  let i = from;
  for (; i < to; i++) {
    const xn = x[i]!;
    const yn = y[i]!;
    const xo = x[i - W]!;
    const yo = y[i - W]!;
    const dX = xn - xo;
    const dY = yn - yo;
    const mxStep = dX * invW;
    const myStep = dY * invW;
    const axn = xn - mx;
    const axo = xo - mx;
    cxx += dX * (axn + axo - mxStep);
    cyy += dY * (yn - my + (yo - my) - myStep);
    mx += mxStep;
    my += myStep;
    cxy += axn * (yn - my) - axo * (yo - my);
    const p = 1 / (cxx * cyy);
    const invCxx = cyy * p;
    const b = cxy * invCxx;
    const r = cxy * Math.sqrt(p);
    const se2 = (cyy - b * cxy) * invDof * invCxx;
    if (!(cxx > 0 && p > 0 && se2 >= 0 && r >= -1 && r <= 1 && se2 + p < Infinity)) break;
    beta[i] = b;
    correlation[i] = r;
    stdErr[i] = Math.sqrt(se2);
  }
  s[MX] = mx;
  s[MY] = my;
  s[CXX] = cxx;
  s[CYY] = cyy;
  s[CXY] = cxy;
  return i;
}

/** The hot loop for beta alone over entries [from, to): one division per entry, and no Cyy (a
 *  constant asset window is known before the loop and gets its exact 0 from `settle`; a window
 *  whose asset returns differ only by rounding gets Cxy/Cxx, about 0, where `rollingBeta` says 0).
 *  Four entries per step (the loop's own overhead is a fair share of so short a body); a step
 *  with an entry to settle is undone and redone one entry at a time. Returns as `stepFull`. */
function stepBeta(
  x: Float64Array,
  y: Float64Array,
  W: number,
  from: number,
  to: number,
  s: Float64Array,
  beta: Float64Array,
): number {
  let mx = s[MX]!;
  let my = s[MY]!;
  let cxx = s[CXX]!;
  let cxy = s[CXY]!;
  const invW = 1 / W;
  let i = from;
  for (; i + 4 <= to; i += 4) {
    const mx0 = mx;
    const my0 = my;
    const cxx0 = cxx;
    const cxy0 = cxy;
    let xn = x[i]!;
    let yn = y[i]!;
    let xo = x[i - W]!;
    let yo = y[i - W]!;
    let step = (xn - xo) * invW;
    let axn = xn - mx;
    let axo = xo - mx;
    cxx += (xn - xo) * (axn + axo - step);
    mx += step;
    my += (yn - yo) * invW;
    cxy += axn * (yn - my) - axo * (yo - my);
    const c0 = cxx;
    const b0 = cxy / cxx;

    xn = x[i + 1]!;
    yn = y[i + 1]!;
    xo = x[i + 1 - W]!;
    yo = y[i + 1 - W]!;
    step = (xn - xo) * invW;
    axn = xn - mx;
    axo = xo - mx;
    cxx += (xn - xo) * (axn + axo - step);
    mx += step;
    my += (yn - yo) * invW;
    cxy += axn * (yn - my) - axo * (yo - my);
    const c1 = cxx;
    const b1 = cxy / cxx;

    xn = x[i + 2]!;
    yn = y[i + 2]!;
    xo = x[i + 2 - W]!;
    yo = y[i + 2 - W]!;
    step = (xn - xo) * invW;
    axn = xn - mx;
    axo = xo - mx;
    cxx += (xn - xo) * (axn + axo - step);
    mx += step;
    my += (yn - yo) * invW;
    cxy += axn * (yn - my) - axo * (yo - my);
    const c2 = cxx;
    const b2 = cxy / cxx;

    xn = x[i + 3]!;
    yn = y[i + 3]!;
    xo = x[i + 3 - W]!;
    yo = y[i + 3 - W]!;
    step = (xn - xo) * invW;
    axn = xn - mx;
    axo = xo - mx;
    cxx += (xn - xo) * (axn + axo - step);
    mx += step;
    my += (yn - yo) * invW;
    cxy += axn * (yn - my) - axo * (yo - my);
    const b3 = cxy / cxx;

    const sum = b0 + b1 + b2 + b3; // finite exactly when all four are (or on overflow)
    if (!(c0 > 0 && c1 > 0 && c2 > 0 && cxx > 0 && sum - sum === 0)) {
      mx = mx0;
      my = my0;
      cxx = cxx0;
      cxy = cxy0;
      break;
    }
    beta[i] = b0;
    beta[i + 1] = b1;
    beta[i + 2] = b2;
    beta[i + 3] = b3;
  }
  for (; i < to; i++) {
    const xn = x[i]!;
    const yn = y[i]!;
    const xo = x[i - W]!;
    const yo = y[i - W]!;
    const step = (xn - xo) * invW;
    const axn = xn - mx;
    const axo = xo - mx;
    cxx += (xn - xo) * (axn + axo - step);
    mx += step;
    my += (yn - yo) * invW;
    cxy += axn * (yn - my) - axo * (yo - my);
    const b = cxy / cxx;
    if (!(cxx > 0 && b - b === 0)) break;
    beta[i] = b;
  }
  s[MX] = mx;
  s[MY] = my;
  s[CXX] = cxx;
  s[CXY] = cxy;
  return i;
}

/** One step of the state `s` to the window ending at i: with Δ = xn - xo, δ = Δ/W,
 *    x̄' = x̄ + δ,  Cxx' = Cxx + Δ·((xn - x̄) + (xo - x̄) - δ)   (likewise ȳ', Cyy)
 *    Cxy' = Cxy + (xn - x̄)(yn - ȳ') - (xo - x̄)(yo - ȳ')
 *  (the Welford-style centred update of the module comment; derivation in docs/math.md). */
function update(x: Float64Array, y: Float64Array, W: number, i: number, s: Float64Array): void {
  const [mx, my] = [s[MX]!, s[MY]!];
  const xn = x[i]!;
  const yn = y[i]!;
  const xo = x[i - W]!;
  const yo = y[i - W]!;
  const invW = 1 / W;
  const mxStep = (xn - xo) * invW;
  const myStep = (yn - yo) * invW;
  const my1 = my + myStep;
  s[CXX] = s[CXX]! + (xn - xo) * (xn - mx + (xo - mx) - mxStep);
  s[CYY] = s[CYY]! + (yn - yo) * (yn - my + (yo - my) - myStep);
  s[CXY] = s[CXY]! + (xn - mx) * (yn - my1) - (xo - mx) * (yo - my1);
  s[MX] = mx + mxStep;
  s[MY] = my1;
}

/** Writes entry i from the state `s` in every case: a constant window (flat bits set before
 *  the loop), co-moments rounded to <= 0, and results the hot loop declined. Rare by design. */
function settle(
  i: number,
  x: Float64Array,
  y: Float64Array,
  W: number,
  s: Float64Array,
  out: RollingBetaOnly,
  full: RollingBeta | null,
  tally: { count: number; first: number },
): void {
  let f = out.flat[i]!;
  // NaN and ±Infinity never cancel out of the running sums: a non-finite state means bad input
  // (or overflow) somewhere before, and the caller stops.
  if (!Number.isFinite(s[MX]! + s[MY]! + s[CXX]! + s[CYY]! + s[CXY]!)) s[BAD] = 1;
  if (f & FLAT_BENCHMARK) {
    // Exactly constant benchmark window: exact zeros (also clears rounding drift).
    s[MX] = x[i]!;
    s[CXX] = 0;
    s[CXY] = 0;
  }
  if (f & FLAT_ASSET) {
    s[MY] = y[i]!;
    s[CYY] = 0;
    s[CXY] = 0;
  }
  // A run of W equal Infinity values is not "flat", it is bad input.
  if (!Number.isFinite(s[MX]! + s[MY]!)) s[BAD] = 1;
  const cxx = s[CXX]!;
  const cyy = s[CYY]!;
  const cxy = s[CXY]!;
  let b: number;
  let r: number;
  let se: number;
  if (f & FLAT_BENCHMARK || !(cxx > 0)) {
    // Undefined beta: flat benchmark (or its co-moment rounded to <= 0).
    f |= FLAT_BENCHMARK;
    b = r = se = NaN;
    if (tally.first < 0) tally.first = i;
    tally.count++;
  } else if (f & FLAT_ASSET || (full && !(cyy > 0))) {
    // Flat asset (or its co-moment rounded to <= 0; Cyy is not kept for beta alone): it does
    // not move with the benchmark.
    b = r = se = 0;
  } else {
    b = cxy / cxx;
    // (for beta alone Cyy is stale, and r and se are not written)
    r = full ? Math.min(1, Math.max(-1, cxy / Math.sqrt(cxx * cyy))) : 0;
    se = full ? Math.sqrt(Math.max(0, cyy - b * cxy) / (W - 2) / cxx) : 0;
    if (!Number.isFinite(b + se)) s[BAD] = 1;
  }
  out.flat[i] = f;
  out.beta[i] = b;
  if (full) {
    full.correlation[i] = r;
    full.stdErr[i] = se;
  }
}

/** Marks with `bit` in `flat` every entry i whose window [i-W+1 .. i] of `v` is exactly constant
 *  and returns those entries as spans [start, end, start, end, ...] (end exclusive).
 *  A constant window holds W equal values, so it holds two consecutive multiples of h = ⌊W/2⌋
 *  with equal values: only where v[k·h] === v[(k+1)·h] is the run measured exactly. O(n/h)
 *  on data without long runs, O(n) at worst. NaN never equals itself, so it starts no run. */
export function constantWindows(
  v: Float64Array,
  W: number,
  flat: Uint8Array,
  bit: number,
): number[] {
  const n = v.length;
  const h = Math.max(1, W >> 1);
  const spans: number[] = [];
  for (let k = 0; (k + 1) * h < n;) {
    const a0 = k * h;
    const b0 = (k + 1) * h;
    const value = v[a0]!;
    if (v[b0] !== value) {
      k++;
      continue;
    }
    let j = a0 + 1;
    while (j < b0 && v[j] === value) j++;
    if (j < b0) {
      k++;
      continue;
    }
    let a = a0;
    let b = b0;
    while (a > 0 && v[a - 1] === value) a--;
    while (b + 1 < n && v[b + 1] === value) b++;
    if (b - a + 1 >= W) {
      spans.push(a + W - 1, b + 1);
      for (let i = a + W - 1; i <= b; i++) flat[i] = flat[i]! | bit;
    }
    k = Math.floor(b / h) + 1;
  }
  return spans;
}

/** Union of two sorted span lists [start, end, ...] as one sorted list of disjoint spans. */
function mergeSpans(p: number[], q: number[]): number[] {
  const all: [number, number][] = [];
  for (const list of [p, q])
    for (let k = 0; k < list.length; k += 2) all.push([list[k]!, list[k + 1]!]);
  all.sort((u, v) => u[0] - v[0]);
  const out: number[] = [];
  for (const [a, b] of all) {
    if (out.length > 0 && a <= out[out.length - 1]!)
      out[out.length - 1] = Math.max(out[out.length - 1]!, b);
    else out.push(a, b);
  }
  return out;
}
