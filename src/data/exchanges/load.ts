/** Live public market data as price series: the entry point the notebook's env uses for an
 *  exchange `prices` cell. Clients are made per call (so the caps of http.ts hold per load); the
 *  cache lives on disk, and the parsed result may also be kept in the session's memory
 *  (`memory`), keyed by the request and the last closed candle. */
import { failWith, ok, type Problem, type Result } from '../../engine/result';
import type { DatasetCache } from '../dataset-cache';
import type { Progress } from '../progress';
import { binanceBaseUrls, createBinanceClient, type BinanceBaseUrls } from './binance';
import { bybitBaseUrl, createBybitClient } from './bybit';
import { candleCache, fetchWithCache, fundingCache } from './cache';
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
  /** Stops a long download (the result is then `cancelled`). */
  readonly signal?: AbortSignal;
  /** Progress of a long download: the share of the requested range fetched so far. */
  readonly onProgress?: (p: Progress) => void;
  /** The session's parsed datasets: the same request again (same last closed candle) is served
   *  from memory without reading the disk cache. */
  readonly memory?: DatasetCache;
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
  /** True when this came from the session's memory. */
  readonly reused?: boolean;
}

export function createExchangeClient(
  exchange: ExchangeName,
  settings: ExchangeSettings,
): ExchangeClient {
  const http = createHttpClient({
    ...settings.http,
    ...(settings.signal ? { signal: settings.signal } : {}),
  });
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
  const step = intervalMs[request.interval];
  const now = settings.now?.() ?? Date.now();
  const closedEnd = Math.min(request.end ?? now, Math.floor(now / step) * step);
  const memoryKey = JSON.stringify([
    'exchange',
    settings.cacheDir,
    request.exchange,
    request.market,
    request.interval,
    request.start,
    closedEnd,
    request.assets,
  ]);
  const hit = settings.memory?.get(memoryKey) as Result<LoadedSeries> | undefined;
  if (hit?.ok) return ok({ ...hit.value, reused: true }, hit.warnings);
  const client = createExchangeClient(request.exchange, settings);
  const series: LoadedSeries['series'] = [];
  const warnings: Problem[] = [];
  const problems: Problem[] = [];
  const span = Math.max(1, closedEnd - request.start);
  for (const [k, { asset, symbol }] of request.assets.entries()) {
    const label = `${request.exchange} ${request.market} ${symbol} ${request.interval}`;
    const report = (covered: number) =>
      settings.onProgress?.({
        phase: 'download',
        done: Math.round(((k + Math.min(1, covered / span)) / request.assets.length) * 1000),
        total: 1000,
        unit: 'ms',
        what: label,
      });
    const rows = await fetchWithCache<Candle>({
      key: `${request.exchange}/${request.market}/${symbol}/${request.interval}`,
      cache: candleCache(settings.cacheDir),
      fetchRange: (start, end) =>
        client.candles({
          market: request.market,
          symbol,
          interval: request.interval,
          start,
          end,
          onPage: (covered) => report(start - request.start + covered),
        }),
      start: request.start,
      end: closedEnd,
      step,
      label,
    });
    if (!rows.ok) {
      problems.push(...rows.problems);
      if (rows.problems.some((p) => p.code === 'cancelled')) break;
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
  const result = ok(
    { source: `${request.exchange} ${request.market} ${request.interval}: ${symbols}`, series },
    warnings,
  );
  // Kept only when nothing failed: a result made offline from the cache is not remembered.
  if (!warnings.some((w) => w.code === 'used_cached_range'))
    settings.memory?.set(
      memoryKey,
      result,
      series.reduce((b, s) => b + 16 * s.times.length, 0),
    );
  return result;
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
    cache: fundingCache(settings.cacheDir),
    fetchRange: (start, stop) =>
      client.funding({ market: request.market, symbol: request.symbol, start, end: stop }),
    start: request.start,
    end,
    step: 1,
    label: `${request.exchange} ${request.market} ${request.symbol} funding`,
  });
}
