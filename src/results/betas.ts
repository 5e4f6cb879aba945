/** A `betas` cell: per-asset statistics, the portfolio beta and the series behind the charts. */
import * as z from 'zod';
import { base } from './common';

export const BetaRow = z.object({
  asset: z.string(),
  beta: z.number(),
  alpha: z.number(), // per period
  alphaAnnual: z.number(),
  r2: z.number(),
  correlation: z.number(),
  stdErr: z.number(),
  tStat: z.number().nullable(), // null when stdErr is 0 (a perfect fit)
  ciLow: z.number(),
  ciHigh: z.number(),
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
