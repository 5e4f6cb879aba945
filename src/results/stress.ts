/** A `stress` cell: scenarios applied to a portfolio and its hedge leg. One row per scenario,
 *  at most SERIES_BOUNDS.linePoints (the cell refuses more), so the result is bounded by what
 *  the user asked for, never by the data. */
import * as z from 'zod';
import { base } from './common';

/** The hedge leg as stressed: sized like a hedge cell, or a position cell's held position. */
export const StressHedge = z.object({
  instrument: z.string(),
  source: z.enum(['hedge', 'position']), // sized here like a hedge cell, or a held position
  settlement: z.enum(['linear', 'inverse']),
  side: z.enum(['short', 'long']),
  contracts: z.number(), // unsigned; side gives the direction
  notional: z.number(), // signed USD at the price now (negative = short)
  price: z.number(), // mark price now, USD per coin
  entryPrice: z.number(),
  leverage: z.number(), // |entry notional| / margin
  margin: z.number(), // isolated margin posted, USD at entry
  liquidationPrice: z.number().nullable(), // null: no price liquidates it
  liquidationMovePct: z.number().nullable(), // signed % move from the price now
  maintenanceMarginRate: z.number(), // rate at the liquidation (the bracket's, with a table)
  bracket: z
    .object({ table: z.string(), number: z.number().int(), maxLeverage: z.number().nullable() })
    .nullable(),
});

export const StressRow = z.object({
  name: z.string(),
  kind: z.enum(['ladder', 'scenario', 'historical']),
  benchmarkMove: z.number(), // the benchmark's simple return, fraction (−0.3 = −30 %)
  start: z.string().nullable(), // historical windows: first and last time (ISO)
  end: z.string().nullable(),
  unhedgedPnl: z.number(), // USD: Σ value × move
  hedgePnl: z.number().nullable(), // USD: change of the leg's margin balance; null = no hedge
  fundingPnl: z.number().nullable(), // USD, from a funding shock (+ = received)
  hedgedPnl: z.number(), // unhedged + hedge + funding, USD
  hedgedPct: z.number(), // hedgedPnl / portfolio value
  unhedgedPct: z.number(), // unhedgedPnl / portfolio value
  instrumentMove: z.number().nullable(), // the underlying's simple return
  priceAfter: z.number().nullable(), // the instrument's mark after the move
  marginAfter: z.number().nullable(), // the leg's margin balance after, USD (0 if liquidated)
  maintenanceAfter: z.number().nullable(), // its maintenance margin after, USD
  marginRatioAfter: z.number().nullable(), // maintenance / balance (≥ 1 = liquidated)
  liquidated: z.boolean().nullable(),
  distancePct: z.number().nullable(), // % move from priceAfter to the liquidation price
});
export type StressRow = z.infer<typeof StressRow>;

export const StressResult = z.object({
  ...base,
  kind: z.literal('stress'),
  portfolio: z.string(),
  benchmark: z.string(), // 'BTC' or '50% BTC + 50% ETH'
  value: z.number(), // portfolio value now, USD
  /** The model, in words (assets without a shock move by β·move, ...). */
  model: z.array(z.string()),
  hedge: StressHedge.nullable(),
  /** The benchmark move that liquidates the hedge leg (its underlying moving by β·move). */
  liquidationBenchmarkMove: z.number().nullable(),
  scenarios: z.array(StressRow),
  /** Per position, for named and historical scenarios (the ladder's are value × β × move). */
  breakdown: z.array(
    z.object({
      scenario: z.string(),
      positions: z.array(
        z.object({
          asset: z.string(),
          value: z.number(), // USD before
          move: z.number(), // simple return applied
          source: z.enum(['shock', 'beta', 'historical']),
          pnl: z.number(), // USD
        }),
      ),
    }),
  ),
});
export type StressResult = z.infer<typeof StressResult>;
