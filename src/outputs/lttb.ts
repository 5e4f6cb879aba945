/** Downsampling for drawing only: the chart keeps a few thousand points of a long series, each
 *  of them an exact original point (hover shows the true value); tables use the full data.
 *  The reductions themselves are the engine's (src/engine/downsample.ts). */
import { lttbIndices } from '../engine/downsample';

export { lttbIndices, pick } from '../engine/downsample';

/** Above this many points a line series is downsampled for drawing. */
export const DRAW_MAX_POINTS = 2000;

/** Indices to draw for a series with gaps (null = no value, e.g. before a rolling window
 *  fills): each run of values is downsampled with LTTB in proportion to its length, and one
 *  null index is kept between runs so the drawn line still breaks at the gap. */
export function drawIndices(
  x: ArrayLike<number>,
  y: ArrayLike<number | null>,
  threshold: number = DRAW_MAX_POINTS,
): number[] {
  const n = Math.min(x.length, y.length);
  if (n <= threshold) return Array.from({ length: n }, (_, i) => i);
  const runs: [number, number][] = [];
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const v = i < n ? y[i] : null;
    const has = v !== null && v !== undefined && Number.isFinite(v);
    if (has && start < 0) start = i;
    if (!has && start >= 0) {
      runs.push([start, i]);
      start = -1;
    }
  }
  const total = runs.reduce((s, [a, b]) => s + (b - a), 0);
  const out: number[] = [];
  runs.forEach(([a, b], r) => {
    if (r > 0) out.push(a - 1); // a null between runs
    const len = b - a;
    const share = Math.max(3, Math.round((threshold * len) / Math.max(total, 1)));
    const xs = new Float64Array(len);
    const ys = new Float64Array(len);
    for (let i = 0; i < len; i++) {
      xs[i] = x[a + i] as number;
      ys[i] = y[a + i] as number;
    }
    for (const i of lttbIndices(xs, ys, share)) out.push(a + i);
  });
  return out;
}

/** Points of a scatter cloud to draw when there are too many: an even stride through the data
 *  plus the points at the extremes of x and y (the ones a reader looks for). Sorted indices. */
export function thinScatterIndices(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  max: number,
): number[] {
  const n = Math.min(x.length, y.length);
  if (n <= max) return Array.from({ length: n }, (_, i) => i);
  const set = new Set<number>();
  const step = n / Math.max(max - 4, 1);
  for (let k = 0; k * step < n; k++) set.add(Math.floor(k * step));
  let xl = 0;
  let xh = 0;
  let yl = 0;
  let yh = 0;
  for (let i = 1; i < n; i++) {
    if ((x[i] as number) < (x[xl] as number)) xl = i;
    if ((x[i] as number) > (x[xh] as number)) xh = i;
    if ((y[i] as number) < (y[yl] as number)) yl = i;
    if ((y[i] as number) > (y[yh] as number)) yh = i;
  }
  for (const i of [xl, xh, yl, yh, n - 1]) set.add(i);
  return [...set].sort((p, q) => p - q);
}
