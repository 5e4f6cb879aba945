/** Reducing long series to what a chart can show, so a saved result is bounded by what is shown
 *  and not by the length of the data. Every function returns sorted indices into the caller's
 *  arrays: the points kept are exact original points (a hover on them tells the truth), and the
 *  statistics are computed before, on the full data. Pure, deterministic (the same input always
 *  keeps the same points, so saved outputs do not churn), O(n) or O(n log n).
 *
 *  - `lttbIndices`: one line (Largest-Triangle-Three-Buckets) with its global extremes.
 *  - `frameIndices`: several columns sharing one time axis, reduced jointly (one set of rows
 *    that keeps the shape, the extremes and the gaps of every column, plus forced rows such as
 *    event times).
 *  - `scatterIndices`: a cloud, keeping its extremes and outliers, its shape (every occupied
 *    region) and its density (the rest in proportion to how many points a region holds).
 *  - `roundSignificant`: display values to a stated number of significant digits. */

/** Largest-Triangle-Three-Buckets (Steinarsson 2013, "Downsampling time series for visual
 *  representation", ch. 4): keeps the first and last point and, from each of `threshold - 2`
 *  buckets, the point forming the largest triangle with the previous kept point and the next
 *  bucket's mean. The global minimum and maximum of y are added back if LTTB dropped them, so a
 *  spike or a dip is never hidden: at most threshold + 2 indices. O(n).
 *  x must be non-decreasing and finite; y finite.
 *  @example lttbIndices([0, 1, 2, 3, 4], [0, 5, 0, 0, 0], 3) // => [0, 1, 4] */
export function lttbIndices(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  threshold: number,
): number[] {
  const n = Math.min(x.length, y.length);
  if (threshold >= n || n <= 2) return range(0, n);
  const out = lttbRun(x, [y], [1], 0, n, Math.max(3, Math.floor(threshold)));
  let lo = 0;
  let hi = 0;
  for (let i = 1; i < n; i++) {
    if (y[i]! < y[lo]!) lo = i;
    if (y[i]! > y[hi]!) hi = i;
  }
  return sortedUnique([...out, lo, hi]);
}

/** Rows of a frame (columns sharing the time axis x) to keep for a chart of at most about `max`
 *  rows. A value that is not finite (NaN) is a gap in its column.
 *
 *  - Rows where no column has a value are gaps of the frame: leading and trailing ones are
 *    dropped, one row of each inner gap is kept so a drawn line still breaks there.
 *  - Kept whatever the budget: the first and last row of every run of values, each column's
 *    minimum and maximum, the first row of each gap inside a column (at most max / 8 of them),
 *    and `forced` (rows the caller must show, e.g. event times; out-of-range ones ignored).
 *  - The rest of the budget goes to a joint LTTB over each run of values, in proportion to its
 *    length: in each bucket the row whose triangles, summed over the columns (each column scaled
 *    by its range, so a column in basis points weighs as much as one in dollars), are largest.
 *
 *  At most max(max, kept + 3 per run) rows: `forced` and the extremes come out of the budget,
 *  they do not add to it. With n ≤ max every row is returned. O(n · columns).
 *  x non-decreasing and finite; every column at least as long as x. */
