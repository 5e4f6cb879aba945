/** The spot book's beta through time, for a walk-forward simulation: each asset's beta from a
 *  trailing window of returns (rolling.ts: one pass per asset, O(n) whatever the window, never a
 *  re-scan), weighted by the book's value at each bar. Pure; see docs/math.md ("Dynamic hedging").
 *
 *  Indices: prices have n bars; returns have n − 1 entries, return j running from bar j to bar
 *  j + 1. At bar i the estimate uses returns [i − W, i − 1] (those ending at or before bar i: no
 *  look-ahead), which is rolling entry i − 1. Bars i < W have no estimate (NaN). */
import { rollingBetaOnly, type RollingBetaOnly } from './rolling';
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
 *  given beta), or the trailing-window beta of its underlying's returns (NaN before bar W).
 *  O(n). */
export function instrumentBetaPath(
  n: number,
  beta: number | { returns: ArrayLike<number>; benchmark: ArrayLike<number>; window: number },
): Result<Float64Array> {
  const out = new Float64Array(n);
  if (typeof beta === 'number') return ok(out.fill(beta));
  const r = rollingBetaOnly(beta.returns, beta.benchmark, beta.window);
  if (!r.ok) return r;
  for (let i = 0; i < n; i++) out[i] = i < beta.window ? NaN : (r.value.beta[i - 1] as number);
  return ok(out);
}
