/** Binance public market data (no key): spot /api/v3/klines, USDⓈ-M /fapi/v1/klines and
 *  /fapi/v1/fundingRate, COIN-M /dapi/v1/klines and /dapi/v1/fundingRate. Responses are
 *  validated with zod; pagination walks forward by open time. */
import * as z from 'zod';
import { fail, ok, type Result } from '../../engine/result';
import type { HttpClient } from './http';
import {
  intervalMs,
  MAX_PAGES,
  type Candle,
  type CandleRequest,
  type ExchangeClient,
  type FundingRequest,
  type FundingRow,
  type Market,
} from './types';

export interface BinanceBaseUrls {
  readonly spot: string;
  readonly linear: string;
  readonly inverse: string;
}

export const binanceBaseUrls: BinanceBaseUrls = {
  spot: 'https://api.binance.com',
  linear: 'https://fapi.binance.com',
  inverse: 'https://dapi.binance.com',
};

const decimal = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = typeof v === 'number' ? v : Number(v);
  if (v === '' || !Number.isFinite(n)) {
    ctx.addIssue({ code: 'custom', message: `not a number: ${String(v)}` });
    return z.NEVER;
  }
  return n;
});
// [openTime, open, high, low, close, volume, closeTime, quoteVolume, trades, ...]
const Kline = z.tuple([z.number(), decimal, decimal, decimal, decimal, decimal]).rest(z.unknown());
const Klines = z.array(Kline);
const FundingRates = z.array(
  z.object({ symbol: z.string(), fundingTime: z.number(), fundingRate: decimal }).loose(),
);

const paths: Record<Market, { klines: string; limit: number; funding?: string }> = {
  spot: { klines: '/api/v3/klines', limit: 1000 },
  linear: { klines: '/fapi/v1/klines', limit: 1500, funding: '/fapi/v1/fundingRate' },
  inverse: { klines: '/dapi/v1/klines', limit: 1500, funding: '/dapi/v1/fundingRate' },
};

export function zodProblem(url: string, error: z.ZodError): Result<never> {
  const issue = error.issues[0];
  return fail('malformed_response', [url], {
    url,
    reason: `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'unexpected shape'}`,
  });
}

export function createBinanceClient(
  http: HttpClient,
  baseUrls: BinanceBaseUrls = binanceBaseUrls,
): ExchangeClient {
  async function candles(request: CandleRequest): Promise<Result<Candle[]>> {
    const { klines, limit } = paths[request.market];
    const step = intervalMs[request.interval];
    const out: Candle[] = [];
    let from = request.start;
    for (let page = 0; page < MAX_PAGES && from < request.end; page++) {
      const query = new URLSearchParams({
        symbol: request.symbol,
        interval: request.interval,
        startTime: String(from),
        limit: String(limit),
      });
      const url = `${baseUrls[request.market]}${klines}?${query}`;
      const body = await http.getJson(url);
      if (!body.ok) return body;
      const parsed = Klines.safeParse(body.value);
      if (!parsed.success) return zodProblem(url, parsed.error);
      const rows = parsed.data.filter((k) => k[0] >= from && k[0] < request.end);
      for (const [time, open, high, low, close, volume] of rows)
        out.push({ time, open, high, low, close, volume });
      const last = parsed.data.at(-1)?.[0];
      if (last === undefined || parsed.data.length < limit || last + step <= from) break;
      from = last + step;
      request.onPage?.(from - request.start);
    }
    return ok(out);
  }

  async function funding(request: FundingRequest): Promise<Result<FundingRow[]>> {
    const path = paths[request.market].funding;
    if (!path)
      return fail('unsupported_market', [request.market], {
        exchange: 'binance',
        market: request.market,
      });
    const out: FundingRow[] = [];
    let from = request.start;
    for (let page = 0; page < MAX_PAGES && from < request.end; page++) {
      const query = new URLSearchParams({
        symbol: request.symbol,
        startTime: String(from),
        endTime: String(request.end - 1),
        limit: '1000',
      });
      const url = `${baseUrls[request.market]}${path}?${query}`;
      const body = await http.getJson(url);
      if (!body.ok) return body;
      const parsed = FundingRates.safeParse(body.value);
      if (!parsed.success) return zodProblem(url, parsed.error);
      for (const row of parsed.data) {
        if (row.fundingTime >= from && row.fundingTime < request.end) {
          out.push({ time: row.fundingTime, symbol: row.symbol, rate: row.fundingRate });
        }
      }
      const last = parsed.data.at(-1)?.fundingTime;
      if (last === undefined || parsed.data.length < 1000 || last < from) break;
      from = last + 1;
    }
    return ok(out);
  }

  return { name: 'binance', candles, funding };
}
