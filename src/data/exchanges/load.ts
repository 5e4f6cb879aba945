/** Live public market data as price series: the entry point the notebook's env uses for an
 *  exchange `prices` cell. Clients are made per call; the cache lives on disk. */
import { failWith, ok, type Problem, type Result } from '../../engine/result';
import { binanceBaseUrls, createBinanceClient, type BinanceBaseUrls } from './binance';
import { bybitBaseUrl, createBybitClient } from './bybit';
import { diskCache, fetchWithCache } from './cache';
import { createHttpClient, type HttpOptions } from './http';
import {
  intervalMs,
  type Candle,
  type ExchangeClient,
  type ExchangeName,
  type FundingRow,
  type Interval,
  type Market,
} from './types';

export interface ExchangeSettings {
  readonly cacheDir: string;
  /** Base URLs (tests point them at 127.0.0.1). */
  readonly binance?: Partial<BinanceBaseUrls>;
  readonly bybit?: string;
  readonly http?: Partial<HttpOptions>;
  readonly now?: () => number;
}

export interface ExchangePricesRequest {
  readonly exchange: ExchangeName;
  readonly market: Market;
  readonly interval: Interval;
  readonly start: number;
  /** Exclusive; defaults to now. Only closed candles are used. */
  readonly end?: number;
  readonly assets: readonly { readonly asset: string; readonly symbol: string }[];
}

export interface LoadedSeries {
  readonly source: string;
  readonly series: { asset: string; times: number[]; prices: number[] }[];
}

export function createExchangeClient(
  exchange: ExchangeName,
  settings: ExchangeSettings,
): ExchangeClient {
  const http = createHttpClient(settings.http);
  return exchange === 'binance'
    ? createBinanceClient(http, { ...binanceBaseUrls, ...settings.binance })
    : createBybitClient(http, settings.bybit ?? bybitBaseUrl);
}

/** Exchange settings from the environment: HEDGEBOOK_BINANCE_URL (spot, USDⓈ-M and COIN-M
 *  alike) and HEDGEBOOK_BYBIT_URL (a proxy, a mirror, or a local test server), and
 *  HEDGEBOOK_HTTP_ATTEMPTS (attempts per request, default 5). */
export function exchangeSettingsFromEnv(
  env: Readonly<Record<string, string | undefined>>,
): Pick<ExchangeSettings, 'binance' | 'bybit' | 'http'> {
  const binance = env.HEDGEBOOK_BINANCE_URL;
  const bybit = env.HEDGEBOOK_BYBIT_URL;
  const attempts = Number(env.HEDGEBOOK_HTTP_ATTEMPTS);
  return {
    ...(binance ? { binance: { spot: binance, linear: binance, inverse: binance } } : {}),
    ...(bybit ? { bybit } : {}),
    ...(Number.isInteger(attempts) && attempts >= 1 ? { http: { attempts } } : {}),
  };
}

/** Close prices of each asset from an exchange, through the disk cache. */
export async function loadExchangePrices(
  request: ExchangePricesRequest,
  settings: ExchangeSettings,
): Promise<Result<LoadedSeries>> {
  const client = createExchangeClient(request.exchange, settings);
  const step = intervalMs[request.interval];
  const now = settings.now?.() ?? Date.now();
  const closedEnd = Math.min(request.end ?? now, Math.floor(now / step) * step);
  const series: LoadedSeries['series'] = [];
  const warnings: Problem[] = [];
  const problems: Problem[] = [];
  for (const { asset, symbol } of request.assets) {
    const label = `${request.exchange} ${request.market} ${symbol} ${request.interval}`;
    const rows = await fetchWithCache<Candle>({
      key: `${request.exchange}/${request.market}/${symbol}/${request.interval}`,
      cache: diskCache<Candle>(settings.cacheDir),
      fetchRange: (start, end) =>
        client.candles({ market: request.market, symbol, interval: request.interval, start, end }),
      start: request.start,
      end: closedEnd,
      step,
      label,
    });
    if (!rows.ok) {
      problems.push(...rows.problems);
      continue;
    }
    warnings.push(...rows.warnings);
    series.push({
      asset,
      times: rows.value.map((c) => c.time),
      prices: rows.value.map((c) => c.close),
    });
  }
  if (problems.length > 0) return failWith(problems);
  const symbols = request.assets.map((a) => a.symbol).join(', ');
  return ok(
    { source: `${request.exchange} ${request.market} ${request.interval}: ${symbols}`, series },
    warnings,
  );
}

/** Funding-rate history of perpetuals (decimal per interval; positive = longs pay shorts). */
export async function loadExchangeFunding(
  request: {
    exchange: ExchangeName;
    market: Exclude<Market, 'spot'>;
    symbol: string;
    start: number;
    end?: number;
  },
  settings: ExchangeSettings,
): Promise<Result<FundingRow[]>> {
  const client = createExchangeClient(request.exchange, settings);
  const end = Math.min(request.end ?? Number.POSITIVE_INFINITY, settings.now?.() ?? Date.now());
  return fetchWithCache<FundingRow>({
    key: `${request.exchange}/${request.market}/${request.symbol}/funding`,
    cache: diskCache<FundingRow>(settings.cacheDir),
    fetchRange: (start, stop) =>
      client.funding({ market: request.market, symbol: request.symbol, start, end: stop }),
    start: request.start,
    end,
    step: 1,
    label: `${request.exchange} ${request.market} ${request.symbol} funding`,
  });
}