export function frameIndices(
  x: ArrayLike<number>,
  columns: readonly ArrayLike<number>[],
  max: number,
  forced: readonly number[] = [],
): number[] {
  const n = x.length;
  if (n <= max) return range(0, n);
  const k = columns.length;
  const has = (c: number, i: number) => Number.isFinite(columns[c]![i]!);
  const present = (i: number) => {
    for (let c = 0; c < k; c++) if (has(c, i)) return true;
    return k === 0;
  };
  // Runs of rows with a value in some column.
  const runs: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const p = i < n && present(i);
    if (p && start < 0) start = i;
    if (!p && start >= 0) {
      runs.push([start, i]);
      start = -1;
    }
  }
  if (runs.length === 0) return [];
  const first = runs[0]![0];
  const last = runs[runs.length - 1]![1] - 1;
  const keep = new Set<number>();
  for (const [a, b] of runs) {
    keep.add(a);
    keep.add(b - 1);
    if (a > first) keep.add(a - 1); // one row of the gap before this run
  }
  // Each column's extremes and its own inner gaps; its range scales its triangles.
  const scale: number[] = [];
  let gapMarks = Math.floor(max / 8);
  for (let c = 0; c < k; c++) {
    let lo = -1;
    let hi = -1;
    let inGap = false;
    let seen = false;
    for (let i = first; i <= last; i++) {
      const v = columns[c]![i]!;
      if (!Number.isFinite(v)) {
        if (seen && !inGap && present(i) && gapMarks > 0) {
          keep.add(i);
          gapMarks--;
        }
        inGap = true;
        continue;
      }
      inGap = false;
      seen = true;
      if (lo < 0 || v < columns[c]![lo]!) lo = i;
      if (hi < 0 || v > columns[c]![hi]!) hi = i;
    }
    if (lo >= 0) keep.add(lo);
    if (hi >= 0) keep.add(hi);
    const span = lo >= 0 ? columns[c]![hi]! - columns[c]![lo]! : 0;
    scale.push(span > 0 ? 1 / span : 0);
  }
  for (const f of forced) if (Number.isInteger(f) && f >= first && f <= last) keep.add(f);
  const total = runs.reduce((s, [a, b]) => s + (b - a), 0);
  const budget = Math.max(0, max - keep.size);
  for (const [a, b] of runs) {
    const share = Math.max(3, Math.round((budget * (b - a)) / total));
    for (const i of lttbRun(x, columns, scale, a, b, share)) keep.add(i);
  }
  return [...keep].sort((p, q) => p - q);
}

/** Points of a scatter cloud to keep, at most `max` (all of them when n ≤ max):
 *  1. extremes: the points with the smallest and largest x and y;
 *  2. outliers: the max / 10 points farthest from the centre in Mahalanobis distance
 *     d² = (dx, dy) Σ⁻¹ (dx, dy)ᵀ (Σ the sample covariance; for a degenerate cloud, a straight
 *     line, the standardised distance dx²/σx² + dy²/σy²);
 *  3. shape and density: the rest of the cloud is binned on a g × g grid over the range of the
 *     points that are not outliers (g² ≤ a third of the remaining budget); every occupied cell
 *     keeps one point and the remaining budget is shared in proportion to each cell's count
 *     (largest remainders), picked evenly through the cell in time order.
 *  Points with a non-finite x or y are never kept; `forced` (finite) ones always are.
 *  O(n log n).
 *  @example scatterIndices([1, 2, 3], [1, 2, 3], 10) // => [0, 1, 2] */
