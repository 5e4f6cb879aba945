/** The spot book's beta through time, for a walk-forward simulation: each asset's beta from a
 *  trailing window of returns (rolling.ts: one pass per asset, O(n) whatever the window, never a
 *  re-scan), weighted by the book's value at each bar. Pure; see docs/math.md ("Dynamic hedging").
 *
 *  Indices: prices have n bars; returns have n − 1 entries, return j running from bar j to bar
 *  j + 1. At bar i the estimate uses returns [i − W, i − 1] (those ending at or before bar i: no
 *  look-ahead), which is rolling entry i − 1. Bars i < W have no estimate (NaN). */
import { MIN_BETA_POINTS } from './beta';
import { constantWindows, rollingBetaOnly, type RollingBetaOnly } from './rolling';
import { type Result, ok } from './result';

export interface DollarBetaInput {
  /** Bar closes of each held asset (n each). */
  prices: readonly ArrayLike<number>[];
  /** Returns of each held asset (n − 1 each, simple or log as the settings say). */
  returns: readonly ArrayLike<number>[];
  /** Units held of each asset (coins), fixed through the simulation. */
  units: readonly number[];
  /** Per asset: true for the (single-asset) benchmark itself, whose beta is exactly 1. */
  isBenchmark: readonly boolean[];
  /** Benchmark returns (n − 1). */
  benchmark: ArrayLike<number>;
  /** Trailing window W in returns, ≥ 3. */
  window: number;
}

/** Per bar, the spot book's value V_i = Σ q_a p_a,i (USD) and dollar beta D_i = Σ q_a p_a,i β_a,i
 *  (USD per unit benchmark return; the book's beta is D_i / V_i), β_a,i the trailing-window beta
 *  at bar i (NaN before bar W, or where the benchmark is flat over the window). Failures are
 *  rollingBetaOnly's (window_too_long, non_finite_value at ['asset' | 'market', index], ...) with
 *  `asset` (its index in the input) in params. O(n · assets).
 *  @example dollarBetaPath({ prices: [[1, 1, 1, 1, 1]], returns: [r], units: [10], ... }) */
export function dollarBetaPath(input: DollarBetaInput): Result<{
  value: Float64Array;
  dollarBeta: Float64Array;
}> {
  return fusedPath(input) ?? perAssetPath(input);
}

/** The usual case, without rollingBetaOnly's per-asset beta array and second pass: one pass over
 *  the bars per asset, or per two neighbouring assets (the benchmark's window sums are shared and
 *  V and D are read and written once for both), rolls the window (rolling.ts's centred update,
 *  the same operations in the same order, so each β = C_xy / C_xx is the number rollingBetaOnly
 *  gives) and adds q·p and q·p·β into V and D at once, assets in input order as perAssetPath:
 *  the same bits. Returns null, for perAssetPath to do it, when a series holds a constant window
 *  (exact zeros and NaN there), when C_xx rounds to ≤ 0, on a non-finite value or overflow
 *  (perAssetPath locates it), or when the inputs do not pass rollingBetaOnly's checks.
 *  O(n · assets). */
function fusedPath(input: DollarBetaInput): { ok: true; value: PathArrays; warnings: [] } | null {
  const W = input.window;
  const x = input.benchmark;
  const m = x.length;
  const n = m + 1;
  const count = input.prices.length;
  if (!Number.isInteger(W) || W < MIN_BETA_POINTS || m < W || !(x instanceof Float64Array))
    return null;
  const flat = new Uint8Array(m); // constantWindows' marks (only whether there are any matters)
  if (constantWindows(x, W, flat, 1).length > 0) return null;
  for (let a = 0; a < count; a++) {
    const y = input.returns[a];
    if (input.isBenchmark[a]) continue;
    if (!(y instanceof Float64Array) || y.length !== m) return null;
    if (constantWindows(y, W, flat, 1).length > 0) return null;
  }
  const value = new Float64Array(n);
  const dollarBeta = new Float64Array(n);
  for (let i = 0; i < Math.min(W, n); i++) dollarBeta[i] = NaN;
  const path = { value, dollarBeta, x, W };
  const held = (a: number): Held => ({
    y: input.returns[a] as Float64Array,
    p: input.prices[a]!,
    q: input.units[a]!,
  });
  for (let a = 0; a < count; a++) {
    const p = input.prices[a]!;
    const q = input.units[a]!;
    if (input.isBenchmark[a]) {
      for (let i = 0; i < n; i++) {
        const v = q * (p[i] as number);
        value[i]! += v;
        if (i >= W) dollarBeta[i]! += v;
      }
    } else if (a + 1 < count && !input.isBenchmark[a + 1]) {
      if (!addTwo(path, held(a), held(a + 1))) return null;
      a++;
    } else if (!addOne(path, held(a))) return null;
  }
  for (let i = W; i < n; i++) if (dollarBeta[i]! - dollarBeta[i]! !== 0) return null;
  return { ok: true, value: { value, dollarBeta }, warnings: [] };
}

