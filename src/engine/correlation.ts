/** Correlation matrix of several return series.
 *
 *  Entry (i, j) is the Pearson correlation ρ = Sab / √(Saa·Sbb) of series i and j over the
 *  first n entries, n the shortest length (aligned returns all have the same), with centred sums
 *  (two passes: means, then deviations; the same sums as `betaStats`). Conventions: the
 *  diagonal is exactly 1; with fewer than 2 points, or for a flat series (Saa or Sbb not
 *  positive), the correlation is 0; rounding past ±1 is clamped. Each series is centred once and
 *  each pair summed once (the matrix is symmetric): O(k·n) + O(k²·n / 2). */

/** @example correlationMatrix([[0.01, -0.02, 0.03], [0.02, -0.04, 0.06]]) // => [[1, 1], [1, 1]] */
export function correlationMatrix(series: readonly ArrayLike<number>[]): number[][] {
  const k = series.length;
  const matrix = series.map((_, i) => series.map((__, j): number => (i === j ? 1 : 0)));
  const n = Math.min(...series.map((s) => s.length));
  if (k < 2 || n < 2) return matrix;
  const centred = series.map((s) => centre(s, n));
  const squares = centred.map((c) => dot(c, c));
  for (let i = 0; i < k; i++) {
    for (let j = i + 1; j < k; j++) {
      const [saa, sbb] = [squares[i]!, squares[j]!];
      if (!(saa > 0) || !(sbb > 0)) continue;
      const r = Math.max(-1, Math.min(1, dot(centred[i]!, centred[j]!) / Math.sqrt(saa * sbb)));
      matrix[i]![j] = r;
      matrix[j]![i] = r;
    }
  }
  return matrix;
}

/** The first n values of `xs` minus their mean. */
function centre(xs: ArrayLike<number>, n: number): Float64Array {
  let mean = 0;
  for (let i = 0; i < n; i++) mean += xs[i]!;
  mean /= n;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = xs[i]! - mean;
  return out;
}

/** Σ a_i·b_i over equal lengths. */
function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
