/** A `betas` cell: per-asset statistics, the portfolio beta and the series behind the charts. */
import * as z from 'zod';
import { base } from './common';

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
  /** Returns per asset vs benchmark, for the scatter (exact values; the renderer downsamples). */
  scatter: z.array(z.object({ asset: z.string(), x: z.array(z.number()), y: z.array(z.number()) })),
  rolling: z.array(
    z.object({
      asset: z.string(),
      window: z.number().int(),
      times: z.array(z.string()),
      beta: z.array(z.number().nullable()),
      betaLow: z.array(z.number().nullable()),
      betaHigh: z.array(z.number().nullable()),
      correlation: z.array(z.number().nullable()),
    }),
  ),
  correlation: z.object({ assets: z.array(z.string()), matrix: z.array(z.array(z.number())) }),
});
export type BetasResult = z.infer<typeof BetasResult>;
