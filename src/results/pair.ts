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
      /** With a leverage: the isolated hedge leg's margin and liquidation (null without). */
      margin: z
        .object({
          initialMargin: z.number(), // USD, |notional| / leverage
          liquidationPrice: z.number().nullable(), // mark price that liquidates; null = none
          liquidationMovePct: z.number().nullable(), // signed % move from the price to it
          maintenanceMarginRate: z.number(), // rate that sets it (the bracket's, with a table)
          bracket: z
            .object({
              table: z.string(),
              number: z.number().int(),
              maxLeverage: z.number().nullable(),
            })
            .nullable(),
        })
        .nullable()
        .default(null),
    })
    .nullable(),
});
export type PairResult = z.infer<typeof PairResult>;
