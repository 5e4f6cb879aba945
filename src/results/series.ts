/** Bounded series: how a result carries a time series or a scatter (docs/results.md, "Bounded
 *  series"). A saved result is bounded by what a chart shows, never by the length of the data:
 *  statistics stay in full precision beside these; the series are reduced for display by the
 *  engine's `src/engine/downsample.ts` (LTTB for lines, an extremes-, shape- and density-keeping
 *  sample for scatters) through the notebook's `savedFrame` / `savedScatter`
 *  (src/notebook/cells/common.ts), and carry how many points they show of how many.
 *
 *  Times are epoch milliseconds (UTC) in series: half the size of ISO strings, and what plotly's
 *  date axes take as they are. Everywhere else in a result times stay ISO strings. */
import * as z from 'zod';

/** The bounds every cell keeps to when it saves series (the CLI's `--full-series` lifts them). */
export const SERIES_BOUNDS = {
  /** Rows of a time frame (all its columns share them): LTTB beyond this. */
  linePoints: 250,
  /** Points of one scatter cloud. */
  scatterPoints: 200,
  /** Assets drawn on one chart (lines of a rolling chart, the scatter's selector, the heatmap);
   *  tables are not capped. Which ones: the largest positions of a portfolio, else the order
   *  the cell or the data lists them. */
  chartAssets: 20,
  /** Significant digits of display values in series (statistics are not rounded). */
  digits: 4,
} as const;

/** How many of how many: `{ shown: 400, of: 43800 }` points, or `{ shown: 20, of: 100 }`
 *  assets. shown < of means a sample, and the chart says so. */
export const Shown = z.object({
  shown: z.number().int().nonnegative(),
  of: z.number().int().nonnegative(),
});
export type Shown = z.infer<typeof Shown>;

/** Epoch milliseconds, UTC, increasing. */
export const Times = z.array(z.number());
/** Values at the frame's times; null = no value (a gap: the drawn line breaks there). */
export const Column = z.array(z.number().nullable());
export type Column = z.infer<typeof Column>;

/** A reduced time series: rows at shared times, one or more named value columns. */
export const Frame = z
  .object({
    t: Times,
    columns: z.record(z.string(), Column),
    points: Shown,
  })
  .refine((f) => Object.values(f.columns).every((c) => c.length === f.t.length), {
    message: 'every column has one value per time',
  });
export type Frame = z.infer<typeof Frame>;

/** A reduced scatter cloud: exact points of the full cloud (x[i], y[i]), optionally with the
 *  time of each point for the hover. */
export const Scatter = z
  .object({
    x: z.array(z.number()),
    y: z.array(z.number()),
    t: Times.optional(),
    points: Shown,
  })
  .refine((s) => s.x.length === s.y.length && (s.t === undefined || s.t.length === s.x.length), {
    message: 'x, y (and t) have one entry per point',
  });
export type Scatter = z.infer<typeof Scatter>;

/** True when a series shows fewer points (or a chart fewer assets) than there are. */
export function isSample(s: Shown): boolean {
  return s.shown < s.of;
}
