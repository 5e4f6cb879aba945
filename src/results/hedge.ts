/** A `hedge` cell: the sizing of a hedge and its exposures. */
import * as z from 'zod';
import { base } from './common';

export const Exposure = z.object({
  label: z.string(), // asset name, or the hedge leg's instrument name
  before: z.number(), // beta-weighted USD
  after: z.number(),
});

export const HedgeResult = z.object({
  ...base,
  kind: z.literal('hedge'),
  portfolio: z.string(),
  instrument: z.string(),
  settlement: z.enum(['linear', 'inverse']),
  portfolioValue: z.number(),
  portfolioBeta: z.number(),
  instrumentBeta: z.number(),
  targetBeta: z.number(),
  price: z.number(),
  notional: z.number(), // signed USD, negative = short
  side: z.enum(['short', 'long', 'none']),
  contracts: z.number(), // whole contracts, unsigned; side says the direction
  contractNotional: z.number(), // USD of the rounded position, signed
  betaAfter: z.number(),
  residualBeta: z.number(), // betaAfter - targetBeta
  leverage: z.number(),
  initialMargin: z.number(),
  maintenanceMarginRate: z.number(), // rate that sets the liquidation (bracket's, with a table)
  maintenanceAmount: z.number().default(0), // that bracket's amount, margin currency
  /** The maintenance bracket used, when the instrument has a bracket table. */
  bracket: z
    .object({ table: z.string(), number: z.number().int(), maxLeverage: z.number().nullable() })
    .nullable()
    .default(null),
  liquidationPrice: z.number().nullable(),
  liquidationMovePct: z.number().nullable(), // signed % move of the price that liquidates
  collateralExposure: z.number(), // beta-weighted USD of coin collateral (inverse), else 0
  exposures: z.array(Exposure),
  effectiveness: z.number().nullable(), // 1 - var(hedged)/var(unhedged) over the sample
});
export type HedgeResult = z.infer<typeof HedgeResult>;
