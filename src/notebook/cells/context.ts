/** What a cell's evaluator works with: the outside world (SessionEnv: files, exchanges), the
 *  values upstream cells declared, and the evaluation's outcome. No I/O here. */
import type { Result } from '../../engine/result';
import type { AlignedPrices, Frequency, PriceSeries } from '../../engine/series';
import type { Instrument } from '../../engine/instrument';
import type { Holding, Valuation } from '../../engine/portfolio';
import type { PairResult } from '../../results';
import type { CellResult } from '../../results';
import type { LocatedProblem } from '../location';
import { DEFAULT_SETTINGS, type ExchangeInterval, type SettingsSpec } from '../schemas';

/** A dataset as the env hands it to a prices cell (src/data's loaders, worded). */
export interface LoadedDataset {
  readonly source: string;
  readonly series: readonly PriceSeries[];
  /** Where point `index` of `asset`'s series is in the source, in words ("data.csv line 17"),
   *  or null: the prices cell puts it before what the aligner says about that point. */
  readonly where?: (asset: string, index: number) => string | null;
  /** True when the data came from the session's memory (the file or request was unchanged):
   *  the prices result says so. */
  readonly reused?: boolean;
  /** The file's fingerprint as read (src/data/fingerprint.ts), for a file; saved with the
   *  output so a change of the file on disk shows the output stale. */
  readonly fingerprint?: FileFingerprint;
}

/** SHA-256 of a file's bytes ('sha256:' + hex) and its size (the results' Provenance.file). */
export interface FileFingerprint {
  readonly hash: string;
  readonly bytes: number;
}

/** What the notebook needs from the outside world (the CLI and the editor provide it). The env
 *  keeps parsed datasets for the session, shows progress of long loads, and stops a load when
 *  the signal aborts. */
export interface SessionEnv {
  /** `file` as written in the cell, relative to the notebook; the env resolves it. */
  loadPrices(file: string, signal: AbortSignal): Promise<Result<LoadedDataset>>;
  /** Candles' close prices from an exchange's public API (src/data/exchanges/load.ts
   *  loadExchangePrices); optional: without it, exchange prices cells report so. */
  loadExchangePrices?(
    request: ExchangePricesRequest,
    signal: AbortSignal,
  ): Promise<Result<LoadedDataset>>;
  /** Funding rates from a file (`file` as written in the cell, relative to the notebook; the env
   *  resolves it like a price file: src/data/files.ts loadFundingFile); optional: without it,
   *  funding cells report so. */
  loadFunding?(file: string, signal: AbortSignal): Promise<Result<LoadedFundingRates>>;
  /** A perpetual's funding-rate history from an exchange's public API through the disk cache
   *  (src/data/exchanges/load.ts loadExchangeFunding); optional like loadExchangePrices. */
  loadExchangeFunding?(
    request: ExchangeFundingRequest,
    signal: AbortSignal,
  ): Promise<Result<LoadedFundingRates>>;
  /** Results keep their series in full (every point, every asset, full precision) instead of
   *  reduced for display (SERIES_BOUNDS): the CLI's `--full-series` for `--json`. Never for a
   *  result saved into a notebook. */
  readonly fullSeries?: boolean;
}

/** What an exchange prices cell asks for (the shape of src/data's ExchangePricesRequest). */
export interface ExchangePricesRequest {
  readonly exchange: 'binance' | 'bybit';
  readonly market: 'spot' | 'linear' | 'inverse';
  readonly interval: ExchangeInterval;
  /** Epoch ms, inclusive. */
  readonly start: number;
  /** Epoch ms, exclusive; omitted = now. */
  readonly end?: number;
  readonly assets: readonly { readonly asset: string; readonly symbol: string }[];
}

/** Funding settlements as loaded: time (epoch ms), symbol, rate per interval (a fraction;
 *  positive = longs pay shorts). */
export interface LoadedFundingRates {
  readonly source: string;
  readonly rates: readonly {
    readonly time: number;
    readonly symbol: string;
    readonly rate: number;
  }[];
  /** The file's fingerprint as read, for a file (as LoadedDataset's). */
  readonly fingerprint?: FileFingerprint;
}