export function scatterIndices(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  max: number,
  forced: readonly number[] = [],
): number[] {
  const n = Math.min(x.length, y.length);
  const finite = (i: number) => Number.isFinite(x[i]!) && Number.isFinite(y[i]!);
  if (n <= max) return range(0, n).filter(finite);
  const keep = new Set<number>();
  for (const f of forced) if (Number.isInteger(f) && f >= 0 && f < n && finite(f)) keep.add(f);
  // Moments of the finite points.
  let m = 0;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    if (!finite(i)) continue;
    m++;
    mx += x[i]!;
    my += y[i]!;
  }
  if (m === 0) return [...keep].sort((p, q) => p - q);
  mx /= m;
  my /= m;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  let xl = -1;
  let xh = -1;
  let yl = -1;
  let yh = -1;
  for (let i = 0; i < n; i++) {
    if (!finite(i)) continue;
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
    if (xl < 0 || x[i]! < x[xl]!) xl = i;
    if (xh < 0 || x[i]! > x[xh]!) xh = i;
    if (yl < 0 || y[i]! < y[yl]!) yl = i;
    if (yh < 0 || y[i]! > y[yh]!) yh = i;
  }
  for (const i of [xl, xh, yl, yh]) keep.add(i);
  // Outliers by Mahalanobis distance (covariance sums; the 1/m factor cancels in the ranking).
  const det = sxx * syy - sxy * sxy;
  const degenerate = !(det > 1e-12 * sxx * syy) || !(sxx > 0) || !(syy > 0);
  const d2 = new Float64Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if (!finite(i)) continue;
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    d2[i] = degenerate
      ? (sxx > 0 ? (dx * dx) / sxx : 0) + (syy > 0 ? (dy * dy) / syy : 0)
      : (syy * dx * dx - 2 * sxy * dx * dy + sxx * dy * dy) / det;
  }
  const outliers = Math.min(Math.floor(max / 10), m);
  let cut = Infinity; // points with d² above cut are outliers
  if (outliers > 0) {
    const sorted = Float64Array.from(d2).sort();
    cut = sorted[n - outliers - 1] ?? -Infinity;
    let added = 0;
    for (let i = 0; i < n && added < outliers; i++)
      if (d2[i]! > cut) {
        keep.add(i);
        added++;
      }
  }
  // Shape and density: a grid over the non-outlier points.
  const budget = max - keep.size;
  if (budget <= 0) return [...keep].sort((p, q) => p - q);
  let x0 = Infinity;
  let x1 = -Infinity;
  let y0 = Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < n; i++) {
    if (d2[i]! < 0 || d2[i]! > cut || keep.has(i)) continue;
    x0 = Math.min(x0, x[i]!);
    x1 = Math.max(x1, x[i]!);
    y0 = Math.min(y0, y[i]!);
    y1 = Math.max(y1, y[i]!);
  }
  if (!(x1 >= x0)) return [...keep].sort((p, q) => p - q);
  const g = Math.max(1, Math.min(32, Math.floor(Math.sqrt(budget / 3))));
  const cellOf = (v: number, lo: number, hi: number) =>
    hi > lo ? Math.min(g - 1, Math.max(0, Math.floor(((v - lo) / (hi - lo)) * g))) : 0;
  const cell = new Int32Array(n).fill(-1);
  const count = new Int32Array(g * g);
  let rest = 0;
  for (let i = 0; i < n; i++) {
    if (d2[i]! < 0 || keep.has(i)) continue;
    const c = cellOf(x[i]!, x0, x1) + g * cellOf(y[i]!, y0, y1);
    cell[i] = c;
    count[c]!++;
    rest++;
  }
  const quota = apportion(count, Math.min(budget, rest));
  // Indices of each cell in time order (a counting sort), then an even pick through each.
  const offset = new Int32Array(g * g + 1);
  for (let c = 0; c < g * g; c++) offset[c + 1] = offset[c]! + count[c]!;
  const members = new Int32Array(rest);
  const fill = offset.slice(0, g * g);
  for (let i = 0; i < n; i++) if (cell[i]! >= 0) members[fill[cell[i]!]!++] = i;
  for (let c = 0; c < g * g; c++) {
    const q = quota[c]!;
    const size = count[c]!;
    for (let j = 0; j < q; j++) keep.add(members[offset[c]! + Math.floor(((j + 0.5) * size) / q)]!);
  }
  return [...keep].sort((p, q) => p - q);
}

/** x rounded to `digits` significant digits (display values only; statistics keep full
 *  precision). Non-finite values and 0 are returned unchanged.
 *  @example roundSignificant(0.0123456, 4) // => 0.01235 */
export function roundSignificant(x: number, digits: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(Math.max(1, Math.min(17, Math.round(digits)))));
}

/** Picks entries of an array by index. */
export function pick<T>(values: ArrayLike<T>, indices: readonly number[]): T[] {
  return indices.map((i) => values[i] as T);
}

