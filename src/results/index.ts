/** The results contract (see common.ts): one module per cell kind, and the union of all. */
import * as z from 'zod';
import { BetasResult } from './betas';
import { FundingResult } from './funding';
import { HedgeResult } from './hedge';
import { InstrumentResult } from './instrument';
import { PairResult } from './pair';
import { PortfolioResult } from './portfolio';
import { PricesResult } from './prices';
import { SettingsResult } from './settings';
import { SimulateResult } from './simulate';

export * from './common';
export * from './betas';
export * from './funding';
export * from './hedge';
export * from './instrument';
export * from './pair';
export * from './portfolio';
export * from './prices';
export * from './settings';
export * from './simulate';
export * from './series';

export const CellResult = z.discriminatedUnion('kind', [
  PricesResult,
  SettingsResult,
  PortfolioResult,
  InstrumentResult,
  BetasResult,
  HedgeResult,
  PairResult,
  FundingResult,
  SimulateResult,
]);
export type CellResult = z.infer<typeof CellResult>;