/** What fusedPath's passes add into: V and D (n bars), the benchmark returns x, the window W. */
interface FusedPath {
  value: Float64Array;
  dollarBeta: Float64Array;
  x: Float64Array;
  W: number;
}
/** One held asset: its returns y (n − 1), closes p (n), units q. */
interface Held {
  y: Float64Array;
  p: ArrayLike<number>;
  q: number;
}

// The first window (returns 0..W−1, rolling entry W − 1: the beta at bar W) is summed in two
// passes; then bar i sees the returns [i − W, i − 1] (rolling entry j = i − 1), updated as
// x̄' = x̄ + δ, C_xx' = C_xx + Δ·((x_n − x̄) + (x_o − x̄) − δ), Δ = x_n − x_o, δ = Δ/W;
// ȳ' = ȳ + (y_n − y_o)/W, C_xy' = C_xy + (x_n − x̄)(y_n − ȳ') − (x_o − x̄)(y_o − ȳ').
// A β that is ±Infinity or NaN (bad input, overflow) or C_xx rounded to ≤ 0 are perAssetPath's
// cases: the pass stops and returns false.

/** One asset's pass: V_i += q·p_i, D_i += q·p_i·β_i for every bar (β_i from bar W on). O(n). */
function addOne({ value, dollarBeta, x, W }: FusedPath, { y, p, q }: Held): boolean {
  const n = value.length;
  const invW = 1 / W;
  let mx = 0;
  let my = 0;
  for (let j = 0; j < W; j++) {
    mx += x[j]!;
    my += y[j]!;
    value[j]! += q * (p[j] as number);
  }
  mx /= W;
  my /= W;
  let cxx = 0;
  let cxy = 0;
  for (let j = 0; j < W; j++) {
    const dx = x[j]! - mx;
    cxx += dx * dx;
    cxy += dx * (y[j]! - my);
  }
  for (let i = W; i < n; i++) {
    const j = i - 1;
    if (j >= W) {
      const xn = x[j]!;
      const xo = x[j - W]!;
      const step = (xn - xo) * invW;
      const axn = xn - mx;
      const axo = xo - mx;
      cxx += (xn - xo) * (axn + axo - step);
      mx += step;
      const yn = y[j]!;
      const yo = y[j - W]!;
      my += (yn - yo) * invW;
      cxy += axn * (yn - my) - axo * (yo - my);
    }
    const beta = cxy / cxx;
    if (!(cxx > 0 && beta - beta === 0)) return false;
    const v = q * (p[i] as number);
    value[i]! += v;
    dollarBeta[i]! += v * beta;
  }
  return true;
}

/** Two neighbouring assets' passes as one (addOne's operations for each, in order: V_i + v₁ + v₂
 *  is (V_i + v₁) + v₂, the same bits as two passes). O(n). */
