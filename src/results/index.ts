/** The results contract (see common.ts): one module per cell kind, and the union of all. */
import * as z from 'zod';
import { BasisResult } from './basis';
import { BetasResult } from './betas';
import { FundingResult } from './funding';
import { HedgeResult } from './hedge';
import { InstrumentResult } from './instrument';
import { PairResult } from './pair';
import { PortfolioResult } from './portfolio';
import { PositionResult } from './position';
import { PricesResult } from './prices';
import { SettingsResult } from './settings';
import { SimulateResult } from './simulate';
import { StressResult } from './stress';

export * from './common';
export * from './basis';
export * from './betas';
export * from './funding';
export * from './hedge';
export * from './instrument';
export * from './pair';
export * from './portfolio';
export * from './position';
export * from './prices';
export * from './settings';
export * from './simulate';
export * from './stress';
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
  StressResult,
  BasisResult,
  PositionResult,
]);
export type CellResult = z.infer<typeof CellResult>;
