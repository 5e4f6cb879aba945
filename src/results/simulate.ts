/** A `simulate` cell: a hedge walked through history, its costs, events and the two books. */
import * as z from 'zod';
import { base } from './common';
import { Frame } from './series';

export const TradeReason = z.enum([
  'open',
  'schedule',
  'band',
  'reopen',
  'roll',
  'stop',
  'liquidation',
  'expiry',
]);
export const SimulationEventKind = z.enum([
  'liquidation',
  'stop',
  'roll',
  'expiry',
  'margin_shortfall',
]);

export const SimulatedTrade = z.object({
  time: z.string(), // ISO time of the bar's close (a liquidation or stop happened within that bar)
  reason: TradeReason,
  side: z.enum(['buy', 'sell']),
  contracts: z.number(), // unsigned contracts traded
  after: z.number(), // signed contracts held after (negative = short)
  price: z.number(), // fill, USD per coin, slippage included
  notional: z.number(), // unsigned USD traded
  fee: z.number(), // USD
  slippage: z.number(), // USD
});
export type SimulatedTrade = z.infer<typeof SimulatedTrade>;

export const SimulationEvent = z.object({
  time: z.string(),
  kind: SimulationEventKind,
  price: z.number(), // fill or settlement price
  amount: z.number(), // USD: margin lost, roll cost, P&L realised, or margin missing
});
export type SimulationEvent = z.infer<typeof SimulationEvent>;

/** A cost in USD and in % per year of the average spot value. */
export const CostLine = z.object({ usd: z.number(), pctPerYear: z.number() });

export const BookStats = z.object({
  start: z.number(), // equity at the start, USD (spot + collateral)
  end: z.number(),
  totalReturn: z.number(), // end / start − 1
  volAnnual: z.number().nullable(), // std of bar returns × √(bars per year)
  maxDrawdown: z.number(), // ≤ 0, worst fall from a running peak
  realisedBeta: z.number().nullable(), // OLS beta of the book's bar returns to the benchmark's
});
export type BookStats = z.infer<typeof BookStats>;

export const CompareRule = z.object({
  rebalance: z.string(),
  band: z.number(),
  costPerYear: z.number(), // USD per year: fees + slippage + funding paid − received + rolls + liquidations
  costPctPerYear: z.number(),
  trackingError: z.number(), // RMS of (book beta − target) over the bars
  trades: z.number().int(),
  liquidations: z.number().int(),
  current: z.boolean(), // the cell's own rule
});
export type CompareRule = z.infer<typeof CompareRule>;

export const SimulateResult = z.object({
  ...base,
  kind: z.literal('simulate'),
  portfolio: z.string(),
  instrument: z.string(),
  settlement: z.enum(['linear', 'inverse']),
  instrumentType: z.enum(['perpetual', 'future']),
  benchmark: z.string(),
  frequency: z.string(),
  rule: z.object({
    targetBeta: z.number(),
    window: z.number().int(), // returns in the trailing estimation window
    windowLabel: z.string(),
    rebalance: z.string(), // '1d', '8h', 'never'
    band: z.number(),
    minTrade: z.number(), // USD
    leverage: z.number(),
    collateral: z.number(), // USD set aside (given, or the first hedge's notional)
    collateralDefault: z.boolean(),
    fees: z.number(), // taker rate
    slippage: z.number(),
    funding: z.string(), // e.g. 'funding btc (BTCUSDT)', 'constant 0.01% per 8 h', 'none'
    roll: z.object({ days: z.number(), cost: z.number() }).nullable(),
    onLiquidation: z.enum(['reopen', 'stay_out']),
    stopLoss: z.number().nullable(),
    maintenanceMarginRate: z.number(), // the single rate, or the first bracket's
    brackets: z.string().nullable(), // the maintenance bracket table's name, when it has one
  }),
  period: z.object({
    start: z.string(),
    end: z.string(),
    bars: z.number().int(),
    years: z.number(),
  }),
  startValue: z.number(), // spot value at the start, USD
  meanValue: z.number(), // average spot value over the path (the base of %/yr)
  hedged: BookStats,
  unhedged: BookStats,
  /** 1 − var(hedged)/var(unhedged) of bar returns along the path: OUT OF SAMPLE (every hedge
   *  was sized on data before it was held). */
  effectiveness: z.number().nullable(),
  trackingError: z.number(),
  hedgePnl: z.number(), // USD
  costs: z.object({
    fees: CostLine,
    slippage: CostLine,
    fundingPaid: CostLine,
    fundingReceived: CostLine,
    rollCosts: CostLine,
    liquidationLosses: CostLine,
    /** fees + slippage + funding paid − funding received + roll costs + liquidation losses */
    net: CostLine,
  }),
  counts: z.object({
    trades: z.number().int(),
    rebalances: z.number().int(),
    liquidations: z.number().int(),
    stops: z.number().int(),
    rolls: z.number().int(),
    expiries: z.number().int(),
    marginShortfalls: z.number().int(),
    skippedDecisions: z.number().int(),
  }),
  /** Per bar, reduced: hedged, unhedged (USD), hedgedDrawdown, unhedgedDrawdown (≤ 0), beta (the
   *  book's, with the hedge held through the bar), contracts (signed, after the bar's trade),
   *  marginRatio (maintenance / margin balance; liquidated at 1). Event bars are kept. */
  path: Frame,
  /** A bounded sample of the trades: the first, last and largest; `count` is all of them. */
  trades: z.object({
    count: z.number().int(),
    byReason: z.record(z.string(), z.number().int()),
    rows: z.array(SimulatedTrade),
  }),
  events: z.object({
    count: z.number().int(),
    rows: z.array(SimulationEvent),
  }),
  compare: z.array(CompareRule).nullable(),
});
export type SimulateResult = z.infer<typeof SimulateResult>;
