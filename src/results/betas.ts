/** A `betas` cell: per-asset statistics, the portfolio beta and the series behind the charts. */
import * as z from 'zod';
import { base } from './common';
import { Column, Scatter, Shown, Times } from './series';

export const BetaRow = z.object({
  asset: z.string(),
  beta: z.number(),
  alpha: z.number(), // per period (the OLS intercept)
  // the per-period alpha compounded over a 365-day year: (1 + α)^P − 1 (simple returns),
  // e^(α·P) − 1 (log returns); null when that overflows
  alphaAnnual: z.number().nullable(),
  r2: z.number(),
  correlation: z.number(),
  stdErr: z.number(),
  // null when stdErr is 0: a perfect fit, such as the benchmark's own row (β 1, se 0 exactly)
  tStat: z.number().nullable(),
  ciLow: z.number().nullable(), // 95 % interval; null with tStat
  ciHigh: z.number().nullable(),
  n: z.number().int(),
  volAnnual: z.number(),
  downsideBeta: z.number().nullable(),
  blumeBeta: z.number(),
  vasicekBeta: z.number(),
  ewmaBeta: z.number().nullable(),
  weight: z.number().nullable(), // in the portfolio, when the cell names one
});
export type BetaRow = z.infer<typeof BetaRow>;

export const BetasResult = z.object({
  ...base,
  kind: z.literal('betas'),
  benchmark: z.string(), // e.g. 'BTC' or '60% BTC + 40% ETH'
  returns: z.enum(['simple', 'log']),
  frequency: z.string(),
  periodsPerYear: z.number(),
  rows: z.array(BetaRow),
  portfolio: z
    .object({
      name: z.string(),
      value: z.number(),
      betaWeighted: z.number(), // Σ w_i β_i
      betaRegression: z.number().nullable(), // regression of the portfolio's own returns
    })
    .nullable(),
  /** The assets the charts draw (the tables list every row): at most SERIES_BOUNDS.chartAssets,
   *  a portfolio's largest positions ('value') or the cell's / the data's order ('order'). */
  chartAssets: z.object({
    assets: z.array(z.string()),
    of: z.number().int().nonnegative(),
    by: z.enum(['value', 'order']),
  }),
  /** Returns of each charted asset (not the benchmark itself) against the benchmark's, over the
   *  estimation window: a reduced cloud (Scatter) per asset. */
  scatter: z.array(z.object({ asset: z.string(), cloud: Scatter })),
  /** Rolling beta and correlation over `window` periods (null when no window is set): one
   *  reduced frame shared by the charted assets (not the benchmark itself), from the first
   *  full window to the end. The 95% band is β ± 1.96·stdErr. */
  rolling: z
    .object({
      window: z.number().int(),
      t: Times,
      points: Shown,
      series: z.array(
        z.object({ asset: z.string(), beta: Column, stdErr: Column, correlation: Column }),
      ),
    })
    .refine(
      (r) =>
        r.series.every((s) =>
          [s.beta, s.stdErr, s.correlation].every((c) => c.length === r.t.length),
        ),
      {
        message: 'every column has one value per time',
      },
    )
    .nullable(),
  /** Correlation of returns over the estimation window between the charted assets, in cluster
   *  order (assets moving together side by side); full precision. */
  correlation: z.object({
    assets: z.array(z.string()),
    matrix: z.array(z.array(z.number())),
    order: z.enum(['cluster', 'given']),
  }),
});
export type BetasResult = z.infer<typeof BetasResult>;