/** Joint LTTB over rows [a, b) keeping about `threshold` rows (first and last included): in each
 *  bucket the row with the largest sum over columns of |triangle area| × scale[c], the triangle
 *  made with the previous kept row and the next bucket's mean of that column. A column without a
 *  value at one of the three points adds nothing to that bucket. */
function lttbRun(
  x: ArrayLike<number>,
  columns: readonly ArrayLike<number>[],
  scale: readonly number[],
  a: number,
  b: number,
  threshold: number,
): number[] {
  const len = b - a;
  if (len <= threshold || len <= 2) return range(a, b);
  const keep = Math.max(3, threshold);
  const out: number[] = [a];
  const every = (len - 2) / (keep - 2);
  const k = columns.length;
  const avgY = new Float64Array(k);
  let prev = a;
  for (let bucket = 0; bucket < keep - 2; bucket++) {
    const nextStart = a + Math.floor((bucket + 1) * every) + 1;
    const nextEnd = Math.min(a + Math.floor((bucket + 2) * every) + 1, b);
    const stop = Math.max(nextEnd, nextStart + 1);
    let avgX = 0;
    let nx = 0;
    for (let j = nextStart; j < stop && j < b; j++) {
      avgX += x[j]!;
      nx++;
    }
    avgX /= Math.max(nx, 1);
    for (let c = 0; c < k; c++) {
      let s = 0;
      let m = 0;
      for (let j = nextStart; j < stop && j < b; j++) {
        const v = columns[c]![j]!;
        if (Number.isFinite(v)) {
          s += v;
          m++;
        }
      }
      avgY[c] = m > 0 ? s / m : NaN;
    }
    const from = a + Math.floor(bucket * every) + 1;
    const to = Math.min(a + Math.floor((bucket + 1) * every) + 1, b - 1);
    const ax = x[prev]!;
    let best = from;
    let bestArea = -1;
    for (let j = from; j < to; j++) {
      let area = 0;
      for (let c = 0; c < k; c++) {
        const ay = columns[c]![prev]!;
        const yj = columns[c]![j]!;
        const my = avgY[c]!;
        if (!Number.isFinite(ay) || !Number.isFinite(yj) || !Number.isFinite(my)) continue;
        area += Math.abs((ax - avgX) * (yj - ay) - (ax - x[j]!) * (my - ay)) * scale[c]!;
      }
      if (area > bestArea) {
        bestArea = area;
        best = j;
      }
    }
    out.push(best);
    prev = best;
  }
  out.push(b - 1);
  return out;
}

/** Shares `total` among cells: one for every non-empty cell (while the total lasts, the most
 *  populated first), the rest in proportion to the counts by largest remainders, never more
 *  than a cell holds. */
function apportion(count: Int32Array, total: number): Int32Array {
  const quota = new Int32Array(count.length);
  const cells = [...count.keys()].filter((c) => count[c]! > 0);
  cells.sort((p, q) => count[q]! - count[p]! || p - q);
  let left = total;
  for (const c of cells) {
    if (left === 0) break;
    quota[c] = 1;
    left--;
  }
  const pool = cells.reduce((s, c) => s + count[c]! - quota[c]!, 0);
  if (left <= 0 || pool <= 0) return quota;
  const share = left;
  const remainders: [number, number][] = [];
  for (const c of cells) {
    const exact = (share * (count[c]! - quota[c]!)) / pool;
    const whole = Math.floor(exact);
    quota[c] = quota[c]! + whole;
    left -= whole;
    remainders.push([exact - whole, c]);
  }
  remainders.sort((p, q) => q[0] - p[0] || p[1] - q[1]);
  for (const [, c] of remainders) {
    if (left <= 0) break;
    if (quota[c]! < count[c]!) {
      quota[c] = quota[c]! + 1;
      left--;
    }
  }
  return quota;
}

function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
}

function sortedUnique(xs: readonly number[]): number[] {
  return [...new Set(xs)].sort((p, q) => p - q);
}