/** What an exchange funding cell asks for (the shape of src/data's loadExchangeFunding request). */
export interface ExchangeFundingRequest {
  readonly exchange: 'binance' | 'bybit';
  readonly market: 'linear' | 'inverse';
  readonly symbol: string;
  /** Epoch ms, inclusive. */
  readonly start: number;
  /** Epoch ms, exclusive; omitted = now. */
  readonly end?: number;
}

/** The declared values cells share (what `prices daily` or `portfolio core` stands for). */
export interface PricesValue {
  readonly kind: 'prices';
  readonly name: string;
  readonly source: string;
  readonly aligned: AlignedPrices;
  readonly frequency: Frequency;
  /** What a row's time stands for: 'close' (the time of its price: files) or 'open' (exchange
   *  candles, labelled by their open time; the price is at open + interval). Default 'close'. */
  readonly timeLabel?: 'open' | 'close';
}
export interface SettingsValue {
  readonly kind: 'settings';
  readonly spec: Omit<SettingsSpec, 'kind' | 'name' | 'data'>;
}
export interface PortfolioValue {
  readonly kind: 'portfolio';
  readonly name: string;
  readonly valuation: Valuation;
  readonly asOf: number;
  /** The holdings as written (units, USD or weights) and the stated total: a simulation
   *  converts them to units at its own start price. */
  readonly holdings?: readonly Holding[];
  readonly totalUsd?: number | null;
}
export interface InstrumentValue {
  readonly kind: 'instrument';
  readonly instrument: Instrument;
  readonly price: number;
  readonly beta: number;
  readonly betaSource: 'benchmark' | 'estimated' | 'given';
}
/** A funding dataset: per symbol, settlement times (increasing, duplicates dropped) and rates. */
export interface FundingValue {
  readonly kind: 'funding';
  readonly name: string;
  readonly source: string;
  readonly series: ReadonlyMap<string, { readonly times: number[]; readonly rates: number[] }>;
}
export interface PairValue {
  readonly kind: 'pair';
  readonly result: PairResult;
}
/** A held hedge (position cell), for stress cells. */
export interface PositionValue {
  readonly kind: 'position';
  readonly name: string;
  readonly portfolio: string;
  readonly instrument: Instrument;
  /** Signed contracts, entry price, isolated margin (margin currency). */
  readonly contracts: number;
  readonly entryPrice: number;
  readonly margin: number;
  /** The instrument's price now and its beta to the benchmark (from its instrument cell). */
  readonly price: number;
  readonly instrumentBeta: number;
}
export type DeclaredValue =
  | PricesValue
  | SettingsValue
  | PortfolioValue
  | InstrumentValue
  | PairValue
  | FundingValue
  | PositionValue;

/** Access to what upstream cells declared; the session guarantees the values exist. */
export interface EvalContext {
  readonly env: SessionEnv;
  readonly signal: AbortSignal;
  prices(name: string | null): PricesValue;
  /** The settings cell's value, or the defaults when the notebook has none. */
  settings(): SettingsValue;
  portfolio(name: string): PortfolioValue;
  instrument(name: string): InstrumentValue;
  funding(name: string): FundingValue;
  position(name: string): PositionValue;
}

export interface CellEvaluation {
  readonly ok: boolean;
  readonly results: CellResult[];
  readonly problems: LocatedProblem[];
  /** What the cell declares, for the cells that refer to it (null on error or nothing declared). */
  readonly value: DeclaredValue | null;
}

/** Thrown (and caught by the session) when the signal aborts a long evaluation. */
export class Cancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'Cancelled';
  }
}

/** Lets the event loop run (so an interrupt can arrive) and stops when the signal aborted. */
export async function checkpoint(signal: AbortSignal): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  if (signal.aborted) throw new Cancelled();
}

export const DEFAULT_SETTINGS_VALUE: SettingsValue = {
  kind: 'settings',
  spec: DEFAULT_SETTINGS,
};
