/** Typed cell results: the contract between the evaluator (src/notebook), the MIME/figure
 *  builders (src/outputs), the renderer and the reports. zod schemas so every consumer can
 *  safe-parse what it receives (a saved notebook may hold outputs from an older version). */
import * as z from 'zod';

export const RESULT_MIME = 'application/vnd.hedgebook.result+json';
export const RESULT_VERSION = 1;

/** What data a result was computed on: the record of a hedge decision says so. */
export const Provenance = z.object({
  source: z.string(),
  start: z.string(), // ISO time of the first row used
  end: z.string(), // ISO time of the last row used
  rows: z.number().int().nonnegative(),
});
export type Provenance = z.infer<typeof Provenance>;

export const Warning = z.object({ code: z.string(), message: z.string() });

const base = {
  version: z.literal(RESULT_VERSION),
  /** The name the cell declared (portfolio core, instrument BTCUSDT-PERP, ...) or its subject. */
  name: z.string(),
  warnings: z.array(Warning).default([]),
  data: Provenance.optional(),
};

export const PricesResult = z.object({
  ...base,
  kind: z.literal('prices'),
  assets: z.array(z.string()),
  frequency: z.string(), // '1d', '1h', ...
  periodsPerYear: z.number(),
  last: z.array(z.object({ asset: z.string(), price: z.number(), time: z.string() })),
});

export const SettingsResult = z.object({
  ...base,
  kind: z.literal('settings'),
  benchmark: z.array(z.object({ asset: z.string(), weight: z.number() })),
  returns: z.enum(['simple', 'log']),
  window: z.number().int().positive().nullable(), // periods; null = all
  frequency: z.string(),
});

export const Position = z.object({
  asset: z.string(),
  units: z.number(),
  price: z.number(),
  value: z.number(), // USD
  weight: z.number(),
});

export const PortfolioResult = z.object({
  ...base,
  kind: z.literal('portfolio'),
  asOf: z.string(),
  value: z.number(),
  positions: z.array(Position),
});

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
  maintenanceMarginRate: z.number(),
});

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
  maintenanceMarginRate: z.number(),
  liquidationPrice: z.number().nullable(),
  liquidationMovePct: z.number().nullable(), // signed % move of the price that liquidates
  collateralExposure: z.number(), // beta-weighted USD of coin collateral (inverse), else 0
  exposures: z.array(Exposure),
  effectiveness: z.number().nullable(), // 1 - var(hedged)/var(unhedged) over the sample
});
export type HedgeResult = z.infer<typeof HedgeResult>;

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

export const CellResult = z.discriminatedUnion('kind', [
  PricesResult,
  SettingsResult,
  PortfolioResult,
  InstrumentResult,
  BetasResult,
  HedgeResult,
  PairResult,
]);
export type CellResult = z.infer<typeof CellResult>;
