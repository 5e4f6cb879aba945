/** Hedge effectiveness over a sample. Pure; see docs/math.md ("Hedge effectiveness"). */
import { type Result, fail, ok } from './result';

/** Minimum number of paired observations (two give a variance from a single difference). */
export const MIN_EFFECTIVENESS_POINTS = 3;

/** Sample variance (ddof = 1) by two passes (mean first, then centred squares: no cancellation). */
function sampleVariance(x: ArrayLike<number>): number {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i] as number;
  mean /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (x[i] as number) - mean;
    ss += d * d;
  }
  return ss / (n - 1);
}

/** Hedge effectiveness 1 − var(hedged) / var(unhedged), the variance-reduction ratio
 *  (Ederington 1979, "The hedging performance of the new futures markets", J. Finance 34(1);
 *  the "dollar-offset / regression" tests of hedge accounting use the same ratio).
 *  Inputs: per-period returns (or P&L) of the hedged and unhedged positions over the same
 *  periods. Sample variances (ddof = 1; the ratio does not depend on ddof). 1 = perfect hedge,
 *  0 = no reduction, negative = the hedge added risk. O(n).
 *  Problems: length_mismatch at ['hedged'], too_few_points (n < opts.minPoints, default 3),
 *  non_finite at [series, index], flat_unhedged (var(unhedged) = 0: nothing to hedge).
 *  @example hedgeEffectiveness([0.01, -0.01, 0.01], [0.02, -0.02, 0.02]) // => ok(0.75) */
export function hedgeEffectiveness(
  hedged: ArrayLike<number>,
  unhedged: ArrayLike<number>,
  opts: { minPoints?: number } = {},
): Result<number> {
  const min = Math.max(2, opts.minPoints ?? MIN_EFFECTIVENESS_POINTS);
  if (hedged.length !== unhedged.length)
    return fail('length_mismatch', ['hedged'], {
      hedged: hedged.length,
      unhedged: unhedged.length,
    });
  const n = hedged.length;
  if (n < min) return fail('too_few_points', ['unhedged'], { n, min });
  for (const [name, xs] of [
    ['hedged', hedged],
    ['unhedged', unhedged],
  ] as const)
    for (let i = 0; i < n; i++)
      if (!Number.isFinite(xs[i])) return fail('non_finite', [name, i], { value: String(xs[i]) });
  const vu = sampleVariance(unhedged);
  // Flat: no variance beyond rounding noise relative to the values' own scale.
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(unhedged[i] as number));
  if (!(vu > (scale * 1e-12) ** 2) || vu === 0) return fail('flat_unhedged', ['unhedged'], { n });
  return ok(1 - sampleVariance(hedged) / vu);
}

/** Returns of the portfolio with a static hedge: r_h,t = r_P,t + h · r_F,t, with h the hedge
 *  ratio (HedgeSizing.hedgeRatio: signed hedge notional, plus coin collateral for inverse
 *  contracts, per USD of portfolio). Exact for simple returns over one period with the hedge set
 *  at its start: a linear contract gains C · r_F in USD; an inverse one gains S · (1/P0 − 1/P1)
 *  coin = S · r_F USD at P1, and its coin collateral M gains M · r_F. With log returns it is the
 *  usual first-order approximation. Inputs aligned, same length (the shorter length is used).
 *  O(n).
 *  @example hedgedReturns([0.02, -0.01], [0.01, -0.01], -1.2) // => [0.008, 0.002] */
export function hedgedReturns(
  portfolio: ArrayLike<number>,
  instrument: ArrayLike<number>,
  hedgeRatio: number,
): Float64Array {
  const n = Math.min(portfolio.length, instrument.length);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++)
    out[i] = (portfolio[i] as number) + hedgeRatio * (instrument[i] as number);
  return out;
}
