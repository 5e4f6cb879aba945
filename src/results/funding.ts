/** A `funding` cell: funding-rate history of perpetuals, summarised per symbol. */
import * as z from 'zod';
import { base } from './common';
import { Frame, Shown } from './series';

export const FundingSymbol = z.object({
  symbol: z.string(),
  settlements: z.number().int(), // rows kept
  first: z.string(), // ISO time of the first settlement
  last: z.string(),
  intervalHours: z.number(), // median time between settlements
  mean: z.number(), // mean rate per interval, a fraction (positive = longs pay shorts)
  meanAnnual: z.number(), // mean × settlements per 365-day year
  min: z.number(),
  max: z.number(),
  positiveShare: z.number(), // share of settlements with a positive rate
  gaps: z.number().int(), // intervals longer than 1.5× the median (settlements missing)
  duplicates: z.number().int(), // repeated times dropped (the first kept)
});
export type FundingSymbol = z.infer<typeof FundingSymbol>;

export const FundingResult = z.object({
  ...base,
  kind: z.literal('funding'),
  symbols: z.array(FundingSymbol),
  /** The rate over time of the first symbols (SERIES_BOUNDS.chartAssets), column `rate`. */
  charts: z.array(z.object({ symbol: z.string(), frame: Frame })),
  chartSymbols: Shown,
});
export type FundingResult = z.infer<typeof FundingResult>;
