/** An `instrument` cell: the contract and its price and beta. */
import * as z from 'zod';
import { base } from './common';

export const InstrumentResult = z.object({
  ...base,
  kind: z.literal('instrument'),
  type: z.enum(['perpetual', 'future']),
  settlement: z.enum(['linear', 'inverse']),
  underlying: z.string(),
  contractSize: z.number(), // coin per contract (linear) or USD per contract (inverse)
  lotStep: z.number(),
  expiry: z.string().nullable(),
  price: z.number(),
  beta: z.number(),
  betaSource: z.enum(['benchmark', 'estimated', 'given']),
  maintenanceMarginRate: z.number(), // single rate, or the first bracket's
  /** Tiered maintenance margin, when the cell names a table or gives brackets. */
  brackets: z
    .object({
      table: z.string(), // 'binance-btcusdt', or 'custom'
      source: z.string(), // where the figures come from, with their date
      rule: z.enum(['binance', 'bybit']), // how the liquidation price is found (docs/math.md)
      unit: z.enum(['usd', 'coin']), // unit of caps and amounts
      rows: z.array(
        z.object({
          cap: z.number().nullable(), // upper notional bound, inclusive; null = no cap
          rate: z.number(), // maintenance margin rate, fraction
          amount: z.number(), // maintenance amount: MM = notional × rate − amount
          maxLeverage: z.number().nullable(),
        }),
      ),
    })
    .nullable()
    .default(null),
});
