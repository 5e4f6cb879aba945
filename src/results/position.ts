/** A `position` cell: a hedge already held, where it stands today and the rebalance ticket. */
import * as z from 'zod';
import { base } from './common';

export const PositionResult = z.object({
  ...base,
  kind: z.literal('position'),
  portfolio: z.string(),
  instrument: z.string(),
  settlement: z.enum(['linear', 'inverse']),
  side: z.enum(['short', 'long']),
  contracts: z.number(), // signed, as held (negative = short)
  entryPrice: z.number(),
  price: z.number(), // mark price now (the underlying's latest)
  openedAt: z.string().nullable(), // ISO
  asOf: z.string(), // ISO time of the price
  notional: z.number(), // signed USD at the price now
  leverage: z.number(), // |entry notional| / margin
  margin: z.number(), // isolated margin posted, USD at entry
  marginBalance: z.number(), // margin + unrealised P&L, USD now
  unrealizedPnl: z.number(), // USD
  fundingPnl: z.number().nullable(), // USD since opening (+ = received); null without data
  fundingPayments: z.number().int(),
  portfolioValue: z.number(),
  portfolioBeta: z.number(), // β_P of the book alone
  instrumentBeta: z.number(),
  targetBeta: z.number(),
  betaNow: z.number(), // with the hedge as held (and its coin collateral)
  drift: z.number(), // betaNow − targetBeta
  band: z.number(),
  withinBand: z.boolean(),
  liquidationPrice: z.number().nullable(),
  liquidationMovePct: z.number().nullable(), // signed % move from the price now
  maintenanceMarginRate: z.number(),
  marginRatio: z.number().nullable(), // maintenance / balance now (≥ 1 = liquidated)
  bracket: z
    .object({ table: z.string(), number: z.number().int(), maxLeverage: z.number().nullable() })
    .nullable(),
  ticket: z.object({
    side: z.enum(['buy', 'sell', 'none']),
    contracts: z.number(), // unsigned
    notional: z.number(), // USD traded
    fee: z.number(), // USD, taker fee
    feeRate: z.number(),
    contractsAfter: z.number(), // signed
    betaAfter: z.number(),
    marginAfter: z.number(), // USD at the position's leverage
    marginChange: z.number(), // USD to add (+) or that can be withdrawn (−)
  }),
});
export type PositionResult = z.infer<typeof PositionResult>;