function addTwo({ value, dollarBeta, x, W }: FusedPath, one: Held, two: Held): boolean {
  const { y, p, q } = one;
  const { y: y2, p: p2, q: q2 } = two;
  const n = value.length;
  const invW = 1 / W;
  let mx = 0;
  let my = 0;
  let my2 = 0;
  for (let j = 0; j < W; j++) {
    mx += x[j]!;
    my += y[j]!;
    my2 += y2[j]!;
    value[j] = value[j]! + q * (p[j] as number) + q2 * (p2[j] as number);
  }
  mx /= W;
  my /= W;
  my2 /= W;
  let cxx = 0;
  let cxy = 0;
  let cxy2 = 0;
  for (let j = 0; j < W; j++) {
    const dx = x[j]! - mx;
    cxx += dx * dx;
    cxy += dx * (y[j]! - my);
    cxy2 += dx * (y2[j]! - my2);
  }
  for (let i = W; i < n; i++) {
    const j = i - 1;
    if (j >= W) {
      const xn = x[j]!;
      const xo = x[j - W]!;
      const step = (xn - xo) * invW;
      const axn = xn - mx;
      const axo = xo - mx;
      cxx += (xn - xo) * (axn + axo - step);
      mx += step;
      const yn = y[j]!;
      const yo = y[j - W]!;
      my += (yn - yo) * invW;
      cxy += axn * (yn - my) - axo * (yo - my);
      const yn2 = y2[j]!;
      const yo2 = y2[j - W]!;
      my2 += (yn2 - yo2) * invW;
      cxy2 += axn * (yn2 - my2) - axo * (yo2 - my2);
    }
    const beta = cxy / cxx;
    const beta2 = cxy2 / cxx;
    if (!(cxx > 0 && beta - beta === 0 && beta2 - beta2 === 0)) return false;
    const v = q * (p[i] as number);
    const v2 = q2 * (p2[i] as number);
    value[i] = value[i]! + v + v2;
    dollarBeta[i] = dollarBeta[i]! + v * beta + v2 * beta2;
  }
  return true;
}

interface PathArrays {
  value: Float64Array;
  dollarBeta: Float64Array;
}

/** Asset by asset through rollingBetaOnly: every case (constant windows, flat benchmark, bad
 *  values with their location). */
function perAssetPath(input: DollarBetaInput): Result<PathArrays> {
  const n = input.benchmark.length + 1;
  const value = new Float64Array(n);
  const dollarBeta = new Float64Array(n);
  const W = input.window;
  for (let i = 0; i < Math.min(W, n); i++) dollarBeta[i] = NaN;
  let out: RollingBetaOnly | undefined;
  for (let a = 0; a < input.prices.length; a++) {
    const p = input.prices[a]!;
    const q = input.units[a]!;
    if (input.isBenchmark[a]) {
      for (let i = 0; i < W && i < n; i++) value[i]! += q * (p[i] as number);
      for (let i = W; i < n; i++) {
        const v = q * (p[i] as number);
        value[i]! += v;
        dollarBeta[i]! += v;
      }
      continue;
    }
    const r = rollingBetaOnly(input.returns[a]!, input.benchmark, W, out ? { out } : {});
    if (!r.ok)
      return {
        ok: false,
        problems: r.problems.map((x) => ({ ...x, params: { ...x.params, asset: a } })),
      };
    out = r.value;
    const beta = out.beta;
    for (let i = 0; i < W && i < n; i++) value[i]! += q * (p[i] as number);
    for (let i = W; i < n; i++) {
      const v = q * (p[i] as number);
      value[i]! += v;
      dollarBeta[i]! += v * (beta[i - 1] as number);
    }
  }
  return ok({ value, dollarBeta });
}

/** The instrument's beta β_F at each bar: a constant (1 for the benchmark's own futures, or a
 *  given beta), returned as that number (simulate.ts takes it as is: no array of n copies), or
 *  the trailing-window beta of its underlying's returns (NaN before bar W). O(1) / O(n). */
export function instrumentBetaPath(
  n: number,
  beta: number | { returns: ArrayLike<number>; benchmark: ArrayLike<number>; window: number },
): Result<Float64Array | number> {
  if (typeof beta === 'number') return ok(beta);
  const r = rollingBetaOnly(beta.returns, beta.benchmark, beta.window);
  if (!r.ok) return r;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = i < beta.window ? NaN : (r.value.beta[i - 1] as number);
  return ok(out);
}
