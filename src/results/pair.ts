/** A `pair` cell: the legs, their dollar betas and the residual hedge. */
import * as z from 'zod';
import { base } from './common';

export const PairLeg = z.object({
  asset: z.string(),
  usd: z.number(), // unsigned USD of the leg
  beta: z.number(),
  dollarBeta: z.number(), // signed: + for the long leg, - for the short leg
});

export const PairResult = z.object({
  ...base,
  kind: z.literal('pair'),
  long: PairLeg,
  short: PairLeg,
  dollarBeta: z.number(), // V_A β_A - V_B β_B
  instrument: z.string().nullable(),
  hedge: z
    .object({
      side: z.enum(['short', 'long', 'none']),
      contracts: z.number(),
      notional: z.number(), // signed USD
      dollarBetaAfter: z.number(), // residual after rounding
    })
    .nullable(),
});
export type PairResult = z.infer<typeof PairResult>;
