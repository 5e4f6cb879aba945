/** Shared shapes of the exchange clients. Times are epoch ms UTC (a candle's open time). */
import type { Result } from '../../engine/result';

export type ExchangeName = 'binance' | 'bybit';
/** spot; linear = USDⓈ-margined perpetuals/futures; inverse = coin-margined. */
export type Market = 'spot' | 'linear' | 'inverse';
export type Interval =
  '1m' | '5m' | '15m' | '30m' | '1h' | '2h' | '4h' | '6h' | '12h' | '1d' | '1w';

export const intervalMs: Readonly<Record<Interval, number>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
  '1w': 604_800_000,
};

export interface Candle {
  readonly time: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface FundingRow {
  readonly time: number;
  readonly symbol: string;
  /** Decimal per funding interval; positive = longs pay shorts. */
  readonly rate: number;
}

export interface CandleRequest {
  readonly market: Market;
  readonly symbol: string;
  readonly interval: Interval;
  /** Inclusive open time of the first candle wanted. */
  readonly start: number;
  /** Exclusive end: candles that open before it. */
  readonly end: number;
  /** Called after each page with how much of [start, end) is fetched so far, in ms. */
  readonly onPage?: (covered: number) => void;
}

export interface FundingRequest {
  readonly market: Exclude<Market, 'spot'>;
  readonly symbol: string;
  readonly start: number;
  readonly end: number;
}

export interface ExchangeClient {
  readonly name: ExchangeName;
  candles(request: CandleRequest): Promise<Result<Candle[]>>;
  funding(request: FundingRequest): Promise<Result<FundingRow[]>>;
}

/** Pages are bounded so a misbehaving server can never loop us forever. */
export const MAX_PAGES = 2_000;
